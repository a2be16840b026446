//! Counters of changes to the catalog: one for the shared catalog (id all zeros, `tenant_id`
//! NULL, written only by system work) and one per household that imported shows of its own
//! (id and `tenant_id` the tenant's). A store keeps derived views of the shows in memory (the
//! show list's title order, ADR 0011) and checks them against these; every ingest run adds
//! one to its scope's counter in the same transaction, so a view is never older than
//! the rows it was read with.

use crate::tenant_rls;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CatalogGenerations {
    Table,
    Id,
    TenantId,
    Generation,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CatalogGenerations::Table)
                    .col(
                        ColumnDef::new(CatalogGenerations::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(CatalogGenerations::TenantId).uuid().null())
                    .col(
                        ColumnDef::new(CatalogGenerations::Generation)
                            .big_integer()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        tenant_rls::enable_shared(manager, "catalog_generations").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        tenant_rls::disable_shared(manager, "catalog_generations").await?;
        manager
            .drop_table(Table::drop().table(CatalogGenerations::Table).to_owned())
            .await
    }
}
