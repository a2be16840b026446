//! Each user's calendar feed token (`calendar_tokens`): a tenant table with row-level security,
//! one row per (tenant, user), holding only the SHA-256 of the token's secret
//! (`docs/adr/0023-calendar-feed.md`). Rotating replaces the row.

use crate::tenant_rls;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum CalendarTokens {
    Table,
    TenantId,
    UserId,
    TokenHash,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CalendarTokens::Table)
                    .col(ColumnDef::new(CalendarTokens::TenantId).uuid().not_null())
                    .col(ColumnDef::new(CalendarTokens::UserId).uuid().not_null())
                    // 64 lower-case hex digits.
                    .col(
                        ColumnDef::new(CalendarTokens::TokenHash)
                            .string()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CalendarTokens::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(CalendarTokens::TenantId)
                            .col(CalendarTokens::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CalendarTokens::Table, CalendarTokens::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        tenant_rls::enable(manager, "calendar_tokens", "tenant_id").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        tenant_rls::disable(manager, "calendar_tokens").await?;
        manager
            .drop_table(Table::drop().table(CalendarTokens::Table).to_owned())
            .await
    }
}
