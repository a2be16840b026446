//! API and storage tests against the real server on a random port, on SQLite and PostgreSQL.
//! One test binary (fast to build); one module per area.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "the harness's helpers fail the test loudly, like the tests themselves"
)]

mod support;

mod add_show;
mod advice;
mod audit;
mod auth;
mod calendar;
mod calendar_tenancy;
mod catalog_tenancy;
mod cli;
mod config_check;
mod conflicts;
mod demo;
mod errors;
mod events;
mod exec_provider;
mod health;
mod imports;
mod jobs;
mod llm_config;
mod me;
mod metrics;
mod migrations;
mod openapi;
mod plan_cli;
mod plan_facade;
mod plans;
mod profile;
mod provider_search;
mod providers;
mod ready;
mod refresh_by_show;
mod refresh_killed;
mod replan;
mod shows;
mod tenancy;
mod ui;
