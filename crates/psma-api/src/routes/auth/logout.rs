//! `POST /api/v1/auth/logout`.

use super::{RefreshTokenBody, origin, sessions};
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::responses::{
    HostedOnly, Invalid, Malformed, TooLarge, Unauthorized, Unavailable, WrongMediaType,
};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};

/// Signs out: every refresh token of this sign-in is revoked (access tokens already handed out
/// lapse within their 15 minutes). Signing out twice is not an error. Audited (`auth.logout`).
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", operation_id = "logout",
    request_body(content = RefreshTokenBody, content_type = "application/json"),
    responses((status = 204, description = "Signed out"),
        Malformed, Unauthorized, HostedOnly, TooLarge, WrongMediaType, Invalid, Unavailable),
    security(()))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    JsonBody(body): JsonBody<RefreshTokenBody>,
) -> Result<HttpResponse, ApiError> {
    sessions(&state)?
        .logout(&body.refresh_token, &origin(&req))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
