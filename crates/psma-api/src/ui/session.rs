//! Hosted mode's browser session (ADR 0033): the same access and refresh tokens the API hands
//! out, kept in HttpOnly cookies — `__Host-psma_at` (every path, lives as long as the access
//! token) and `__Secure-psma_rt` (sent only to `/session/*`, where it is renewed or ended).
//! Over plain http (no https `server.public_url`) the names lose their prefixes and the
//! `Secure` flag. Cookies authenticate pages only: API routes stay bearer-only.
//!
//! Renewal happens in one place, `/session/renew`, when a page finds its access cookie gone or
//! expired. Two tabs renewing at once would present the same single-use refresh token twice,
//! which the core reads as theft and answers by revoking the whole sign-in; renewals are
//! therefore serialised, and one that just succeeded is handed to a second asker presenting the
//! same token within [`SHARED_FOR`] (in this process).

use crate::state::ApiState;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use psma_core::accounts::sessions::Origin;
use psma_core::accounts::sessions::{IssuedTokens, TokenDigest};
use std::collections::HashMap;
use std::sync::LazyLock;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// How long a renewal's result is handed to a concurrent renewal with the same token.
const SHARED_FOR: Duration = Duration::from_secs(10);

/// Whether cookies are for an https site (`server.public_url`).
pub(crate) fn https(req: &HttpRequest) -> bool {
    req.app_data::<web::Data<ApiState>>()
        .is_some_and(|s| s.serves_https())
}

fn access_name(https: bool) -> &'static str {
    if https { "__Host-psma_at" } else { "psma_at" }
}

fn refresh_name(https: bool) -> &'static str {
    if https { "__Secure-psma_rt" } else { "psma_rt" }
}

/// The access token the request's cookies carry.
pub(crate) fn access_token(req: &HttpRequest) -> Option<String> {
    super::csrf::read_cookie(req.headers(), access_name(https(req))).filter(|t| !t.is_empty())
}

/// The refresh token the request's cookies carry (sent to `/session/*` only).
pub(crate) fn refresh_token(req: &HttpRequest) -> Option<String> {
    super::csrf::read_cookie(req.headers(), refresh_name(https(req))).filter(|t| !t.is_empty())
}

fn cookie(name: &str, value: &str, path: &str, max_age: i64, https: bool) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!(
        "{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite=Lax{}",
        if https { "; Secure" } else { "" }
    ))
    .ok()
}

/// The marker a renewal leaves for half a minute, so a page refusing the fresh session sends
/// the browser to sign in instead of renewing again.
const RENEWED: &str = "psma_renewed";

/// Whether this browser renewed its session in the last 30 s.
pub(crate) fn just_renewed(req: &HttpRequest) -> bool {
    super::csrf::read_cookie(req.headers(), RENEWED).is_some()
}

/// [`set`], marking the renewal.
pub(crate) fn set_renewed(res: &mut HttpResponse, req: &HttpRequest, tokens: &IssuedTokens) {
    set(res, req, tokens);
    if let Some(value) = cookie(RENEWED, "1", "/", 30, https(req)) {
        res.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// Sets the session cookies for `tokens` on `res`.
pub(crate) fn set(res: &mut HttpResponse, req: &HttpRequest, tokens: &IssuedTokens) {
    let https = https(req);
    let now = Utc::now();
    let access = (tokens.access_expires_at - now).num_seconds().max(1);
    let refresh = (tokens.refresh_expires_at - now).num_seconds().max(1);
    let headers = res.headers_mut();
    for value in [
        cookie(access_name(https), &tokens.access_token, "/", access, https),
        cookie(
            refresh_name(https),
            &tokens.refresh_token,
            "/session",
            refresh,
            https,
        ),
    ]
    .into_iter()
    .flatten()
    {
        headers.append(header::SET_COOKIE, value);
    }
}

/// Clears the session cookies on `res`.
pub(crate) fn clear(res: &mut HttpResponse, req: &HttpRequest) {
    let https = https(req);
    let headers = res.headers_mut();
    for value in [
        cookie(access_name(https), "", "/", 0, https),
        cookie(refresh_name(https), "", "/session", 0, https),
    ]
    .into_iter()
    .flatten()
    {
        headers.append(header::SET_COOKIE, value);
    }
}

/// `next` if it is a path on this server (`/plan?x=1`), else `/`: never an open redirect.
pub(crate) fn safe_next(next: &str) -> String {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(char::is_control);
    if ok { next.to_owned() } else { "/".to_owned() }
}

static RECENT: LazyLock<Mutex<HashMap<String, (Instant, IssuedTokens)>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// Renews the session of refresh token `token` — once, however many tabs ask at the same time.
///
/// # Errors
/// As `Sessions::refresh`.
pub(crate) async fn renew(
    state: &ApiState,
    token: &str,
    origin: &Origin,
) -> Result<IssuedTokens, crate::error::ApiError> {
    let sessions = crate::routes::auth::sessions(state)?;
    // Keyed by the token's digest: the map never holds a usable refresh token.
    let key = TokenDigest::of(token).0;
    let mut recent = RECENT.lock().await;
    recent.retain(|_, (at, _)| at.elapsed() < SHARED_FOR);
    if let Some((_, tokens)) = recent.get(&key) {
        return Ok(tokens.clone());
    }
    let tokens = sessions.refresh(token, origin).await?;
    recent.insert(key, (Instant::now(), tokens.clone()));
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_server_are_followed() {
        assert_eq!(safe_next("/plan?x=1"), "/plan?x=1");
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "",
            "plan",
            "/a\nb",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad:?}");
        }
    }
}
