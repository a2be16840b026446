//! `POST /api/v1/auth/password-reset`.

use super::{TokensView, origin, sessions};
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::responses::{
    HostedOnly, Invalid, Malformed, TooLarge, Unauthorized, Unavailable, WrongMediaType,
};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use utoipa::ToSchema;

/// A password reset token and the new password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetBody {
    /// The token an owner or admin handed out (`POST /api/v1/users/{id}/password-reset`).
    #[schema(min_length = 1, max_length = 200)]
    pub token: String,
    /// The new password: 8 to 128 characters.
    #[schema(min_length = 8, max_length = 128)]
    pub password: String,
}

/// Sets a new password with a reset token (single use, 24 hours), signs out every other session
/// of the account, clears a lockout, and signs in. Audited (`password_reset.redeem`,
/// `auth.login`).
#[utoipa::path(post, path = "/api/v1/auth/password-reset", tag = "auth", operation_id = "reset_password",
    request_body(content = PasswordResetBody, content_type = "application/json"),
    responses((status = 200, description = "Password set and signed in", body = TokensView),
        Malformed, Unauthorized, HostedOnly, TooLarge, WrongMediaType, Invalid, Unavailable),
    security(()))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    JsonBody(body): JsonBody<PasswordResetBody>,
) -> Result<HttpResponse, ApiError> {
    let tokens = sessions(&state)?
        .reset_password(&body.token, body.password, &origin(&req))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(TokensView::new(tokens)))
}
