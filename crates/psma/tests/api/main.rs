//! API and storage tests against the real server on a random port, on SQLite and PostgreSQL.
//! One test binary (fast to build); one module per area.

mod support;

mod audit;
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
