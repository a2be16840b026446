//! Conflicts (shared, or involving a tenant's private facts) and each tenant's decisions on
//! them: resolved or deferred, with the facts a resolution overrules for that tenant.

use crate::m20261121_000002_create_tenants::Tenants;
use crate::tenant_rls;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Conflicts {
    Table,
    Id,
    TenantId,
    Kind,
    Subject,
    ShowId,
    OtherShowId,
    ServiceId,
    Country,
    FactIds,
    Summary,
    DetectedAt,
    RunId,
    ClearedAt,
}

#[derive(DeriveIden)]
enum ConflictDecisions {
    Table,
    TenantId,
    ConflictId,
    Status,
    Resolution,
    ConfirmationFactId,
    Note,
    DecidedBy,
    DecidedAt,
}

#[derive(DeriveIden)]
enum FactOverrules {
    Table,
    TenantId,
    ConflictId,
    FactId,
}

const INDEXES: &str = "
CREATE INDEX conflicts_live_show ON conflicts (show_id) WHERE cleared_at IS NULL;
CREATE INDEX fact_overrules_fact ON fact_overrules (tenant_id, fact_id);";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Conflicts::Table)
                    .col(
                        ColumnDef::new(Conflicts::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Conflicts::TenantId).uuid().null())
                    .col(ColumnDef::new(Conflicts::Kind).string().not_null())
                    .col(ColumnDef::new(Conflicts::Subject).text().not_null())
                    .col(ColumnDef::new(Conflicts::ShowId).uuid().not_null())
                    .col(ColumnDef::new(Conflicts::OtherShowId).uuid().null())
                    .col(ColumnDef::new(Conflicts::ServiceId).string().null())
                    .col(ColumnDef::new(Conflicts::Country).string_len(2).null())
                    .col(ColumnDef::new(Conflicts::FactIds).text().not_null())
                    .col(ColumnDef::new(Conflicts::Summary).text().not_null())
                    .col(
                        ColumnDef::new(Conflicts::DetectedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Conflicts::RunId).uuid().not_null())
                    .col(
                        ColumnDef::new(Conflicts::ClearedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ConflictDecisions::Table)
                    .col(
                        ColumnDef::new(ConflictDecisions::TenantId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ConflictDecisions::ConflictId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ConflictDecisions::Status)
                            .string()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ConflictDecisions::Resolution).text().null())
                    .col(
                        ColumnDef::new(ConflictDecisions::ConfirmationFactId)
                            .uuid()
                            .null(),
                    )
                    .col(ColumnDef::new(ConflictDecisions::Note).text().null())
                    .col(
                        ColumnDef::new(ConflictDecisions::DecidedBy)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ConflictDecisions::DecidedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(ConflictDecisions::TenantId)
                            .col(ConflictDecisions::ConflictId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ConflictDecisions::Table, ConflictDecisions::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ConflictDecisions::Table, ConflictDecisions::ConflictId)
                            .to(Conflicts::Table, Conflicts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FactOverrules::Table)
                    .col(ColumnDef::new(FactOverrules::TenantId).uuid().not_null())
                    .col(ColumnDef::new(FactOverrules::ConflictId).uuid().not_null())
                    .col(ColumnDef::new(FactOverrules::FactId).uuid().not_null())
                    .primary_key(
                        Index::create()
                            .col(FactOverrules::TenantId)
                            .col(FactOverrules::ConflictId)
                            .col(FactOverrules::FactId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(FactOverrules::Table, FactOverrules::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager.get_connection().execute_unprepared(INDEXES).await?;
        tenant_rls::enable_shared(manager, "conflicts").await?;
        tenant_rls::enable(manager, "conflict_decisions", "tenant_id").await?;
        tenant_rls::enable(manager, "fact_overrules", "tenant_id").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        tenant_rls::disable(manager, "fact_overrules").await?;
        tenant_rls::disable(manager, "conflict_decisions").await?;
        tenant_rls::disable_shared(manager, "conflicts").await?;
        for table in [
            FactOverrules::Table.into_iden(),
            ConflictDecisions::Table.into_iden(),
            Conflicts::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
