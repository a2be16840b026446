//! Hosted mode's sign-in (`auth.mode = "jwt"`): password sign-in, sign-in through identity
//! providers, refresh, sign-out, and the public keys that verify the access tokens.

pub(crate) mod jwks;
pub(crate) mod login;
pub(crate) mod logout;
pub(crate) mod oauth;
pub(crate) mod password_reset;
pub(crate) mod refresh;

use crate::error::ApiError;
use crate::middleware::telemetry::request_id;
use crate::state::ApiState;
use actix_web::HttpRequest;
use psma_core::accounts::sessions::{IssuedTokens, Origin, Sessions};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A new pair of tokens.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokensView {
    /// The access token: send it as `Authorization: Bearer …` with every API request.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// The refresh token: send it once to `POST /api/v1/auth/refresh` for a new pair. A used
    /// one presented again signs out every session of this sign-in.
    pub refresh_token: String,
    /// Seconds until the refresh token expires.
    pub refresh_expires_in: i64,
}

impl TokensView {
    pub(crate) fn new(tokens: IssuedTokens) -> Self {
        let now = tokens.issued_at;
        Self {
            access_token: tokens.access_token,
            token_type: "Bearer",
            expires_in: (tokens.access_expires_at - now).num_seconds(),
            refresh_token: tokens.refresh_token,
            refresh_expires_in: (tokens.refresh_expires_at - now).num_seconds(),
        }
    }
}

/// A refresh token, presented.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshTokenBody {
    /// The refresh token of the last sign-in or refresh.
    #[schema(min_length = 1, max_length = 4096)]
    pub refresh_token: String,
}

/// Hosted mode's sessions, or a 404 in local mode (where nobody signs in).
pub(crate) fn sessions(state: &ApiState) -> Result<&Sessions, ApiError> {
    hosted(state.sessions.as_ref())
}

/// A part only hosted mode has, or a 404 in local mode.
pub(crate) fn hosted<T>(part: Option<&T>) -> Result<&T, ApiError> {
    part.ok_or_else(|| {
        ApiError::Core(psma_core::Error::NotFound {
            resource: "hosted mode's accounts (the server runs in local mode)",
            id: "auth".to_owned(),
        })
    })
}

/// Where the request came from: its id and the client's address (behind trusted proxies, the
/// one they forwarded).
pub(crate) fn origin(req: &HttpRequest) -> Origin {
    use actix_web::HttpMessage as _;
    Origin {
        request_id: request_id(req),
        client_ip: req
            .extensions()
            .get::<crate::middleware::edge::ClientIp>()
            .map(|ip| ip.0.to_string()),
    }
}
