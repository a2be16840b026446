//! `POST /api/v1/invitations/accept`.

use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::responses::{
    Conflicting, HostedOnly, Invalid, Malformed, TooLarge, Unauthorized, Unavailable,
    WrongMediaType,
};
use crate::routes::auth::{TokensView, origin, sessions};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use utoipa::ToSchema;

/// An invitation's token and the new member's password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptBody {
    /// The invitation's token.
    #[schema(min_length = 1, max_length = 200)]
    pub token: String,
    /// The password to sign in with: 8 to 128 characters.
    #[schema(min_length = 8, max_length = 128)]
    pub password: String,
    /// The name shown to the household (default: the email's part before `@`): at most 100
    /// characters, no control characters, not only spaces.
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*[^\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\x00-\x1F\x7F-\x9F]*$"
    )]
    pub display_name: Option<String>,
}

/// Accepts an invitation: creates the account with the invitation's email and roles, and signs
/// it in. The token works once, for 7 days. Audited (`invitation.accept`, `auth.login`).
#[utoipa::path(post, path = "/api/v1/invitations/accept", tag = "auth", operation_id = "accept_invitation",
    request_body(content = AcceptBody, content_type = "application/json"),
    responses((status = 200, description = "Joined and signed in", body = TokensView),
        Malformed, Unauthorized, HostedOnly, Conflicting, TooLarge, WrongMediaType, Invalid, Unavailable),
    security(()))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    JsonBody(body): JsonBody<AcceptBody>,
) -> Result<HttpResponse, ApiError> {
    let tokens = sessions(&state)?
        .accept_invitation(&body.token, body.password, body.display_name, &origin(&req))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(TokensView::new(tokens)))
}
