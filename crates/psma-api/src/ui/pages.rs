//! One page per module; each handler reads through the use cases in [`crate::state::ApiState`].

pub(crate) mod advice;
pub(crate) mod catalog;
pub(crate) mod conflicts;
pub(crate) mod events;
pub(crate) mod home;
pub(crate) mod import;
pub(crate) mod my_services;
pub(crate) mod my_shows;
pub(crate) mod plan;
pub(crate) mod providers;
pub(crate) mod session;
pub(crate) mod settings;
pub(crate) mod show;

/// A source to credit, word for word as it asks.
pub(crate) struct Credit {
    pub name: String,
    pub text: String,
    pub url: Option<String>,
    pub license: Option<String>,
}
