use super::{Job, JobId, NewJob};
use crate::audit::AuditDraft;
use crate::tenancy::TenantCtx;
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};

/// A durable job queue that several worker processes may claim from at once.
#[async_trait]
pub trait JobQueue: Send + Sync {
    /// Stores a job; it becomes claimable at its `run_at`. When a queued or running job has
    /// the same [`NewJob::unique_key`], nothing is stored and that job's id is returned.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] for an empty kind or fewer than one attempt;
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    async fn enqueue(&self, job: NewJob) -> crate::Result<JobId>;

    /// As [`Self::enqueue`], for a job a person asked for: records `audit` (with the job's id
    /// and whether it was already queued as its `after`) in `ctx`'s tenant's audit log, in the
    /// same transaction.
    ///
    /// # Errors
    /// As [`Self::enqueue`].
    async fn enqueue_audited(
        &self,
        ctx: &TenantCtx,
        job: NewJob,
        audit: AuditDraft,
    ) -> crate::Result<JobId>;

    /// Takes the next due job for `worker` and holds it for `lease`: a queued job whose `run_at`
    /// has come, or a running job whose lease expired (its worker died). Never hands one job to
    /// two workers at once. `None` when nothing is due.
    ///
    /// # Errors
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    async fn claim(
        &self,
        worker: &str,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> crate::Result<Option<Job>>;

    /// Marks a job that `worker` holds as succeeded.
    ///
    /// # Errors
    /// [`crate::Error::Conflict`] when `worker` no longer holds it (its lease lapsed and another
    /// worker took it).
    async fn complete(&self, id: JobId, worker: &str) -> crate::Result<()>;

    /// Records a failed attempt: the job is queued again at `retry_at`, or fails for good when
    /// `retry_at` is `None` or it has no attempts left.
    ///
    /// # Errors
    /// [`crate::Error::Conflict`] when `worker` no longer holds it.
    async fn fail(
        &self,
        id: JobId,
        worker: &str,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> crate::Result<()>;

    /// Frees the unique key of a running job, so that a new job with the key can be queued
    /// while this one runs: for work that must see every change made after it started (a
    /// re-plan frees its key before it reads the profile, so an edit made meanwhile queues
    /// the next re-plan instead of joining one that may have read too early). Nothing for a
    /// job that has no key or is not running.
    ///
    /// # Errors
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    async fn release_unique_key(&self, id: JobId) -> crate::Result<()>;

    /// One job, for status pages and tests.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] when there is no such job.
    async fn get(&self, id: JobId) -> crate::Result<Job>;
}
