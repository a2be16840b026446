//! The refresh schedule: every minute, queue the provider refreshes that are due.
//!
//! Every worker process runs it; several processes queue the same due refresh at once without
//! harm, since a provider has at most one live refresh job (ADR 0014).

use psma_core::catalog::Refreshes;
use psma_core::ports::Clock;
use psma_core::tenancy::SystemCtx;
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// How often the schedule looks for due refreshes. `refresh_every` is hours in practice; a
/// minute late is nothing, and the look is one indexed read per scheduled provider.
pub const SCHEDULE_TICK: Duration = Duration::from_secs(60);

/// The refresh schedule of one worker process.
pub struct RefreshSchedule {
    refreshes: Refreshes,
    clock: Arc<dyn Clock>,
}

impl RefreshSchedule {
    /// The schedule of `refreshes`.
    #[must_use]
    pub fn new(refreshes: Refreshes, clock: Arc<dyn Clock>) -> Self {
        Self { refreshes, clock }
    }

    /// Queues what is due now, then again every [`SCHEDULE_TICK`], until `stop`. A failed look
    /// (the database away) is logged and tried again at the next tick.
    pub async fn run_until(self, stop: CancellationToken) {
        // The schedule is an entry point: system work on the shared catalog, started by time.
        let system = SystemCtx::establish("refresh schedule");
        while !stop.is_cancelled() {
            match self.refreshes.queue_due(&system, self.clock.now()).await {
                Ok(queued) => {
                    for refresh in queued {
                        tracing::info!(provider = %refresh.provider, job = %refresh.job_id, "scheduled refresh queued");
                    }
                }
                Err(err) => {
                    tracing::warn!(error = %err, "the refresh schedule could not look for due refreshes")
                }
            }
            tokio::select! {
                () = stop.cancelled() => break,
                () = tokio::time::sleep(SCHEDULE_TICK) => {}
            }
        }
    }
}
