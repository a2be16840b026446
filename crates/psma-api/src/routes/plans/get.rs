//! `GET /api/v1/plans/{id}`.

use super::PlanView;
use crate::error::ApiError;
use crate::extract::Caller;
use crate::params::path_id;
use crate::responses::{NotFound, Unavailable};
use crate::state::ApiState;
use actix_web::{HttpResponse, web};
use psma_core::planning::plans::PlanId;

/// One of the caller's plans, current or earlier. Another member's or household's plan, or an
/// id that is not a UUID, is 404.
#[utoipa::path(get, path = "/api/v1/plans/{id}", tag = "planning", operation_id = "get_plan",
    params(("id" = Uuid, Path, description = "The plan's id")),
    responses((status = 200, description = "The plan", body = PlanView), NotFound, Unavailable))]
pub(crate) async fn handle(
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = PlanId(path_id(&id, "plan")?);
    let plan = state.plans.get(&ctx, id).await?;
    Ok(HttpResponse::Ok().json(PlanView::from(&plan)))
}
