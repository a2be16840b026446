//! Where calendar feed tokens are kept.

use crate::audit::AuditDraft;
use crate::tenancy::{TenantCtx, UserId};
use crate::tenant_token::TokenHash;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// The calendar feed tokens of `ctx`'s tenant: at most one per user, kept as the hash of its
/// secret only.
#[async_trait]
pub trait CalendarTokenStore: Send + Sync {
    /// Makes `hash` the token of `ctx`'s user, replacing the one they had (which then opens
    /// nothing), with `audit` — its `before` and `after` set to when the replaced token (if
    /// any) and the new one were made, never a hash — in one transaction. Returns whether a
    /// token was replaced.
    ///
    /// # Errors
    /// [`crate::Error::Forbidden`] without a user; [`crate::Error::Unavailable`] when the store
    /// cannot be reached.
    async fn put_calendar_token(
        &self,
        ctx: &TenantCtx,
        hash: TokenHash,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> crate::Result<bool>;

    /// Every token of `ctx`'s tenant, with its user (`ctx` needs no user: this is how a feed
    /// request finds whose feed it is).
    ///
    /// # Errors
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    async fn calendar_tokens(&self, ctx: &TenantCtx) -> crate::Result<Vec<(UserId, TokenHash)>>;
}
