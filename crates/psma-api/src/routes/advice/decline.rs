//! `POST /api/v1/advice/{id}/decline`.

use super::view::AdviceView;
use crate::error::ApiError;
use crate::extract::Caller;
use crate::middleware::telemetry::request_id;
use crate::params::path_id;
use crate::responses::{Conflicting, Forbidden, NotFound, Unavailable};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};
use psma_core::advice::records::AdviceId;

/// Declines a pending recommendation or question: nothing changes, and the same advice is not
/// raised again until what it rests on changes. Audited. 409 when it is not pending.
#[utoipa::path(post, path = "/api/v1/advice/{id}/decline", tag = "advice", operation_id = "decline_advice",
    params(("id" = Uuid, Path, description = "The advice's id")),
    responses((status = 200, description = "The declined advice", body = AdviceView),
        Forbidden, NotFound, Conflicting, Unavailable))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = AdviceId(path_id(&id, "advice")?);
    let advice = state.advising.decline(&ctx, id, request_id(&req)).await?;
    Ok(HttpResponse::Ok().json(AdviceView::from(&advice)))
}
