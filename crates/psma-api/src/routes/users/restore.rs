//! `POST /api/v1/users/{id}/restore`.

use super::MemberView;
use crate::error::ApiError;
use crate::extract::Caller;
use crate::middleware::telemetry::request_id;
use crate::params::path_id;
use crate::responses::{Conflicting, Forbidden, NotFound, Unauthorized, Unavailable};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};
use psma_core::tenancy::UserId;

/// Brings a removed member back with their roles and data (`members:write`); they sign in
/// again after a password reset. 409 when a live account took their email meanwhile. Audited
/// (`user.restore`).
#[utoipa::path(post, path = "/api/v1/users/{id}/restore", tag = "account", operation_id = "restore_user",
    params(("id" = uuid::Uuid, Path, description = "The removed member")),
    responses((status = 200, description = "Back in the household", body = MemberView),
        Unauthorized, Forbidden, NotFound, Conflicting, Unavailable))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let user = UserId(path_id(&id, "user")?);
    let restored = state
        .accounts
        .restore_user(&ctx, user, request_id(&req))
        .await?;
    Ok(HttpResponse::Ok().json(MemberView::from(restored)))
}
