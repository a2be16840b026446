//! # psma-plugin-sdk — what a provider plugin needs, and nothing else
//!
//! Will hold the `Provider` port (describe, check config, fetch facts with provenance), the
//! canonical fact types, helpers and the conformance test kit that third-party plugins run.
//! Empty until the providers issue; it exists now so the workspace has its final shape.
//!
//! **Invariants:** depends on no PSMA crate and no adapter framework (actix, sea-orm, sqlx,
//! reqwest); a plugin crate depends on this crate alone (checked by `cargo xtask tidy`).
