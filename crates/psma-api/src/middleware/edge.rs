//! What every request and response of the API gets at the edge: headers bounded in size, the
//! client's address worked out (behind trusted proxies), the host checked against the names the
//! server answers to, the per-address rate limit, and security headers.

use super::hosts::HostPolicy;
use crate::error::ApiError;
use crate::state::ApiState;
use crate::ui;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, web};
use std::net::IpAddr;

/// The client's address as far as the server can tell, in the request's extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ClientIp(pub IpAddr);

/// The API's own paths are JSON: nothing in them may run, embed or be embedded.
const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";
/// The interactive API docs load their own scripts and styles (Swagger UI, served by PSMA).
const DOCS_CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
     script-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

/// The web UI's pages: their own scripts, styles and images only — no inline script or style,
/// no other origin, forms posting only back here.
const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
     base-uri 'none'";

/// Which security policy a response gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Surface {
    /// JSON and other machine answers.
    Api,
    /// The interactive API docs.
    Docs,
    /// A web page.
    Page,
}

/// Paths probes call, never rate-limited: an orchestrator must always learn the truth.
const PROBES: [&str; 3] = ["/health", "/ready", "/metrics"];

/// The edge middleware of the API server.
pub(crate) async fn guard<B: MessageBody>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    // A refusal is a response, not an error: the problem middleware then renders it like any
    // other (instance, request id) and the request log line is written.
    let refuse = |req: ServiceRequest, err: ApiError, surface: Surface, https: bool| {
        let mut res = req.error_response(err).map_into_right_body();
        secure(res.headers_mut(), surface, https);
        Ok(res)
    };
    let state = req.app_data::<web::Data<ApiState>>().cloned();
    let https = state.as_ref().is_some_and(|s| s.serves_https());
    let surface = if req.path().starts_with("/api/docs") {
        Surface::Docs
    } else if ui::errors::wants_html(req.request()) {
        Surface::Page
    } else {
        Surface::Api
    };
    let probe = PROBES.contains(&req.path());
    if !probe && let Some(hosts) = req.app_data::<web::Data<HostPolicy>>() {
        let host = req
            .uri()
            .authority()
            .map(|a| a.as_str().to_owned())
            .or_else(|| {
                req.headers()
                    .get(actix_web::http::header::HOST)
                    .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            });
        if !hosts.allows(host.as_deref()) {
            let host = host.unwrap_or_default().chars().take(100).collect();
            return refuse(req, ApiError::MisdirectedHost { host }, surface, https);
        }
    }
    if let Some(state) = &state {
        let size: usize = req
            .headers()
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len())
            .sum();
        if size > state.max_header_bytes {
            let limit = state.max_header_bytes;
            return refuse(req, ApiError::HeadersTooLarge { limit }, surface, https);
        }
        let peer = req.peer_addr().map(|a| a.ip());
        let forwarded = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok());
        if let Some(ip) = client_ip(peer, forwarded, &state.trusted_proxies) {
            req.extensions_mut().insert(ClientIp(ip));
            if !probe
                && !req.path().starts_with("/assets/")
                && let Err(err) = state.rate_limits.check_ip(ip)
            {
                return refuse(req, ApiError::Core(err), surface, https);
            }
        }
    }
    let mut res = next.call(req).await?.map_into_left_body();
    let html = res
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    let surface = if html && surface == Surface::Api {
        Surface::Page
    } else {
        surface
    };
    secure(res.headers_mut(), surface, https);
    Ok(res)
}

/// The security headers, on every response (unless the handler set its own).
pub(crate) fn secure(
    headers: &mut actix_web::http::header::HeaderMap,
    surface: Surface,
    https: bool,
) {
    let mut set = |name: &'static str, value: &'static str| {
        let name = HeaderName::from_static(name);
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    };
    set("x-content-type-options", "nosniff");
    set("x-frame-options", "DENY");
    set("referrer-policy", "no-referrer");
    set("cross-origin-opener-policy", "same-origin");
    set(
        "content-security-policy",
        match surface {
            Surface::Api => API_CSP,
            Surface::Docs => DOCS_CSP,
            Surface::Page => PAGE_CSP,
        },
    );
    set(
        "permissions-policy",
        "camera=(), microphone=(), geolocation=(), payment=()",
    );
    if https {
        set(
            "strict-transport-security",
            "max-age=31536000; includeSubDomains",
        );
    }
}

/// The operations server's edge (a `psma worker`'s probes): security headers only.
pub(crate) async fn secure_only(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let mut res = next.call(req).await?;
    secure(res.headers_mut(), Surface::Api, false);
    Ok(res)
}

/// The client's address: the peer's, unless the peer is a trusted proxy; then the nearest
/// address in `X-Forwarded-For` (read right to left) that is not one.
pub(crate) fn client_ip(
    peer: Option<IpAddr>,
    forwarded_for: Option<&str>,
    trusted: &[IpAddr],
) -> Option<IpAddr> {
    let peer = peer?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let Some(chain) = forwarded_for else {
        return Some(peer);
    };
    let mut nearest = peer;
    for hop in chain.rsplit(',') {
        match hop.trim().parse::<IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => nearest = ip,
            Ok(ip) => return Some(ip),
            // A hop that is not an address: stop at the last one believed.
            Err(_) => return Some(nearest),
        }
    }
    Some(nearest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_peer_is_the_client_unless_it_is_a_trusted_proxy() {
        let proxy = ip("10.0.0.1");
        assert_eq!(
            client_ip(Some(ip("203.0.113.9")), Some("1.2.3.4"), &[proxy]),
            Some(ip("203.0.113.9")),
            "an untrusted peer's header is ignored"
        );
        assert_eq!(
            client_ip(Some(proxy), Some("1.2.3.4, 198.51.100.7"), &[proxy]),
            Some(ip("198.51.100.7")),
            "the nearest hop"
        );
        assert_eq!(
            client_ip(
                Some(proxy),
                Some("1.2.3.4, 10.0.0.2, 10.0.0.1"),
                &[proxy, ip("10.0.0.2")]
            ),
            Some(ip("1.2.3.4")),
            "across a chain of trusted proxies"
        );
        assert_eq!(
            client_ip(
                Some(proxy),
                Some("junk, 10.0.0.2"),
                &[proxy, ip("10.0.0.2")]
            ),
            Some(ip("10.0.0.2"))
        );
        assert_eq!(client_ip(Some(proxy), None, &[proxy]), Some(proxy));
        assert_eq!(client_ip(None, Some("1.2.3.4"), &[]), None);
    }
}
