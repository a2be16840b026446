//! `GET /api/v1/providers/{source_id}/search`.

use crate::error::ApiError;
use crate::extract::{Caller, QueryParams};
use crate::responses::{Conflicting, Invalid, NotFound, Unavailable};
use crate::state::ApiState;
use actix_web::{HttpResponse, web};
use psma_plugin_sdk::ShowIdentity;
use psma_plugin_sdk::text::SourceId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// What to search for.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words of a title.
    #[param(min_length = 1, max_length = 200, pattern = r"^[^\x00-\x1F\x7F]*$")]
    pub q: String,
}

/// A show the provider knows.
#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateView {
    /// The provider's key for it: pass it as `external_id` to add the show.
    pub key: String,
    /// Its title.
    pub title: String,
    /// The year it first aired.
    pub year: Option<i32>,
    /// `tv` or `movie`.
    pub show_type: String,
    /// Its ids in other catalogues.
    pub external_ids: BTreeMap<String, String>,
    /// A short description.
    pub overview: Option<String>,
    /// Its genres.
    pub genres: Vec<String>,
}

/// Candidates, best first.
#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateList {
    /// The provider's matches, best first.
    pub items: Vec<CandidateView>,
}

impl From<&ShowIdentity> for CandidateView {
    fn from(identity: &ShowIdentity) -> Self {
        Self {
            key: identity.show.to_string(),
            title: identity.title.to_string(),
            year: identity.year,
            show_type: identity.show_type.as_str().to_owned(),
            external_ids: identity
                .external_ids
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            overview: identity.overview.as_ref().map(ToString::to_string),
            genres: identity.genres.iter().map(ToString::to_string).collect(),
        }
    }
}

/// Shows a provider knows whose titles match `q`, best first: candidates to add to the catalog.
/// 409 when the provider is disabled or cannot search; 503 when it fails.
#[utoipa::path(get, path = "/api/v1/providers/{source_id}/search", tag = "catalog", operation_id = "search_provider",
    params(("source_id" = String, Path, description = "The provider's source id", pattern = r"^[a-z][a-z0-9_]*$", max_length = 64), SearchParams),
    responses((status = 200, description = "The candidates", body = CandidateList), NotFound, Conflicting, Invalid, Unavailable))]
pub(crate) async fn handle(
    state: web::Data<ApiState>,
    Caller(_ctx): Caller,
    source_id: web::Path<String>,
    QueryParams(params): QueryParams<SearchParams>,
) -> Result<HttpResponse, ApiError> {
    // No provider can have an id outside the pattern.
    let source = SourceId::parse(&source_id).map_err(|_| {
        ApiError::Core(psma_core::Error::NotFound {
            resource: "provider",
            id: source_id.to_string(),
        })
    })?;
    let hits = state.providers.search(&source, &params.q).await?;
    Ok(HttpResponse::Ok().json(CandidateList {
        items: hits.iter().map(CandidateView::from).collect(),
    }))
}
