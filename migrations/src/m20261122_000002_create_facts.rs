//! Facts (append-only versions with provenance; a version ends when its source changes or
//! drops it) and the changes each run made. Shared and private rows side by side, like shows.
//! No foreign keys on these two: they take bulk inserts of a million rows, and every reference
//! they hold is written by the same transaction that needs it.

use crate::tenant_rls;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Facts {
    Table,
    Id,
    TenantId,
    SourceId,
    Kind,
    FactKey,
    SubjectKey,
    ContentHash,
    ShowId,
    ServiceId,
    Country,
    AvailableFrom,
    AvailableUntil,
    AirDate,
    Confidence,
    RetrievedAt,
    Payload,
    RunId,
    RecordedAt,
    EndedAt,
    EndedRunId,
}

#[derive(DeriveIden)]
enum FactChanges {
    Table,
    Id,
    TenantId,
    RunId,
    SourceId,
    Change,
    FactKind,
    ShowId,
    BeforeFactId,
    AfterFactId,
    At,
}

// A source's live facts are unique by key within their scope (two partial indexes: NULLs are
// distinct in a unique index). The show index serves show pages and the list's filters.
// Changes are read by id: ids are UUIDv7 stamped with the change's time, so "since" is an id
// range of the primary key and needs no index of its own.
const INDEXES: &str = "
CREATE UNIQUE INDEX facts_live_key_shared ON facts (source_id, fact_key)
  WHERE tenant_id IS NULL AND ended_at IS NULL;
CREATE UNIQUE INDEX facts_live_key_private ON facts (tenant_id, source_id, fact_key)
  WHERE tenant_id IS NOT NULL AND ended_at IS NULL;
CREATE INDEX facts_live_show ON facts (show_id, kind, country, service_id)
  WHERE ended_at IS NULL;
CREATE INDEX facts_live_service ON facts (service_id, country, show_id)
  WHERE ended_at IS NULL AND kind = 'availability';";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let ts = |c: Facts| ColumnDef::new(c).timestamp_with_time_zone().to_owned();
        manager
            .create_table(
                Table::create()
                    .table(Facts::Table)
                    .col(ColumnDef::new(Facts::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Facts::TenantId).uuid().null())
                    .col(ColumnDef::new(Facts::SourceId).string().not_null())
                    .col(ColumnDef::new(Facts::Kind).string().not_null())
                    .col(ColumnDef::new(Facts::FactKey).string_len(32).not_null())
                    .col(ColumnDef::new(Facts::SubjectKey).string_len(32).not_null())
                    .col(ColumnDef::new(Facts::ContentHash).string_len(32).not_null())
                    .col(ColumnDef::new(Facts::ShowId).uuid().null())
                    .col(ColumnDef::new(Facts::ServiceId).string().null())
                    .col(ColumnDef::new(Facts::Country).string_len(2).null())
                    .col(ColumnDef::new(Facts::AvailableFrom).date().null())
                    .col(ColumnDef::new(Facts::AvailableUntil).date().null())
                    .col(ColumnDef::new(Facts::AirDate).date().null())
                    .col(ColumnDef::new(Facts::Confidence).double().not_null())
                    .col(ts(Facts::RetrievedAt).not_null())
                    .col(ColumnDef::new(Facts::Payload).text().not_null())
                    .col(ColumnDef::new(Facts::RunId).uuid().null())
                    .col(ts(Facts::RecordedAt).not_null())
                    .col(ts(Facts::EndedAt).null())
                    .col(ColumnDef::new(Facts::EndedRunId).uuid().null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FactChanges::Table)
                    .col(
                        ColumnDef::new(FactChanges::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(FactChanges::TenantId).uuid().null())
                    .col(ColumnDef::new(FactChanges::RunId).uuid().not_null())
                    .col(ColumnDef::new(FactChanges::SourceId).string().not_null())
                    .col(ColumnDef::new(FactChanges::Change).string().not_null())
                    .col(ColumnDef::new(FactChanges::FactKind).string().not_null())
                    .col(ColumnDef::new(FactChanges::ShowId).uuid().null())
                    .col(ColumnDef::new(FactChanges::BeforeFactId).uuid().null())
                    .col(ColumnDef::new(FactChanges::AfterFactId).uuid().null())
                    .col(
                        ColumnDef::new(FactChanges::At)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager.get_connection().execute_unprepared(INDEXES).await?;
        tenant_rls::enable_shared(manager, "facts").await?;
        tenant_rls::enable_shared(manager, "fact_changes").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        tenant_rls::disable_shared(manager, "fact_changes").await?;
        tenant_rls::disable_shared(manager, "facts").await?;
        manager
            .drop_table(Table::drop().table(FactChanges::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Facts::Table).to_owned())
            .await
    }
}
