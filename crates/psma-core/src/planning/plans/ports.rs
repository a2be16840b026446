//! Where plans are kept.

use super::types::{PlanId, StoredPlan};
use crate::audit::AuditDraft;
use crate::tenancy::TenantCtx;
use async_trait::async_trait;

/// The plans of `ctx`'s user in `ctx`'s tenant; never another user's or tenant's.
#[async_trait]
pub trait PlanStore: Send + Sync {
    /// Keeps `plan` as the user's current plan, with its audit entry, in one transaction.
    ///
    /// # Errors
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    async fn save(
        &self,
        ctx: &TenantCtx,
        plan: &StoredPlan,
        audit: AuditDraft,
    ) -> crate::Result<()>;

    /// The user's most recent plan (by `generated_at`, then id).
    ///
    /// # Errors
    /// As [`Self::save`].
    async fn current(&self, ctx: &TenantCtx) -> crate::Result<Option<StoredPlan>>;

    /// One of the user's plans.
    ///
    /// # Errors
    /// As [`Self::save`].
    async fn get(&self, ctx: &TenantCtx, id: PlanId) -> crate::Result<Option<StoredPlan>>;
}
