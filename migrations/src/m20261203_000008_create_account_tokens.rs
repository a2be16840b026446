//! Invitations and password resets (issue 9, ADR 0028):
//!
//! - `account_tokens`: a tenant table with row-level security; one row per token handed out,
//!   holding the SHA-256 of its secret (never the token), its purpose (`invitation` |
//!   `password_reset`), the email (and, for a reset, the user) it is for, an invitation's roles,
//!   when it expires and when it was used.
//! - `tenants_platform_list`: on PostgreSQL, a `SELECT`-only policy letting a system context
//!   list tenants (the operator's `psma tenant list`); tenant contexts still see only their own.

use crate::tenant_rls;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum AccountTokens {
    Table,
    Id,
    TenantId,
    Purpose,
    TokenHash,
    Email,
    UserId,
    Roles,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Tenants {
    Table,
    Id,
}

const LIST_POLICY: &str = "CREATE POLICY tenants_platform_list ON tenants FOR SELECT \
     USING (current_setting('app.system_context', true) = 'on')";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AccountTokens::Table)
                    .col(
                        ColumnDef::new(AccountTokens::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(AccountTokens::TenantId).uuid().not_null())
                    .col(ColumnDef::new(AccountTokens::Purpose).string().not_null())
                    // 64 lower-case hex digits.
                    .col(
                        ColumnDef::new(AccountTokens::TokenHash)
                            .string()
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(AccountTokens::Email).string().not_null())
                    .col(ColumnDef::new(AccountTokens::UserId).uuid().null())
                    // Role names, comma-separated (invitations only).
                    .col(ColumnDef::new(AccountTokens::Roles).string().not_null())
                    .col(ColumnDef::new(AccountTokens::CreatedBy).uuid().null())
                    .col(
                        ColumnDef::new(AccountTokens::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AccountTokens::ExpiresAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AccountTokens::UsedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AccountTokens::Table, AccountTokens::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("account_tokens_tenant_id_email")
                    .table(AccountTokens::Table)
                    .col(AccountTokens::TenantId)
                    .col(AccountTokens::Email)
                    .to_owned(),
            )
            .await?;
        tenant_rls::enable(manager, "account_tokens", "tenant_id").await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared(LIST_POLICY)
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("DROP POLICY IF EXISTS tenants_platform_list ON tenants")
                .await?;
        }
        tenant_rls::disable(manager, "account_tokens").await?;
        manager
            .drop_table(Table::drop().table(AccountTokens::Table).to_owned())
            .await
    }
}
