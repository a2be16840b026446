//! Signing in through identity providers (issue 9, item 2; ADR 0030):
//!
//! - `user_identities`: a tenant table with row-level security linking a provider's identity
//!   (`provider`, `subject`) to a user; one identity signs in one user across all tenants
//!   (`user_identities_provider_subject`, unique). On PostgreSQL `user_identities_system_login`
//!   lets a system context read them (`SELECT` only), as `users_system_login` does for emails:
//!   at the callback no tenant is known until the identity names its user.
//! - `oauth_flows`: started sign-ins, before any tenant is known: digests of the `state` and of
//!   the browser-binding secret (never the secrets, from which the PKCE verifier and the nonce
//!   are derived), the provider, the invitation presented (its tenant and the SHA-256 of its
//!   secret), expiry and use. No tenant column; on PostgreSQL its rows are reachable only in a
//!   system context (`oauth_flows_sign_in`, forced), so no tenant-scoped query ever sees them.

use crate::tenant_rls;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum UserIdentities {
    Table,
    Id,
    TenantId,
    UserId,
    Provider,
    Subject,
    Email,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum OauthFlows {
    Table,
    Id,
    Provider,
    StateHash,
    BindingHash,
    InvitationTenantId,
    InvitationHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
}

const SYSTEM: &str = "current_setting('app.system_context', true) = 'on'";

fn postgres_only() -> [String; 2] {
    [
        format!(
            "CREATE POLICY user_identities_system_login ON user_identities FOR SELECT \
             USING ({SYSTEM})"
        ),
        format!(
            "ALTER TABLE oauth_flows ENABLE ROW LEVEL SECURITY;
             ALTER TABLE oauth_flows FORCE ROW LEVEL SECURITY;
             CREATE POLICY oauth_flows_sign_in ON oauth_flows USING ({SYSTEM}) WITH CHECK ({SYSTEM});"
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let at = |c: UserIdentities| ColumnDef::new(c).timestamp_with_time_zone().to_owned();
        manager
            .create_table(
                Table::create()
                    .table(UserIdentities::Table)
                    .col(
                        ColumnDef::new(UserIdentities::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(UserIdentities::TenantId).uuid().not_null())
                    .col(ColumnDef::new(UserIdentities::UserId).uuid().not_null())
                    .col(ColumnDef::new(UserIdentities::Provider).string().not_null())
                    .col(ColumnDef::new(UserIdentities::Subject).string().not_null())
                    .col(ColumnDef::new(UserIdentities::Email).string().null())
                    .col(at(UserIdentities::CreatedAt).not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserIdentities::Table, UserIdentities::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("user_identities_provider_subject")
                    .table(UserIdentities::Table)
                    .col(UserIdentities::Provider)
                    .col(UserIdentities::Subject)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("user_identities_tenant_id_user_id")
                    .table(UserIdentities::Table)
                    .col(UserIdentities::TenantId)
                    .col(UserIdentities::UserId)
                    .to_owned(),
            )
            .await?;
        tenant_rls::enable(manager, "user_identities", "tenant_id").await?;

        let flow_at = |c: OauthFlows| ColumnDef::new(c).timestamp_with_time_zone().to_owned();
        manager
            .create_table(
                Table::create()
                    .table(OauthFlows::Table)
                    .col(
                        ColumnDef::new(OauthFlows::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(OauthFlows::Provider).string().not_null())
                    // 64 lower-case hex digits each.
                    .col(
                        ColumnDef::new(OauthFlows::StateHash)
                            .string()
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(OauthFlows::BindingHash).string().not_null())
                    .col(ColumnDef::new(OauthFlows::InvitationTenantId).uuid().null())
                    .col(ColumnDef::new(OauthFlows::InvitationHash).string().null())
                    .col(flow_at(OauthFlows::CreatedAt).not_null())
                    .col(flow_at(OauthFlows::ExpiresAt).not_null())
                    .col(flow_at(OauthFlows::UsedAt).null())
                    .to_owned(),
            )
            .await?;
        // Expired flows are deleted at each start.
        manager
            .create_index(
                Index::create()
                    .name("oauth_flows_expires_at")
                    .table(OauthFlows::Table)
                    .col(OauthFlows::ExpiresAt)
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            for sql in postgres_only() {
                manager.get_connection().execute_unprepared(&sql).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared(
                    "DROP POLICY IF EXISTS user_identities_system_login ON user_identities",
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(OauthFlows::Table).to_owned())
            .await?;
        tenant_rls::disable(manager, "user_identities").await?;
        manager
            .drop_table(Table::drop().table(UserIdentities::Table).to_owned())
            .await
    }
}
