//! The tenant boundary: who is acting, for which tenant, with which roles.

use crate::ids::id_type;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

id_type!(
    /// Identifies a tenant (a household, or the single local installation).
    TenantId
);
id_type!(
    /// Identifies a user within PSMA (users belong to exactly one tenant).
    UserId
);

/// The roles that may change a tenant's data (everyone but viewers).
pub const WRITERS: &[Role] = &[Role::Owner, Role::Admin, Role::Member];

/// The system roles every tenant has; they cannot be deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Full control of the tenant, including its deletion.
    Owner,
    /// Manages members and settings.
    Admin,
    /// Uses the product: shows, plans, advice.
    Member,
    /// Reads only.
    Viewer,
}

impl Role {
    /// The role's stable name, as stored and as shown in the API.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Admin => "admin",
            Self::Member => "member",
            Self::Viewer => "viewer",
        }
    }
}

impl FromStr for Role {
    type Err = crate::Error;

    fn from_str(s: &str) -> crate::Result<Self> {
        match s {
            "owner" => Ok(Self::Owner),
            "admin" => Ok(Self::Admin),
            "member" => Ok(Self::Member),
            "viewer" => Ok(Self::Viewer),
            other => Err(crate::Error::validation(
                "role",
                format!("unknown role `{other}`"),
            )),
        }
    }
}

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
}

impl TenantCtx {
    /// Builds the context for an authenticated caller (or, with no user, for a system job acting
    /// on the tenant's behalf). Reserved for entry points; see the type's documentation.
    #[must_use]
    pub fn establish(tenant_id: TenantId, user_id: Option<UserId>, mut roles: Vec<Role>) -> Self {
        roles.sort_unstable();
        roles.dedup();
        Self {
            tenant_id,
            user_id,
            roles,
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

    /// Refuses unless the context has one of `allowed` roles.
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
    /// [`crate::Error::Forbidden`] unless the caller may write (owner, admin, member).
    pub fn for_shared_catalog(&self, purpose: &'static str) -> crate::Result<SystemCtx> {
        self.require_role(WRITERS, purpose)?;
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
        let ctx = TenantCtx::establish(
            TenantId::generate(),
            None,
            vec![Role::Viewer, Role::Owner, Role::Viewer],
        );
        assert_eq!(ctx.roles(), &[Role::Owner, Role::Viewer]);
    }

    #[test]
    fn role_names_round_trip() {
        for role in [Role::Owner, Role::Admin, Role::Member, Role::Viewer] {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn system_context_cannot_act_as_a_user() {
        let ctx = TenantCtx::establish(TenantId::generate(), None, vec![]);
        assert!(matches!(
            ctx.require_user(),
            Err(crate::Error::Forbidden(_))
        ));
    }
}
