//! # psma — the binary and the one composition root
//!
//! Reads the TOML configuration, builds the adapters (store, API, auth, worker) and wires them
//! into the core's use cases; exposes the CLI (`serve`, `worker`, `migrate`, `config check`,
//! `openapi`). The library half exists so the test harness runs exactly the wiring `main` runs.
//!
//! **Invariant:** the only crate that names concrete adapters; holds no domain logic.

pub mod app;
pub mod banner;
pub mod catalog;
pub mod cli;
pub mod llm;
pub mod providers;
pub mod settings;
pub mod telemetry;

pub use app::Application;
pub use settings::Settings;
