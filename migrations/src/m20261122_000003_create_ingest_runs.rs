//! Sources (who to credit, when each last ran) and the record of every ingest run: one import
//! or one refresh of one source, with its counts and problems.

use crate::tenant_rls;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CatalogSources {
    Table,
    Id,
    TenantId,
    SourceId,
    DisplayName,
    AttributionText,
    AttributionUrl,
    AttributionLicense,
    LastRunId,
    LastSuccessAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum IngestRuns {
    Table,
    Id,
    TenantId,
    SourceId,
    Trigger,
    ActorUserId,
    StartedAt,
    FinishedAt,
    Outcome,
    Counts,
    Problems,
}

const INDEXES: &str = "
CREATE UNIQUE INDEX catalog_sources_shared ON catalog_sources (source_id) WHERE tenant_id IS NULL;
CREATE UNIQUE INDEX catalog_sources_private ON catalog_sources (tenant_id, source_id)
  WHERE tenant_id IS NOT NULL;
CREATE INDEX ingest_runs_source ON ingest_runs (tenant_id, source_id, started_at);";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CatalogSources::Table)
                    .col(
                        ColumnDef::new(CatalogSources::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(CatalogSources::TenantId).uuid().null())
                    .col(ColumnDef::new(CatalogSources::SourceId).string().not_null())
                    .col(
                        ColumnDef::new(CatalogSources::DisplayName)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CatalogSources::AttributionText)
                            .text()
                            .not_null(),
                    )
                    .col(ColumnDef::new(CatalogSources::AttributionUrl).text().null())
                    .col(
                        ColumnDef::new(CatalogSources::AttributionLicense)
                            .text()
                            .null(),
                    )
                    .col(ColumnDef::new(CatalogSources::LastRunId).uuid().null())
                    .col(
                        ColumnDef::new(CatalogSources::LastSuccessAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(CatalogSources::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(IngestRuns::Table)
                    .col(
                        ColumnDef::new(IngestRuns::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(IngestRuns::TenantId).uuid().null())
                    .col(ColumnDef::new(IngestRuns::SourceId).string().not_null())
                    .col(ColumnDef::new(IngestRuns::Trigger).string().not_null())
                    .col(ColumnDef::new(IngestRuns::ActorUserId).uuid().null())
                    .col(
                        ColumnDef::new(IngestRuns::StartedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(IngestRuns::FinishedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(IngestRuns::Outcome).string().not_null())
                    .col(ColumnDef::new(IngestRuns::Counts).text().not_null())
                    .col(ColumnDef::new(IngestRuns::Problems).text().not_null())
                    .to_owned(),
            )
            .await?;
        manager.get_connection().execute_unprepared(INDEXES).await?;
        tenant_rls::enable_shared(manager, "catalog_sources").await?;
        tenant_rls::enable_shared(manager, "ingest_runs").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        tenant_rls::disable_shared(manager, "ingest_runs").await?;
        tenant_rls::disable_shared(manager, "catalog_sources").await?;
        manager
            .drop_table(Table::drop().table(IngestRuns::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(CatalogSources::Table).to_owned())
            .await
    }
}
