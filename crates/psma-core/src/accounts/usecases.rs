use super::invitations::EmailAddress;
use super::ports::{ProfileChange, TenantProvisioning, UserRepo};
use super::types::{DisplayName, LOCAL_TENANT_ID, LOCAL_USER_ID, NewTenant, NewUser, Tenant, User};
use crate::access::Permission;
use crate::audit::AuditDraft;
use crate::ports::Clock;
use crate::tenancy::{Role, SystemCtx, TenantCtx, UserId};
use std::sync::Arc;

/// The caller as the API shows them: their tenant and their user record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Me {
    /// The caller's tenant.
    pub tenant: Tenant,
    /// The caller.
    pub user: User,
}

/// A caller's change to their own profile, as received (unchecked).
#[derive(Debug, Clone, Default)]
pub struct MePatch {
    /// A new display name, checked by [`DisplayName::parse`].
    pub display_name: Option<String>,
}

/// A validation error of `DisplayName::parse` (on `display_name`) moved to `field`.
fn rename(err: crate::Error, field: &str) -> crate::Error {
    match err {
        crate::Error::Validation { message, .. } => crate::Error::validation(field, message),
        other => other,
    }
}

/// Tenants, users and the caller's own profile.
#[derive(Clone)]
pub struct Accounts {
    tenants: Arc<dyn TenantProvisioning>,
    users: Arc<dyn UserRepo>,
    clock: Arc<dyn Clock>,
}

impl Accounts {
    /// Wires the use cases to their ports.
    #[must_use]
    pub fn new(
        tenants: Arc<dyn TenantProvisioning>,
        users: Arc<dyn UserRepo>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            tenants,
            users,
            clock,
        }
    }

    /// Creates the local installation's tenant and owner if they are missing. Safe to call on
    /// every start.
    ///
    /// # Errors
    /// Whatever [`TenantProvisioning::ensure_tenant`] reports.
    pub async fn ensure_local_tenant(&self) -> crate::Result<Tenant> {
        let tenant = NewTenant {
            id: LOCAL_TENANT_ID,
            name: "Local".to_owned(),
        };
        let owner = NewUser {
            id: LOCAL_USER_ID,
            email: "owner@localhost".to_owned(),
            display_name: DisplayName::parse("Local user")?,
            roles: vec![Role::OWNER],
        };
        self.tenants.ensure_tenant(&tenant, &owner).await
    }

    /// Creates a household with its owner (who has no password yet: hand them a password
    /// reset token, `Invitations::password_reset`). The platform operator's action
    /// (`psma tenant create`); audited `tenant.create` in the new tenant's log.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] naming `name`, `owner_email` or `owner_name`;
    /// [`crate::Error::Conflict`] when an account has that email already.
    pub async fn create_tenant(
        &self,
        name: &str,
        owner_email: &str,
        owner_name: Option<&str>,
    ) -> crate::Result<(Tenant, UserId)> {
        let tenant_name = DisplayName::parse(name).map_err(|e| rename(e, "name"))?;
        let email = EmailAddress::parse(owner_email, "owner_email")?;
        let owner_name = match owner_name {
            Some(n) => DisplayName::parse(n).map_err(|e| rename(e, "owner_name"))?,
            None => DisplayName::parse(email.as_str().split('@').next().unwrap_or("Owner"))
                .or_else(|_| DisplayName::parse("Owner"))?,
        };
        let tenant = NewTenant {
            id: crate::tenancy::TenantId::generate(),
            name: tenant_name.as_str().to_owned(),
        };
        let owner = NewUser {
            id: UserId::generate(),
            email: email.as_str().to_owned(),
            display_name: owner_name,
            roles: vec![Role::OWNER],
        };
        let created = self.tenants.ensure_tenant(&tenant, &owner).await?;
        Ok((created, owner.id))
    }

    /// The caller's tenant and user.
    ///
    /// # Errors
    /// [`crate::Error::Forbidden`] for a context without a user; [`crate::Error::NotFound`] when
    /// the user or tenant no longer exists.
    pub async fn me(&self, ctx: &TenantCtx) -> crate::Result<Me> {
        let user_id = ctx.require_user()?;
        let tenant = self.tenants.tenant(ctx).await?;
        let user = self.users.get(ctx, user_id).await?;
        Ok(Me { tenant, user })
    }

    /// Every live tenant: the platform operator's view.
    ///
    /// # Errors
    /// As [`TenantProvisioning::tenants`].
    pub async fn tenants(&self, system: &SystemCtx) -> crate::Result<Vec<Tenant>> {
        self.tenants.tenants(system).await
    }

    /// The caller's household members, by email (anyone in the household may see them).
    ///
    /// # Errors
    /// As [`UserRepo::list`].
    pub async fn users(&self, ctx: &TenantCtx) -> crate::Result<Vec<User>> {
        ctx.require(Permission::MEMBERS_READ, "listing members")?;
        self.users.list(ctx).await
    }

    /// Disables a member (they cannot sign in; their sessions end at their next refresh) or
    /// enables them again. Owners and admins only; an admin cannot disable an owner, and nobody
    /// disables themselves (a household keeps someone who can manage it). Audited
    /// (`user.disable`, `user.enable`).
    ///
    /// # Errors
    /// [`crate::Error::Forbidden`] without the role; [`crate::Error::Conflict`] for oneself;
    /// [`crate::Error::NotFound`] for no such live member.
    pub async fn set_disabled(
        &self,
        ctx: &TenantCtx,
        user: UserId,
        disabled: bool,
        request_id: Option<String>,
    ) -> crate::Result<User> {
        self.may_manage(ctx, user, "disabling or enabling a member")
            .await?;
        let action = if disabled {
            "user.disable"
        } else {
            "user.enable"
        };
        let audit = AuditDraft::new(ctx, action, "user", user, self.clock.now())
            .with_request_id(request_id);
        self.users.set_disabled(ctx, user, disabled, audit).await
    }

    /// Removes a member (audited `user.delete`): they can no longer sign in and their
    /// sessions end; their shows and plans stay, so an owner or admin can restore them until
    /// the household's trash is purged. Same rules as [`Self::set_disabled`].
    ///
    /// # Errors
    /// As [`Self::set_disabled`].
    pub async fn delete_user(
        &self,
        ctx: &TenantCtx,
        user: UserId,
        request_id: Option<String>,
    ) -> crate::Result<User> {
        self.may_manage(ctx, user, "removing a member").await?;
        let audit = AuditDraft::new(ctx, "user.delete", "user", user, self.clock.now())
            .with_request_id(request_id);
        self.users.set_deleted(ctx, user, true, audit).await
    }

    /// Brings a removed member back as they were (audited `user.restore`); they sign in again
    /// with a password reset.
    ///
    /// # Errors
    /// [`crate::Error::Forbidden`] without `members:write`; [`crate::Error::NotFound`] when no
    /// removed member has that id; [`crate::Error::Conflict`] when a live account took their
    /// email meanwhile.
    pub async fn restore_user(
        &self,
        ctx: &TenantCtx,
        user: UserId,
        request_id: Option<String>,
    ) -> crate::Result<User> {
        ctx.require(Permission::MEMBERS_WRITE, "restoring a member")?;
        let audit = AuditDraft::new(ctx, "user.restore", "user", user, self.clock.now())
            .with_request_id(request_id);
        self.users.set_deleted(ctx, user, false, audit).await
    }

    /// Whether the caller may disable or remove `user`: `members:write`, not themselves, and
    /// only an owner acts on an owner.
    async fn may_manage(&self, ctx: &TenantCtx, user: UserId, action: &str) -> crate::Result<()> {
        ctx.require(Permission::MEMBERS_WRITE, action)?;
        if ctx.user_id() == Some(user) {
            return Err(crate::Error::Conflict(format!(
                "{action}: you cannot do this to yourself"
            )));
        }
        let target = self.users.get(ctx, user).await?;
        if target.roles.contains(&Role::OWNER) {
            ctx.require_role(&[Role::OWNER], "acting on an owner")?;
        }
        Ok(())
    }

    /// Changes the caller's own profile and audits it. A patch that changes nothing writes
    /// nothing.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] naming the field for bad input; otherwise as [`Self::me`].
    pub async fn update_me(
        &self,
        ctx: &TenantCtx,
        patch: MePatch,
        request_id: Option<String>,
    ) -> crate::Result<Me> {
        let user_id = ctx.require_user()?;
        let change = ProfileChange {
            display_name: patch
                .display_name
                .as_deref()
                .map(DisplayName::parse)
                .transpose()?,
        };
        if change == ProfileChange::default() {
            return self.me(ctx).await;
        }
        let audit = AuditDraft::new(
            ctx,
            "user.update_profile",
            "user",
            user_id,
            self.clock.now(),
        )
        .with_request_id(request_id);
        let user = self
            .users
            .update_profile(ctx, user_id, &change, audit)
            .await?;
        let tenant = self.tenants.tenant(ctx).await?;
        Ok(Me { tenant, user })
    }
}
