//! `POST /api/v1/advice/{id}/confirm`.

use super::view::AdviceDecidedView;
use crate::error::ApiError;
use crate::extract::Caller;
use crate::middleware::telemetry::request_id;
use crate::params::path_id;
use crate::responses::{Conflicting, Forbidden, Invalid, NotFound, Unavailable};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};
use psma_core::advice::records::AdviceId;

/// Confirms a pending recommendation: applies exactly its `proposed_change` through the
/// ordinary use cases (a watch mode on My Shows; a conflict resolved as a `user_confirmation`
/// fact; nothing for an explanation), makes the plan again and returns its delta. Audited. 409
/// when it is not pending, is a question, or is stale (what it rests on changed since it was
/// raised; it is then marked `expired`).
#[utoipa::path(post, path = "/api/v1/advice/{id}/confirm", tag = "advice", operation_id = "confirm_advice",
    params(("id" = Uuid, Path, description = "The advice's id")),
    responses((status = 200, description = "The confirmed advice and the new plan's delta", body = AdviceDecidedView),
        Forbidden, NotFound, Conflicting, Invalid, Unavailable))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = AdviceId(path_id(&id, "advice")?);
    let decided = state.advising.confirm(&ctx, id, request_id(&req)).await?;
    Ok(HttpResponse::Ok().json(AdviceDecidedView::from(&decided)))
}
