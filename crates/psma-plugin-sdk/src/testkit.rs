//! The conformance test kit: every plugin runs it in its own tests.
//!
//! ```no_run
//! # async fn demo(factory: &dyn psma_plugin_sdk::ProviderFactory) {
//! use psma_plugin_sdk::serde_json::json;
//! use psma_plugin_sdk::testkit::Conformance;
//!
//! Conformance::new(factory)
//!     .config(json!({ "path": "tests/fixtures/catalog.json" }))
//!     .bad_config(json!({}), "path")
//!     .run()
//!     .await
//!     .assert_passed();
//! # }
//! ```
//!
//! It checks that the spec is valid, that bad configuration is reported clearly (a
//! [`ProviderError::Config`] naming the key), that every fact validates against the contract
//! and has complete provenance, that fact ids are stable across two runs, and that failures are
//! typed errors rather than panics.

pub mod arbitrary;
mod checks;

use crate::error::{ProviderError, ProviderErrorKind};
use crate::provider::{Clock, PluginDeps, ProviderFactory, Scope};
use crate::registry::ServiceRegistry;
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::Value;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

/// A clock that says what it is told.
#[derive(Debug)]
pub struct FixedClock(Mutex<DateTime<Utc>>);

impl FixedClock {
    /// A clock stopped at `now`.
    #[must_use]
    pub fn at(now: DateTime<Utc>) -> Self {
        Self(Mutex::new(now))
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Dependencies for tests: a clock fixed at 2026-11-22 12:00 UTC and the bundled registry.
///
/// # Panics
/// If the bundled registry does not parse (a test of the SDK rules that out).
#[must_use]
pub fn deps() -> PluginDeps {
    let now = Utc
        .with_ymd_and_hms(2026, 11, 22, 12, 0, 0)
        .single()
        .unwrap_or(DateTime::UNIX_EPOCH);
    #[expect(
        clippy::expect_used,
        reason = "test support; the SDK's own tests cover it"
    )]
    let services = ServiceRegistry::bundled().expect("the bundled registry parses");
    PluginDeps {
        clock: Arc::new(FixedClock::at(now)),
        services: Arc::new(services),
    }
}

/// A configuration the provider should fail with, and the error kind it should give.
#[derive(Debug, Clone)]
pub struct ExpectedFailure {
    /// The configuration (it builds; checking or fetching fails).
    pub config: Value,
    /// The kind of error `check` or a fetch must end with.
    pub kind: ProviderErrorKind,
}

/// The conformance suite for one plugin.
pub struct Conformance<'a> {
    factory: &'a dyn ProviderFactory,
    config: Value,
    bad_configs: Vec<(Value, String)>,
    failures: Vec<ExpectedFailure>,
    deps: PluginDeps,
    scope: Scope,
}

impl<'a> Conformance<'a> {
    /// The suite for `factory`, with [`deps`] and the scope `All`.
    #[must_use]
    pub fn new(factory: &'a dyn ProviderFactory) -> Self {
        Self {
            factory,
            config: Value::Object(serde_json::Map::new()),
            bad_configs: Vec::new(),
            failures: Vec::new(),
            deps: deps(),
            scope: Scope::All,
        }
    }

    /// A configuration that works and yields at least one fact.
    #[must_use]
    pub fn config(mut self, config: Value) -> Self {
        self.config = config;
        self
    }

    /// A configuration the plugin must refuse with [`ProviderError::Config`] naming `field`.
    #[must_use]
    pub fn bad_config(mut self, config: Value, field: &str) -> Self {
        self.bad_configs.push((config, field.to_owned()));
        self
    }

    /// A configuration that builds but whose `check` or fetch must fail with `kind` (a mock
    /// upstream answering 401, say).
    #[must_use]
    pub fn failing_config(mut self, config: Value, kind: ProviderErrorKind) -> Self {
        self.failures.push(ExpectedFailure { config, kind });
        self
    }

    /// Other dependencies than [`deps`].
    #[must_use]
    pub fn deps(mut self, deps: PluginDeps) -> Self {
        self.deps = deps;
        self
    }

    /// The scope to fetch (default `All`).
    #[must_use]
    pub fn scope(mut self, scope: Scope) -> Self {
        self.scope = scope;
        self
    }

    /// Runs every check.
    pub async fn run(self) -> Report {
        checks::run(self).await
    }
}

/// The outcome of one check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckResult {
    /// The check's name (`spec is valid`).
    pub name: &'static str,
    /// Why it failed; `None` when it passed.
    pub failure: Option<String>,
}

/// Every check's outcome.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// In the order they ran.
    pub results: Vec<CheckResult>,
}

impl Report {
    /// The failed checks.
    #[must_use]
    pub fn failures(&self) -> Vec<&CheckResult> {
        self.results
            .iter()
            .filter(|r| r.failure.is_some())
            .collect()
    }

    /// Whether the check called `name` ran and failed.
    #[must_use]
    pub fn failed(&self, name: &str) -> bool {
        self.results
            .iter()
            .any(|r| r.name == name && r.failure.is_some())
    }

    /// Panics listing every failed check, so a plugin's test says all that is wrong at once.
    ///
    /// # Panics
    /// When any check failed.
    pub fn assert_passed(&self) {
        let failures = self.failures();
        assert!(failures.is_empty(), "conformance failed:\n{self}");
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for result in &self.results {
            match &result.failure {
                None => writeln!(f, "  ok    {}", result.name)?,
                Some(why) => writeln!(f, "  FAIL  {}: {why}", result.name)?,
            }
        }
        Ok(())
    }
}

/// Whether `err` is a configuration error on `field`.
pub(crate) fn is_config_error_on(err: &ProviderError, field: &str) -> bool {
    matches!(err, ProviderError::Config { field: f, message } if f == field && !message.trim().is_empty())
}
