//! `replan`: a household member's plan made again after a change to what it is made from.

use crate::error::JobError;
use crate::handler::JobHandler;
use crate::job_context::JobContext;
use async_trait::async_trait;
use psma_core::advice::jobs::advise_job;
use psma_core::jobs::JobQueue;
use psma_core::planning::replan::{REPLAN_JOB, ReplanPayload, Replans};
use psma_core::ports::Clock;
use std::sync::Arc;

/// Runs re-plan jobs through the core's [`Replans`]: as the member the payload names, in the
/// job's tenant; then counts it (`psma_replans_total{trigger}`) and logs it.
#[derive(Clone)]
pub struct ReplanHandler {
    replans: Replans,
    queue: Arc<dyn JobQueue>,
    clock: Arc<dyn Clock>,
}

impl ReplanHandler {
    /// The handler for `replans`; `queue` is the one its jobs come from (to free their keys,
    /// and to queue advice runs on).
    #[must_use]
    pub fn new(replans: Replans, queue: Arc<dyn JobQueue>, clock: Arc<dyn Clock>) -> Self {
        Self {
            replans,
            queue,
            clock,
        }
    }
}

#[async_trait]
impl JobHandler for ReplanHandler {
    fn kind(&self) -> &'static str {
        REPLAN_JOB
    }

    async fn run(&self, ctx: &JobContext, payload: &serde_json::Value) -> Result<(), JobError> {
        let payload: ReplanPayload = serde_json::from_value(payload.clone())
            .map_err(|e| JobError::Permanent(format!("replan payload: {e}")))?;
        let member = ctx.as_user(payload.user_id).ok_or_else(|| {
            JobError::Permanent("a re-plan is a household's work: it needs a tenant".to_owned())
        })?;
        // Before anything is read: a change made from now on queues the next re-plan rather
        // than joining this one.
        self.queue.release_unique_key(ctx.job_id).await?;
        let event = self.replans.run(&member, payload.trigger).await?;
        metrics::counter!("psma_replans_total", "trigger" => payload.trigger.as_str()).increment(1);
        match event {
            Some(event) => tracing::info!(
                tenant_id = %member.tenant_id(),
                user_id = %payload.user_id,
                trigger = payload.trigger.as_str(),
                plan_id = %event.plan_id,
                previous_id = ?event.previous_id.map(|p| p.to_string()),
                changed = event.changed,
                "plan changed"
            ),
            None => {
                tracing::debug!(
                    tenant_id = %member.tenant_id(),
                    user_id = %payload.user_id,
                    trigger = payload.trigger.as_str(),
                    "re-planned: the plan is the same"
                );
                // A kept plan queues its advice run with it. A change that left the plan alone
                // may still change the advice (a wish the plan does not use yet, a conflict that
                // opened): the run is queued here instead.
                let job = advise_job(member.tenant_id(), payload.user_id, self.clock.now())?;
                self.queue.enqueue(job).await?;
            }
        }
        Ok(())
    }
}
