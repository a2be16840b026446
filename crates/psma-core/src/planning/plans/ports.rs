//! Where plans are kept.

use super::types::{PlanId, StoredPlan};
use crate::audit::AuditDraft;
use crate::jobs::NewJob;
use crate::tenancy::TenantCtx;
use async_trait::async_trait;

/// The plans of `ctx`'s user in `ctx`'s tenant; never another user's or tenant's.
#[async_trait]
pub trait PlanStore: Send + Sync {
    /// Keeps `plan` as the user's current plan, with its audit entry and the job that follows
    /// it (when one is given and no live job has its unique key), in one transaction. The
    /// plan must replace the current one: `plan.previous_id` is the id of the user's current
    /// plan at the time of saving (`None` for a first plan), so a user's plans form one chain.
    ///
    /// # Errors
    /// [`crate::Error::Conflict`] when `plan.previous_id` is not (or no longer) the current
    /// plan, or a plan with its id exists; [`crate::Error::Forbidden`] when `plan.user_id` is
    /// not `ctx`'s user; [`crate::Error::Unavailable`] when the store cannot be reached.
    async fn save(
        &self,
        ctx: &TenantCtx,
        plan: &StoredPlan,
        audit: AuditDraft,
        follow_up: Option<NewJob>,
    ) -> crate::Result<()>;

    /// The user's current plan: the one saved last.
    ///
    /// # Errors
    /// As [`Self::save`].
    async fn current(&self, ctx: &TenantCtx) -> crate::Result<Option<StoredPlan>>;

    /// One of the user's plans (`None` when it does not exist or is another user's).
    ///
    /// # Errors
    /// As [`Self::save`].
    async fn get(&self, ctx: &TenantCtx, id: PlanId) -> crate::Result<Option<StoredPlan>>;
}
