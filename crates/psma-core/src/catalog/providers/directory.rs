//! What the configured providers are and what they last did, for people (`GET
//! /api/v1/providers`, `psma providers`).

use super::{ConfiguredProvider, Providers};
use crate::catalog::ports::{Page, PageRequest};
use crate::catalog::{IngestRun, RunId, page_size};
use crate::ports::Clock;
use crate::tenancy::{SystemCtx, TenantCtx};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use psma_plugin_sdk::text::SourceId;
use std::collections::BTreeMap;
use std::sync::Arc;

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
    ) -> crate::Result<BTreeMap<SourceId, IngestRun>>;

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

    /// When each of `sources` last finished a run into the shared catalog, for system work
    /// (the refresh schedule).
    ///
    /// # Errors
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    async fn last_shared_run_times(
        &self,
        system: &SystemCtx,
        sources: &[SourceId],
    ) -> crate::Result<BTreeMap<SourceId, DateTime<Utc>>>;
}

/// A provider with its latest run.
#[derive(Debug, Clone)]
pub struct ProviderStatus {
    /// The provider as configured.
    pub provider: ConfiguredProvider,
    /// Its latest run into the shared catalog, if it has run.
    pub last_run: Option<IngestRun>,
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
        let page = PageRequest {
            after,
            limit: page_size(limit)?,
        };
        self.runs.shared_runs(ctx, provider, &page).await
    }

    /// Every configured provider, by id, with its latest run and its next scheduled one.
    ///
    /// # Errors
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    pub async fn list(&self, ctx: &TenantCtx) -> crate::Result<Vec<ProviderStatus>> {
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
                let last_run = runs.remove(provider.id());
                ProviderStatus {
                    next_run: provider
                        .next_scheduled_run(last_run.as_ref().map(|r| r.finished_at), now),
                    last_run,
                    provider: provider.clone(),
                }
            })
            .collect())
    }
}
