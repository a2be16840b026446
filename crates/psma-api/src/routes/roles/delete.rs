//! `DELETE /api/v1/roles/{name}`.

use crate::error::ApiError;
use crate::extract::Caller;
use crate::middleware::telemetry::request_id;
use crate::responses::{Conflicting, Forbidden, Invalid, NotFound, Unauthorized, Unavailable};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};

/// Deletes a custom role no member holds (`roles:write`); system roles cannot be deleted and a
/// role still held cannot either (409). Audited (`role.delete`).
#[utoipa::path(delete, path = "/api/v1/roles/{name}", tag = "account", operation_id = "delete_role",
    params(("name" = String, Path, description = "The role's name", pattern = "^[a-z][a-z0-9_-]{0,39}$")),
    responses((status = 204, description = "Deleted"),
        Unauthorized, Forbidden, NotFound, Conflicting, Invalid, Unavailable))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    name: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    state.roles.delete(&ctx, &name, request_id(&req)).await?;
    Ok(HttpResponse::NoContent().finish())
}
