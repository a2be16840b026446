//! Shows and their external ids. Shared rows (`tenant_id` NULL, from provider refreshes) and
//! rows private to the tenant whose import created them live side by side; row-level security
//! lets a tenant read the shared ones and its own.

use crate::tenant_rls;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Shows {
    Table,
    Id,
    TenantId,
    ShowType,
    Title,
    Year,
    NormalizedTitle,
    SortKey,
    Overview,
    Genres,
    ExternalIds,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ShowExternalIds {
    Table,
    TenantId,
    Namespace,
    Value,
    ShowId,
}

const INDEXES: &str = "
CREATE INDEX shows_sort ON shows (sort_key, id);
CREATE INDEX shows_normalized_title ON shows (normalized_title);
CREATE UNIQUE INDEX show_external_ids_shared ON show_external_ids (namespace, value)
  WHERE tenant_id IS NULL;
CREATE UNIQUE INDEX show_external_ids_private ON show_external_ids (tenant_id, namespace, value)
  WHERE tenant_id IS NOT NULL;
CREATE INDEX show_external_ids_show ON show_external_ids (show_id);";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Shows::Table)
                    .col(ColumnDef::new(Shows::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Shows::TenantId).uuid().null())
                    .col(ColumnDef::new(Shows::ShowType).string().not_null())
                    .col(ColumnDef::new(Shows::Title).text().not_null())
                    .col(ColumnDef::new(Shows::Year).integer().null())
                    .col(ColumnDef::new(Shows::NormalizedTitle).text().not_null())
                    .col(ColumnDef::new(Shows::SortKey).text().not_null())
                    .col(ColumnDef::new(Shows::Overview).text().null())
                    .col(ColumnDef::new(Shows::Genres).text().not_null())
                    .col(ColumnDef::new(Shows::ExternalIds).text().not_null())
                    .col(
                        ColumnDef::new(Shows::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Shows::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ShowExternalIds::Table)
                    .col(ColumnDef::new(ShowExternalIds::TenantId).uuid().null())
                    .col(
                        ColumnDef::new(ShowExternalIds::Namespace)
                            .string()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ShowExternalIds::Value).string().not_null())
                    .col(ColumnDef::new(ShowExternalIds::ShowId).uuid().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(ShowExternalIds::Table, ShowExternalIds::ShowId)
                            .to(Shows::Table, Shows::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager.get_connection().execute_unprepared(INDEXES).await?;
        tenant_rls::enable_shared(manager, "shows").await?;
        tenant_rls::enable_shared(manager, "show_external_ids").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        tenant_rls::disable_shared(manager, "show_external_ids").await?;
        tenant_rls::disable_shared(manager, "shows").await?;
        manager
            .drop_table(Table::drop().table(ShowExternalIds::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Shows::Table).to_owned())
            .await
    }
}
