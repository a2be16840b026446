//! The tenant boundary: who is acting, for which tenant, with which roles.

use crate::ids::id_type;

id_type!(
    /// Identifies a tenant (a household, or the single local installation).
    TenantId
);
id_type!(
    /// Identifies a user within PSMA (users belong to exactly one tenant).
    UserId
);

pub use crate::access::Role;
use crate::access::{Grants, Permission};

/// Who a caller proved to be: what an [`crate::ports::Authenticator`] returns and an entry
/// point turns into a [`TenantCtx`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The caller's tenant.
    pub tenant_id: TenantId,
    /// The caller.
    pub user_id: UserId,
    /// The caller's roles in that tenant.
    pub roles: Vec<Role>,
}

/// The acting tenant, user and roles for one unit of work.
///
/// Every repository method that touches tenant data takes one. Only the entry points build it:
/// the HTTP request extractor (from the authenticated caller) and the worker's job context (from
/// the job's recorded tenant). `cargo xtask tidy` fails if [`TenantCtx::establish`] is called
/// anywhere else, so a repository or a use case can never invent a tenant to act as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantCtx {
    tenant_id: TenantId,
    user_id: Option<UserId>,
    roles: Vec<Role>,
    grants: Grants,
}

impl TenantCtx {
    /// Builds the context for an authenticated caller (or, with no user, for a system job acting
    /// on the tenant's behalf) holding `roles` and the permissions `grants` (what the roles
    /// grant: [`Role::grants_of`] for built-in roles, plus the stored grants of custom ones).
    /// Reserved for entry points; see the type's documentation.
    #[must_use]
    pub fn establish(
        tenant_id: TenantId,
        user_id: Option<UserId>,
        mut roles: Vec<Role>,
        grants: Grants,
    ) -> Self {
        roles.sort_unstable();
        roles.dedup();
        Self {
            tenant_id,
            user_id,
            roles,
            grants,
        }
    }

    /// The tenant every read and write of this unit of work is confined to.
    #[must_use]
    pub fn tenant_id(&self) -> TenantId {
        self.tenant_id
    }

    /// The acting user; `None` for system work (a scheduled job).
    #[must_use]
    pub fn user_id(&self) -> Option<UserId> {
        self.user_id
    }

    /// The acting user's roles in this tenant, sorted and unique.
    #[must_use]
    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    /// The permissions this context holds.
    #[must_use]
    pub fn grants(&self) -> Grants {
        self.grants
    }

    /// Refuses unless the context holds `permission`; the use cases' one check.
    ///
    /// # Errors
    /// [`crate::Error::Forbidden`] naming `action` and the permission otherwise.
    pub fn require(&self, permission: Permission, action: &str) -> crate::Result<()> {
        if self.grants.allows(permission) {
            Ok(())
        } else {
            Err(crate::Error::Forbidden(format!(
                "{action} needs the permission {permission}"
            )))
        }
    }

    /// Refuses unless the context has one of `allowed` roles: for the rules permissions do not
    /// express (only an owner may act on another owner).
    ///
    /// # Errors
    /// [`crate::Error::Forbidden`] naming `action` otherwise.
    pub fn require_role(&self, allowed: &[Role], action: &str) -> crate::Result<()> {
        if self.roles.iter().any(|r| allowed.contains(r)) {
            Ok(())
        } else {
            Err(crate::Error::Forbidden(format!(
                "{action} needs one of the roles {}",
                allowed
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )))
        }
    }

    /// The acting user, or [`crate::Error::Forbidden`] for system work that tries a user action.
    ///
    /// # Errors
    /// [`crate::Error::Forbidden`] when the context has no user.
    pub fn require_user(&self) -> crate::Result<UserId> {
        self.user_id
            .ok_or_else(|| crate::Error::Forbidden("this action needs a signed-in user".into()))
    }
}

impl TenantCtx {
    /// The system context for shared-catalog work this household asks for in person: adding
    /// a show fetched from a provider. Only the provider's facts are written in it, never
    /// anything the household typed; the request stays the household's (audited in its log).
    ///
    /// # Errors
    /// [`crate::Error::Forbidden`] without `catalog:write`.
    pub fn for_shared_catalog(&self, purpose: &'static str) -> crate::Result<SystemCtx> {
        self.require(Permission::CATALOG_WRITE, purpose)?;
        Ok(SystemCtx { purpose })
    }

    /// The system context for the platform operator's work across households (listing and
    /// creating them), after checking the caller holds `permission` (`tenants:read` or
    /// `tenants:write`, which only the platform-operator role grants).
    ///
    /// # Errors
    /// [`crate::Error::Forbidden`] without `permission`.
    pub fn for_platform(
        &self,
        permission: Permission,
        purpose: &'static str,
    ) -> crate::Result<SystemCtx> {
        self.require(permission, purpose)?;
        Ok(SystemCtx { purpose })
    }
}

/// Acting for the shared catalog instead of a tenant: the only context that may write global
/// (shared) catalog rows. Provider refreshes run in it — the worker's job context for global
/// jobs, and the demo catalog's load at start — never a request's own data. `cargo xtask
/// tidy` fails if [`SystemCtx::establish`] is called anywhere else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemCtx {
    purpose: &'static str,
}

impl SystemCtx {
    /// The context for `purpose` (`refresh`, `demo catalog`), for logs and run records.
    /// Reserved for entry points; see the type's documentation.
    #[must_use]
    pub fn establish(purpose: &'static str) -> Self {
        Self { purpose }
    }

    /// What the work is.
    #[must_use]
    pub fn purpose(&self) -> &'static str {
        self.purpose
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_kept_sorted_and_unique() {
        let roles = vec![Role::VIEWER, Role::OWNER, Role::VIEWER];
        let ctx = TenantCtx::establish(
            TenantId::generate(),
            None,
            roles.clone(),
            Role::grants_of(&roles),
        );
        assert_eq!(ctx.roles(), &[Role::OWNER, Role::VIEWER]);
    }

    #[test]
    fn permissions_decide_not_role_names() {
        let custom = Role::parse("planner", "role").unwrap();
        let grants = Grants::from_iter([Permission::PLANS_WRITE]);
        let ctx = TenantCtx::establish(
            TenantId::generate(),
            Some(UserId::generate()),
            vec![custom],
            grants,
        );
        assert!(ctx.require(Permission::PLANS_WRITE, "planning").is_ok());
        assert!(matches!(
            ctx.require(Permission::MY_SHOWS_WRITE, "adding a show"),
            Err(crate::Error::Forbidden(m)) if m.contains("my_shows:write")
        ));
        assert!(
            ctx.for_platform(Permission::TENANTS_READ, "listing households")
                .is_err()
        );
    }

    #[test]
    fn system_context_cannot_act_as_a_user() {
        let ctx = TenantCtx::establish(TenantId::generate(), None, vec![], Grants::none());
        assert!(matches!(
            ctx.require_user(),
            Err(crate::Error::Forbidden(_))
        ));
    }
}
