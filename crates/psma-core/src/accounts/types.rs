//! Tenants and users, and the rules on their fields.

use crate::tenancy::{Role, TenantId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The tenant local mode binds every request to (fixed, so restarts find the same data).
pub const LOCAL_TENANT_ID: TenantId =
    TenantId(Uuid::from_u128(0x0000_0000_0000_7000_8000_0000_0000_0001));
/// The user local mode binds every request to.
pub const LOCAL_USER_ID: UserId =
    UserId(Uuid::from_u128(0x0000_0000_0000_7000_8000_0000_0000_0002));

/// A tenant: one household, or the single local installation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tenant {
    /// Its id.
    pub id: TenantId,
    /// Its display name.
    pub name: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// A user of one tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Its id.
    pub id: UserId,
    /// The tenant it belongs to.
    pub tenant_id: TenantId,
    /// Its email address, unique (case-insensitively) among the tenant's live users.
    pub email: String,
    /// The name shown in the UI.
    pub display_name: DisplayName,
    /// Its roles in the tenant, sorted.
    pub roles: Vec<Role>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// Whether an owner, an admin or the operator disabled it (it cannot sign in).
    #[serde(default)]
    pub disabled: bool,
}

/// What provisioning needs to create a tenant.
#[derive(Debug, Clone)]
pub struct NewTenant {
    /// The id to create it with (fixed for the local tenant).
    pub id: TenantId,
    /// Its display name.
    pub name: String,
}

/// What provisioning needs to create a user.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// The id to create it with.
    pub id: UserId,
    /// Its email address.
    pub email: String,
    /// Its display name.
    pub display_name: DisplayName,
    /// Its roles in the tenant.
    pub roles: Vec<Role>,
}

/// A user's display name: at most 100 characters, no control characters, not only spaces;
/// stored trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DisplayName(String);

impl DisplayName {
    /// The longest display name, in characters.
    pub const MAX_CHARS: usize = 100;

    /// Checks and normalises (trims) a display name.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] on field `display_name` when it is longer than
    /// [`Self::MAX_CHARS`] characters, contains a control character, or is empty after trimming.
    pub fn parse(raw: &str) -> crate::Result<Self> {
        // The rules are stated to clients as `maxLength` and `pattern` in the OpenAPI document
        // (on the raw value), and kept exactly here.
        let chars = raw.chars().count();
        if chars > Self::MAX_CHARS {
            return Err(crate::Error::validation(
                "display_name",
                format!(
                    "must be at most {} characters, got {chars}",
                    Self::MAX_CHARS
                ),
            ));
        }
        if raw.chars().any(char::is_control) {
            return Err(crate::Error::validation(
                "display_name",
                "must not contain control characters",
            ));
        }
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(crate::Error::validation(
                "display_name",
                "must not be empty",
            ));
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// The name as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for DisplayName {
    type Error = crate::Error;

    fn try_from(value: String) -> crate::Result<Self> {
        Self::parse(&value)
    }
}

impl From<DisplayName> for String {
    fn from(value: DisplayName) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn display_name_is_trimmed() {
        assert_eq!(DisplayName::parse("  Ada  ").unwrap().as_str(), "Ada");
    }

    #[test]
    fn display_name_rejects_blank_and_too_long_and_control() {
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"é".repeat(101)).is_err());
        assert!(DisplayName::parse("a\u{0007}b").is_err());
        assert_eq!(
            DisplayName::parse(&"é".repeat(100))
                .unwrap()
                .as_str()
                .chars()
                .count(),
            100
        );
    }

    proptest! {
        #[test]
        fn accepted_names_are_within_bounds(raw in "\\PC{0,120}") {
            if let Ok(name) = DisplayName::parse(&raw) {
                let n = name.as_str().chars().count();
                prop_assert!((1..=100).contains(&n));
                prop_assert_eq!(name.as_str(), raw.trim());
            }
        }
    }
}
