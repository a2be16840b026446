//! `POST /api/v1/conflicts/{id}/defer`.

use super::ConflictDetailView;
use crate::error::ApiError;
use crate::extract::{Caller, JsonBody};
use crate::middleware::telemetry::request_id;
use crate::params::path_id;
use crate::responses::{
    Conflicting, Forbidden, Invalid, Malformed, NotFound, TooLarge, Unavailable, WrongMediaType,
};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};
use psma_core::catalog::ConflictId;
use serde::Deserialize;
use utoipa::ToSchema;

/// Putting a conflict aside.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeferConflictBody {
    /// A note to keep with the decision.
    #[schema(
        max_length = 10000,
        min_length = 1,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F]+$"
    )]
    pub note: Option<String>,
}

/// Defers a conflict: it leaves the open list until its sources change. Audited. A resolved
/// conflict cannot be deferred (409).
#[utoipa::path(post, path = "/api/v1/conflicts/{id}/defer", tag = "conflicts", operation_id = "defer_conflict",
    params(("id" = Uuid, Path, description = "The conflict's id")),
    request_body(content = DeferConflictBody, content_type = "application/json"),
    responses((status = 200, description = "The deferred conflict", body = ConflictDetailView),
        Malformed, Forbidden, NotFound, Conflicting, TooLarge, WrongMediaType, Invalid, Unavailable))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    id: web::Path<String>,
    JsonBody(body): JsonBody<DeferConflictBody>,
) -> Result<HttpResponse, ApiError> {
    let id = ConflictId(path_id(&id, "conflict")?);
    let view = state
        .conflicts
        .defer(&ctx, id, body.note, request_id(&req))
        .await?;
    Ok(HttpResponse::Ok().json(ConflictDetailView::from(&view)))
}
