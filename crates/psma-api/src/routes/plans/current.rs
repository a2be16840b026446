//! `GET /api/v1/plans/current`.

use super::PlanView;
use crate::error::ApiError;
use crate::extract::Caller;
use crate::responses::{NotFound, Unavailable};
use crate::state::ApiState;
use actix_web::{HttpResponse, web};

/// The caller's current plan: the one made last (404 before their first).
#[utoipa::path(get, path = "/api/v1/plans/current", tag = "planning", operation_id = "get_current_plan",
    responses((status = 200, description = "The current plan", body = PlanView), NotFound, Unavailable))]
pub(crate) async fn handle(
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
) -> Result<HttpResponse, ApiError> {
    let plan = state.plans.current(&ctx).await?;
    Ok(HttpResponse::Ok().json(PlanView::from(&plan)))
}
