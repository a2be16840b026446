//! `POST /api/v1/auth/login`.

use super::{TokensView, origin, sessions};
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::responses::{
    HostedOnly, Invalid, Malformed, Throttled, TooLarge, Unauthorized, Unavailable, WrongMediaType,
};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use utoipa::ToSchema;

/// An email and a password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    /// The account's email (compared case-insensitively).
    #[schema(min_length = 1, max_length = 254)]
    pub email: String,
    /// The password.
    #[schema(min_length = 1, max_length = 128)]
    pub password: String,
}

/// Signs in with an email and a password, starting a new session (token family). A wrong
/// email or password gets one and the same 401; after a few failures the account must wait
/// (429 with `Retry-After`, doubling each time), and after 10 it is locked for 15 minutes.
/// Audited (`auth.login`, `auth.login_failed`, `auth.lockout`).
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", operation_id = "login",
    request_body(content = LoginBody, content_type = "application/json"),
    responses((status = 200, description = "Signed in", body = TokensView),
        Malformed, Unauthorized, HostedOnly, TooLarge, WrongMediaType, Invalid, Throttled, Unavailable),
    security(()))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    JsonBody(body): JsonBody<LoginBody>,
) -> Result<HttpResponse, ApiError> {
    let tokens = sessions(&state)?
        .login(&body.email, body.password, &origin(&req))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(TokensView::new(tokens)))
}
