//! Reading and managing the household's roles.

use super::ports::RoleStore;
use super::types::{NewRole, RoleChange, RoleDefinition, RoleDescription, parse_permissions};
use crate::access::{Grants, Permission, Role};
use crate::accounts::UserRepo;
use crate::audit::AuditDraft;
use crate::ports::Clock;
use crate::tenancy::TenantCtx;
use crate::{Error, Result};
use serde_json::json;
use std::sync::Arc;

/// The household's roles.
#[derive(Clone)]
pub struct Roles {
    pub(super) store: Arc<dyn RoleStore>,
    pub(super) users: Arc<dyn UserRepo>,
    pub(super) clock: Arc<dyn Clock>,
}

impl Roles {
    /// Wires the use cases to their ports.
    #[must_use]
    pub fn new(store: Arc<dyn RoleStore>, users: Arc<dyn UserRepo>, clock: Arc<dyn Clock>) -> Self {
        Self {
            store,
            users,
            clock,
        }
    }

    /// What `roles` grant together in `ctx`'s tenant: fixed grants for built-in roles, stored
    /// ones for custom roles (a custom role that no longer exists grants nothing). Entry points
    /// call it, with a context of no grants, to establish the caller's context; the store is
    /// asked only when a custom role is among `roles`.
    ///
    /// # Errors
    /// [`Error::Unavailable`] when the store cannot be reached.
    pub async fn grants(&self, ctx: &TenantCtx, roles: &[Role]) -> Result<Grants> {
        let builtin = Role::grants_of(roles);
        let custom: Vec<Role> = roles.iter().filter(|r| !r.is_builtin()).cloned().collect();
        if custom.is_empty() {
            return Ok(builtin);
        }
        let stored = self.store.custom_roles(ctx, Some(&custom)).await?;
        Ok(stored
            .iter()
            .map(|r| r.permissions)
            .fold(builtin, Grants::union))
    }

    /// The household's roles: the system roles, then its custom roles by name.
    ///
    /// # Errors
    /// [`Error::Forbidden`] without `roles:read`.
    pub async fn list(&self, ctx: &TenantCtx) -> Result<Vec<RoleDefinition>> {
        ctx.require(Permission::ROLES_READ, "reading roles")?;
        let mut roles = RoleDefinition::system_roles();
        roles.extend(self.store.custom_roles(ctx, None).await?);
        Ok(roles)
    }

    /// One role of the household.
    ///
    /// # Errors
    /// [`Error::NotFound`] for no such role; as [`Self::list`].
    pub async fn get(&self, ctx: &TenantCtx, name: &str) -> Result<RoleDefinition> {
        ctx.require(Permission::ROLES_READ, "reading roles")?;
        let name = Role::parse(name, "name")?;
        if let Some(system) = RoleDefinition::system_roles()
            .into_iter()
            .find(|r| r.name == name)
        {
            return Ok(system);
        }
        self.store
            .custom_roles(ctx, Some(std::slice::from_ref(&name)))
            .await?
            .pop()
            .ok_or_else(|| no_such_role(&name))
    }

    /// Creates a custom role (audited `role.create`). A caller grants only permissions they
    /// hold themselves.
    ///
    /// # Errors
    /// [`Error::Forbidden`] without `roles:write` or for a permission the caller lacks;
    /// [`Error::Validation`] naming `name`, `description` or `permissions`;
    /// [`Error::Conflict`] for a name taken (by a system role, the platform operator's, or a
    /// custom role).
    pub async fn create(
        &self,
        ctx: &TenantCtx,
        name: &str,
        description: Option<&str>,
        permissions: &[String],
        request_id: Option<String>,
    ) -> Result<RoleDefinition> {
        ctx.require(Permission::ROLES_WRITE, "creating a role")?;
        let role = NewRole {
            name: Role::parse(name, "name")?,
            description: RoleDescription::parse(description.unwrap_or_default())?,
            permissions: parse_permissions(permissions)?,
        };
        if role.name.is_builtin() {
            return Err(Error::Conflict(format!(
                "`{}` is a system role's name",
                role.name
            )));
        }
        may_grant(ctx, role.permissions)?;
        let now = self.clock.now();
        let definition = RoleDefinition {
            name: role.name,
            description: role.description,
            permissions: role.permissions,
            system: false,
            created_at: Some(now),
            updated_at: Some(now),
        };
        let audit = AuditDraft::new(ctx, "role.create", "role", definition.name.as_str(), now)
            .with_change(None, Some(json!(definition)))
            .with_request_id(request_id);
        self.store.create_role(ctx, &definition, audit).await
    }

    /// Changes a custom role's description or permissions (audited `role.update`). Members
    /// holding it get the new permissions with their next request.
    ///
    /// # Errors
    /// [`Error::Conflict`] for a system role; [`Error::NotFound`] for no such custom role;
    /// otherwise as [`Self::create`].
    pub async fn update(
        &self,
        ctx: &TenantCtx,
        name: &str,
        description: Option<&str>,
        permissions: Option<&[String]>,
        request_id: Option<String>,
    ) -> Result<RoleDefinition> {
        ctx.require(Permission::ROLES_WRITE, "changing a role")?;
        let name = builtin_refused(name, "changed")?;
        let change = RoleChange {
            description: description.map(RoleDescription::parse).transpose()?,
            permissions: permissions.map(parse_permissions).transpose()?,
        };
        if let Some(permissions) = change.permissions {
            may_grant(ctx, permissions)?;
        }
        if change == RoleChange::default() {
            return self.get(ctx, name.as_str()).await;
        }
        let audit = AuditDraft::new(ctx, "role.update", "role", name.as_str(), self.clock.now())
            .with_request_id(request_id);
        self.store.update_role(ctx, &name, &change, audit).await
    }

    /// Deletes a custom role that no live member holds (audited `role.delete`).
    ///
    /// # Errors
    /// [`Error::Conflict`] for a system role or one still held; [`Error::NotFound`] for no
    /// such custom role; [`Error::Forbidden`] without `roles:write`.
    pub async fn delete(
        &self,
        ctx: &TenantCtx,
        name: &str,
        request_id: Option<String>,
    ) -> Result<()> {
        ctx.require(Permission::ROLES_WRITE, "deleting a role")?;
        let name = builtin_refused(name, "deleted")?;
        let audit = AuditDraft::new(ctx, "role.delete", "role", name.as_str(), self.clock.now())
            .with_request_id(request_id);
        self.store.delete_role(ctx, &name, audit).await
    }
}

/// A custom role's name, or [`Error::Conflict`] for a built-in one.
fn builtin_refused(name: &str, verb: &str) -> Result<Role> {
    let name = Role::parse(name, "name")?;
    if name.is_builtin() {
        return Err(Error::Conflict(format!(
            "`{name}` is a system role and cannot be {verb}"
        )));
    }
    Ok(name)
}

/// Refuses to hand out a permission the caller does not hold (no escalation through roles).
pub(super) fn may_grant(ctx: &TenantCtx, permissions: Grants) -> Result<()> {
    match permissions.iter().find(|p| !ctx.grants().allows(*p)) {
        Some(missing) => Err(Error::Forbidden(format!(
            "you cannot grant `{missing}`, which you do not hold"
        ))),
        None => Ok(()),
    }
}

pub(super) fn no_such_role(name: &Role) -> Error {
    Error::NotFound {
        resource: "role",
        id: name.to_string(),
    }
}
