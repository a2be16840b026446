//! `POST /api/v1/shows`.

use super::get::{ShowDetailView, render};
use crate::error::ApiError;
use crate::extract::{Caller, JsonBody};
use crate::middleware::telemetry::request_id;
use crate::responses::{
    Conflicting, Forbidden, Invalid, Malformed, NotFound, TooLarge, Unavailable, WrongMediaType,
};
use crate::state::ApiState;
use crate::views::RunView;
use actix_web::{HttpRequest, HttpResponse, web};
use psma_plugin_sdk::text::{ExternalValue, SourceId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The show to add, by a provider's id for it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddShowBody {
    /// The provider that knows the show (`tmdb`, `tvmaze`): one that can look up one show.
    #[schema(value_type = String, pattern = r"^[a-z][a-z0-9_]*$", max_length = 64, min_length = 1, example = "tmdb")]
    pub source_id: SourceId,
    /// The provider's id for it (`tv:1399` for TMDB, `82` for TVmaze).
    #[schema(value_type = String, pattern = r"^[^\x00-\x20\x7F]+$", max_length = 100, min_length = 1, example = "tv:1399")]
    pub external_id: ExternalValue,
}

/// The show added.
#[derive(Debug, Serialize, ToSchema)]
pub struct AddedShowView {
    /// Whether the catalog did not have it before (`201`); `false`: it was there and its
    /// facts from the provider were refreshed (`200`).
    pub created: bool,
    /// The run that stored its facts (trigger `add_show`).
    pub run: RunView,
    /// The show, as `GET /api/v1/shows/{id}` shows it.
    pub show: ShowDetailView,
}

/// Adds a show to the shared catalog by a provider's id for it: the provider is asked for the
/// show and every fact it has on it (identity, availability, episodes) is stored. A show the
/// catalog has already is found and its facts from that provider refreshed, never
/// duplicated. Audited (`catalog.add_show`).
#[utoipa::path(post, path = "/api/v1/shows", tag = "catalog", operation_id = "add_show",
    request_body(content = AddShowBody, content_type = "application/json"),
    responses(
        (status = 201, description = "The show was added", body = AddedShowView,
            headers(("location" = String, description = "The show's URL"))),
        (status = 200, description = "The catalog had the show; its facts were refreshed", body = AddedShowView),
        Malformed, Forbidden, NotFound, Conflicting, TooLarge, WrongMediaType, Invalid, Unavailable))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    JsonBody(body): JsonBody<AddShowBody>,
) -> Result<HttpResponse, ApiError> {
    let added = state
        .refreshes
        .add_show(&ctx, &body.source_id, &body.external_id, request_id(&req))
        .await?;
    let detail = state.catalog.show(&ctx, added.show).await?;
    let view = AddedShowView {
        created: added.created,
        run: RunView::from(&added.run),
        show: render(&detail, state.catalog.registry(), None),
    };
    Ok(if added.created {
        HttpResponse::Created()
            .insert_header(("location", format!("/api/v1/shows/{}", added.show.0)))
            .json(view)
    } else {
        HttpResponse::Ok().json(view)
    })
}
