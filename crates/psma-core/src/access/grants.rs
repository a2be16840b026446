//! A set of permissions, as a context carries it.

use super::{Action, Permission};
use serde::{Deserialize, Serialize};

/// A set of [`Permission`]s (a bit per entry of [`Permission::ALL`]): cheap to copy and to check
/// on every request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Grants(u32);

// One bit per permission must fit.
const _: () = assert!(Permission::ALL.len() <= 32);

impl Grants {
    /// No permission at all.
    #[must_use]
    pub const fn none() -> Self {
        Self(0)
    }

    /// Every permission of a household (none of the platform's).
    #[must_use]
    pub fn household() -> Self {
        Self::from_iter(Permission::ALL.into_iter().filter(|p| !p.is_platform()))
    }

    /// Every `read` permission of a household: what background work and the calendar feed
    /// act with, so they can read for a member but never change what the member chose.
    #[must_use]
    pub fn household_reads() -> Self {
        Self::from_iter(
            Permission::ALL
                .into_iter()
                .filter(|p| !p.is_platform() && p.action == Action::Read),
        )
    }

    /// Whether `permission` is granted.
    #[must_use]
    pub fn allows(self, permission: Permission) -> bool {
        self.0 & (1 << permission.index()) != 0
    }

    /// Both sets together.
    #[must_use]
    pub fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// The permissions, in [`Permission::ALL`]'s order.
    pub fn iter(self) -> impl Iterator<Item = Permission> {
        Permission::ALL.into_iter().filter(move |p| self.allows(*p))
    }

    /// Whether nothing is granted.
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl FromIterator<Permission> for Grants {
    fn from_iter<I: IntoIterator<Item = Permission>>(iter: I) -> Self {
        Self(iter.into_iter().fold(0, |bits, p| bits | (1 << p.index())))
    }
}

impl Serialize for Grants {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Grants {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Vec::<Permission>::deserialize(d)?.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_are_a_subset_of_the_household() {
        let all = Grants::household();
        for p in Grants::household_reads().iter() {
            assert!(all.allows(p));
            assert_eq!(p.action, Action::Read);
        }
        assert!(!all.allows(Permission::TENANTS_READ));
    }

    proptest! {
        #[test]
        fn a_set_holds_exactly_what_it_was_built_from(mask in any::<u32>()) {
            let chosen: Vec<Permission> = Permission::ALL
                .into_iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, p)| p)
                .collect();
            let grants: Grants = chosen.iter().copied().collect();
            prop_assert_eq!(grants.iter().collect::<Vec<_>>(), chosen.clone());
            let json = serde_json::to_string(&grants).unwrap();
            prop_assert_eq!(serde_json::from_str::<Grants>(&json).unwrap(), grants);
        }
    }
}
