use super::ports::{ProfileChange, TenantProvisioning, UserRepo};
use super::types::{DisplayName, LOCAL_TENANT_ID, LOCAL_USER_ID, NewTenant, NewUser, Tenant, User};
use crate::audit::AuditDraft;
use crate::ports::Clock;
use crate::tenancy::{Role, TenantCtx};
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
            roles: vec![Role::Owner],
        };
        self.tenants.ensure_tenant(&tenant, &owner).await
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
