//! Where custom roles and role assignments are kept.

use super::types::{RoleChange, RoleDefinition};
use crate::access::Role;
use crate::accounts::User;
use crate::audit::AuditDraft;
use crate::tenancy::{SystemCtx, TenantCtx, UserId};
use async_trait::async_trait;

/// The household's custom roles and its members' roles.
#[async_trait]
pub trait RoleStore: Send + Sync {
    /// The custom roles of `ctx`'s tenant named in `names` (all of them when `names` is
    /// `None`), by name.
    ///
    /// # Errors
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    async fn custom_roles(
        &self,
        ctx: &TenantCtx,
        names: Option<&[Role]>,
    ) -> crate::Result<Vec<RoleDefinition>>;

    /// Creates a custom role and appends `audit`, in one transaction.
    ///
    /// # Errors
    /// [`crate::Error::Conflict`] when the tenant has a role of that name.
    async fn create_role(
        &self,
        ctx: &TenantCtx,
        role: &RoleDefinition,
        audit: AuditDraft,
    ) -> crate::Result<RoleDefinition>;

    /// Applies `change` to a custom role and appends `audit` (before/after filled in by the
    /// store), in one transaction.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] when the tenant has no custom role of that name.
    async fn update_role(
        &self,
        ctx: &TenantCtx,
        name: &Role,
        change: &RoleChange,
        audit: AuditDraft,
    ) -> crate::Result<RoleDefinition>;

    /// Deletes a custom role and appends `audit`, in one transaction.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] when the tenant has no custom role of that name;
    /// [`crate::Error::Conflict`] when a live member still holds it.
    async fn delete_role(
        &self,
        ctx: &TenantCtx,
        name: &Role,
        audit: AuditDraft,
    ) -> crate::Result<()>;

    /// Replaces a live member's household roles with `roles` (keeping a platform-operator role
    /// they hold) and appends `audit` (before/after filled in), in one transaction.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] when the user is not a live member of `ctx`'s tenant;
    /// [`crate::Error::NotFound`] for a custom role the tenant does not have.
    async fn set_user_roles(
        &self,
        ctx: &TenantCtx,
        user: UserId,
        roles: &[Role],
        audit: AuditDraft,
    ) -> crate::Result<User>;

    /// Grants or withdraws the platform-operator role of a live member of `ctx`'s tenant and
    /// appends `audit`, in one transaction. Only the operator's own entry points hold a
    /// [`SystemCtx`].
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] when the user is not a live member of `ctx`'s tenant.
    async fn set_platform_operator(
        &self,
        system: &SystemCtx,
        ctx: &TenantCtx,
        user: UserId,
        operator: bool,
        audit: AuditDraft,
    ) -> crate::Result<User>;
}
