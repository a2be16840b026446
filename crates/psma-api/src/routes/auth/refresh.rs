//! `POST /api/v1/auth/refresh`.

use super::{RefreshTokenBody, TokensView, origin, sessions};
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::responses::{
    HostedOnly, Invalid, Malformed, TooLarge, Unauthorized, Unavailable, WrongMediaType,
};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};

/// Exchanges a refresh token for a new pair. Each refresh token works once: presenting a used
/// one revokes every token of its sign-in (someone else has a copy) and is audited
/// (`auth.refresh_reuse`).
#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth", operation_id = "refresh_session",
    request_body(content = RefreshTokenBody, content_type = "application/json"),
    responses((status = 200, description = "A new pair of tokens", body = TokensView),
        Malformed, Unauthorized, HostedOnly, TooLarge, WrongMediaType, Invalid, Unavailable),
    security(()))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    JsonBody(body): JsonBody<RefreshTokenBody>,
) -> Result<HttpResponse, ApiError> {
    let tokens = sessions(&state)?
        .refresh(&body.refresh_token, &origin(&req))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(TokensView::new(tokens)))
}
