//! Every error response leaves as problem+json with `instance` and `request_id` filled in —
//! those from handlers and extractors ([`ApiError`]) and those actix makes itself (405 for a
//! wrong method, 404 from the default service) alike. A browser asking for a page outside the
//! API gets the same problem as an HTML page instead ([`crate::ui::errors`]); a page that
//! rendered its own error (a form shown again beside its errors) is left as it is.

use super::telemetry::RequestId;
use crate::error::ApiError;
use crate::problem;
use crate::ui;
use actix_web::HttpMessage;
use actix_web::dev::ServiceResponse;
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};

/// The middleware.
pub(crate) fn render<B: 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(to_problem)
}

fn to_problem<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let (req, res) = res.into_parts();
    let status = res.status();
    let api_error = res.error().and_then(|e| e.as_error::<ApiError>());
    if let Some(ApiError::Core(psma_core::Error::Internal(cause))) = api_error {
        tracing::error!(error = %cause, chain = ?cause, "internal error");
    } else if status.is_server_error() {
        tracing::error!(%status, error = ?res.error(), "server error");
    }
    let is_html = res
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        let res = ServiceResponse::new(req, res).map_into_left_body();
        return Ok(ErrorHandlerResponse::Response(res));
    }
    let request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone());
    let body = problem::build(status, api_error, req.path(), request_id);
    let browser = ui::errors::wants_html(&req);
    if browser
        && status == actix_web::http::StatusCode::UNAUTHORIZED
        && req.method() == actix_web::http::Method::GET
        && ui::errors::hosted(&req)
    {
        // A page whose session lapsed: renew it (or sign in) and come back.
        let res = ServiceResponse::new(req.clone(), ui::errors::renew_session(&req))
            .map_into_right_body();
        return Ok(ErrorHandlerResponse::Response(res));
    }
    let mut rendered = if browser {
        ui::errors::render(&body)
    } else {
        problem::respond(&body)
    };
    // Keep headers a handler or actix set on purpose (Allow on a 405, Retry-After on a 503).
    for (name, value) in res.headers() {
        if name != actix_web::http::header::CONTENT_TYPE
            && name != actix_web::http::header::CONTENT_LENGTH
        {
            rendered.headers_mut().insert(name.clone(), value.clone());
        }
    }
    let res = ServiceResponse::new(req, rendered).map_into_right_body();
    Ok(ErrorHandlerResponse::Response(res))
}
