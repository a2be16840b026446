//! `/api/v1/shows`: the catalog's shows, and one show's canonical view.

pub(crate) mod add;
pub(crate) mod get;
pub(crate) mod list;

use crate::views::ScopeView;
use psma_core::catalog::Show;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// Series or film.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ShowKindView {
    /// A series.
    Tv,
    /// A film.
    Movie,
}

/// What every view of a show starts with.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShowHeader {
    /// Its id.
    pub id: Uuid,
    /// Its title.
    pub title: String,
    /// The year it first aired.
    pub year: Option<i32>,
    /// Series or film.
    pub kind: ShowKindView,
    /// Its ids in other catalogues (`{"tmdb": "tv:1399"}`).
    pub external_ids: BTreeMap<String, String>,
    /// Its genres.
    pub genres: Vec<String>,
    /// Shared catalog, or known only from the caller's own imports.
    pub scope: ScopeView,
}

impl From<&Show> for ShowHeader {
    fn from(show: &Show) -> Self {
        Self {
            id: show.id.0,
            title: show.title.to_string(),
            year: show.year,
            kind: match show.show_type {
                psma_plugin_sdk::ShowType::Tv => ShowKindView::Tv,
                psma_plugin_sdk::ShowType::Movie => ShowKindView::Movie,
            },
            external_ids: show
                .external_ids
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            genres: show.genres.iter().map(ToString::to_string).collect(),
            scope: show.scope.into(),
        }
    }
}
