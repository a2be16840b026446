//! Handing out invitations and password reset tokens.

use super::ports::AccountTokens;
use super::types::{
    EmailAddress, INVITATION_TTL, IssuedAccountToken, NewAccountToken, RESET_TTL, TokenPurpose,
};
use crate::access::Permission;
use crate::accounts::UserRepo;
use crate::accounts::roles::Roles;
use crate::audit::AuditDraft;
use crate::ports::{Clock, Entropy};
use crate::tenancy::{Role, TenantCtx, UserId};
use crate::tenant_token::TenantToken;
use crate::{Error, Result};
use serde_json::json;
use std::sync::Arc;
use uuid::Uuid;

/// Invitations and password resets, handed out.
#[derive(Clone)]
pub struct Invitations {
    tokens: Arc<dyn AccountTokens>,
    users: Arc<dyn UserRepo>,
    roles: Roles,
    clock: Arc<dyn Clock>,
    entropy: Arc<dyn Entropy>,
}

impl Invitations {
    /// Wires the use cases to their ports.
    #[must_use]
    pub fn new(
        tokens: Arc<dyn AccountTokens>,
        users: Arc<dyn UserRepo>,
        roles: Roles,
        clock: Arc<dyn Clock>,
        entropy: Arc<dyn Entropy>,
    ) -> Self {
        Self {
            tokens,
            users,
            roles,
            clock,
            entropy,
        }
    }

    /// Invites `email` to the caller's tenant with `roles` (`member` when empty). The token is
    /// returned once; only its hash is kept. A newer invitation to the same email replaces an
    /// unused older one. Audited (`invitation.create`, without the token).
    ///
    /// # Errors
    /// [`Error::Forbidden`] without `members:write`, or for roles the caller may not hand out
    /// (`Roles::check_assignable`); [`Error::Validation`] naming `email` or `roles`; [`Error::Conflict`] when a
    /// member of the tenant has that email.
    pub async fn invite(
        &self,
        ctx: &TenantCtx,
        email: &str,
        roles: Vec<Role>,
        request_id: Option<String>,
    ) -> Result<IssuedAccountToken> {
        ctx.require(Permission::MEMBERS_WRITE, "inviting a member")?;
        let email = EmailAddress::parse(email, "email")?;
        let mut roles = if roles.is_empty() {
            vec![Role::MEMBER]
        } else {
            roles
        };
        roles.sort_unstable();
        roles.dedup();
        self.roles.check_assignable(ctx, &roles).await?;
        let issued = self
            .issue(
                ctx,
                TokenPurpose::Invitation,
                email,
                None,
                roles,
                request_id,
            )
            .await?;
        Ok(issued)
    }

    /// A password reset token for `user` of the caller's tenant, to hand to them: redeeming it
    /// sets their password and signs out their sessions. Owners and admins make them for
    /// members (an admin not for an owner), and the operator's CLI for anyone. Nobody makes one
    /// for themselves: a signed-in member changes their password with the current one
    /// (`Sessions::change_password`, ASVS 5.0 V6.2.3), so a stolen access token cannot set a
    /// new password. Audited (`password_reset.create`).
    ///
    /// # Errors
    /// [`Error::Forbidden`] without `members:write`; [`Error::Conflict`] for oneself;
    /// [`Error::NotFound`] for no such live user.
    pub async fn password_reset(
        &self,
        ctx: &TenantCtx,
        user: UserId,
        request_id: Option<String>,
    ) -> Result<IssuedAccountToken> {
        ctx.require(Permission::MEMBERS_WRITE, "resetting a member's password")?;
        if ctx.user_id() == Some(user) {
            return Err(Error::Conflict(
                "change your own password with POST /api/v1/me/password, which asks for the \
                 current one"
                    .to_owned(),
            ));
        }
        let target = self.users.get(ctx, user).await?;
        if target.roles.contains(&Role::OWNER) {
            ctx.require_role(&[Role::OWNER], "resetting an owner's password")?;
        }
        let email = EmailAddress::parse(&target.email, "email").map_err(Error::internal)?;
        self.issue(
            ctx,
            TokenPurpose::PasswordReset,
            email,
            Some(user),
            Vec::new(),
            request_id,
        )
        .await
    }

    async fn issue(
        &self,
        ctx: &TenantCtx,
        purpose: TokenPurpose,
        email: EmailAddress,
        user_id: Option<UserId>,
        roles: Vec<Role>,
        request_id: Option<String>,
    ) -> Result<IssuedAccountToken> {
        let token = TenantToken::generate(ctx.tenant_id(), self.entropy.as_ref())?;
        let now = self.clock.now();
        let ttl = match purpose {
            TokenPurpose::Invitation => INVITATION_TTL,
            TokenPurpose::PasswordReset => RESET_TTL,
        };
        let new = NewAccountToken {
            id: Uuid::now_v7(),
            purpose,
            hash: token.hash(),
            email: email.clone(),
            user_id,
            roles,
            created_by: ctx.user_id(),
            created_at: now,
            expires_at: now + ttl,
        };
        let action = match purpose {
            TokenPurpose::Invitation => "invitation.create",
            TokenPurpose::PasswordReset => "password_reset.create",
        };
        let audit = AuditDraft::new(ctx, action, purpose.as_str(), new.id, now)
            .with_change(
                None,
                Some(json!({
                    "email": email.as_str(),
                    "user_id": user_id,
                    "roles": new.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
                    "expires_at": new.expires_at,
                })),
            )
            .with_request_id(request_id);
        self.tokens.create(ctx, &new, audit).await?;
        Ok(IssuedAccountToken {
            id: new.id,
            token,
            purpose,
            email: email.as_str().to_owned(),
            expires_at: new.expires_at,
        })
    }
}
