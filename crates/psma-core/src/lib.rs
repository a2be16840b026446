//! # psma-core — the domain, its engines, its use cases and its ports
//!
//! Everything PSMA *means* lives here: the domain types (tenants, users, audit entries, and
//! later shows, facts and plans), the deterministic engines, the use cases that every entry point
//! (HTTP, CLI, worker) calls, and the ports — small traits naming the capabilities the core needs
//! from the outside world (persistence, the job queue, the clock).
//!
//! **Invariant:** this crate depends on no adapter. No actix, sea-orm, sqlx, reqwest or tokio
//! runtime type appears in it; `cargo xtask tidy` (run by `cargo test` and CI) fails if one does.
//! It reads no configuration and no clock of its own: values and `now` come in as arguments.
#![warn(missing_docs)]

pub mod access;
pub mod accounts;
pub mod advice;
pub mod audit;
pub mod catalog;
pub mod error;
pub mod ids;
pub mod jobs;
pub mod planning;
pub mod ports;
pub mod tenancy;
pub mod tenant_token;

#[cfg(feature = "testing")]
pub mod testing;

pub use error::{Error, InputProblem, Result};
