//! Signing in, refreshing and signing out.

use super::ports::{PasswordHasher, PasswordPolicy, SessionStore, TokenIssuer};
use super::throttle::LoginThrottle;
use super::types::{
    IssuedTokens, LoginAccount, Password, RefreshRecord, Rotation, SessionSettings, TokenClaims,
    TokenDigest, TokenKind,
};
use crate::access::{Grants, Permission};
use crate::accounts::invitations::AccountTokens;
use crate::audit::AuditDraft;
use crate::ports::Clock;
use crate::tenancy::{SystemCtx, TenantCtx, UserId};
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use serde_json::json;
use std::sync::Arc;
use uuid::Uuid;

/// The one answer to a failed sign-in, whatever failed, so that it tells nobody whether an
/// email has an account (ASVS 5.0 V6.3.8).
const BAD_LOGIN: &str = "the email or the password is wrong";
/// The answer to a refresh token that cannot be used.
const BAD_REFRESH: &str = "the refresh token is invalid, expired or revoked; sign in again";
/// The answer to a wrong current password when changing it.
const BAD_CURRENT: &str = "the current password is wrong";

/// Where a sign-in or refresh came from, for the audit log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// The request's id.
    pub request_id: Option<String>,
    /// The client's address as the server saw it.
    pub client_ip: Option<String>,
}

/// Hosted mode's sessions.
#[derive(Clone)]
pub struct Sessions {
    pub(super) store: Arc<dyn SessionStore>,
    pub(super) account_tokens: Arc<dyn AccountTokens>,
    pub(super) hasher: Arc<dyn PasswordHasher>,
    policy: Arc<dyn PasswordPolicy>,
    issuer: Arc<dyn TokenIssuer>,
    pub(super) clock: Arc<dyn Clock>,
    settings: SessionSettings,
}

/// The ports [`Sessions`] works through.
#[derive(Clone)]
pub struct SessionPorts {
    /// Accounts and refresh tokens.
    pub store: Arc<dyn SessionStore>,
    /// Invitations and password resets.
    pub account_tokens: Arc<dyn AccountTokens>,
    /// Passwords.
    pub hasher: Arc<dyn PasswordHasher>,
    /// What a new password must not be.
    pub policy: Arc<dyn PasswordPolicy>,
    /// Tokens.
    pub issuer: Arc<dyn TokenIssuer>,
    /// The time.
    pub clock: Arc<dyn Clock>,
}

impl Sessions {
    /// Wires the use cases to their ports.
    #[must_use]
    pub fn new(ports: SessionPorts, settings: SessionSettings) -> Self {
        let SessionPorts {
            store,
            account_tokens,
            hasher,
            policy,
            issuer,
            clock,
        } = ports;
        Self {
            store,
            account_tokens,
            hasher,
            policy,
            issuer,
            clock,
            settings,
        }
    }

    /// Signs in with an email and a password: a new token family.
    ///
    /// A wrong password counts against the account ([`LoginThrottle`]); while the account
    /// waits out a back-off or a lockout every attempt is refused unchecked. Every outcome but
    /// a throttled attempt is audited in the account's tenant (`auth.login`,
    /// `auth.login_failed`, `auth.lockout`).
    ///
    /// # Errors
    /// [`Error::Unauthenticated`] for an unknown email, a wrong password, a disabled account or
    /// one without a password (all with the same message); [`Error::Throttled`] while the
    /// account must wait; [`Error::Validation`] naming `password` when it is over long.
    pub async fn login(
        &self,
        email: &str,
        password: String,
        origin: &Origin,
    ) -> Result<IssuedTokens> {
        let password = Password::presented(password, "password")?;
        // The store compares case-insensitively.
        let email = email.trim();
        let account = self
            .store
            .login_account(&SystemCtx::establish("login"), email)
            .await?;
        let now = self.clock.now();
        let Some(account) = account else {
            // The same work as for a real account, so timing does not tell.
            self.hasher.verify(&password, None).await?;
            return Err(Error::Unauthenticated(BAD_LOGIN.to_owned()));
        };
        if let Some(wait) = LoginThrottle::wait(account.locked_until, now) {
            return Err(Error::Throttled {
                reason: "too many failed sign-ins for this account".to_owned(),
                retry_after_secs: wait,
            });
        }
        let usable = !account.disabled && account.password_hash.is_some();
        let hash = account.password_hash.as_ref().filter(|_| usable);
        let matches = self.hasher.verify(&password, hash).await? && usable;
        let ctx = TenantCtx::establish(
            account.tenant_id,
            Some(account.user_id),
            account.roles.clone(),
            Grants::none(),
        );
        if !matches {
            self.failed(&ctx, &account, now, origin).await?;
            return Err(Error::Unauthenticated(BAD_LOGIN.to_owned()));
        }
        self.start(&ctx, &account, "password", origin).await
    }

    /// Starts a new session (token family) of `account`, signed in by `method`.
    pub(super) async fn start(
        &self,
        ctx: &TenantCtx,
        account: &LoginAccount,
        method: &str,
        origin: &Origin,
    ) -> Result<IssuedTokens> {
        let details = json!({"method": method, "client_ip": origin.client_ip});
        self.open(ctx, account, "auth.login", details, origin).await
    }

    /// Starts a new session (token family) of `account`, audited as `action` with `details`:
    /// for sign-ins proven elsewhere in the crate (through an identity provider).
    pub(crate) async fn open(
        &self,
        ctx: &TenantCtx,
        account: &LoginAccount,
        action: &str,
        details: serde_json::Value,
        origin: &Origin,
    ) -> Result<IssuedTokens> {
        let now = self.clock.now();
        let family = Uuid::now_v7();
        let (tokens, record) = self.issue(account, family, now)?;
        let audit = AuditDraft::new(ctx, action, "session", family, now)
            .with_change(None, Some(details))
            .with_request_id(origin.request_id.clone());
        self.store.open_session(ctx, &record, audit).await?;
        Ok(tokens)
    }

    /// Exchanges a refresh token for a new pair (rotation). The presented token can never be
    /// used again; presenting a used one signs out its whole family (someone has a copy) and
    /// is audited as `auth.refresh_reuse`. Roles are read afresh, so a change of roles holds
    /// from the next refresh.
    ///
    /// # Errors
    /// [`Error::Unauthenticated`] for a token that is not a live refresh token of this server,
    /// or whose account is gone or disabled.
    pub async fn refresh(&self, token: &str, origin: &Origin) -> Result<IssuedTokens> {
        let (user, family, ctx) = self.session_of(token)?;
        let now = self.clock.now();
        let presented = TokenDigest::of(token);
        let account = self
            .store
            .account(&ctx, user)
            .await?
            .filter(|a| !a.disabled);
        let Some(account) = account else {
            let audit = self.audit(&ctx, "auth.logout", family, now, origin, "account disabled");
            self.store.end_family(&ctx, &presented, now, audit).await?;
            return Err(Error::Unauthenticated(BAD_REFRESH.to_owned()));
        };
        let (tokens, next) = self.issue(&account, family, now)?;
        let reuse = self.audit(
            &ctx,
            "auth.refresh_reuse",
            family,
            now,
            origin,
            "a used refresh token was presented; every session of this sign-in is revoked",
        );
        match self
            .store
            .rotate(&ctx, &presented, &next, now, reuse)
            .await?
        {
            Rotation::Rotated => Ok(tokens),
            Rotation::Reused | Rotation::Unknown => {
                Err(Error::Unauthenticated(BAD_REFRESH.to_owned()))
            }
        }
    }

    /// Signs out: the refresh token's whole family is revoked (access tokens already handed
    /// out lapse within their lifetime). Signing out twice is not an error.
    ///
    /// # Errors
    /// [`Error::Unauthenticated`] when the token is not a refresh token of this server.
    pub async fn logout(&self, token: &str, origin: &Origin) -> Result<()> {
        let (_, family, ctx) = self.session_of(token)?;
        let now = self.clock.now();
        let audit = self.audit(&ctx, "auth.logout", family, now, origin, "signed out");
        self.store
            .end_family(&ctx, &TokenDigest::of(token), now, audit)
            .await?;
        Ok(())
    }

    /// Sets `user`'s password: their own, or any member's for an owner or an admin. Clears the
    /// account's failed sign-ins (an administrator's way to unlock it) and ends every session
    /// of the account. Audited (`user.set_password`, without the password or its hash).
    ///
    /// # Errors
    /// [`Error::Validation`] naming `password` for one too short, too long or too common;
    /// [`Error::Forbidden`] for someone else's password without the role;
    /// [`Error::NotFound`] when the user is not a live user of the tenant.
    pub async fn set_password(
        &self,
        ctx: &TenantCtx,
        user: UserId,
        password: String,
        request_id: Option<String>,
    ) -> Result<()> {
        if ctx.user_id() != Some(user) {
            ctx.require(
                Permission::MEMBERS_WRITE,
                "setting another member's password",
            )?;
        }
        let password = self.new_password(password, "password")?;
        let hash = self.hasher.hash(&password).await?;
        let audit = AuditDraft::new(ctx, "user.set_password", "user", user, self.clock.now())
            .with_request_id(request_id);
        self.store.set_password(ctx, user, &hash, audit).await
    }

    /// The caller changes their own password, proving the current one (ASVS 5.0 V6.2.2,
    /// V6.2.3). A wrong current password counts against the account as a failed sign-in does
    /// ([`LoginThrottle`], audited `auth.login_failed` or `auth.lockout`), and while the account
    /// waits every attempt is refused unchecked. On success the password is set, every session
    /// of the account is ended, and a new one is started: audited `user.change_password`, then
    /// `auth.login`.
    ///
    /// # Errors
    /// [`Error::Validation`] naming `new_password` for one too short, too long or too common
    /// (or `current_password` when over long); [`Error::Unauthenticated`] for a wrong current
    /// password, or an account gone, disabled or without a password; [`Error::Throttled`] while
    /// the account must wait; [`Error::Forbidden`] for a caller who is not a user.
    pub async fn change_password(
        &self,
        ctx: &TenantCtx,
        current: String,
        new: String,
        origin: &Origin,
    ) -> Result<IssuedTokens> {
        let user = ctx
            .user_id()
            .ok_or_else(|| Error::Forbidden("only a member has a password to change".to_owned()))?;
        let current = Password::presented(current, "current_password")?;
        let new = self.new_password(new, "new_password")?;
        let now = self.clock.now();
        let account = self
            .store
            .account(ctx, user)
            .await?
            .filter(|a| !a.disabled)
            .ok_or_else(|| Error::Unauthenticated(BAD_CURRENT.to_owned()))?;
        if let Some(wait) = LoginThrottle::wait(account.locked_until, now) {
            return Err(Error::Throttled {
                reason: "too many failed sign-ins for this account".to_owned(),
                retry_after_secs: wait,
            });
        }
        let hash = account.password_hash.as_ref();
        let matches = self.hasher.verify(&current, hash).await? && hash.is_some();
        if !matches {
            self.failed(ctx, &account, now, origin).await?;
            return Err(Error::Unauthenticated(BAD_CURRENT.to_owned()));
        }
        let hash = self.hasher.hash(&new).await?;
        let audit = AuditDraft::new(ctx, "user.change_password", "user", user, now)
            .with_change(
                None,
                Some(json!({"sessions_ended": "all", "client_ip": origin.client_ip})),
            )
            .with_request_id(origin.request_id.clone());
        self.store.set_password(ctx, user, &hash, audit).await?;
        let account = LoginAccount {
            password_hash: Some(hash),
            failed_logins: 0,
            locked_until: None,
            ..account
        };
        self.start(ctx, &account, "password_change", origin).await
    }

    /// A new password chosen for `field`: within [`Password`]'s length and not among the most
    /// common passwords (ASVS 5.0 V6.2.4).
    pub(super) fn new_password(&self, raw: String, field: &str) -> Result<Password> {
        let password = Password::new_password(raw, field)?;
        if self.policy.is_common(&password) {
            return Err(Error::validation(
                field,
                "is one of the most common passwords, which attackers try first; choose another",
            ));
        }
        Ok(password)
    }

    /// Counts a failed sign-in against `account`, locking it when the throttle says so.
    async fn failed(
        &self,
        ctx: &TenantCtx,
        account: &LoginAccount,
        now: DateTime<Utc>,
        origin: &Origin,
    ) -> Result<()> {
        let penalty = self
            .settings
            .throttle
            .after_failure(account.failed_logins, now);
        let action = if penalty.lockout {
            "auth.lockout"
        } else {
            "auth.login_failed"
        };
        let audit = AuditDraft::new(ctx, action, "user", account.user_id, now)
            .with_change(
                None,
                Some(json!({
                    "failures": penalty.failures,
                    "locked_until": penalty.locked_until,
                    "client_ip": origin.client_ip,
                })),
            )
            .with_request_id(origin.request_id.clone());
        self.store
            .record_failure(
                ctx,
                account.user_id,
                penalty.failures,
                penalty.locked_until,
                audit,
            )
            .await
    }

    /// A new access and refresh token for `account` in `family`, and the refresh token's record.
    fn issue(
        &self,
        account: &LoginAccount,
        family: Uuid,
        now: DateTime<Utc>,
    ) -> Result<(IssuedTokens, RefreshRecord)> {
        let claims = |kind: TokenKind| TokenClaims {
            user_id: account.user_id,
            tenant_id: account.tenant_id,
            roles: account.roles.clone(),
            id: Uuid::now_v7(),
            family: (kind == TokenKind::Refresh).then_some(family),
            issued_at: now,
            expires_at: now
                + match kind {
                    TokenKind::Access => self.settings.access_ttl,
                    TokenKind::Refresh => self.settings.refresh_ttl,
                },
        };
        let access = claims(TokenKind::Access);
        let refresh = claims(TokenKind::Refresh);
        let refresh_token = self.issuer.issue(TokenKind::Refresh, &refresh)?;
        let record = RefreshRecord {
            id: refresh.id,
            family,
            user_id: account.user_id,
            digest: TokenDigest::of(&refresh_token),
            issued_at: now,
            expires_at: refresh.expires_at,
        };
        let tokens = IssuedTokens {
            issued_at: now,
            access_token: self.issuer.issue(TokenKind::Access, &access)?,
            access_expires_at: access.expires_at,
            refresh_token,
            refresh_expires_at: refresh.expires_at,
        };
        Ok((tokens, record))
    }

    fn audit(
        &self,
        ctx: &TenantCtx,
        action: &str,
        family: Uuid,
        now: DateTime<Utc>,
        origin: &Origin,
        why: &str,
    ) -> AuditDraft {
        AuditDraft::new(ctx, action, "session", family, now)
            .with_change(
                None,
                Some(json!({"reason": why, "client_ip": origin.client_ip})),
            )
            .with_request_id(origin.request_id.clone())
    }
}

impl Sessions {
    /// A verified refresh token's user, its family, and the context of the account it names.
    /// Roles are not taken from the token: the store is asked for the account's current ones
    /// before anything is issued.
    fn session_of(&self, token: &str) -> Result<(UserId, Uuid, TenantCtx)> {
        let claims = self.issuer.verify_refresh(token)?;
        let family = claims
            .family
            .ok_or_else(|| Error::Unauthenticated(BAD_REFRESH.to_owned()))?;
        let ctx = TenantCtx::establish(
            claims.tenant_id,
            Some(claims.user_id),
            Vec::new(),
            Grants::none(),
        );
        Ok((claims.user_id, family, ctx))
    }
}
