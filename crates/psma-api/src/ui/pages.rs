//! One page per module; each handler reads through the use cases in [`crate::state::ApiState`].

use crate::state::ApiState;
use serde::Deserialize;

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

impl From<crate::views::SourceView> for Credit {
    fn from(v: crate::views::SourceView) -> Self {
        Self {
            name: v.name,
            text: v.attribution,
            url: v.url,
            license: v.license,
        }
    }
}

/// The service a page's path names, or 404 for something that cannot be one.
pub(crate) fn service_in_path(
    raw: &str,
) -> Result<psma_plugin_sdk::text::ServiceId, psma_core::Error> {
    psma_plugin_sdk::text::ServiceId::parse(raw).map_err(|_| psma_core::Error::NotFound {
        resource: "service",
        id: raw.chars().take(64).collect(),
    })
}

/// A source to credit, word for word as it asks.
pub(crate) struct Credit {
    pub name: String,
    pub text: String,
    pub url: Option<String>,
    pub license: Option<String>,
}

/// A service's name from the registry (its id otherwise).
pub(crate) fn service_name(state: &ApiState, id: &str) -> String {
    state
        .catalog
        .registry()
        .get(id)
        .map_or_else(|| id.to_owned(), |e| e.name.to_string())
}

/// What a form on a list page just did (`?saved=`, `?removed=`, `?restored=` and the id), for
/// the notice at the top and the undo button.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Outcome {
    #[serde(default)]
    pub saved: Option<String>,
    #[serde(default)]
    pub removed: Option<String>,
    #[serde(default)]
    pub restored: Option<String>,
}
