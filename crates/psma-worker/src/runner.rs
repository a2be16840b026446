use crate::error::JobError;
use crate::handler::HandlerRegistry;
use crate::job_context::JobContext;
use crate::settings::WorkerSettings;
use chrono::Duration;
use psma_core::jobs::JobQueue;
use psma_core::jobs::{Job, JobId};
use psma_core::ports::Clock;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// The longest a failed job waits before its next attempt.
const MAX_BACKOFF_SECS: i64 = 24 * 60 * 60;

/// What one turn of the loop did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing was due.
    Idle,
    /// A job ran and succeeded.
    Succeeded(JobId),
    /// A job failed and will be tried again.
    Retrying(JobId),
    /// A job failed for good.
    Failed(JobId),
}

/// A job runner: claims due jobs and runs their handlers.
pub struct Worker {
    id: String,
    queue: Arc<dyn JobQueue>,
    clock: Arc<dyn Clock>,
    handlers: HandlerRegistry,
    settings: WorkerSettings,
}

impl Worker {
    /// A runner named `id` (shown as the lease owner; unique per process).
    #[must_use]
    pub fn new(
        id: String,
        queue: Arc<dyn JobQueue>,
        clock: Arc<dyn Clock>,
        handlers: HandlerRegistry,
        settings: WorkerSettings,
    ) -> Self {
        Self {
            id,
            queue,
            clock,
            handlers,
            settings,
        }
    }

    /// Claims and runs at most one due job.
    ///
    /// # Errors
    /// When the queue cannot be reached; a failing job is an [`Outcome`], not an error.
    pub async fn run_once(&self) -> psma_core::Result<Outcome> {
        let lease = Duration::seconds(i64::try_from(self.settings.lease_secs).unwrap_or(300));
        let Some(job) = self.queue.claim(&self.id, self.clock.now(), lease).await? else {
            return Ok(Outcome::Idle);
        };
        let span =
            tracing::info_span!("job", job_id = %job.id, kind = %job.kind, attempt = job.attempts);
        let _guard = span.enter();
        let result = match self.handlers.get(&job.kind) {
            Some(handler) => handler.run(&JobContext::for_job(&job), &job.payload).await,
            None => Err(JobError::Permanent(format!(
                "no handler for job kind `{}` (known: {:?})",
                job.kind,
                self.handlers.kinds()
            ))),
        };
        self.settle(&job, result).await
    }

    async fn settle(&self, job: &Job, result: Result<(), JobError>) -> psma_core::Result<Outcome> {
        match result {
            Ok(()) => {
                self.queue.complete(job.id, &self.id).await?;
                tracing::info!("job succeeded");
                Ok(Outcome::Succeeded(job.id))
            }
            Err(JobError::Retryable(msg)) if job.attempts < job.max_attempts => {
                let retry_at = self.clock.now() + self.backoff(job.attempts);
                self.queue
                    .fail(job.id, &self.id, &msg, Some(retry_at))
                    .await?;
                tracing::warn!(error = %msg, %retry_at, "job failed; will retry");
                Ok(Outcome::Retrying(job.id))
            }
            Err(err) => {
                self.queue
                    .fail(job.id, &self.id, &err.to_string(), None)
                    .await?;
                tracing::error!(error = %err, "job failed for good");
                Ok(Outcome::Failed(job.id))
            }
        }
    }

    /// `retry_base_secs × 2^(attempt-1)`, capped at a day.
    fn backoff(&self, attempt: i32) -> Duration {
        let base = i64::try_from(self.settings.retry_base_secs).unwrap_or(MAX_BACKOFF_SECS);
        let exp = u32::try_from(attempt.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
        Duration::seconds(base.saturating_mul(1_i64 << exp).min(MAX_BACKOFF_SECS))
    }

    /// Runs jobs until `stop` is cancelled, then returns after the job in hand is settled.
    pub async fn run_until(self, stop: CancellationToken) {
        let idle = std::time::Duration::from_millis(self.settings.poll_interval_ms.max(10));
        tracing::info!(worker = %self.id, kinds = ?self.handlers.kinds(), "worker started");
        while !stop.is_cancelled() {
            let wait = match self.run_once().await {
                Ok(Outcome::Idle) => idle,
                Ok(_) => std::time::Duration::ZERO,
                Err(err) => {
                    tracing::warn!(error = %err, "worker cannot reach the queue");
                    idle
                }
            };
            tokio::select! {
                () = stop.cancelled() => break,
                () = tokio::time::sleep(wait) => {}
            }
        }
        tracing::info!(worker = %self.id, "worker stopped");
    }
}
