//! API and storage tests against the real server on a random port, on SQLite and PostgreSQL.
//! One test binary (fast to build); one module per area.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "the harness's helpers fail the test loudly, like the tests themselves"
)]

mod support;

mod audit;
mod cli;
mod config_check;
mod errors;
mod health;
mod jobs;
mod me;
mod metrics;
mod migrations;
mod openapi;
mod ready;
mod tenancy;
