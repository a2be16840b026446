//! Refreshing providers into the shared catalog: asked for (queued as durable jobs, one per
//! provider at a time) and run (by the worker's `refresh` handler).

use super::{ConfiguredProvider, Providers, RunHistory};
use crate::access::Permission;
use crate::audit::AuditDraft;
use crate::catalog::ports::Progress;
use crate::catalog::{IngestRun, Ingestion, Pace, Paced, ShowTarget};
use crate::jobs::{JobId, JobQueue, NewJob};
use crate::ports::Clock;
use crate::tenancy::{SystemCtx, TenantCtx};
use crate::{Error, Result};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use psma_plugin_sdk::text::{ExternalNamespace, ExternalValue, SourceId};
use psma_plugin_sdk::{Provider, ScopeKind};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The job kind of a refresh.
pub const REFRESH_JOB: &str = "refresh";

/// Attempts a refresh job gets before it fails for good.
const REFRESH_ATTEMPTS: i32 = 3;

/// What a refresh job carries: only which provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefreshPayload {
    /// The provider's source id.
    pub provider: SourceId,
}

/// A queued refresh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedRefresh {
    /// The provider.
    pub provider: SourceId,
    /// Its job: a new one, or the one already queued or running for it.
    pub job_id: JobId,
}

/// The catalog shows a provider that is read show by show can refresh.
#[async_trait]
pub trait RefreshTargets: Send + Sync {
    /// The shared catalog's shows with an id in `namespace` (the provider's source id), each
    /// with its ids, title and year for the provider to find it by, in show id order.
    ///
    /// # Errors
    /// [`Error::Unavailable`] when the store cannot be reached.
    async fn shows_with_external_id(
        &self,
        system: &SystemCtx,
        namespace: &ExternalNamespace,
    ) -> Result<Vec<ShowTarget>>;

    /// The shared catalog's show with the id `value` in `namespace`, if any.
    ///
    /// # Errors
    /// [`Error::Unavailable`] when the store cannot be reached.
    async fn show_known_as(
        &self,
        system: &SystemCtx,
        namespace: &ExternalNamespace,
        value: &ExternalValue,
    ) -> Result<Option<ShowTarget>>;
}

/// What refreshes are queued on, recorded in, and paced by.
#[derive(Clone)]
pub struct RefreshPorts {
    /// The job queue.
    pub queue: Arc<dyn JobQueue>,
    /// The providers' past runs.
    pub runs: Arc<dyn RunHistory>,
    /// The shows a show-by-show refresh covers.
    pub targets: Arc<dyn RefreshTargets>,
    /// The providers' rate limits.
    pub pace: Arc<dyn Pace>,
    /// "Now".
    pub clock: Arc<dyn Clock>,
}

/// Provider refreshes.
#[derive(Clone)]
pub struct Refreshes {
    providers: Providers,
    pub(super) ingestion: Ingestion,
    queue: Arc<dyn JobQueue>,
    runs: Arc<dyn RunHistory>,
    pub(super) targets: Arc<dyn RefreshTargets>,
    pace: Arc<dyn Pace>,
    clock: Arc<dyn Clock>,
}

impl Refreshes {
    /// Wires the use case.
    #[must_use]
    pub fn new(providers: Providers, ingestion: Ingestion, ports: RefreshPorts) -> Self {
        Self {
            providers,
            ingestion,
            queue: ports.queue,
            runs: ports.runs,
            targets: ports.targets,
            pace: ports.pace,
            clock: ports.clock,
        }
    }

    /// Queues the scheduled refreshes due at `now`: each enabled provider with a
    /// `refresh_every` that has never run, or whose next run
    /// ([`ConfiguredProvider::next_scheduled_run`](super::ConfiguredProvider::next_scheduled_run):
    /// `refresh_every` after its last run, or the back-off after failures) has come.
    /// Not audited (no person asked); a provider with a refresh queued or running gets no
    /// second one.
    ///
    /// # Errors
    /// [`Error::Unavailable`] when the store or the queue cannot be reached.
    pub async fn queue_due(
        &self,
        system: &SystemCtx,
        now: DateTime<Utc>,
    ) -> Result<Vec<QueuedRefresh>> {
        let scheduled: Vec<SourceId> = self
            .providers
            .iter()
            .filter(|entry| entry.next_scheduled_run(None, now).is_some())
            .map(|entry| entry.id().clone())
            .collect();
        if scheduled.is_empty() {
            return Ok(Vec::new());
        }
        let streaks = self.runs.shared_run_streaks(system, &scheduled).await?;
        let mut queued = Vec::new();
        for id in scheduled {
            let next = self
                .providers
                .get(&id)
                .and_then(|entry| entry.next_scheduled_run(streaks.get(&id).copied(), now));
            if next.is_none_or(|at| at > now) {
                continue;
            }
            let job_id = self.queue.enqueue(refresh_job(&id, now)?).await?;
            queued.push(QueuedRefresh {
                provider: id,
                job_id,
            });
        }
        Ok(queued)
    }

    /// Queues a refresh of `provider`, or of every enabled provider when `None`, as `ctx` asks
    /// (audited as `catalog.refresh` in its household's log). A provider that already has a
    /// refresh queued or running gets no second one: its job id is returned.
    ///
    /// # Errors
    /// [`Error::NotFound`] for a provider that is not configured; [`Error::Conflict`] for one
    /// that is disabled; [`Error::Unavailable`] when the queue cannot be reached.
    pub async fn request(
        &self,
        ctx: &TenantCtx,
        provider: Option<&SourceId>,
        request_id: Option<String>,
    ) -> Result<Vec<QueuedRefresh>> {
        ctx.require(Permission::CATALOG_WRITE, "asking for a refresh")?;
        let ids: Vec<SourceId> = match provider {
            Some(id) => {
                self.enabled(id)?;
                vec![id.clone()]
            }
            None => self
                .providers
                .enabled()
                .map(|(p, _)| p.id().clone())
                .collect(),
        };
        let mut queued = Vec::with_capacity(ids.len());
        for id in ids {
            let now = self.clock.now();
            let audit = AuditDraft::new(ctx, "catalog.refresh", "provider", &id, now)
                .with_request_id(request_id.clone());
            let job_id = self
                .queue
                .enqueue_audited(ctx, refresh_job(&id, now)?, audit)
                .await?;
            queued.push(QueuedRefresh {
                provider: id,
                job_id,
            });
        }
        Ok(queued)
    }

    /// Runs a refresh of `provider` into the shared catalog and records the run: a full
    /// snapshot from a provider that can give one, else show by show, every catalog show with
    /// an id for the provider, at its declared rate limit.
    ///
    /// # Errors
    /// [`Error::NotFound`] / [`Error::Conflict`] as [`Self::request`] (the configuration changed
    /// since it was queued); [`Error::Validation`] on `provider` for one that can be read
    /// neither way; [`Error::Unavailable`] when the provider or the store fails (the run is
    /// recorded as failed).
    pub async fn run(
        &self,
        system: &SystemCtx,
        provider: &SourceId,
        progress: &dyn Progress,
    ) -> Result<IngestRun> {
        let (entry, plugin) = self.enabled(provider)?;
        let scopes = &entry.spec().capabilities.scopes;
        if scopes.contains(&ScopeKind::All) {
            return self
                .ingestion
                .refresh(system, plugin.as_ref(), progress)
                .await;
        }
        if !scopes.contains(&ScopeKind::Show) {
            return Err(Error::validation(
                "provider",
                format!("`{provider}` can be read neither as a whole nor show by show"),
            ));
        }
        let namespace = ExternalNamespace::parse(provider.as_str()).map_err(Error::internal)?;
        let targets = self
            .targets
            .shows_with_external_id(system, &namespace)
            .await?;
        self.ingestion
            .refresh_shows(
                system,
                plugin.as_ref(),
                &targets,
                self.paced(entry),
                progress,
            )
            .await
    }
}

impl Refreshes {
    /// The configured provider `id` and its plugin, when it is enabled.
    ///
    /// # Errors
    /// [`Error::NotFound`] for a provider that is not configured; [`Error::Conflict`] for one
    /// that is disabled.
    pub(super) fn enabled(
        &self,
        id: &SourceId,
    ) -> Result<(&ConfiguredProvider, &Arc<dyn Provider>)> {
        let entry = self.providers.get(id).ok_or_else(|| Error::NotFound {
            resource: "provider",
            id: id.to_string(),
        })?;
        let plugin = entry.provider().ok_or_else(|| {
            Error::Conflict(format!(
                "provider `{id}` is disabled; set providers.{id}.enabled = true"
            ))
        })?;
        Ok((entry, plugin))
    }

    /// The pace `entry` is fetched at: its rate limit in force.
    pub(super) fn paced<'a>(&'a self, entry: &ConfiguredProvider) -> Paced<'a> {
        Paced {
            pace: self.pace.as_ref(),
            limit: entry.spec().rate_limit,
        }
    }
}

/// The job of a refresh of `provider`, due at `now`, keyed so that only one is live.
fn refresh_job(provider: &SourceId, now: DateTime<Utc>) -> Result<NewJob> {
    Ok(NewJob {
        kind: REFRESH_JOB.to_owned(),
        tenant_id: None,
        payload: serde_json::to_value(RefreshPayload {
            provider: provider.clone(),
        })
        .map_err(Error::internal)?,
        run_at: now,
        max_attempts: REFRESH_ATTEMPTS,
        unique_key: Some(format!("{REFRESH_JOB}:{provider}")),
    })
}
