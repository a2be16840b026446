//! Signing in through an identity provider (hosted mode with `[auth.oauth.<provider>]`,
//! ADR 0030): `start` sends the browser to the provider with a cookie binding the flow to it;
//! `callback` is where the provider sends it back.

pub(crate) mod callback;
pub(crate) mod start;

use crate::error::ApiError;
use crate::state::ApiState;
use actix_web::HttpRequest;
use psma_core::accounts::identities::OAuthSignIn;

/// The cookie holding the browser-binding secret.
const COOKIE: &str = "psma_oauth";
/// The only path the cookie is sent to.
const COOKIE_PATH: &str = "/api/v1/auth/oauth";

/// The identity providers, or a 404 when none is configured (always so in local mode).
fn sign_in(state: &ApiState) -> Result<&OAuthSignIn, ApiError> {
    state.oauth.as_ref().ok_or_else(|| {
        ApiError::Core(psma_core::Error::NotFound {
            resource: "identity provider (none is configured)",
            id: "oauth".to_owned(),
        })
    })
}

/// `Set-Cookie` for `value`, alive `max_age` seconds (0 removes it). HttpOnly: no script
/// reads it; SameSite=Lax: sent on the provider's top-level redirect back, not on
/// cross-site subrequests; Secure behind an https public URL.
fn cookie(state: &ApiState, value: &str, max_age: i64) -> String {
    let secure = state.serves_https();
    format!(
        "{COOKIE}={value}; Path={COOKIE_PATH}; Max-Age={max_age}; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The browser-binding secret the request's cookies carry.
fn presented_binding(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get_all(actix_web::http::header::COOKIE)
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| h.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim().to_owned())
}

/// Refuses a parameter whose length (in characters) is outside `min..=max`, as its schema
/// says.
fn bounded(field: &str, value: Option<&str>, min: usize, max: usize) -> Result<(), ApiError> {
    match value.map(|v| v.chars().count()) {
        Some(n) if n < min || n > max => Err(ApiError::InvalidField {
            field: field.to_owned(),
            message: format!("must be {min} to {max} characters"),
        }),
        _ => Ok(()),
    }
}
