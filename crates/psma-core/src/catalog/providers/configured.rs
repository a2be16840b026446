//! The configured providers: the plugins that feed the shared catalog, each with its schedule.

use super::RunStreak;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use psma_plugin_sdk::text::SourceId;
use psma_plugin_sdk::{Provider, ProviderSpec, RateLimit};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// One configured provider: enabled (built, with its schedule) or disabled (described only).
#[derive(Clone)]
pub struct ConfiguredProvider {
    spec: ProviderSpec,
    provider: Option<Arc<dyn Provider>>,
    refresh_every: Option<Duration>,
}

impl ConfiguredProvider {
    /// An enabled provider, refreshed every `refresh_every` when given (else only on demand).
    ///
    /// # Errors
    /// [`Error::Validation`] on `refresh_every` when it is shorter than the provider's declared
    /// minimum refresh interval.
    pub fn enabled(provider: Arc<dyn Provider>, refresh_every: Option<Duration>) -> Result<Self> {
        let spec = provider.spec().clone();
        if let Some(every) = refresh_every {
            let minimum = Duration::from_secs(spec.min_refresh_interval_secs);
            if every < minimum {
                return Err(Error::validation(
                    "refresh_every",
                    format!(
                        "`{}` refreshes at most every {} s; {} s is too often",
                        spec.id,
                        minimum.as_secs(),
                        every.as_secs()
                    ),
                ));
            }
        }
        Ok(Self {
            spec,
            provider: Some(provider),
            refresh_every,
        })
    }

    /// The same provider paced at `limit` instead of the limit its plugin declares (`None`:
    /// unpaced): an operator with a larger quota (a paid plan, a local mirror) raises it, one
    /// sharing a key lowers it. Listings show the limit in force.
    #[must_use]
    pub fn with_rate_limit(mut self, limit: Option<RateLimit>) -> Self {
        self.spec.rate_limit = limit;
        self
    }

    /// A provider configured but switched off: listed with its description, never run.
    #[must_use]
    pub fn disabled(spec: ProviderSpec) -> Self {
        Self {
            spec,
            provider: None,
            refresh_every: None,
        }
    }

    /// Its source id.
    #[must_use]
    pub fn id(&self) -> &SourceId {
        &self.spec.id
    }

    /// Its description.
    #[must_use]
    pub fn spec(&self) -> &ProviderSpec {
        &self.spec
    }

    /// The provider, when it is enabled.
    #[must_use]
    pub fn provider(&self) -> Option<&Arc<dyn Provider>> {
        self.provider.as_ref()
    }

    /// Whether it runs.
    #[must_use]
    pub fn is_enabled(&self) -> bool {
        self.provider.is_some()
    }

    /// How often it is refreshed on schedule; `None` for on demand only.
    #[must_use]
    pub fn refresh_every(&self) -> Option<Duration> {
        self.refresh_every
    }

    /// When the schedule refreshes it next, given where its runs stand: `refresh_every` after
    /// its last run; after failures in a row, [`backoff`] after the last one instead (sooner
    /// at first, up to a day); `now` when it never ran. `None` when it is disabled or has no
    /// schedule.
    #[must_use]
    pub fn next_scheduled_run(
        &self,
        streak: Option<RunStreak>,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let every = self.refresh_every?;
        if !self.is_enabled() {
            return None;
        }
        let every = chrono::Duration::from_std(every).ok()?;
        Some(match streak {
            None => now,
            Some(s) if s.failures_in_a_row > 0 => s.last_finished + backoff(s.failures_in_a_row),
            Some(s) => s.last_finished + every,
        })
    }
}

/// How long a provider that failed `failures` times in a row waits before the schedule tries
/// it again: 5 minutes, doubling with each failure, at most a day.
#[must_use]
pub fn backoff(failures: u32) -> chrono::Duration {
    let first = chrono::Duration::minutes(5);
    let most = chrono::Duration::days(1);
    let doublings = failures.saturating_sub(1).min(16);
    (first * 2_i32.pow(doublings)).min(most)
}

impl fmt::Debug for ConfiguredProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfiguredProvider")
            .field("id", &self.spec.id)
            .field("enabled", &self.is_enabled())
            .field("refresh_every", &self.refresh_every)
            .finish_non_exhaustive()
    }
}

/// The configured providers, sorted by id; cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Providers {
    entries: Arc<[ConfiguredProvider]>,
}

impl Providers {
    /// The providers in `entries`.
    ///
    /// # Errors
    /// [`Error::Validation`] on `providers` when two have the same source id.
    pub fn new(mut entries: Vec<ConfiguredProvider>) -> Result<Self> {
        entries.sort_by(|a, b| a.id().cmp(b.id()));
        if let Some(pair) = entries.windows(2).find(|pair| pair[0].id() == pair[1].id()) {
            return Err(Error::validation(
                "providers",
                format!("two providers have the source id `{}`", pair[0].id()),
            ));
        }
        Ok(Self {
            entries: entries.into(),
        })
    }

    /// The provider with source id `id`.
    #[must_use]
    pub fn get(&self, id: &SourceId) -> Option<&ConfiguredProvider> {
        self.entries
            .binary_search_by(|entry| entry.id().cmp(id))
            .ok()
            .map(|at| &self.entries[at])
    }

    /// All of them, by id.
    pub fn iter(&self) -> impl Iterator<Item = &ConfiguredProvider> {
        self.entries.iter()
    }

    /// The enabled ones, by id.
    pub fn enabled(&self) -> impl Iterator<Item = (&ConfiguredProvider, &Arc<dyn Provider>)> {
        self.entries
            .iter()
            .filter_map(|entry| entry.provider().map(|provider| (entry, provider)))
    }
}
