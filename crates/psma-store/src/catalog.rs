//! The catalog: ingesting (`CatalogStore`), reading (`CatalogReader`) and decisions on
//! conflicts (`ConflictDecisions`), on SQLite and PostgreSQL.
//!
//! Shared rows (`tenant_id` NULL) are written only in a system context; a tenant's transaction
//! reads shared rows and its own and writes only its own — by the filters in [`scope`] on
//! both backends, and by row-level security on PostgreSQL.

mod bulk;
mod change_log;
mod conflict_views;
mod decisions;
mod fan_out;
mod generations;
mod ingest;
mod kind_literal;
mod live_facts;
mod read;
mod refresh_targets;
mod rows;
mod run_history;
mod runs;
mod scope;
mod show_list;
mod show_order;
mod show_pages;
mod table_walk;

pub(crate) use show_order::ShowOrder;
pub(crate) use show_pages::ShowPages;
