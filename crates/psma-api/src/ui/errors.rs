//! Errors as a person sees them: the same problem the API would answer (built in one place,
//! [`crate::problem`]), rendered as a page for browsers. `/api/*` always answers problem+json;
//! elsewhere the client's `Accept` decides, so scripts keep getting JSON.

use super::page::{Layout, Section, html_response};
use crate::problem::Problem;
use actix_web::HttpRequest;
use actix_web::http::StatusCode;
use actix_web::http::header::ACCEPT;
use askama::Template;

#[derive(Template)]
#[template(path = "pages/error.html")]
struct ErrorPage {
    layout: Layout,
    heading: String,
    status: u16,
    detail: String,
    errors: Vec<String>,
    next_step: &'static str,
    request_id: Option<String>,
}

/// Whether a failed request should get an HTML page: a browser (it accepts `text/html`)
/// asking for something outside the API.
pub(crate) fn wants_html(req: &HttpRequest) -> bool {
    let path = req.path();
    if path.starts_with("/api/") || path.starts_with("/plan/v1/") {
        return false;
    }
    req.headers()
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

/// The page for `problem`; the problem's status, headers kept by the caller.
pub(crate) fn render(problem: &Problem) -> actix_web::HttpResponse {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let (heading, next_step) = match status {
        StatusCode::NOT_FOUND => (
            "Not found",
            "The address may be mistyped, or what it showed was removed.",
        ),
        StatusCode::UNAUTHORIZED => ("Please sign in", "Sign in, then open this page again."),
        StatusCode::FORBIDDEN => (
            "Not allowed",
            "Your role in this household does not allow this. Ask its owner or an admin.",
        ),
        StatusCode::TOO_MANY_REQUESTS => ("Too many requests", "Wait a moment, then try again."),
        s if s.is_server_error() => (
            "Something went wrong",
            "Try again in a moment. If it keeps happening, the request id below helps whoever runs this server.",
        ),
        _ => (
            "That did not work",
            "Go back, check what you entered and try again.",
        ),
    };
    let page = ErrorPage {
        layout: Layout::new(heading, Section::Elsewhere),
        heading: heading.to_owned(),
        status: problem.status,
        detail: problem.detail.clone(),
        errors: problem
            .errors
            .iter()
            .map(|e| {
                let place = [e.location.as_deref(), e.field.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(", ");
                if place.is_empty() {
                    e.message.clone()
                } else {
                    format!("{place}: {}", e.message)
                }
            })
            .collect(),
        next_step,
        request_id: problem.request_id.clone(),
    };
    let html = page.render().unwrap_or_else(|e| {
        tracing::error!(error = %e, "rendering the error page");
        format!(
            "<!doctype html><title>Error</title><h1>Error {}</h1>",
            problem.status
        )
    });
    html_response(status, html)
}

/// Whether the server runs hosted mode (where a page session can lapse).
pub(crate) fn hosted(req: &HttpRequest) -> bool {
    req.app_data::<actix_web::web::Data<crate::state::ApiState>>()
        .is_some_and(|s| s.sessions.is_some())
}

/// Where a page request without a valid session goes: `/session/renew`, which renews the
/// session from its refresh cookie (or asks to sign in) and comes back to this page — unless a
/// renewal just happened and the page still refused it (keys out of step between replicas, a
/// clock far off): then to sign in, never round in circles.
pub(crate) fn renew_session(req: &HttpRequest) -> actix_web::HttpResponse {
    let here = req
        .uri()
        .path_and_query()
        .map_or_else(|| "/".to_owned(), ToString::to_string);
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("next", &here)
        .finish();
    if super::session::just_renewed(req) {
        return super::page::see_other(&format!("/login?{query}"));
    }
    super::page::see_other(&format!("/session/renew?{query}"))
}
