//! Hosted mode's sign-in (issue 9, ADR 0028):
//!
//! - `users` gains `password_hash` (argon2id PHC string; NULL until a password is set),
//!   `failed_logins` and `locked_until` (the per-account sign-in throttle) and `disabled_at`.
//! - An email signs in to one household: `users_email_live` makes live emails unique across
//!   tenants (a partial index, as for the per-tenant one).
//! - `users_system_login` / `user_roles_system_login`: on PostgreSQL, `SELECT`-only policies
//!   letting a system context (`app.system_context = 'on'`) read live users and their roles,
//!   so sign-in can find the account an email names before any tenant is known. No write, no
//!   other table; tenant contexts stay confined by the tenant policies.
//! - `refresh_tokens`: a tenant table with row-level security holding each refresh token's
//!   SHA-256 (never the token), its family, and when it was used or revoked.

use crate::tenant_rls;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
    PasswordHash,
    FailedLogins,
    LockedUntil,
    DisabledAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum RefreshTokens {
    Table,
    Id,
    TenantId,
    UserId,
    FamilyId,
    TokenHash,
    IssuedAt,
    ExpiresAt,
    UsedAt,
    RevokedAt,
}

const LOGIN_POLICIES: [(&str, &str); 2] = [
    (
        "users_system_login",
        "CREATE POLICY users_system_login ON users FOR SELECT \
         USING (current_setting('app.system_context', true) = 'on' AND deleted_at IS NULL)",
    ),
    (
        "user_roles_system_login",
        "CREATE POLICY user_roles_system_login ON user_roles FOR SELECT \
         USING (current_setting('app.system_context', true) = 'on')",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        let columns = [
            ColumnDef::new(Users::PasswordHash)
                .string()
                .null()
                .to_owned(),
            ColumnDef::new(Users::FailedLogins)
                .integer()
                .not_null()
                .default(0)
                .to_owned(),
            ColumnDef::new(Users::LockedUntil)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(Users::DisabledAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
        ];
        for mut column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE UNIQUE INDEX users_email_live ON users (lower(email)) WHERE deleted_at IS NULL",
        )
        .await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            for (_, create) in LOGIN_POLICIES {
                db.execute_unprepared(create).await?;
            }
        }

        manager
            .create_table(
                Table::create()
                    .table(RefreshTokens::Table)
                    .col(
                        ColumnDef::new(RefreshTokens::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(RefreshTokens::TenantId).uuid().not_null())
                    .col(ColumnDef::new(RefreshTokens::UserId).uuid().not_null())
                    .col(ColumnDef::new(RefreshTokens::FamilyId).uuid().not_null())
                    // 64 lower-case hex digits.
                    .col(
                        ColumnDef::new(RefreshTokens::TokenHash)
                            .string()
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(RefreshTokens::IssuedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RefreshTokens::ExpiresAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RefreshTokens::UsedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(RefreshTokens::RevokedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RefreshTokens::Table, RefreshTokens::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("refresh_tokens_tenant_id_family_id")
                    .table(RefreshTokens::Table)
                    .col(RefreshTokens::TenantId)
                    .col(RefreshTokens::FamilyId)
                    .to_owned(),
            )
            .await?;
        tenant_rls::enable(manager, "refresh_tokens", "tenant_id").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        tenant_rls::disable(manager, "refresh_tokens").await?;
        manager
            .drop_table(Table::drop().table(RefreshTokens::Table).to_owned())
            .await?;
        let db = manager.get_connection();
        if manager.get_database_backend() == DbBackend::Postgres {
            for (name, _) in LOGIN_POLICIES {
                let table = if name.starts_with("users") {
                    "users"
                } else {
                    "user_roles"
                };
                db.execute_unprepared(&format!("DROP POLICY IF EXISTS {name} ON {table}"))
                    .await?;
            }
        }
        db.execute_unprepared("DROP INDEX IF EXISTS users_email_live")
            .await?;
        for column in [
            Users::DisabledAt,
            Users::LockedUntil,
            Users::FailedLogins,
            Users::PasswordHash,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
