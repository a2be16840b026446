//! `advise`: the rules look at a member's plan again and the adviser words what is new.

use crate::error::JobError;
use crate::handler::JobHandler;
use crate::job_context::JobContext;
use async_trait::async_trait;
use psma_core::advice::jobs::{ADVISE_JOB, AdvisePayload};
use psma_core::advice::usecases::Advising;
use psma_core::jobs::JobQueue;
use std::sync::Arc;

/// Runs advice jobs through the core's [`Advising::run`], as the member the payload names;
/// counts what it raised (`psma_advice_raised_total{rule,adapter}`) and every model answer it
/// could not use (`psma_advice_fallbacks_total{profile,kind}`, logged with the reason).
#[derive(Clone)]
pub struct AdviseHandler {
    advising: Advising,
    queue: Arc<dyn JobQueue>,
}

impl AdviseHandler {
    /// The handler for `advising`; `queue` is the one its jobs come from (to free their keys).
    #[must_use]
    pub fn new(advising: Advising, queue: Arc<dyn JobQueue>) -> Self {
        Self { advising, queue }
    }
}

#[async_trait]
impl JobHandler for AdviseHandler {
    fn kind(&self) -> &'static str {
        ADVISE_JOB
    }

    async fn run(&self, ctx: &JobContext, payload: &serde_json::Value) -> Result<(), JobError> {
        let payload: AdvisePayload = serde_json::from_value(payload.clone())
            .map_err(|e| JobError::Permanent(format!("advise payload: {e}")))?;
        let member = ctx.as_user(payload.user_id).ok_or_else(|| {
            JobError::Permanent("advice is a household's work: it needs a tenant".to_owned())
        })?;
        // A plan kept from now on queues the next run rather than joining this one.
        self.queue.release_unique_key(ctx.job_id).await?;
        let run = self.advising.run(&member).await?;
        for fallback in &run.fallbacks {
            tracing::warn!(
                tenant_id = %member.tenant_id(),
                user_id = %payload.user_id,
                profile = fallback.profile,
                kind = fallback.failure.kind.as_str(),
                detail = %fallback.failure.detail,
                "the language model's advice was not used; the offline wording stands"
            );
            metrics::counter!(
                "psma_advice_fallbacks_total",
                "profile" => fallback.profile,
                "kind" => fallback.failure.kind.as_str()
            )
            .increment(1);
        }
        for item in &run.raised {
            metrics::counter!(
                "psma_advice_raised_total",
                "rule" => item.rule.clone(),
                "adapter" => item.origin.adapter.clone()
            )
            .increment(1);
        }
        tracing::info!(
            tenant_id = %member.tenant_id(),
            user_id = %payload.user_id,
            raised = run.raised.len(),
            expired = run.expired.len(),
            standing = run.standing,
            adapter = self.advising.adapter(),
            "advice run"
        );
        Ok(())
    }
}
