//! `GET /api/v1/auth/oauth/{provider}/start`.

use super::{bounded, cookie, sign_in};
use crate::error::ApiError;
use crate::extract::QueryParams;
use crate::responses::{HostedOnly, Invalid, Unauthorized, Unavailable};
use crate::state::ApiState;
use actix_web::http::header::{CACHE_CONTROL, LOCATION, SET_COOKIE};
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::IntoParams;

/// How to start.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StartParams {
    /// An invitation's token, when the person was invited: the first sign-in joins its
    /// household with the invited roles (the provider's verified email must be the invited
    /// one).
    #[param(min_length = 1, max_length = 200)]
    pub invitation: Option<String>,
}

/// Starts signing in through an identity provider (the authorization code flow with PKCE):
/// answers 302 to the provider's authorization page, and sets the cookie `psma_oauth`
/// (HttpOnly, SameSite=Lax, Path=/api/v1/auth/oauth, 10 minutes) that binds the sign-in to
/// this browser; the provider sends the browser back to `…/callback`. The provider must be
/// configured (`[auth.oauth.<provider>]`), else 404.
#[utoipa::path(get, path = "/api/v1/auth/oauth/{provider}/start", tag = "auth", operation_id = "oauth_start",
    params(("provider" = String, Path, description = "The provider's name as configured (`google`, `github`)",
        pattern = "^[a-z0-9-]{1,32}$", example = "github"), StartParams),
    responses(
        (status = 302, description = "To the provider's authorization page (`Location`), with the `psma_oauth` cookie set",
            headers(("location" = String, description = "The provider's authorization URL"),
                ("set-cookie" = String, description = "`psma_oauth`: the browser-binding secret"))),
        Unauthorized, HostedOnly, Invalid, Unavailable),
    security(()))]
pub(crate) async fn handle(
    state: web::Data<ApiState>,
    provider: web::Path<String>,
    QueryParams(params): QueryParams<StartParams>,
) -> Result<HttpResponse, ApiError> {
    bounded("invitation", params.invitation.as_deref(), 1, 200)?;
    let started = sign_in(&state)?
        .start(&provider, params.invitation.as_deref())
        .await?;
    Ok(HttpResponse::Found()
        .insert_header((LOCATION, started.authorization_url))
        .insert_header((
            SET_COOKIE,
            cookie(&state, &started.binding, started.ttl.num_seconds()),
        ))
        .insert_header((CACHE_CONTROL, "no-store"))
        .finish())
}
