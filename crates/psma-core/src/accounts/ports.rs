use super::types::{DisplayName, NewTenant, NewUser, Tenant, User};
use crate::audit::AuditDraft;
use crate::tenancy::{SystemCtx, TenantCtx, UserId};
use async_trait::async_trait;

/// Creating tenants and their first user: platform-level work, not scoped to a caller's tenant.
#[async_trait]
pub trait TenantProvisioning: Send + Sync {
    /// Creates the tenant and its owner unless a tenant with that id exists; either way returns
    /// the stored tenant. Idempotent, so every start of local mode may call it.
    ///
    /// # Errors
    /// [`crate::Error::Conflict`] when the owner's email is taken in that tenant by another user;
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    async fn ensure_tenant(&self, tenant: &NewTenant, owner: &NewUser) -> crate::Result<Tenant>;

    /// Every live tenant, by name then id: the platform operator's view (`psma tenant list`).
    ///
    /// # Errors
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    async fn tenants(&self, system: &SystemCtx) -> crate::Result<Vec<Tenant>>;

    /// The caller's own tenant.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] when it does not exist (or is not visible to `ctx`).
    async fn tenant(&self, ctx: &TenantCtx) -> crate::Result<Tenant>;
}

/// A change to a user's own profile. `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileChange {
    /// The new display name.
    pub display_name: Option<DisplayName>,
}

/// Users of the caller's tenant.
#[async_trait]
pub trait UserRepo: Send + Sync {
    /// One live user of `ctx`'s tenant.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] when no live user has that id in that tenant.
    async fn get(&self, ctx: &TenantCtx, id: UserId) -> crate::Result<User>;

    /// The live users of `ctx`'s tenant, by email.
    ///
    /// # Errors
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    async fn list(&self, ctx: &TenantCtx) -> crate::Result<Vec<User>>;

    /// Disables `id` (it can no longer sign in, and its refresh tokens are revoked) or enables
    /// it again, and appends `audit` (before/after filled in by the store), in one transaction.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] when the user is not a live user of `ctx`'s tenant.
    async fn set_disabled(
        &self,
        ctx: &TenantCtx,
        id: UserId,
        disabled: bool,
        audit: AuditDraft,
    ) -> crate::Result<User>;

    /// Removes a live member (soft delete: they cannot sign in and their sessions are revoked;
    /// their data stays until purged) or restores a removed one, and appends `audit`
    /// (before/after filled in), in one transaction.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] when `ctx`'s tenant has no such user in the state to change
    /// (live to remove, removed to restore); [`crate::Error::Conflict`] when restoring would
    /// repeat the email of a live account.
    async fn set_deleted(
        &self,
        ctx: &TenantCtx,
        id: UserId,
        deleted: bool,
        audit: AuditDraft,
    ) -> crate::Result<User>;

    /// Applies `change` and appends `audit` (its `before`/`after` are filled in by the store from
    /// what it read and wrote) in one transaction: both are written or neither is.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] when the user is not a live user of `ctx`'s tenant.
    async fn update_profile(
        &self,
        ctx: &TenantCtx,
        id: UserId,
        change: &ProfileChange,
        audit: AuditDraft,
    ) -> crate::Result<User>;
}
