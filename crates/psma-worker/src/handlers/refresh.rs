//! `refresh`: one provider into the shared catalog.

use crate::error::JobError;
use crate::handler::JobHandler;
use crate::job_context::JobContext;
use async_trait::async_trait;
use psma_core::catalog::ports::{NoProgress, Progress};
use psma_core::catalog::{REFRESH_JOB, RefreshPayload, Refreshes};
use std::sync::Arc;

/// Runs refresh jobs through the core's [`Refreshes`].
#[derive(Clone)]
pub struct RefreshHandler {
    refreshes: Refreshes,
    progress: Arc<dyn Progress>,
}

impl RefreshHandler {
    /// The handler for `refreshes`, reporting no progress (a worker in the background).
    #[must_use]
    pub fn new(refreshes: Refreshes) -> Self {
        Self::with_progress(refreshes, Arc::new(NoProgress))
    }

    /// The handler for `refreshes`, reporting each run's stages to `progress` (a command
    /// that waits for its refresh on a terminal).
    #[must_use]
    pub fn with_progress(refreshes: Refreshes, progress: Arc<dyn Progress>) -> Self {
        Self {
            refreshes,
            progress,
        }
    }
}

#[async_trait]
impl JobHandler for RefreshHandler {
    fn kind(&self) -> &'static str {
        REFRESH_JOB
    }

    async fn run(&self, ctx: &JobContext, payload: &serde_json::Value) -> Result<(), JobError> {
        let payload: RefreshPayload = serde_json::from_value(payload.clone())
            .map_err(|e| JobError::Permanent(format!("refresh payload: {e}")))?;
        let system = ctx.system.as_ref().ok_or_else(|| {
            JobError::Permanent(
                "a refresh works on the shared catalog: it has no tenant".to_owned(),
            )
        })?;
        let run = self
            .refreshes
            .run(system, &payload.provider, self.progress.as_ref())
            .await?;
        tracing::info!(
            provider = %payload.provider,
            run = %run.id.0,
            outcome = run.outcome.as_str(),
            new = run.counts.new,
            changed = run.counts.changed,
            ended = run.counts.ended,
            rejected = run.counts.rejected,
            "refresh finished"
        );
        Ok(())
    }
}
