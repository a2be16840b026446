//! What the configured providers are and what they last did, for people (`GET
//! /api/v1/providers`, `psma providers`).

use super::{ConfiguredProvider, Providers};
use crate::access::Permission;
use crate::catalog::ports::{Page, PageRequest};
use crate::catalog::{IngestRun, RunId, page_size};
use crate::ports::Clock;
use crate::tenancy::{SystemCtx, TenantCtx};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use psma_plugin_sdk::ShowIdentity;
use psma_plugin_sdk::text::SourceId;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The longest search query.
const MAX_QUERY_CHARS: usize = 200;

/// Where a provider stands after its latest runs into the shared catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunStreak {
    /// When its latest run finished.
    pub last_finished: DateTime<Utc>,
    /// How many of its latest runs failed in a row; 0 when the latest did not fail.
    pub failures_in_a_row: u32,
}

/// A provider's latest run and its streak.
#[derive(Debug, Clone, PartialEq)]
pub struct LatestRun {
    /// The run.
    pub run: IngestRun,
    /// How many runs up to it failed in a row.
    pub failures_in_a_row: u32,
}

/// The record of providers' runs into the shared catalog.
#[async_trait]
pub trait RunHistory: Send + Sync {
    /// The latest run of each of `sources` into the shared catalog, as `ctx` may see them
    /// (every household sees the shared catalog's runs).
    ///
    /// # Errors
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    async fn latest_shared_runs(
        &self,
        ctx: &TenantCtx,
        sources: &[SourceId],
    ) -> crate::Result<BTreeMap<SourceId, LatestRun>>;

    /// The refresh runs into the shared catalog, newest first, of `provider` or of every
    /// source: a page after `page.after` (a run id; run ids grow with time).
    ///
    /// # Errors
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    async fn shared_runs(
        &self,
        ctx: &TenantCtx,
        provider: Option<&SourceId>,
        page: &PageRequest<RunId>,
    ) -> crate::Result<Page<IngestRun, RunId>>;

    /// Where each of `sources` stands after its runs into the shared catalog, for system work
    /// (the refresh schedule); a source that never ran is absent.
    ///
    /// # Errors
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    async fn shared_run_streaks(
        &self,
        system: &SystemCtx,
        sources: &[SourceId],
    ) -> crate::Result<BTreeMap<SourceId, RunStreak>>;
}

/// A provider with its latest run.
#[derive(Debug, Clone)]
pub struct ProviderStatus {
    /// The provider as configured.
    pub provider: ConfiguredProvider,
    /// Its latest run into the shared catalog, if it has run.
    pub last_run: Option<IngestRun>,
    /// How many of its latest runs failed in a row (it is backing off when more than 0).
    pub failures_in_a_row: u32,
    /// When the schedule refreshes it next; `None` when it is not scheduled.
    pub next_run: Option<DateTime<Utc>>,
}

/// The providers and their runs.
#[derive(Clone)]
pub struct ProviderDirectory {
    providers: Providers,
    runs: Arc<dyn RunHistory>,
    clock: Arc<dyn Clock>,
}

impl ProviderDirectory {
    /// Wires the use case to the configured providers, the run record and the clock.
    #[must_use]
    pub fn new(providers: Providers, runs: Arc<dyn RunHistory>, clock: Arc<dyn Clock>) -> Self {
        Self {
            providers,
            runs,
            clock,
        }
    }

    /// The configured providers.
    #[must_use]
    pub fn providers(&self) -> &Providers {
        &self.providers
    }

    /// The refresh runs into the shared catalog, newest first, of `provider` or of every
    /// source (configured now or not): a page of `limit` after the run `after`.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] on `limit` outside 1 to 200;
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    pub async fn runs(
        &self,
        ctx: &TenantCtx,
        provider: Option<&SourceId>,
        after: Option<RunId>,
        limit: u32,
    ) -> crate::Result<Page<IngestRun, RunId>> {
        ctx.require(Permission::CATALOG_READ, "reading refresh runs")?;
        let page = PageRequest {
            after,
            limit: page_size(limit)?,
        };
        self.runs.shared_runs(ctx, provider, &page).await
    }

    /// Shows matching `query` at `provider`, best first, for a person to pick one to add.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] on `q` for an empty or over-long query (1 to 200
    /// characters) or one with control characters; [`crate::Error::NotFound`] for a provider that is not configured;
    /// [`crate::Error::Conflict`] for one that is disabled or cannot search;
    /// [`crate::Error::Unavailable`] when the provider fails.
    pub async fn search(
        &self,
        provider: &SourceId,
        query: &str,
    ) -> crate::Result<Vec<ShowIdentity>> {
        // The same rules as the API's schema states, exactly: C0 controls and DEL refused,
        // 1 to 200 characters. Only spaces find nothing.
        if query.chars().any(|c| c <= '\u{1f}' || c == '\u{7f}') {
            return Err(crate::Error::validation(
                "q",
                "must not contain control characters",
            ));
        }
        if query.is_empty() || query.chars().count() > MAX_QUERY_CHARS {
            return Err(crate::Error::validation(
                "q",
                format!("give 1 to {MAX_QUERY_CHARS} characters of a title"),
            ));
        }
        let entry = self
            .providers
            .get(provider)
            .ok_or_else(|| crate::Error::NotFound {
                resource: "provider",
                id: provider.to_string(),
            })?;
        let Some(plugin) = entry.provider() else {
            return Err(crate::Error::Conflict(format!(
                "provider `{provider}` is disabled; set providers.{provider}.enabled = true"
            )));
        };
        if !entry.spec().capabilities.search {
            return Err(crate::Error::Conflict(format!(
                "provider `{provider}` cannot search"
            )));
        }
        let query = query.trim();
        if query.is_empty() {
            return Ok(Vec::new());
        }
        plugin.search(query).await.map_err(|e| {
            crate::Error::Unavailable(format!("provider `{provider}` could not search: {e}"))
        })
    }

    /// Every configured provider, by id, with its latest run and its next scheduled one.
    ///
    /// # Errors
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    pub async fn list(&self, ctx: &TenantCtx) -> crate::Result<Vec<ProviderStatus>> {
        ctx.require(Permission::CATALOG_READ, "reading providers")?;
        let now = self.clock.now();
        let ids: Vec<SourceId> = self.providers.iter().map(|p| p.id().clone()).collect();
        let mut runs = if ids.is_empty() {
            BTreeMap::new()
        } else {
            self.runs.latest_shared_runs(ctx, &ids).await?
        };
        Ok(self
            .providers
            .iter()
            .map(|provider| {
                let latest = runs.remove(provider.id());
                let streak = latest.as_ref().map(|l| RunStreak {
                    last_finished: l.run.finished_at,
                    failures_in_a_row: l.failures_in_a_row,
                });
                ProviderStatus {
                    next_run: provider.next_scheduled_run(streak, now),
                    failures_in_a_row: latest.as_ref().map_or(0, |l| l.failures_in_a_row),
                    last_run: latest.map(|l| l.run),
                    provider: provider.clone(),
                }
            })
            .collect())
    }
}
