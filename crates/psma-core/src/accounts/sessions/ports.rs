//! The ports sessions need: a password hasher, a token issuer, and the store of accounts and
//! refresh tokens.

use super::types::{
    LoginAccount, Password, PasswordHash, RefreshRecord, Rotation, TokenClaims, TokenDigest,
    TokenKind,
};
use crate::audit::AuditDraft;
use crate::tenancy::{SystemCtx, TenantCtx, UserId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// Hashing passwords (argon2id in `psma-auth`). Hashing is slow on purpose; implementations
/// run it off the async workers with a bounded concurrency.
#[async_trait]
pub trait PasswordHasher: Send + Sync {
    /// A new hash of `password`, with a fresh salt.
    ///
    /// # Errors
    /// [`crate::Error::Internal`] when hashing fails.
    async fn hash(&self, password: &Password) -> crate::Result<PasswordHash>;

    /// Whether `password` matches `hash`. With `hash` `None` it does the same work against a
    /// fixed hash and answers `false`, so an unknown account takes as long as a wrong password.
    ///
    /// # Errors
    /// [`crate::Error::Internal`] when the stored hash cannot be read.
    async fn verify(&self, password: &Password, hash: Option<&PasswordHash>)
    -> crate::Result<bool>;
}

/// What a chosen password must not be beyond its length: one of the passwords attackers try
/// first (ASVS 5.0 V6.2.4). A list lives in an adapter (`psma-auth`), not in the core.
pub trait PasswordPolicy: Send + Sync {
    /// Whether `password` is among the most common passwords.
    fn is_common(&self, password: &Password) -> bool;
}

/// Signing and checking tokens (JWT in `psma-auth`; checking access tokens is the
/// [`crate::ports::Authenticator`]'s job).
pub trait TokenIssuer: Send + Sync {
    /// A signed token of `kind` saying `claims`.
    ///
    /// # Errors
    /// [`crate::Error::Internal`] when no signing key is configured or signing fails.
    fn issue(&self, kind: TokenKind, claims: &TokenClaims) -> crate::Result<String>;

    /// The claims of a refresh token this server signed and that is still within its time.
    ///
    /// # Errors
    /// [`crate::Error::Unauthenticated`] for anything else: a bad signature, an unknown key, an
    /// algorithm outside the allow-list, an access token, an expired one, a wrong issuer or
    /// audience.
    fn verify_refresh(&self, token: &str) -> crate::Result<TokenClaims>;
}

/// Accounts as sign-in sees them, and refresh tokens.
#[async_trait]
pub trait SessionStore: Send + Sync {
    /// The live account whose email is `email` (compared case-insensitively), in any tenant:
    /// an email signs in to one household.
    ///
    /// # Errors
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    async fn login_account(
        &self,
        system: &SystemCtx,
        email: &str,
    ) -> crate::Result<Option<LoginAccount>>;

    /// The live account of `user` in `ctx`'s tenant.
    ///
    /// # Errors
    /// As [`Self::login_account`].
    async fn account(&self, ctx: &TenantCtx, user: UserId) -> crate::Result<Option<LoginAccount>>;

    /// Sets `user`'s password hash, clears their failed sign-ins, revokes every refresh token
    /// of theirs (a new password ends every session of the old one) and appends `audit`, in one
    /// transaction.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] when `user` is not a live user of `ctx`'s tenant.
    async fn set_password(
        &self,
        ctx: &TenantCtx,
        user: UserId,
        hash: &PasswordHash,
        audit: AuditDraft,
    ) -> crate::Result<()>;

    /// Records a failed sign-in of `user`: `failures` in a row, refused until `locked_until`;
    /// appends `audit` with it.
    ///
    /// # Errors
    /// As [`Self::login_account`].
    async fn record_failure(
        &self,
        ctx: &TenantCtx,
        user: UserId,
        failures: u32,
        locked_until: Option<DateTime<Utc>>,
        audit: AuditDraft,
    ) -> crate::Result<()>;

    /// Starts a session: clears `user`'s failed sign-ins, stores the family's first refresh
    /// token and appends `audit`, in one transaction.
    ///
    /// # Errors
    /// As [`Self::login_account`].
    async fn open_session(
        &self,
        ctx: &TenantCtx,
        first: &RefreshRecord,
        audit: AuditDraft,
    ) -> crate::Result<()>;

    /// Rotates the refresh token whose digest is `presented`: when it is live (not used, not
    /// revoked, not expired at `now`) it is marked used and `next` joins its family
    /// ([`Rotation::Rotated`]); when it was used or revoked, its whole family is revoked and
    /// `reuse_audit` appended ([`Rotation::Reused`]); otherwise [`Rotation::Unknown`]. One
    /// transaction; a token is rotated once even under concurrent requests.
    ///
    /// # Errors
    /// As [`Self::login_account`].
    async fn rotate(
        &self,
        ctx: &TenantCtx,
        presented: &TokenDigest,
        next: &RefreshRecord,
        now: DateTime<Utc>,
        reuse_audit: AuditDraft,
    ) -> crate::Result<Rotation>;

    /// Revokes the family of the token whose digest is `presented` (signing out) and appends
    /// `audit`; `false` when no family knows it.
    ///
    /// # Errors
    /// As [`Self::login_account`].
    async fn end_family(
        &self,
        ctx: &TenantCtx,
        presented: &TokenDigest,
        now: DateTime<Utc>,
        audit: AuditDraft,
    ) -> crate::Result<bool>;
}
