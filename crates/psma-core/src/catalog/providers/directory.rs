//! What the configured providers are and what they last did, for people (`GET
//! /api/v1/providers`, `psma providers`).

use super::{ConfiguredProvider, Providers};
use crate::catalog::IngestRun;
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
}

/// The providers and their runs.
#[derive(Clone)]
pub struct ProviderDirectory {
    providers: Providers,
    runs: Arc<dyn RunHistory>,
}

impl ProviderDirectory {
    /// Wires the use case to the configured providers and the run record.
    #[must_use]
    pub fn new(providers: Providers, runs: Arc<dyn RunHistory>) -> Self {
        Self { providers, runs }
    }

    /// The configured providers.
    #[must_use]
    pub fn providers(&self) -> &Providers {
        &self.providers
    }

    /// Every configured provider, by id, with its latest run.
    ///
    /// # Errors
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    pub async fn list(&self, ctx: &TenantCtx) -> crate::Result<Vec<ProviderStatus>> {
        let ids: Vec<SourceId> = self.providers.iter().map(|p| p.id().clone()).collect();
        let mut runs = if ids.is_empty() {
            BTreeMap::new()
        } else {
            self.runs.latest_shared_runs(ctx, &ids).await?
        };
        Ok(self
            .providers
            .iter()
            .map(|provider| ProviderStatus {
                last_run: runs.remove(provider.id()),
                provider: provider.clone(),
            })
            .collect())
    }
}
