//! # psma-migrations — the schema, for SQLite and PostgreSQL alike
//!
//! One migration per file (`mYYYYMMDD_HHMMSS_verb_noun.rs`), written with sea-query so the same
//! code serves both backends; PostgreSQL-only steps (extensions, row-level security, triggers in
//! PL/pgSQL) are explicit and gated on the backend. Every `down` fully reverses its `up`; CI runs
//! up → down → up on both backends.
//!
//! **Invariant:** depends on sea-orm-migration only; knows nothing of the domain crates.

pub use sea_orm_migration::MigratorTrait;
use sea_orm_migration::prelude::*;

mod m20261121_000001_enable_extensions;
mod m20261121_000002_create_tenants;
mod m20261121_000003_create_users;
mod m20261121_000004_create_audit_log;
mod m20261121_000005_create_jobs;
mod m20261122_000001_create_shows;
mod m20261122_000002_create_facts;
mod m20261122_000003_create_ingest_runs;
mod m20261122_000004_create_conflicts;
mod m20261202_000001_cover_show_filters;
mod m20261202_000002_create_catalog_generations;
mod m20261202_000003_add_job_unique_key;
mod m20261203_000001_create_profiles;
mod m20261203_000002_create_plans;
mod m20261203_000003_create_calendar_tokens;
mod m20261203_000004_add_replanning;
mod m20261203_000005_add_my_show_end_date;
mod m20261203_000006_create_advice;
mod m20261203_000007_create_sessions;
mod m20261203_000008_create_account_tokens;
mod m20261203_000009_create_roles;
mod m20261204_000001_create_identities;
mod m20261204_000002_read_settings_once;
mod m20261204_000003_versions_are_changes;
mod m20261205_000001_analyze_catalog;
mod tenant_rls;

/// The ordered set of PSMA migrations.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261121_000001_enable_extensions::Migration),
            Box::new(m20261121_000002_create_tenants::Migration),
            Box::new(m20261121_000003_create_users::Migration),
            Box::new(m20261121_000004_create_audit_log::Migration),
            Box::new(m20261121_000005_create_jobs::Migration),
            Box::new(m20261122_000001_create_shows::Migration),
            Box::new(m20261122_000002_create_facts::Migration),
            Box::new(m20261122_000003_create_ingest_runs::Migration),
            Box::new(m20261122_000004_create_conflicts::Migration),
            Box::new(m20261202_000001_cover_show_filters::Migration),
            Box::new(m20261202_000002_create_catalog_generations::Migration),
            Box::new(m20261202_000003_add_job_unique_key::Migration),
            Box::new(m20261203_000001_create_profiles::Migration),
            Box::new(m20261203_000002_create_plans::Migration),
            Box::new(m20261203_000003_create_calendar_tokens::Migration),
            Box::new(m20261203_000004_add_replanning::Migration),
            Box::new(m20261203_000005_add_my_show_end_date::Migration),
            Box::new(m20261203_000006_create_advice::Migration),
            Box::new(m20261203_000007_create_sessions::Migration),
            Box::new(m20261203_000008_create_account_tokens::Migration),
            Box::new(m20261203_000009_create_roles::Migration),
            Box::new(m20261204_000001_create_identities::Migration),
            Box::new(m20261204_000002_read_settings_once::Migration),
            Box::new(m20261204_000003_versions_are_changes::Migration),
            Box::new(m20261205_000001_analyze_catalog::Migration),
        ]
    }
}
