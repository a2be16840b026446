//! `POST /api/v1/roles`.

use super::RoleView;
use crate::error::ApiError;
use crate::extract::{Caller, JsonBody};
use crate::middleware::telemetry::request_id;
use crate::responses::{
    Conflicting, Forbidden, Invalid, Malformed, TooLarge, Unauthorized, Unavailable, WrongMediaType,
};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use utoipa::ToSchema;

/// A custom role to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRoleBody {
    /// Its name: lower-case letters, digits, `_` and `-`, starting with a letter; not a system
    /// role's.
    #[schema(pattern = "^[a-z][a-z0-9_-]{0,39}$", max_length = 40)]
    pub name: String,
    /// What it is for (at most 200 characters, no control characters).
    #[schema(max_length = 200, pattern = r"^[^\x00-\x1F\x7F-\x9F]*$")]
    pub description: Option<String>,
    /// What it grants, as `resource:action`; only permissions the caller holds.
    #[schema(schema_with = crate::openapi::permission_list)]
    pub permissions: Vec<String>,
}

/// Creates a custom role (`roles:write`); audited (`role.create`).
#[utoipa::path(post, path = "/api/v1/roles", tag = "account", operation_id = "create_role",
    request_body(content = NewRoleBody, content_type = "application/json"),
    responses((status = 201, description = "The role", body = RoleView),
        Malformed, Unauthorized, Forbidden, Conflicting, TooLarge, WrongMediaType, Invalid, Unavailable))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    JsonBody(body): JsonBody<NewRoleBody>,
) -> Result<HttpResponse, ApiError> {
    let role = state
        .roles
        .create(
            &ctx,
            &body.name,
            body.description.as_deref(),
            &body.permissions,
            request_id(&req),
        )
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("location", format!("/api/v1/roles/{}", role.name)))
        .json(RoleView::from(role)))
}
