//! A role as the household sees it.

use crate::access::{Grants, Permission, Role};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A role and what it grants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleDefinition {
    /// Its name, unique in the household.
    pub name: Role,
    /// What it is for.
    pub description: RoleDescription,
    /// What it grants.
    pub permissions: Grants,
    /// Whether it is a system role (fixed; cannot be changed or deleted).
    pub system: bool,
    /// When it was created (`None` for a system role).
    pub created_at: Option<DateTime<Utc>>,
    /// When it last changed (`None` for a system role).
    pub updated_at: Option<DateTime<Utc>>,
}

impl RoleDefinition {
    /// The household's system roles, in [`Role::SYSTEM`]'s order.
    #[must_use]
    pub fn system_roles() -> Vec<Self> {
        let describe = |role: &Role| match role.as_str() {
            "owner" => "Full control of the household",
            "admin" => "Manages members, roles and settings",
            "member" => "Uses PSMA: shows, services, plans, advice",
            _ => "Reads only",
        };
        Role::SYSTEM
            .iter()
            .map(|role| Self {
                name: role.clone(),
                description: RoleDescription(describe(role).to_owned()),
                permissions: role.system_grants().unwrap_or_default(),
                system: true,
                created_at: None,
                updated_at: None,
            })
            .collect()
    }
}

/// A custom role to create.
#[derive(Debug, Clone)]
pub struct NewRole {
    /// Its name (not a system role's).
    pub name: Role,
    /// What it is for.
    pub description: RoleDescription,
    /// What it grants (household permissions only).
    pub permissions: Grants,
}

/// A change to a custom role; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleChange {
    /// A new description.
    pub description: Option<RoleDescription>,
    /// New permissions, replacing the old ones.
    pub permissions: Option<Grants>,
}

/// A role's description: at most 200 characters, no control characters; stored trimmed (may
/// be empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RoleDescription(String);

impl RoleDescription {
    /// The longest description, in characters.
    pub const MAX_CHARS: usize = 200;

    /// Checks a description.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] on `description` when too long or holding a control
    /// character.
    pub fn parse(raw: &str) -> crate::Result<Self> {
        if raw.chars().count() > Self::MAX_CHARS {
            return Err(crate::Error::validation(
                "description",
                format!("must be at most {} characters", Self::MAX_CHARS),
            ));
        }
        if raw.chars().any(char::is_control) {
            return Err(crate::Error::validation(
                "description",
                "must not contain control characters",
            ));
        }
        Ok(Self(raw.trim().to_owned()))
    }

    /// The description as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for RoleDescription {
    type Error = crate::Error;

    fn try_from(value: String) -> crate::Result<Self> {
        Self::parse(&value)
    }
}

impl From<RoleDescription> for String {
    fn from(value: RoleDescription) -> Self {
        value.0
    }
}

/// Parses permission names (`resource:action`) into a household grant.
///
/// # Errors
/// [`crate::Error::Validation`] on `permissions` for too many names, an unknown one or a
/// platform permission.
pub(super) fn parse_permissions(names: &[String]) -> crate::Result<Grants> {
    // As many as there are household permissions (the schema's `maxItems`).
    let most = Permission::ALL.iter().filter(|p| !p.is_platform()).count();
    if names.len() > most {
        return Err(crate::Error::validation(
            "permissions",
            format!("at most {most} permissions"),
        ));
    }
    let mut permissions = Vec::with_capacity(names.len());
    for name in names {
        let permission: Permission = name.parse()?;
        if permission.is_platform() {
            return Err(crate::Error::validation(
                "permissions",
                format!(
                    "`{permission}` belongs to the platform operator and cannot be granted by a household role"
                ),
            ));
        }
        permissions.push(permission);
    }
    Ok(permissions.into_iter().collect())
}
