//! `GET /api/v1/plans/current/delta`.

use super::PlanDeltaView;
use crate::error::ApiError;
use crate::extract::Caller;
use crate::responses::{NotFound, Unavailable};
use crate::state::ApiState;
use actix_web::{HttpResponse, web};

/// What changed from the caller's previous plan to their current one: events added, removed
/// and moved (with old and new dates), and the change in peak concurrent subscriptions,
/// subscribed days and cost per currency. A first plan is compared with the empty plan. 404
/// before the caller's first plan.
#[utoipa::path(get, path = "/api/v1/plans/current/delta", tag = "planning", operation_id = "get_current_plan_delta",
    responses((status = 200, description = "The delta", body = PlanDeltaView), NotFound, Unavailable))]
pub(crate) async fn handle(
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
) -> Result<HttpResponse, ApiError> {
    let delta = state.plans.delta(&ctx).await?;
    Ok(HttpResponse::Ok().json(PlanDeltaView::from(&delta)))
}
