//! # psma-plugin-sdk — what a provider plugin needs, and nothing else
//!
//! A PSMA data source (a *provider*) implements [`Provider`]: it describes itself
//! ([`ProviderSpec`]: id, capabilities, configuration schema, attribution, refresh interval and
//! rate limit), checks that its configuration works, and fetches [`Fact`]s for a [`Scope`] as an
//! async stream. Each fact carries its [`Provenance`] (`source_id`, `retrieved_at`,
//! `confidence`, `source_ref`). Plugins register through a [`ProviderFactory`]; failures are a
//! typed [`ProviderError`]. The [`contract`] module holds the JSON Schemas PSMA validates every
//! fact against; the `testkit` feature adds the conformance suite every plugin runs in its own
//! tests (see `docs/plugins.md`).
//!
//! **Invariants:** depends on no PSMA crate and no adapter framework (actix, sea-orm, sqlx,
//! reqwest); a plugin crate depends on this crate alone among PSMA's (checked by
//! `cargo xtask tidy`). Everything here is data and traits; no I/O.
#![warn(missing_docs)]

pub mod contract;
mod error;
pub mod fact;
mod provider;
pub mod registry;
pub mod secret;
pub mod text;

#[cfg(feature = "testkit")]
pub mod testkit;

pub use error::{ProviderError, ProviderErrorKind};
pub use fact::{
    Availability, ContentHash, Episode, Fact, FactKey, FactKind, Monetization, Price, Provenance,
    ReleasePattern, ServiceBehavior, ShowIdentity, ShowType,
};
pub use provider::{
    Attribution, Capabilities, Clock, FactStream, PluginDeps, Provider, ProviderFactory,
    ProviderSpec, RateLimit, Scope, ScopeKind, ShowQuery, SystemClock,
};
pub use registry::{ServiceCategory, ServiceEntry, ServiceRegistry};

/// Re-exported so a plugin needs no direct dependency for them.
pub use async_trait::async_trait;
pub use chrono;
pub use futures_util;
pub use serde_json;
