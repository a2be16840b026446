//! `POST /api/v1/me/password`.

use crate::error::ApiError;
use crate::extract::{Caller, JsonBody};
use crate::responses::{
    HostedOnly, Invalid, Malformed, Throttled, TooLarge, Unauthorized, Unavailable, WrongMediaType,
};
use crate::routes::auth::{TokensView, origin, sessions};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use utoipa::ToSchema;

/// The caller's current password and the new one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChangeBody {
    /// The password the caller signs in with now.
    #[schema(min_length = 1, max_length = 128)]
    pub current_password: String,
    /// The new password: 8 to 128 characters, any characters, not one of the most common
    /// passwords.
    #[schema(min_length = 8, max_length = 128)]
    pub new_password: String,
}

/// Changes the caller's password, proving the current one. A wrong current password counts
/// against the account as a failed sign-in does (401, then 429 with `Retry-After`). On success
/// every session of the account ends (its refresh tokens are revoked; access tokens lapse
/// within their lifetime) and a new one starts. Audited (`user.change_password`, `auth.login`).
#[utoipa::path(post, path = "/api/v1/me/password", tag = "account", operation_id = "change_password",
    request_body(content = PasswordChangeBody, content_type = "application/json"),
    responses((status = 200, description = "Password changed; a new session", body = TokensView),
        Malformed, Unauthorized, HostedOnly, TooLarge, WrongMediaType, Invalid, Throttled, Unavailable))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    JsonBody(body): JsonBody<PasswordChangeBody>,
) -> Result<HttpResponse, ApiError> {
    let tokens = sessions(&state)?
        .change_password(
            &ctx,
            body.current_password,
            body.new_password,
            &origin(&req),
        )
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(TokensView::new(tokens)))
}
