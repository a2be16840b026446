//! `GET /api/v1/conflicts/{id}`.

use super::ConflictDetailView;
use crate::error::ApiError;
use crate::extract::Caller;
use crate::params::path_id;
use crate::responses::{NotFound, Unavailable};
use crate::state::ApiState;
use actix_web::{HttpResponse, web};
use psma_core::catalog::ConflictId;

/// One conflict, with the competing facts and their provenance.
#[utoipa::path(get, path = "/api/v1/conflicts/{id}", tag = "conflicts", operation_id = "get_conflict",
    params(("id" = Uuid, Path, description = "The conflict's id")),
    responses((status = 200, description = "The conflict", body = ConflictDetailView), NotFound, Unavailable))]
pub(crate) async fn handle(
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = ConflictId(path_id(&id, "conflict")?);
    let view = state.conflicts.get(&ctx, id).await?;
    Ok(HttpResponse::Ok().json(ConflictDetailView::from(&view)))
}
