//! `POST /api/v1/conflicts/{id}/resolve`.

use super::ConflictDetailView;
use crate::error::ApiError;
use crate::extract::{Caller, JsonBody};
use crate::middleware::telemetry::request_id;
use crate::params::{UuidParam, path_id};
use crate::responses::{
    Conflicting, Forbidden, Invalid, Malformed, NotFound, TooLarge, Unavailable, WrongMediaType,
};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;
use psma_core::catalog::{AvailabilityValue, ConflictId, FactId, Resolution};
use psma_plugin_sdk::Monetization;
use psma_plugin_sdk::text::ServiceId;
use serde::Deserialize;
use utoipa::ToSchema;

/// How to resolve a conflict: exactly one of `fact_id`, `value` and `same_show`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveConflictBody {
    /// The competing fact that is right.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub fact_id: Option<UuidParam>,
    /// The availability that is right, when none of the facts is.
    pub value: Option<AvailabilityValueBody>,
    /// For an identity conflict: whether the two titles are the same show.
    pub same_show: Option<bool>,
    /// A note to keep with the decision.
    #[schema(
        max_length = 10000,
        min_length = 1,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F]+$"
    )]
    pub note: Option<String>,
}

/// The availability the user gives.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AvailabilityValueBody {
    /// A service id from the registry.
    #[schema(schema_with = crate::openapi::registry_service_id)]
    pub service_id: ServiceId,
    /// `flatrate` (default), `free`, `ads`, `rent` or `buy`.
    #[schema(value_type = Option<String>)]
    pub monetization: Option<Monetization>,
    /// From when (absent: available now).
    pub available_from: Option<NaiveDate>,
    /// Until when (absent: no known end).
    pub available_until: Option<NaiveDate>,
}

/// Resolves a conflict: choose one of the competing facts or give the right availability (both
/// stored as a `user_confirmation` fact that wins for the caller's household), or for an
/// identity conflict say whether the titles are the same show. Audited; a later resolution
/// replaces an earlier one.
#[utoipa::path(post, path = "/api/v1/conflicts/{id}/resolve", tag = "conflicts", operation_id = "resolve_conflict",
    params(("id" = Uuid, Path, description = "The conflict's id")),
    request_body(content = ResolveConflictBody, content_type = "application/json"),
    responses((status = 200, description = "The resolved conflict", body = ConflictDetailView),
        Malformed, Forbidden, NotFound, Conflicting, TooLarge, WrongMediaType, Invalid, Unavailable))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    id: web::Path<String>,
    JsonBody(body): JsonBody<ResolveConflictBody>,
) -> Result<HttpResponse, ApiError> {
    let id = ConflictId(path_id(&id, "conflict")?);
    let given: Vec<&str> = [
        ("fact_id", body.fact_id.is_some()),
        ("value", body.value.is_some()),
        ("same_show", body.same_show.is_some()),
    ]
    .into_iter()
    .filter_map(|(name, present)| present.then_some(name))
    .collect();
    let resolution = match (body.fact_id, body.value, body.same_show) {
        (Some(fact), None, None) => Resolution::ChoseFact(FactId(fact.0)),
        (None, Some(v), None) => Resolution::Value(AvailabilityValue {
            service_id: v.service_id,
            monetization: v.monetization.unwrap_or(Monetization::Flatrate),
            available_from: v.available_from,
            available_until: v.available_until,
        }),
        (None, None, Some(same)) => Resolution::SameShow(same),
        // None given: the first is named; several: the one given too many.
        _ => {
            let (field, message) = match given.as_slice() {
                [first, extra, ..] => (
                    *extra,
                    format!(
                        "cannot be given with `{first}`: give exactly one of fact_id, value and same_show"
                    ),
                ),
                _ => (
                    "fact_id",
                    "give exactly one of fact_id, value and same_show".to_owned(),
                ),
            };
            return Err(psma_core::Error::validation(field, message).into());
        }
    };
    let view = state
        .conflicts
        .resolve(&ctx, id, resolution, body.note, request_id(&req))
        .await?;
    Ok(HttpResponse::Ok().json(ConflictDetailView::from(&view)))
}
