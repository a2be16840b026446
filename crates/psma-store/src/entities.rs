//! sea-orm entities: private to the store, mapped to domain types at its edge.

pub(crate) mod account_tokens;
pub(crate) mod advice;
pub(crate) mod audit_log;
pub(crate) mod calendar_tokens;
pub(crate) mod catalog_sources;
pub(crate) mod conflict_decisions;
pub(crate) mod conflicts;
pub(crate) mod fact_changes;
pub(crate) mod fact_overrules;
pub(crate) mod facts;
pub(crate) mod ingest_runs;
pub(crate) mod jobs;
pub(crate) mod my_services;
pub(crate) mod my_shows;
pub(crate) mod oauth_flows;
pub(crate) mod plan_events;
pub(crate) mod plans;
pub(crate) mod refresh_tokens;
pub(crate) mod roles;
pub(crate) mod show_external_ids;
pub(crate) mod shows;
pub(crate) mod tenants;
pub(crate) mod user_identities;
pub(crate) mod user_roles;
pub(crate) mod user_settings;
pub(crate) mod users;
