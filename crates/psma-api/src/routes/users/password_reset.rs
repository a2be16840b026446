//! `POST /api/v1/users/{id}/password-reset`.

use crate::error::ApiError;
use crate::extract::Caller;
use crate::middleware::telemetry::request_id;
use crate::params::path_id;
use crate::responses::{Conflicting, Forbidden, HostedOnly, NotFound, Unauthorized, Unavailable};
use crate::routes::invitations::IssuedTokenView;
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};
use psma_core::tenancy::UserId;

/// A password reset token for a member (shown once, single use, valid 24 hours): owners and
/// admins for members (an admin not for an owner); not for oneself (409: change your own
/// password with `POST /api/v1/me/password`, which asks for the current one). Redeeming it
/// (`POST /api/v1/auth/password-reset`) also unlocks a locked account. Audited
/// (`password_reset.create`).
#[utoipa::path(post, path = "/api/v1/users/{id}/password-reset", tag = "account",
    operation_id = "create_password_reset",
    params(("id" = uuid::Uuid, Path, description = "The user")),
    responses((status = 201, description = "The reset token", body = IssuedTokenView),
        Unauthorized, Forbidden, HostedOnly, NotFound, Conflicting, Unavailable))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let user = UserId(path_id(&id, "user")?);
    let invitations = super::super::auth::hosted(state.invitations.as_ref())?;
    let issued = invitations
        .password_reset(&ctx, user, request_id(&req))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("cache-control", "no-store"))
        .json(IssuedTokenView::from(issued)))
}
