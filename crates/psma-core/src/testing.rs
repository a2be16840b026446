//! In-memory fakes of the ports, for tests of the core and of code that drives it. They keep
//! the documented contracts (tenant confinement, atomic audit) so tests of callers mean something.

use crate::accounts::{
    NewTenant, NewUser, ProfileChange, Tenant, TenantProvisioning, User, UserRepo,
};
use crate::audit::AuditQuery;
use crate::audit::{AuditDraft, AuditEntry, AuditLog, GENESIS_HASH};
use crate::jobs::{Job, JobId, JobQueue, JobStatus, NewJob};
use crate::tenancy::{SystemCtx, TenantCtx, TenantId, UserId};
use crate::{Error, Result};
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

pub use psma_plugin_sdk::testkit::FixedClock;

pub mod plan_world;

/// Tenants, users and audit entries in memory.
#[derive(Debug, Default)]
pub struct InMemoryAccounts {
    state: Mutex<AccountsState>,
}

#[derive(Debug, Default)]
struct AccountsState {
    tenants: BTreeMap<TenantId, Tenant>,
    users: BTreeMap<UserId, User>,
    /// Soft-deleted users, kept for restoring.
    removed: BTreeMap<UserId, User>,
    audit: BTreeMap<TenantId, Vec<AuditEntry>>,
}

#[async_trait]
impl TenantProvisioning for InMemoryAccounts {
    async fn ensure_tenant(&self, tenant: &NewTenant, owner: &NewUser) -> Result<Tenant> {
        let mut state = lock(&self.state);
        if let Some(existing) = state.tenants.get(&tenant.id) {
            return Ok(existing.clone());
        }
        let now = Utc::now();
        let stored = Tenant {
            id: tenant.id,
            name: tenant.name.clone(),
            created_at: now,
        };
        let mut roles = owner.roles.clone();
        roles.sort_unstable();
        state.tenants.insert(tenant.id, stored.clone());
        state.users.insert(
            owner.id,
            User {
                id: owner.id,
                tenant_id: tenant.id,
                email: owner.email.clone(),
                display_name: owner.display_name.clone(),
                roles,
                created_at: now,
                updated_at: now,
                disabled: false,
            },
        );
        Ok(stored)
    }

    async fn tenants(&self, _system: &SystemCtx) -> Result<Vec<Tenant>> {
        let mut all: Vec<Tenant> = lock(&self.state).tenants.values().cloned().collect();
        all.sort_by(|a, b| (&a.name, a.id).cmp(&(&b.name, b.id)));
        Ok(all)
    }

    async fn tenant(&self, ctx: &TenantCtx) -> Result<Tenant> {
        lock(&self.state)
            .tenants
            .get(&ctx.tenant_id())
            .cloned()
            .ok_or_else(|| Error::NotFound {
                resource: "tenant",
                id: ctx.tenant_id().to_string(),
            })
    }
}

/// Appends `audit` with `before` and `after` to `ctx`'s tenant's chain.
fn append(
    state: &mut AccountsState,
    ctx: &TenantCtx,
    audit: AuditDraft,
    before: &User,
    after: &User,
) -> Result<()> {
    let chain = state.audit.entry(ctx.tenant_id()).or_default();
    let prev = chain
        .last()
        .map_or_else(|| GENESIS_HASH.to_owned(), |e| e.hash.clone());
    let seq = i64::try_from(chain.len()).map_err(Error::internal)? + 1;
    let draft = audit.with_change(
        Some(serde_json::to_value(before).map_err(Error::internal)?),
        Some(serde_json::to_value(after).map_err(Error::internal)?),
    );
    chain.push(AuditEntry::chain(ctx.tenant_id(), seq, prev, draft));
    Ok(())
}

#[async_trait]
impl UserRepo for InMemoryAccounts {
    async fn get(&self, ctx: &TenantCtx, id: UserId) -> Result<User> {
        lock(&self.state)
            .users
            .get(&id)
            .filter(|u| u.tenant_id == ctx.tenant_id())
            .cloned()
            .ok_or_else(|| Error::NotFound {
                resource: "user",
                id: id.to_string(),
            })
    }

    async fn list(&self, ctx: &TenantCtx) -> Result<Vec<User>> {
        let mut users: Vec<User> = lock(&self.state)
            .users
            .values()
            .filter(|u| u.tenant_id == ctx.tenant_id())
            .cloned()
            .collect();
        users.sort_by(|a, b| a.email.cmp(&b.email));
        Ok(users)
    }

    async fn set_disabled(
        &self,
        ctx: &TenantCtx,
        id: UserId,
        disabled: bool,
        audit: AuditDraft,
    ) -> Result<User> {
        let mut state = lock(&self.state);
        let user = state
            .users
            .get_mut(&id)
            .filter(|u| u.tenant_id == ctx.tenant_id())
            .ok_or_else(|| Error::NotFound {
                resource: "user",
                id: id.to_string(),
            })?;
        let before = user.clone();
        user.disabled = disabled;
        user.updated_at = audit.at;
        let after = user.clone();
        append(&mut state, ctx, audit, &before, &after)?;
        Ok(after)
    }

    async fn set_deleted(
        &self,
        ctx: &TenantCtx,
        id: UserId,
        deleted: bool,
        audit: AuditDraft,
    ) -> Result<User> {
        let mut state = lock(&self.state);
        let from = if deleted {
            &mut state.users
        } else {
            &mut state.removed
        };
        let user = from
            .remove(&id)
            .filter(|u| u.tenant_id == ctx.tenant_id())
            .ok_or_else(|| Error::NotFound {
                resource: "user",
                id: id.to_string(),
            })?;
        if !deleted
            && state
                .users
                .values()
                .any(|u| u.email.eq_ignore_ascii_case(&user.email))
        {
            state.removed.insert(id, user);
            return Err(Error::Conflict("a live account has this email".to_owned()));
        }
        let mut after = user.clone();
        after.updated_at = audit.at;
        if deleted {
            state.removed.insert(id, after.clone());
        } else {
            state.users.insert(id, after.clone());
        }
        append(&mut state, ctx, audit, &user, &after)?;
        Ok(after)
    }

    async fn update_profile(
        &self,
        ctx: &TenantCtx,
        id: UserId,
        change: &ProfileChange,
        audit: AuditDraft,
    ) -> Result<User> {
        let mut state = lock(&self.state);
        let before = state
            .users
            .get(&id)
            .filter(|u| u.tenant_id == ctx.tenant_id())
            .cloned()
            .ok_or_else(|| Error::NotFound {
                resource: "user",
                id: id.to_string(),
            })?;
        let mut after = before.clone();
        if let Some(name) = &change.display_name {
            after.display_name = name.clone();
        }
        after.updated_at = audit.at;
        append(&mut state, ctx, audit, &before, &after)?;
        state.users.insert(id, after.clone());
        Ok(after)
    }
}

#[async_trait]
impl AuditLog for InMemoryAccounts {
    async fn chain(&self, ctx: &TenantCtx) -> Result<Vec<AuditEntry>> {
        Ok(lock(&self.state)
            .audit
            .get(&ctx.tenant_id())
            .cloned()
            .unwrap_or_default())
    }

    async fn entries(&self, ctx: &TenantCtx, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        let chain = self.chain(ctx).await?;
        let limit = usize::try_from(query.limit).unwrap_or(usize::MAX);
        Ok(chain
            .into_iter()
            .rev()
            .filter(|e| {
                query
                    .resource_type
                    .as_ref()
                    .is_none_or(|r| *r == e.resource_type)
            })
            .filter(|e| {
                query
                    .resource_id
                    .as_ref()
                    .is_none_or(|r| *r == e.resource_id)
            })
            .filter(|e| query.actor.is_none_or(|a| e.actor == Some(a)))
            .filter(|e| query.before_seq.is_none_or(|s| e.seq < s))
            .take(limit)
            .collect())
    }
}

/// A job queue in memory, with the same claim and lease rules as the durable one. Audited
/// enqueues keep their entries per tenant ([`Self::audit`]).
#[derive(Debug, Default)]
pub struct InMemoryJobs {
    jobs: Mutex<BTreeMap<uuid::Uuid, Job>>,
    audit: Mutex<BTreeMap<TenantId, Vec<AuditEntry>>>,
}

impl InMemoryJobs {
    /// The audit entries of `tenant`'s audited enqueues.
    #[must_use]
    pub fn audit(&self, tenant: TenantId) -> Vec<AuditEntry> {
        lock(&self.audit).get(&tenant).cloned().unwrap_or_default()
    }
}

#[async_trait]
impl JobQueue for InMemoryJobs {
    async fn enqueue(&self, job: NewJob) -> Result<JobId> {
        crate::jobs::validate_new_job(&job)?;
        let mut jobs = lock(&self.jobs);
        if let Some(key) = &job.unique_key
            && let Some(live) = jobs.values().find(|j| {
                j.unique_key.as_ref() == Some(key)
                    && matches!(j.status, JobStatus::Queued | JobStatus::Running)
            })
        {
            return Ok(live.id);
        }
        let id = JobId(uuid::Uuid::now_v7());
        jobs.insert(
            id.0,
            Job {
                id,
                kind: job.kind,
                tenant_id: job.tenant_id,
                payload: job.payload,
                status: JobStatus::Queued,
                attempts: 0,
                max_attempts: job.max_attempts,
                run_at: job.run_at,
                lease_owner: None,
                lease_expires_at: None,
                last_error: None,
                unique_key: job.unique_key,
            },
        );
        Ok(id)
    }

    async fn enqueue_audited(
        &self,
        ctx: &TenantCtx,
        job: NewJob,
        audit: AuditDraft,
    ) -> Result<JobId> {
        let before = lock(&self.jobs).len();
        let id = self.enqueue(job).await?;
        let already_queued = lock(&self.jobs).len() == before;
        let mut log = lock(&self.audit);
        let chain = log.entry(ctx.tenant_id()).or_default();
        let prev = chain
            .last()
            .map_or_else(|| GENESIS_HASH.to_owned(), |e| e.hash.clone());
        let seq = i64::try_from(chain.len()).map_err(Error::internal)? + 1;
        let draft = audit.with_change(
            None,
            Some(serde_json::json!({"job_id": id.0, "already_queued": already_queued})),
        );
        chain.push(AuditEntry::chain(ctx.tenant_id(), seq, prev, draft));
        Ok(id)
    }

    async fn claim(
        &self,
        worker: &str,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<Option<Job>> {
        let mut jobs = lock(&self.jobs);
        let next = jobs
            .values_mut()
            .filter(|j| j.is_claimable(now))
            .min_by_key(|j| (j.run_at, j.id.0));
        Ok(next.map(|job| {
            job.status = JobStatus::Running;
            job.attempts += 1;
            job.lease_owner = Some(worker.to_owned());
            job.lease_expires_at = Some(now + lease);
            job.clone()
        }))
    }

    async fn complete(&self, id: JobId, worker: &str) -> Result<()> {
        let mut jobs = lock(&self.jobs);
        let job = held(&mut jobs, id, worker)?;
        job.status = JobStatus::Succeeded;
        job.lease_owner = None;
        job.lease_expires_at = None;
        Ok(())
    }

    async fn fail(
        &self,
        id: JobId,
        worker: &str,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<()> {
        let mut jobs = lock(&self.jobs);
        let job = held(&mut jobs, id, worker)?;
        job.last_error = Some(error.to_owned());
        job.lease_owner = None;
        job.lease_expires_at = None;
        let (status, run_at) = job.after_failure(retry_at);
        job.status = status;
        if let Some(at) = run_at {
            job.run_at = at;
        }
        Ok(())
    }

    async fn release_unique_key(&self, id: JobId) -> Result<()> {
        if let Some(job) = lock(&self.jobs).get_mut(&id.0)
            && job.status == JobStatus::Running
        {
            job.unique_key = None;
        }
        Ok(())
    }

    async fn get(&self, id: JobId) -> Result<Job> {
        lock(&self.jobs)
            .get(&id.0)
            .cloned()
            .ok_or_else(|| Error::NotFound {
                resource: "job",
                id: id.to_string(),
            })
    }
}

fn held<'a>(
    jobs: &'a mut BTreeMap<uuid::Uuid, Job>,
    id: JobId,
    worker: &str,
) -> Result<&'a mut Job> {
    match jobs.get_mut(&id.0) {
        Some(job)
            if job.status == JobStatus::Running && job.lease_owner.as_deref() == Some(worker) =>
        {
            Ok(job)
        }
        Some(_) => Err(Error::Conflict(format!("job {id} is not held by {worker}"))),
        None => Err(Error::NotFound {
            resource: "job",
            id: id.to_string(),
        }),
    }
}

/// A provider that yields the facts it was given, for tests of what drives providers.
#[derive(Debug, Clone)]
pub struct ScriptedProvider {
    spec: psma_plugin_sdk::ProviderSpec,
    facts: Vec<psma_plugin_sdk::Fact>,
}

impl ScriptedProvider {
    /// A provider `id` that refreshes at most every `min_refresh_secs` and yields `facts`.
    ///
    /// # Panics
    /// If `id` is not a valid source id (a test's own mistake).
    #[must_use]
    pub fn new(id: &str, min_refresh_secs: u64, facts: Vec<psma_plugin_sdk::Fact>) -> Self {
        use psma_plugin_sdk::text::{Label, LongText, SourceId, Title};
        use psma_plugin_sdk::{Attribution, Capabilities, FactKind, ProviderSpec, ScopeKind};
        #[expect(clippy::expect_used, reason = "a test's own constant")]
        let spec = ProviderSpec {
            id: SourceId::parse(id).expect("a valid source id"),
            display_name: Title::parse(id).expect("a valid title"),
            version: Label::parse("1.0.0").expect("a valid label"),
            capabilities: Capabilities {
                scopes: vec![ScopeKind::All],
                fact_kinds: vec![FactKind::Availability],
                countries: Vec::new(),
                needs_credentials: false,
                search: false,
            },
            config_schema: serde_json::json!({"type": "object"}),
            attribution: Attribution {
                text: LongText::parse("Scripted data for tests.").expect("a valid text"),
                url: None,
                license: None,
            },
            min_refresh_interval_secs: min_refresh_secs,
            rate_limit: None,
        };
        Self { spec, facts }
    }
}

#[async_trait]
impl psma_plugin_sdk::Provider for ScriptedProvider {
    fn spec(&self) -> &psma_plugin_sdk::ProviderSpec {
        &self.spec
    }

    async fn check(&self) -> std::result::Result<(), psma_plugin_sdk::ProviderError> {
        Ok(())
    }

    fn fetch(&self, _scope: psma_plugin_sdk::Scope) -> psma_plugin_sdk::FactStream<'_> {
        use futures_util::StreamExt;
        futures_util::stream::iter(self.facts.clone().into_iter().map(Ok)).boxed()
    }
}
