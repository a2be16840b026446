//! `GET /api/v1/roles/{name}`.

use super::RoleView;
use crate::error::ApiError;
use crate::extract::Caller;
use crate::responses::{Forbidden, Invalid, NotFound, Unauthorized, Unavailable};
use crate::state::ApiState;
use actix_web::{HttpResponse, web};

/// One role of the household (`roles:read`).
#[utoipa::path(get, path = "/api/v1/roles/{name}", tag = "account", operation_id = "get_role",
    params(("name" = String, Path, description = "The role's name", pattern = "^[a-z][a-z0-9_-]{0,39}$")),
    responses((status = 200, description = "The role", body = RoleView),
        Unauthorized, Forbidden, NotFound, Invalid, Unavailable))]
pub(crate) async fn handle(
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    name: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let role = state.roles.get(&ctx, &name).await?;
    Ok(HttpResponse::Ok().json(RoleView::from(role)))
}
