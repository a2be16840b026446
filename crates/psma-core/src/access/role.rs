//! Role names: the four system roles every household has, the platform operator's, and a
//! household's custom roles.

use super::{Grants, Permission};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// A role's name: lower-case letters, digits, `_` and `-`, starting with a letter, at most 40
/// characters. The system roles are constants; any other valid name may be a household's
/// custom role.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Role(Cow<'static, str>);

impl Role {
    /// Full control of the household.
    pub const OWNER: Self = Self(Cow::Borrowed("owner"));
    /// Manages members, roles and settings.
    pub const ADMIN: Self = Self(Cow::Borrowed("admin"));
    /// Uses the product: shows, plans, advice.
    pub const MEMBER: Self = Self(Cow::Borrowed("member"));
    /// Reads only.
    pub const VIEWER: Self = Self(Cow::Borrowed("viewer"));
    /// Manages the platform's households (`/api/v1/admin/tenants`). Granted by the operator's
    /// CLI only, never through the API.
    pub const PLATFORM_OPERATOR: Self = Self(Cow::Borrowed("platform_operator"));

    /// The household's system roles, which cannot be changed or deleted.
    pub const SYSTEM: [Self; 4] = [Self::OWNER, Self::ADMIN, Self::MEMBER, Self::VIEWER];

    /// The longest role name, in characters.
    pub const MAX_CHARS: usize = 40;

    /// The pattern a role name matches, as the OpenAPI document states it.
    pub const PATTERN: &'static str = "^[a-z][a-z0-9_-]{0,39}$";

    /// Checks a role name.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] on `field` unless it matches [`Self::PATTERN`].
    pub fn parse(raw: &str, field: &str) -> crate::Result<Self> {
        let valid = raw.len() <= Self::MAX_CHARS
            && raw.starts_with(|c: char| c.is_ascii_lowercase())
            && raw
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
        if valid {
            Ok(Self(Cow::Owned(raw.to_owned())))
        } else {
            Err(crate::Error::validation(
                field,
                format!(
                    "`{raw}` is not a role name: lower-case letters, digits, `_` and `-`, \
                     starting with a letter, at most {} characters",
                    Self::MAX_CHARS
                ),
            ))
        }
    }

    /// The role's name, as stored and as shown in the API.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether it is one of the household's system roles ([`Self::SYSTEM`]) or the platform
    /// operator's: roles whose permissions are fixed here, not stored.
    #[must_use]
    pub fn is_builtin(&self) -> bool {
        Self::SYSTEM.contains(self) || *self == Self::PLATFORM_OPERATOR
    }

    /// What a built-in role grants; `None` for a custom role (its grants are stored).
    ///
    /// Owners and admins hold every household permission; what sets an owner apart (only an
    /// owner may act on another owner) is a rule of the use cases, not a permission.
    #[must_use]
    pub fn system_grants(&self) -> Option<Grants> {
        let grants = match self.as_str() {
            "owner" | "admin" => Grants::household(),
            "member" => Self::VIEWER.system_grants()?.union(Grants::from_iter([
                Permission::CATALOG_WRITE,
                Permission::IMPORTS_WRITE,
                Permission::CONFLICTS_WRITE,
                Permission::MY_SHOWS_WRITE,
                Permission::MY_SERVICES_WRITE,
                Permission::SETTINGS_WRITE,
                Permission::PLANS_WRITE,
                Permission::ADVICE_WRITE,
                Permission::CALENDAR_WRITE,
            ])),
            "viewer" => Grants::from_iter(
                Grants::household_reads()
                    .iter()
                    .filter(|p| *p != Permission::AUDIT_READ),
            ),
            "platform_operator" => {
                Grants::from_iter([Permission::TENANTS_READ, Permission::TENANTS_WRITE])
            }
            _ => return None,
        };
        Some(grants)
    }

    /// What `roles` grant together when none is custom (custom roles add nothing here; the
    /// entry point adds their stored grants).
    #[must_use]
    pub fn grants_of(roles: &[Self]) -> Grants {
        roles
            .iter()
            .filter_map(Self::system_grants)
            .fold(Grants::none(), Grants::union)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = crate::Error;

    fn from_str(s: &str) -> crate::Result<Self> {
        Self::parse(s, "role")
    }
}

impl TryFrom<String> for Role {
    type Error = crate::Error;

    fn try_from(value: String) -> crate::Result<Self> {
        Self::parse(&value, "role")
    }
}

impl From<Role> for String {
    fn from(value: Role) -> Self {
        value.0.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn system_roles_round_trip_and_are_ordered_by_power() {
        for role in Role::SYSTEM {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        let grants = |r: Role| r.system_grants().unwrap();
        let (member, viewer) = (grants(Role::MEMBER), grants(Role::VIEWER));
        assert!(viewer.iter().all(|p| member.allows(p)));
        assert!(member.iter().all(|p| grants(Role::ADMIN).allows(p)));
        assert!(!member.allows(Permission::MEMBERS_WRITE));
        assert!(!viewer.allows(Permission::MY_SHOWS_WRITE));
        assert!(
            Role::SYSTEM
                .iter()
                .all(|r| !grants(r.clone()).allows(Permission::TENANTS_WRITE))
        );
    }

    #[test]
    fn names_outside_the_pattern_are_refused() {
        for bad in ["", "Owner", "1st", "a b", "é", &"a".repeat(41)] {
            assert!(bad.parse::<Role>().is_err(), "{bad:?} accepted");
        }
        assert!("night-owls_2".parse::<Role>().is_ok());
    }

    proptest! {
        #[test]
        fn accepted_names_match_the_stated_pattern(raw in "\\PC{0,45}") {
            let pattern = regex_lite_match(&raw);
            prop_assert_eq!(raw.parse::<Role>().is_ok(), pattern);
        }
    }

    /// `^[a-z][a-z0-9_-]{0,39}$`, written out.
    fn regex_lite_match(raw: &str) -> bool {
        let mut chars = raw.chars();
        matches!(chars.next(), Some('a'..='z'))
            && raw.chars().count() <= 40
            && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_' | '-'))
    }
}
