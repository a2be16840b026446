//! Durable background jobs: what the queue stores and hands to workers.

mod lookup;
mod queue;

pub use lookup::Jobs;
pub use queue::JobQueue;

use crate::tenancy::TenantId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

/// Identifies a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JobId(pub Uuid);

impl std::fmt::Display for JobId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    /// Waiting for `run_at`.
    Queued,
    /// Claimed by a worker whose lease has not expired.
    Running,
    /// Finished.
    Succeeded,
    /// Out of attempts, or failed for good.
    Failed,
}

impl JobStatus {
    /// The stored name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
        }
    }

    /// Parses a stored name.
    ///
    /// # Errors
    /// [`crate::Error::Internal`] for a name no version of PSMA writes.
    pub fn parse(s: &str) -> crate::Result<Self> {
        match s {
            "queued" => Ok(Self::Queued),
            "running" => Ok(Self::Running),
            "succeeded" => Ok(Self::Succeeded),
            "failed" => Ok(Self::Failed),
            other => Err(crate::Error::internal(format!(
                "unknown job status `{other}`"
            ))),
        }
    }
}

/// A job to enqueue.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    /// The handler that runs it (`refresh`, `plan`).
    pub kind: String,
    /// The tenant it acts for; `None` for global work (a catalog refresh).
    pub tenant_id: Option<TenantId>,
    /// Handler input: ids, not copies of tenant data.
    pub payload: Value,
    /// Not before this time.
    pub run_at: DateTime<Utc>,
    /// How many attempts before it fails for good.
    pub max_attempts: i32,
    /// At most one queued or running job has this key: enqueueing another while one does
    /// returns the first (`refresh:tvmaze`). `None`: no such rule.
    pub unique_key: Option<String>,
}

/// A job as the queue holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// Its id.
    pub id: JobId,
    /// Its handler.
    pub kind: String,
    /// The tenant it acts for.
    pub tenant_id: Option<TenantId>,
    /// Handler input.
    pub payload: Value,
    /// Where it is in its life.
    pub status: JobStatus,
    /// Attempts started so far (a claim counts as one).
    pub attempts: i32,
    /// Attempts allowed.
    pub max_attempts: i32,
    /// When it may run next.
    pub run_at: DateTime<Utc>,
    /// The worker holding it while running.
    pub lease_owner: Option<String>,
    /// When that worker's hold lapses and another may take it over.
    pub lease_expires_at: Option<DateTime<Utc>>,
    /// The last failure, for operators.
    pub last_error: Option<String>,
    /// Its unique key, if it has one ([`NewJob::unique_key`]).
    pub unique_key: Option<String>,
}

impl Job {
    /// Whether a worker may claim it at `now`: due and queued, or running on a lapsed lease.
    #[must_use]
    pub fn is_claimable(&self, now: DateTime<Utc>) -> bool {
        match self.status {
            JobStatus::Queued => self.run_at <= now,
            JobStatus::Running => self.lease_expires_at.is_some_and(|at| at < now),
            JobStatus::Succeeded | JobStatus::Failed => false,
        }
    }
}

impl Job {
    /// Where a failed attempt leaves the job: queued again at `retry_at` while it has attempts
    /// left, otherwise failed for good (also when no retry is wanted).
    #[must_use]
    pub fn after_failure(
        &self,
        retry_at: Option<DateTime<Utc>>,
    ) -> (JobStatus, Option<DateTime<Utc>>) {
        match retry_at {
            Some(at) if self.attempts < self.max_attempts => (JobStatus::Queued, Some(at)),
            _ => (JobStatus::Failed, None),
        }
    }
}

/// Checks a job before it is queued.
///
/// # Errors
/// [`crate::Error::Validation`] on `kind` when empty, on `max_attempts` when below 1.
pub fn validate_new_job(job: &NewJob) -> crate::Result<()> {
    if job.kind.trim().is_empty() {
        return Err(crate::Error::validation("kind", "must not be empty"));
    }
    if job.max_attempts < 1 {
        return Err(crate::Error::validation(
            "max_attempts",
            "must be at least 1",
        ));
    }
    Ok(())
}
