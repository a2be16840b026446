//! Forged form posts (CSRF), refused twice over (ADR 0032):
//!
//! 1. **Same origin**: a state-changing request whose `Sec-Fetch-Site` says another site sent
//!    it, or whose `Origin` is not this server, is refused before any handler runs.
//! 2. **A double-submitted token**: every page visit carries a random token in a cookie
//!    (`__Host-psma_csrf` over https, `psma_csrf` otherwise), and every form repeats it in a
//!    hidden `_csrf` field, which [`super::form::Form`] compares in constant time. Another site
//!    can make a browser send the cookie, but cannot read it to fill in the field.
//!
//! Both apply in local mode too: a login-free server on localhost is exactly what a cross-site
//! form post aims at. `SameSite=Lax` keeps the cookie off cross-site posts as a third layer.

use crate::error::ApiError;
use crate::state::ApiState;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use base64::Engine;
use std::future::{Ready, ready};

/// The token of this visit, for the page's forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CsrfToken(pub String);

/// What the layout of every page needs to know about the visit: its form token (the header's
/// sign-out form) and whether someone is signed in (hosted mode).
#[derive(Debug, Clone, Default)]
pub(crate) struct Visit {
    pub csrf: String,
    pub signed_in: bool,
    /// When the request arrived: the page's live updates start there, so nothing that happens
    /// while the page renders and its script connects goes unheard.
    pub began: chrono::DateTime<chrono::Utc>,
}

tokio::task_local! {
    /// The visit of the page being rendered (set around each page's handler).
    pub(crate) static VISIT: Visit;
}

/// The cookie's name: the `__Host-` prefix (Secure, no Domain, Path=/) keeps a sibling
/// subdomain from planting its own token — the weak spot of plain double-submit.
fn cookie_name(https: bool) -> &'static str {
    if https {
        "__Host-psma_csrf"
    } else {
        "psma_csrf"
    }
}

/// The value of cookie `name` in `headers`.
pub(crate) fn read_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| h.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.trim().to_owned())
}

/// A well-formed token (32 bytes, base64url): anything else is replaced, never echoed.
fn well_formed(token: &str) -> bool {
    token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn generate() -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| psma_core::Error::internal(format!("no randomness for a form token: {e}")))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// Whether the request came from a page of this server (or from no page at all: a client
/// that sends neither header is not a browser, and still needs the token).
fn same_origin(req: &ServiceRequest) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin_host = origin.split_once("://").map(|(_, rest)| rest);
    // Behind a proxy that rewrites `Host`, the page's origin is the public address.
    let public = req
        .app_data::<web::Data<ApiState>>()
        .and_then(|s| s.public_url.as_deref())
        .map(|u| u.trim_end_matches('/'));
    (origin_host.is_some() && origin_host == host) || public == Some(origin)
}

/// The middleware on every page: hands the visit's token to the handler (setting the cookie
/// on the first visit) and refuses cross-site state changes.
pub(crate) async fn protect<B: MessageBody>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let https = super::session::https(req.request());
    let name = cookie_name(https);
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD);
    if unsafe_method && !same_origin(&req) {
        let err = ApiError::Core(psma_core::Error::Forbidden(
            "this form was sent from another site; open the page on this server and send it from there".to_owned(),
        ));
        return Ok(req.error_response(err).map_into_right_body());
    }
    let presented = read_cookie(req.headers(), name).filter(|t| well_formed(t));
    let (token, fresh) = match presented {
        Some(token) => (token, false),
        None => match generate() {
            Ok(token) => (token, true),
            Err(err) => return Ok(req.error_response(err).map_into_right_body()),
        },
    };
    req.extensions_mut().insert(CsrfToken(token.clone()));
    let hosted = req
        .app_data::<web::Data<ApiState>>()
        .is_some_and(|s| s.sessions.is_some());
    let visit = Visit {
        csrf: token.clone(),
        signed_in: hosted && super::session::access_token(req.request()).is_some(),
        began: chrono::Utc::now(),
    };
    let mut res = VISIT
        .scope(visit, next.call(req))
        .await?
        .map_into_left_body();
    if fresh {
        let cookie = format!(
            // Lasts a month: a form left open across a browser restart still posts.
            "{name}={token}; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax{}",
            if https { "; Secure" } else { "" }
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            res.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    Ok(res)
}

impl FromRequest for CsrfToken {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        ready(
            req.extensions()
                .get::<Self>()
                .cloned()
                .ok_or_else(|| psma_core::Error::internal("a page without its form token").into()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_well_formed() {
        let (a, b) = (generate().unwrap(), generate().unwrap());
        assert!(well_formed(&a) && well_formed(&b));
        assert_ne!(a, b);
        assert!(!well_formed("short"));
        assert!(!well_formed(&format!("{}\"", &a[..42])));
    }
}
