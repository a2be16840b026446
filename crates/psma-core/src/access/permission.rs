//! The closed list of permissions: every (resource, action) pair PSMA checks.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a permission is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resource {
    /// The catalog: shows, services, facts, changes, providers and their refresh runs.
    Catalog,
    /// Manual imports into the household's private catalog.
    Imports,
    /// Identity conflicts between sources.
    Conflicts,
    /// A member's shows.
    MyShows,
    /// A member's streaming services.
    MyServices,
    /// A member's planner settings.
    Settings,
    /// Plans, their deltas and reminders.
    Plans,
    /// The assistant's advice.
    Advice,
    /// The calendar feed link.
    Calendar,
    /// Background jobs' status.
    Jobs,
    /// The household's members: invitations, password resets, disabling, removal, roles held.
    Members,
    /// The household's custom roles.
    Roles,
    /// The household's audit log.
    Audit,
    /// Soft-deleted rows, kept for undo until purged.
    Trash,
    /// Every household on the platform (the platform operator's).
    Tenants,
}

/// What may be done to a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// See it.
    Read,
    /// Create, change or remove it (removals that can be undone).
    Write,
    /// Delete it for good.
    Purge,
}

/// One permission: an action on a resource. Only the pairs in [`Permission::ALL`] exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Permission {
    /// What it is about.
    pub resource: Resource,
    /// What it allows.
    pub action: Action,
}

const fn p(resource: Resource, action: Action) -> Permission {
    Permission { resource, action }
}

impl Permission {
    /// Every permission, in a fixed order (its index is its bit in [`super::Grants`]).
    pub const ALL: [Self; 26] = [
        p(Resource::Catalog, Action::Read),
        p(Resource::Catalog, Action::Write),
        p(Resource::Imports, Action::Write),
        p(Resource::Conflicts, Action::Read),
        p(Resource::Conflicts, Action::Write),
        p(Resource::MyShows, Action::Read),
        p(Resource::MyShows, Action::Write),
        p(Resource::MyServices, Action::Read),
        p(Resource::MyServices, Action::Write),
        p(Resource::Settings, Action::Read),
        p(Resource::Settings, Action::Write),
        p(Resource::Plans, Action::Read),
        p(Resource::Plans, Action::Write),
        p(Resource::Advice, Action::Read),
        p(Resource::Advice, Action::Write),
        p(Resource::Calendar, Action::Read),
        p(Resource::Calendar, Action::Write),
        p(Resource::Jobs, Action::Read),
        p(Resource::Members, Action::Read),
        p(Resource::Members, Action::Write),
        p(Resource::Roles, Action::Read),
        p(Resource::Roles, Action::Write),
        p(Resource::Audit, Action::Read),
        p(Resource::Trash, Action::Purge),
        p(Resource::Tenants, Action::Read),
        p(Resource::Tenants, Action::Write),
    ];

    /// Reading the catalog.
    pub const CATALOG_READ: Self = p(Resource::Catalog, Action::Read);
    /// Adding to the shared catalog and asking for refreshes.
    pub const CATALOG_WRITE: Self = p(Resource::Catalog, Action::Write);
    /// Importing into the household's catalog.
    pub const IMPORTS_WRITE: Self = p(Resource::Imports, Action::Write);
    /// Reading conflicts.
    pub const CONFLICTS_READ: Self = p(Resource::Conflicts, Action::Read);
    /// Resolving and deferring conflicts.
    pub const CONFLICTS_WRITE: Self = p(Resource::Conflicts, Action::Write);
    /// Reading one's shows.
    pub const MY_SHOWS_READ: Self = p(Resource::MyShows, Action::Read);
    /// Changing one's shows.
    pub const MY_SHOWS_WRITE: Self = p(Resource::MyShows, Action::Write);
    /// Reading one's services.
    pub const MY_SERVICES_READ: Self = p(Resource::MyServices, Action::Read);
    /// Changing one's services.
    pub const MY_SERVICES_WRITE: Self = p(Resource::MyServices, Action::Write);
    /// Reading one's planner settings.
    pub const SETTINGS_READ: Self = p(Resource::Settings, Action::Read);
    /// Changing one's planner settings.
    pub const SETTINGS_WRITE: Self = p(Resource::Settings, Action::Write);
    /// Reading plans, deltas and reminders.
    pub const PLANS_READ: Self = p(Resource::Plans, Action::Read);
    /// Asking for a new plan.
    pub const PLANS_WRITE: Self = p(Resource::Plans, Action::Write);
    /// Reading advice.
    pub const ADVICE_READ: Self = p(Resource::Advice, Action::Read);
    /// Confirming, declining and answering advice.
    pub const ADVICE_WRITE: Self = p(Resource::Advice, Action::Write);
    /// Reading one's calendar feed.
    pub const CALENDAR_READ: Self = p(Resource::Calendar, Action::Read);
    /// Issuing or rotating one's calendar feed link.
    pub const CALENDAR_WRITE: Self = p(Resource::Calendar, Action::Write);
    /// Reading jobs' status.
    pub const JOBS_READ: Self = p(Resource::Jobs, Action::Read);
    /// Listing the household's members.
    pub const MEMBERS_READ: Self = p(Resource::Members, Action::Read);
    /// Inviting, disabling, removing and restoring members, resetting their passwords and
    /// assigning their roles.
    pub const MEMBERS_WRITE: Self = p(Resource::Members, Action::Write);
    /// Reading the household's roles.
    pub const ROLES_READ: Self = p(Resource::Roles, Action::Read);
    /// Creating, changing and deleting custom roles.
    pub const ROLES_WRITE: Self = p(Resource::Roles, Action::Write);
    /// Reading and verifying the audit log.
    pub const AUDIT_READ: Self = p(Resource::Audit, Action::Read);
    /// Deleting soft-deleted rows for good.
    pub const TRASH_PURGE: Self = p(Resource::Trash, Action::Purge);
    /// Listing every household on the platform.
    pub const TENANTS_READ: Self = p(Resource::Tenants, Action::Read);
    /// Creating households on the platform.
    pub const TENANTS_WRITE: Self = p(Resource::Tenants, Action::Write);

    /// Its position in [`Self::ALL`].
    #[must_use]
    pub fn index(self) -> usize {
        Self::ALL
            .iter()
            .position(|p| *p == self)
            .unwrap_or_else(|| unreachable!("every Permission value is listed in ALL"))
    }

    /// Whether the permission is about the platform rather than one household: only the
    /// platform-operator role grants these, and custom roles cannot.
    #[must_use]
    pub fn is_platform(self) -> bool {
        self.resource == Resource::Tenants
    }

    /// The resource's name as written in `resource:action`.
    #[must_use]
    pub fn resource_name(self) -> &'static str {
        match self.resource {
            Resource::Catalog => "catalog",
            Resource::Imports => "imports",
            Resource::Conflicts => "conflicts",
            Resource::MyShows => "my_shows",
            Resource::MyServices => "my_services",
            Resource::Settings => "settings",
            Resource::Plans => "plans",
            Resource::Advice => "advice",
            Resource::Calendar => "calendar",
            Resource::Jobs => "jobs",
            Resource::Members => "members",
            Resource::Roles => "roles",
            Resource::Audit => "audit",
            Resource::Trash => "trash",
            Resource::Tenants => "tenants",
        }
    }

    /// The action's name as written in `resource:action`.
    #[must_use]
    pub fn action_name(self) -> &'static str {
        match self.action {
            Action::Read => "read",
            Action::Write => "write",
            Action::Purge => "purge",
        }
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.resource_name(), self.action_name())
    }
}

impl FromStr for Permission {
    type Err = crate::Error;

    /// Parses `resource:action`, one of [`Permission::ALL`].
    fn from_str(s: &str) -> crate::Result<Self> {
        Self::ALL
            .into_iter()
            .find(|p| p.to_string() == s)
            .ok_or_else(|| {
                crate::Error::validation(
                    "permissions",
                    format!(
                        "unknown permission `{s}`; the permissions are {}",
                        Self::ALL
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })
    }
}

impl Serialize for Permission {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Permission {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        raw.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_permission_round_trips_through_its_name() {
        for permission in Permission::ALL {
            assert_eq!(
                permission.to_string().parse::<Permission>().unwrap(),
                permission
            );
        }
        assert!("catalog:purge".parse::<Permission>().is_err());
        assert!("shows".parse::<Permission>().is_err());
    }

    #[test]
    fn permissions_are_listed_once() {
        let mut seen = std::collections::BTreeSet::new();
        for permission in Permission::ALL {
            assert!(seen.insert(permission), "{permission} listed twice");
        }
    }
}
