//! Where advice is kept.

use super::records::{AdviceId, AdviceStatus, StoredAdvice};
use crate::audit::AuditDraft;
use crate::tenancy::{TenantCtx, UserId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::Value;

/// What one advice run changes: items raised, pending items whose situation is gone.
#[derive(Debug, Clone, PartialEq)]
pub struct AdviceChanges {
    /// New items, all pending.
    pub raise: Vec<StoredAdvice>,
    /// Pending items to mark expired.
    pub expire: Vec<AdviceId>,
    /// When.
    pub at: DateTime<Utc>,
}

/// A member's decision on one pending item (or its expiry found at decision time).
#[derive(Debug, Clone, PartialEq)]
pub struct AdviceDecision {
    /// The item.
    pub id: AdviceId,
    /// `confirmed`, `declined`, `answered` or `expired`.
    pub status: AdviceStatus,
    /// Who decided (`None`: it expired).
    pub decided_by: Option<UserId>,
    /// When.
    pub at: DateTime<Utc>,
    /// The answer to a question.
    pub answer: Option<Value>,
}

/// The advice of `ctx`'s user in `ctx`'s tenant; never another user's or tenant's.
#[async_trait]
pub trait AdviceStore: Send + Sync {
    /// The user's advice, newest first, only with `status` when given, at most `limit`.
    ///
    /// # Errors
    /// [`crate::Error::Forbidden`] for a context without a user; [`crate::Error::Unavailable`]
    /// when the store cannot be reached.
    async fn list(
        &self,
        ctx: &TenantCtx,
        status: Option<AdviceStatus>,
        limit: u32,
    ) -> crate::Result<Vec<StoredAdvice>>;

    /// Every item of the user that has not expired: what decides whether a finding is raised
    /// again.
    ///
    /// # Errors
    /// As [`Self::list`].
    async fn standing(&self, ctx: &TenantCtx) -> crate::Result<Vec<StoredAdvice>>;

    /// One of the user's items (`None` when it does not exist or is another user's).
    ///
    /// # Errors
    /// As [`Self::list`].
    async fn get(&self, ctx: &TenantCtx, id: AdviceId) -> crate::Result<Option<StoredAdvice>>;

    /// Applies one run's `changes` with their audit entries in one transaction. An item whose
    /// fingerprint already has a standing (not expired) item is not raised twice; an item
    /// that is no longer pending is not expired.
    ///
    /// # Errors
    /// As [`Self::list`].
    async fn apply(
        &self,
        ctx: &TenantCtx,
        changes: &AdviceChanges,
        audits: Vec<AuditDraft>,
    ) -> crate::Result<()>;

    /// Records `decision` on a pending item with its audit entry, in one transaction.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] when the item is not the user's; [`crate::Error::Conflict`]
    /// when it is no longer pending (decided meanwhile, or expired); as [`Self::list`].
    async fn decide(
        &self,
        ctx: &TenantCtx,
        decision: &AdviceDecision,
        audit: AuditDraft,
    ) -> crate::Result<()>;
}
