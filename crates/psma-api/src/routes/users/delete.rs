//! `DELETE /api/v1/users/{id}`.

use super::MemberView;
use crate::error::ApiError;
use crate::extract::Caller;
use crate::middleware::telemetry::request_id;
use crate::params::path_id;
use crate::responses::{Conflicting, Forbidden, NotFound, Unauthorized, Unavailable};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};
use psma_core::tenancy::UserId;

/// Removes a member (`members:write`; only an owner removes an owner; not oneself): they can
/// no longer sign in and their sessions end. Their data stays, so
/// `POST /api/v1/users/{id}/restore` undoes it until the trash is purged. Audited
/// (`user.delete`).
#[utoipa::path(delete, path = "/api/v1/users/{id}", tag = "account", operation_id = "delete_user",
    params(("id" = uuid::Uuid, Path, description = "The member")),
    responses((status = 200, description = "Removed, as it was", body = MemberView),
        Unauthorized, Forbidden, NotFound, Conflicting, Unavailable))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let user = UserId(path_id(&id, "user")?);
    let removed = state
        .accounts
        .delete_user(&ctx, user, request_id(&req))
        .await?;
    Ok(HttpResponse::Ok().json(MemberView::from(removed)))
}
