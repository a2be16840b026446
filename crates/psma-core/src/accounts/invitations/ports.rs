//! The store of invitations and password reset tokens.

use super::types::{AccountToken, Joining, NewAccountToken};
use crate::accounts::sessions::PasswordHash;
use crate::audit::AuditDraft;
use crate::tenancy::TenantCtx;
use crate::tenant_token::TokenHash;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Invitations and password reset tokens of a tenant.
#[async_trait]
pub trait AccountTokens: Send + Sync {
    /// Stores `token` and appends `audit`; an unused token of the same purpose for the same
    /// email (and user) is used up, so only the newest works.
    ///
    /// # Errors
    /// [`crate::Error::Conflict`] for an invitation to an email a live user of the tenant has.
    async fn create(
        &self,
        ctx: &TenantCtx,
        token: &NewAccountToken,
        audit: AuditDraft,
    ) -> crate::Result<()>;

    /// The token of `ctx`'s tenant whose secret hashes to `hash`.
    ///
    /// # Errors
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    async fn find(&self, ctx: &TenantCtx, hash: &TokenHash) -> crate::Result<Option<AccountToken>>;

    /// Accepts invitation `id`: marks it used (if it still is unused and unexpired at `now`),
    /// creates the user with its email and roles and `password`, and appends `audit` — in
    /// one transaction.
    ///
    /// # Errors
    /// [`crate::Error::Unauthenticated`] when it was used meanwhile or expired;
    /// [`crate::Error::Conflict`] when a live user (of any tenant) has its email.
    async fn join(
        &self,
        ctx: &TenantCtx,
        id: Uuid,
        now: DateTime<Utc>,
        joining: &Joining,
        password: &PasswordHash,
        audit: AuditDraft,
    ) -> crate::Result<()>;

    /// Redeems password reset `id`: marks it used (if still unused and unexpired at `now`),
    /// sets the user's password, clears their failed sign-ins, revokes their refresh tokens,
    /// and appends `audit` — in one transaction.
    ///
    /// # Errors
    /// [`crate::Error::Unauthenticated`] when it was used meanwhile or expired, or the user is
    /// gone.
    async fn reset(
        &self,
        ctx: &TenantCtx,
        id: Uuid,
        now: DateTime<Utc>,
        password: &PasswordHash,
        audit: AuditDraft,
    ) -> crate::Result<()>;
}
