//! The shared catalog's row-level security policies read the transaction's settings once per
//! statement (`(SELECT current_setting(…))`, an InitPlan) instead of once per row. Same
//! meaning: the settings are transaction-local. A 1M-fact import checks every row it inserts
//! against these policies, and a re-import reads every live fact of its source through them.
//! PostgreSQL only; databases made after this change already have these forms
//! (`tenant_rls::enable_shared`), for which this re-creates them as they were.

use crate::tenant_rls::{self, SettingsRead};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Every table `tenant_rls::enable_shared` protects.
const SHARED: [&str; 8] = [
    "shows",
    "show_external_ids",
    "facts",
    "fact_changes",
    "catalog_sources",
    "ingest_runs",
    "conflicts",
    "catalog_generations",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in SHARED {
            tenant_rls::replace_shared_policies(manager, table, SettingsRead::PerStatement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in SHARED {
            tenant_rls::replace_shared_policies(manager, table, SettingsRead::PerRow).await?;
        }
        Ok(())
    }
}
