//! Redeeming invitations and password reset tokens: each signs the person in.

use super::types::{IssuedTokens, LoginAccount};
use super::usecases::{Origin, Sessions};
use crate::access::Grants;
use crate::accounts::DisplayName;
use crate::accounts::invitations::{AccountToken, Joining, TokenPurpose};
use crate::audit::AuditDraft;
use crate::tenancy::{TenantCtx, UserId};
use crate::tenant_token::TenantToken;
use crate::{Error, Result};
use serde_json::json;

/// The answer to a token that cannot be used, whatever the reason.
const BAD_TOKEN: &str = "the token is invalid, used or expired";

impl Sessions {
    /// Accepts an invitation: creates the user with the invitation's email and roles and
    /// `password`, and signs them in. `display_name` defaults to the email's local part.
    /// Audited (`invitation.accept`, then `auth.login`).
    ///
    /// # Errors
    /// [`Error::Unauthenticated`] for a token that is not a live invitation;
    /// [`Error::Validation`] naming `password` (too short, too long or too common) or
    /// `display_name`; [`Error::Conflict`] when a
    /// live user already has the email.
    pub async fn accept_invitation(
        &self,
        token: &str,
        password: String,
        display_name: Option<String>,
        origin: &Origin,
    ) -> Result<IssuedTokens> {
        let invitation = self.live_token(token, TokenPurpose::Invitation).await?;
        let password = self.new_password(password, "password")?;
        let name = match display_name {
            Some(name) => DisplayName::parse(&name)?,
            None => DisplayName::parse(invitation.email.split('@').next().unwrap_or("Member"))
                .or_else(|_| DisplayName::parse("Member"))?,
        };
        let hash = self.hasher.hash(&password).await?;
        let user_id = UserId::generate();
        let ctx = TenantCtx::establish(
            invitation.tenant_id,
            Some(user_id),
            invitation.roles.clone(),
            Grants::none(),
        );
        let now = self.clock.now();
        let audit = AuditDraft::new(&ctx, "invitation.accept", "invitation", invitation.id, now)
            .with_change(
                None,
                Some(json!({"user_id": user_id, "email": invitation.email,
                    "roles": invitation.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>()})),
            )
            .with_request_id(origin.request_id.clone());
        let joining = Joining {
            user_id,
            display_name: name,
        };
        self.account_tokens
            .join(&ctx, invitation.id, now, &joining, &hash, audit)
            .await?;
        let account = LoginAccount {
            tenant_id: invitation.tenant_id,
            user_id,
            roles: invitation.roles,
            password_hash: Some(hash),
            failed_logins: 0,
            locked_until: None,
            disabled: false,
        };
        self.start(&ctx, &account, "invitation", origin).await
    }

    /// Redeems a password reset token: sets the password, signs out every other session of the
    /// user, and signs them in. Audited (`password_reset.redeem`, then `auth.login`).
    ///
    /// # Errors
    /// [`Error::Unauthenticated`] for a token that is not a live password reset, or whose user
    /// is gone or disabled; [`Error::Validation`] naming `password` (too short, too long or too
    /// common).
    pub async fn reset_password(
        &self,
        token: &str,
        password: String,
        origin: &Origin,
    ) -> Result<IssuedTokens> {
        let reset = self.live_token(token, TokenPurpose::PasswordReset).await?;
        let password = self.new_password(password, "password")?;
        let user = reset
            .user_id
            .ok_or_else(|| Error::internal("a password reset without its user"))?;
        let hash = self.hasher.hash(&password).await?;
        let ctx = TenantCtx::establish(reset.tenant_id, Some(user), Vec::new(), Grants::none());
        let now = self.clock.now();
        let audit = AuditDraft::new(&ctx, "password_reset.redeem", "user", user, now)
            .with_request_id(origin.request_id.clone());
        self.account_tokens
            .reset(&ctx, reset.id, now, &hash, audit)
            .await?;
        let account = self
            .store
            .account(&ctx, user)
            .await?
            .filter(|a| !a.disabled)
            .ok_or_else(|| Error::Unauthenticated(BAD_TOKEN.to_owned()))?;
        self.start(&ctx, &account, "password_reset", origin).await
    }

    /// The unused, unexpired token of `purpose` that `text` is, looked up in its own tenant only.
    async fn live_token(&self, text: &str, purpose: TokenPurpose) -> Result<AccountToken> {
        let refuse = || Error::Unauthenticated(BAD_TOKEN.to_owned());
        let token = TenantToken::parse(text).ok_or_else(refuse)?;
        // No user and no roles: enough to read this tenant's tokens, nothing else.
        let lookup = TenantCtx::establish(token.tenant_id(), None, Vec::new(), Grants::none());
        let found = self
            .account_tokens
            .find(&lookup, &token.hash())
            .await?
            .filter(|t| {
                t.purpose == purpose
                    && t.used_at.is_none()
                    && t.expires_at > self.clock.now()
                    && t.tenant_id == token.tenant_id()
            })
            .ok_or_else(refuse)?;
        Ok(found)
    }
}
