//! A household member's planning profile: the shows they want to watch (My Shows), the
//! services they keep or would pay for (My Services), and their planning settings. Each is
//! the user's own (tenant- and user-scoped), soft-deleted, and every change is audited.

mod ports;
mod settings;
mod types;
mod usecases;

pub use ports::{ProfileStore, ProfileWrite};
pub use settings::{PlannerSettings, SettingsOverrides, UserSettings};
pub use types::{MyService, Selection, ServiceTerms, WatchMode, Wish};
pub use usecases::{Profiles, Saved, WishRequest};

#[cfg(test)]
mod tests;
