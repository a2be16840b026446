//! Running a re-plan and reading its events.

use super::events::{PlanChanged, PlanEventId, PlanEvents};
use crate::access::Permission;
use crate::planning::plans::{PlanTrigger, Plans, StoredPlan};
use crate::ports::Clock;
use crate::tenancy::TenantCtx;
use crate::{Error, Result};
use std::sync::Arc;

/// The most events [`Replans::events`] returns at once.
const MAX_EVENTS: u32 = 100;

/// Re-plans and their events.
#[derive(Clone)]
pub struct Replans {
    plans: Plans,
    events: Arc<dyn PlanEvents>,
    clock: Arc<dyn Clock>,
}

impl Replans {
    /// Wires the use case.
    #[must_use]
    pub fn new(plans: Plans, events: Arc<dyn PlanEvents>, clock: Arc<dyn Clock>) -> Self {
        Self {
            plans,
            events,
            clock,
        }
    }

    /// Plans again for `ctx`'s user because of `trigger` ([`Plans::replan`]: as of the
    /// current plan's day when it is a what-if plan, else the clock's), and when the plan
    /// differs from the current one keeps it (audited as `plan.generate`; the previous one stays
    /// readable) and records and returns the [`PlanChanged`] event. `None`: the plan is the
    /// same, nothing is kept.
    ///
    /// Run by the worker's `replan` handler.
    ///
    /// # Errors
    /// [`Error::Forbidden`] for a context without a user; [`Error::Unavailable`] when a store
    /// cannot be reached.
    pub async fn run(&self, ctx: &TenantCtx, trigger: PlanTrigger) -> Result<Option<PlanChanged>> {
        let Some(stored) = self.plans.replan(ctx, trigger).await? else {
            return Ok(None);
        };
        let changed = match stored.previous_id {
            None => true,
            Some(previous) => match self.plans.get(ctx, previous).await {
                Ok(previous) => differs(&previous, &stored),
                Err(Error::NotFound { .. }) => true,
                Err(other) => return Err(other),
            },
        };
        let event = PlanChanged {
            id: PlanEventId::generate(),
            user_id: stored.user_id,
            plan_id: stored.id,
            previous_id: stored.previous_id,
            trigger,
            changed,
            at: self.clock.now(),
        };
        self.events.record(ctx, &event).await?;
        Ok(Some(event))
    }

    /// The caller's plan-changed events after `after` (all when `None`), oldest first, at most
    /// 100.
    ///
    /// # Errors
    /// [`Error::Forbidden`] without a user; [`Error::Unavailable`] when the store cannot be
    /// reached.
    pub async fn events(
        &self,
        ctx: &TenantCtx,
        after: Option<PlanEventId>,
    ) -> Result<Vec<PlanChanged>> {
        ctx.require(Permission::PLANS_READ, "reading plan events")?;
        ctx.require_user()?;
        self.events.since(ctx, after, MAX_EVENTS).await
    }
}

/// Whether `new` tells the user something `old` did not.
fn differs(old: &StoredPlan, new: &StoredPlan) -> bool {
    let (a, b) = (&old.plan, &new.plan);
    a.events != b.events
        || a.questions != b.questions
        || a.blocked != b.blocked
        || a.covered != b.covered
        || a.totals != b.totals
}
