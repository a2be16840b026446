//! `GET /api/v1/roles`.

use super::RoleView;
use crate::error::ApiError;
use crate::extract::Caller;
use crate::responses::{Forbidden, Unauthorized, Unavailable};
use crate::state::ApiState;
use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

/// The household's roles: the system roles, then custom roles by name.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleList {
    /// Every role (a household has few).
    pub items: Vec<RoleView>,
}

/// The household's roles and what each grants (`roles:read`).
#[utoipa::path(get, path = "/api/v1/roles", tag = "account", operation_id = "list_roles",
    responses((status = 200, description = "The roles", body = RoleList),
        Unauthorized, Forbidden, Unavailable))]
pub(crate) async fn handle(
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
) -> Result<HttpResponse, ApiError> {
    let roles = state.roles.list(&ctx).await?;
    Ok(HttpResponse::Ok().json(RoleList {
        items: roles.into_iter().map(RoleView::from).collect(),
    }))
}
