//! problem+json (RFC 9457): the body of every error response, built in one place.
//!
//! Handlers and extractors fail with [`ApiError`]; actix's own failures (unknown route, wrong
//! method) are bare status codes. The error-rendering middleware calls [`render`] for both, so
//! each response carries the request's path as `instance` and its request id.

use crate::error::ApiError;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use psma_core::Error as CoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// The media type of every error body.
pub const CONTENT_TYPE: &str = "application/problem+json";

/// An RFC 9457 problem details object, with PSMA's extension members.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A stable URI naming the kind of problem (`urn:psma:problem:validation`).
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong in this occurrence, for a person.
    pub detail: String,
    /// The request path this occurrence concerns.
    pub instance: String,
    /// The request id (also in the `x-request-id` header), for finding the log lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// For validation problems: each offending field and what is wrong with it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For readiness problems: `ok` or `unreachable`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database: Option<&'static str>,
    /// For readiness problems: migrations this build knows that the database lacks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pending_migrations: Option<Vec<String>>,
}

/// One invalid input: a field of the request, or a place in an uploaded document.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldError {
    /// Where in an uploaded document (`line 7`, `/availability/3`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Path of the field (`display_name`, `available_from`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What is wrong with it.
    pub message: String,
}

/// The status code and problem type of an error, variant by variant.
#[must_use]
pub fn classify(err: &ApiError) -> (StatusCode, &'static str) {
    match err {
        ApiError::Core(core) => match core {
            CoreError::Validation { .. } | CoreError::Rejected { .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, "validation")
            }
            CoreError::NotFound { .. } => (StatusCode::NOT_FOUND, "not-found"),
            CoreError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            CoreError::Unauthenticated(_) => (StatusCode::UNAUTHORIZED, "unauthenticated"),
            CoreError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            CoreError::Throttled { .. } => (StatusCode::TOO_MANY_REQUESTS, "throttled"),
            CoreError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            CoreError::Upstream(_) => (StatusCode::BAD_GATEWAY, "upstream"),
            CoreError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        },
        ApiError::MalformedJson(_) => (StatusCode::BAD_REQUEST, "malformed-json"),
        ApiError::InvalidField { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "validation"),
        ApiError::UnsupportedMediaType { .. } => {
            (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type")
        }
        ApiError::PayloadTooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "payload-too-large"),
        ApiError::HeadersTooLarge { .. } => (
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "headers-too-large",
        ),
        ApiError::MisdirectedHost { .. } => (StatusCode::MISDIRECTED_REQUEST, "misdirected"),
        ApiError::BodyRead(_) => (StatusCode::BAD_REQUEST, "unreadable-body"),
        ApiError::NotReady(_) => (StatusCode::SERVICE_UNAVAILABLE, "not-ready"),
    }
}

/// The problem type of a bare status code (one actix produced without an [`ApiError`]).
fn kind_of_status(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "not-found",
        StatusCode::METHOD_NOT_ALLOWED => "method-not-allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "payload-too-large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported-media-type",
        StatusCode::BAD_REQUEST => "bad-request",
        StatusCode::TOO_MANY_REQUESTS => "throttled",
        s if s.is_server_error() => "internal",
        _ => "client-error",
    }
}

/// Builds the problem for a failed request: from its [`ApiError`] when there is one, else from
/// the bare status. Internal errors keep their cause out of the body (it goes to the log).
#[must_use]
pub fn build(
    status: StatusCode,
    err: Option<&ApiError>,
    instance: &str,
    request_id: Option<String>,
) -> Problem {
    let (status, kind) = err.map_or((status, kind_of_status(status)), classify);
    let title = status.canonical_reason().unwrap_or("Error").to_owned();
    let detail = match err {
        Some(ApiError::Core(CoreError::Internal(_))) | None if status.is_server_error() => {
            "an unexpected error occurred; the request id identifies it in the server log"
                .to_owned()
        }
        Some(e) => e.to_string(),
        None if status == StatusCode::NOT_FOUND => format!("no resource at {instance}"),
        None if status == StatusCode::METHOD_NOT_ALLOWED => {
            format!("{instance} does not accept this method")
        }
        None => title.clone(),
    };
    let errors = match err {
        Some(ApiError::InvalidField { field, message })
        | Some(ApiError::Core(CoreError::Validation { field, message })) => vec![FieldError {
            location: None,
            field: Some(field.clone()),
            message: message.clone(),
        }],
        Some(ApiError::Core(CoreError::Rejected { problems, .. })) => problems
            .iter()
            .map(|p| FieldError {
                location: p.location.clone(),
                field: p.field.clone(),
                message: p.message.clone(),
            })
            .collect(),
        _ => Vec::new(),
    };
    let readiness = match err {
        Some(ApiError::NotReady(report)) => Some(report),
        _ => None,
    };
    Problem {
        kind: format!("urn:psma:problem:{kind}"),
        title,
        status: status.as_u16(),
        detail,
        instance: instance.to_owned(),
        request_id,
        errors,
        database: readiness.map(|r| {
            if r.database_reachable {
                "ok"
            } else {
                "unreachable"
            }
        }),
        pending_migrations: readiness.map(|r| r.pending_migrations.clone()),
    }
}

/// The response for `problem`.
#[must_use]
pub fn respond(problem: &Problem) -> HttpResponse {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    HttpResponse::build(status)
        .content_type(CONTENT_TYPE)
        .json(problem)
}

impl actix_web::ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        classify(self).0
    }

    // Without the request at hand this cannot fill `instance`; the error-rendering middleware
    // replaces it with the complete problem. It still is valid problem+json on its own.
    fn error_response(&self) -> HttpResponse {
        let mut response = respond(&build(self.status_code(), Some(self), "", None));
        // The middleware keeps this header when it renders the complete problem.
        if let Self::Core(CoreError::Throttled {
            retry_after_secs, ..
        }) = self
            && let Ok(value) =
                actix_web::http::header::HeaderValue::try_from(retry_after_secs.to_string())
        {
            response
                .headers_mut()
                .insert(actix_web::http::header::RETRY_AFTER, value);
        }
        response
    }
}
