//! The plan-changed event: a row the worker writes when a re-plan finishes, read by whoever
//! wants to tell the user (the web UI polls or streams them; issue 10).

use crate::ids::id_type;
use crate::planning::plans::{PlanId, PlanTrigger};
use crate::tenancy::{TenantCtx, UserId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

id_type!(
    /// A plan-changed event. Time-ordered (UUIDv7), so "events after the last one I saw" is a
    /// comparison of ids.
    PlanEventId
);

/// A household member's current plan was replaced by a re-plan in the background.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanChanged {
    /// The event (increasing per user as events are written).
    pub id: PlanEventId,
    /// Whose plan.
    pub user_id: UserId,
    /// The new current plan.
    pub plan_id: PlanId,
    /// The plan it replaced, still readable by its id.
    pub previous_id: Option<PlanId>,
    /// What changed.
    pub trigger: PlanTrigger,
    /// Whether the new plan differs from the previous one in its events, questions, blocked
    /// or covered shows, or totals (`true` when there was none).
    pub changed: bool,
    /// When the re-plan finished.
    pub at: DateTime<Utc>,
}

/// Where plan-changed events are kept: tenant rows like any other, readable by the member
/// they concern.
#[async_trait]
pub trait PlanEvents: Send + Sync {
    /// Records `event` for `ctx`'s user in `ctx`'s tenant.
    ///
    /// # Errors
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    async fn record(&self, ctx: &TenantCtx, event: &PlanChanged) -> crate::Result<()>;

    /// `ctx`'s user's events after `after` (all when `None`), oldest first, at most `limit`.
    ///
    /// # Errors
    /// As [`Self::record`].
    async fn since(
        &self,
        ctx: &TenantCtx,
        after: Option<PlanEventId>,
        limit: u32,
    ) -> crate::Result<Vec<PlanChanged>>;
}
