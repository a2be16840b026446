//! `PATCH /api/v1/roles/{name}`.

use super::RoleView;
use crate::error::ApiError;
use crate::extract::{Caller, JsonBody};
use crate::middleware::telemetry::request_id;
use crate::responses::{
    Conflicting, Forbidden, Invalid, Malformed, NotFound, TooLarge, Unauthorized, Unavailable,
    WrongMediaType,
};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use utoipa::ToSchema;

/// A change to a custom role; a field left out stays as it is.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RolePatch {
    /// A new description.
    #[schema(max_length = 200, pattern = r"^[^\x00-\x1F\x7F-\x9F]*$")]
    pub description: Option<String>,
    /// New permissions, replacing the old ones.
    #[schema(schema_with = crate::openapi::permission_list_or_null)]
    pub permissions: Option<Vec<String>>,
}

/// Changes a custom role (`roles:write`); members holding it get the new permissions with
/// their next request. System roles cannot be changed (409). Audited (`role.update`).
#[utoipa::path(patch, path = "/api/v1/roles/{name}", tag = "account", operation_id = "update_role",
    params(("name" = String, Path, description = "The role's name", pattern = "^[a-z][a-z0-9_-]{0,39}$")),
    request_body(content = RolePatch, content_type = "application/json"),
    responses((status = 200, description = "The role", body = RoleView),
        Malformed, Unauthorized, Forbidden, NotFound, Conflicting, TooLarge, WrongMediaType, Invalid, Unavailable))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    name: web::Path<String>,
    JsonBody(body): JsonBody<RolePatch>,
) -> Result<HttpResponse, ApiError> {
    let role = state
        .roles
        .update(
            &ctx,
            &name,
            body.description.as_deref(),
            body.permissions.as_deref(),
            request_id(&req),
        )
        .await?;
    Ok(HttpResponse::Ok().json(RoleView::from(role)))
}
