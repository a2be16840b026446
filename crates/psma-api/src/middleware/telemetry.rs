//! Request ids, the request span and the one log line per request.

use super::metrics;
use crate::extract::CallerIds;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};
use std::time::Instant;
use tracing::Instrument;

/// The header carrying the request id, in and out.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The request's id, in the request's extensions.
#[derive(Debug, Clone)]
pub(crate) struct RequestId(pub String);

/// The id of `req`, for audit entries.
pub(crate) fn request_id(req: &actix_web::HttpRequest) -> Option<String> {
    req.extensions().get::<RequestId>().map(|r| r.0.clone())
}

/// A caller's id is kept when it is 1–128 visible ASCII characters; otherwise (or when absent)
/// a fresh UUID is used, so ids in logs are always safe to print and search.
fn accept_or_generate(given: Option<&HeaderValue>) -> String {
    given
        .and_then(|v| v.to_str().ok())
        .filter(|v| (1..=128).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_graphic()))
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned)
}

/// The path as logged: a calendar feed's path is its secret token, which must not reach a log.
fn loggable_path(path: &str) -> String {
    if path.starts_with("/calendar/") {
        "/calendar/<token>.ics".to_owned()
    } else {
        path.to_owned()
    }
}

/// Wraps every request: assigns its id, opens its span, logs one line and records metrics when
/// it completes, and echoes the id on the response.
pub(crate) async fn track(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let request_id = accept_or_generate(req.headers().get(&REQUEST_ID));
    req.extensions_mut().insert(RequestId(request_id.clone()));
    let method = req.method().to_string();
    let path = loggable_path(req.path());
    let route = req
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    // The span carries the request id for whatever is logged while the request is handled; the
    // request's own line (below, outside the span) carries every field itself. Kept this narrow
    // on purpose: the JSON formatter writes a span's fields when it opens, re-parses them on
    // every `record` and for every event inside it, and the wider span (method, path, tenant,
    // user) cost ~10 µs a request (docs/benchmarks.md, issue #7).
    let span = tracing::info_span!("request", request_id = %request_id);
    let mut res = next.call(req).instrument(span).await?;

    let status = res.status().as_u16();
    let elapsed = started.elapsed();
    let latency_ms = elapsed.as_secs_f64() * 1000.0;
    let caller = res.request().extensions().get::<CallerIds>().copied();
    let tenant_id = caller.map(|c| c.tenant_id.to_string());
    let user_id = caller.and_then(|c| c.user_id).map(|u| u.to_string());
    tracing::info!(
        method = %method,
        path = %path,
        status,
        latency_ms,
        request_id = %request_id,
        tenant_id = tenant_id.as_deref(),
        user_id = user_id.as_deref(),
        "request"
    );
    metrics::record_request(&method, &route, status, elapsed);
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        res.headers_mut().insert(REQUEST_ID, value);
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_calendar_token_never_reaches_the_log() {
        assert_eq!(
            loggable_path("/calendar/abc_def.ics"),
            "/calendar/<token>.ics"
        );
        assert_eq!(loggable_path("/api/v1/me"), "/api/v1/me");
    }

    #[test]
    fn a_sensible_request_id_is_kept() {
        let v = HeaderValue::from_static("abc-123");
        assert_eq!(accept_or_generate(Some(&v)), "abc-123");
    }

    #[test]
    fn an_unprintable_or_huge_request_id_is_replaced() {
        let spaced = HeaderValue::from_static("a b");
        assert_ne!(accept_or_generate(Some(&spaced)), "a b");
        let long = HeaderValue::from_str(&"x".repeat(129)).unwrap();
        assert_eq!(accept_or_generate(Some(&long)).len(), 36);
        assert_eq!(accept_or_generate(None).len(), 36);
    }
}
