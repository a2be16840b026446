//! `PUT /api/v1/users/{id}/roles`.

use super::MemberView;
use crate::error::ApiError;
use crate::extract::{Caller, JsonBody};
use crate::middleware::telemetry::request_id;
use crate::params::path_id;
use crate::responses::{
    Conflicting, Forbidden, Invalid, Malformed, NotFound, TooLarge, Unauthorized, Unavailable,
    WrongMediaType,
};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};
use psma_core::tenancy::UserId;
use serde::Deserialize;
use utoipa::ToSchema;

/// A member's roles, replacing the ones they hold.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RolesBody {
    /// At least one role: system roles or the household's custom roles.
    #[schema(schema_with = crate::openapi::assigned_roles)]
    pub roles: Vec<String>,
}

/// Sets a member's roles (`members:write`). Nobody changes their own; only an owner makes or
/// unmakes an owner; nobody hands out permissions they lack; `platform_operator` is the
/// operator CLI's alone. New roles reach the member's tokens at their next refresh at the
/// latest. Audited (`user.roles`).
#[utoipa::path(put, path = "/api/v1/users/{id}/roles", tag = "account", operation_id = "set_user_roles",
    params(("id" = uuid::Uuid, Path, description = "The member")),
    request_body(content = RolesBody, content_type = "application/json"),
    responses((status = 200, description = "The member with the new roles", body = MemberView),
        Malformed, Unauthorized, Forbidden, NotFound, Conflicting, TooLarge, WrongMediaType, Invalid, Unavailable))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    id: web::Path<String>,
    JsonBody(body): JsonBody<RolesBody>,
) -> Result<HttpResponse, ApiError> {
    let user = UserId(path_id(&id, "user")?);
    let updated = state
        .roles
        .assign(&ctx, user, &body.roles, request_id(&req))
        .await?;
    Ok(HttpResponse::Ok().json(MemberView::from(updated)))
}
