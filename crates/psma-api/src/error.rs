//! The HTTP adapter's one error type: what a handler or extractor can fail with.

use psma_core::Error as CoreError;
use psma_core::ports::ReadinessReport;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A use case or port failed.
    #[error(transparent)]
    Core(#[from] CoreError),
    /// The body is not syntactically valid JSON.
    #[error("the request body is not valid JSON: {0}")]
    MalformedJson(String),
    /// The body is JSON of the wrong shape; `field` is the path to the offending value.
    #[error("{field}: {message}")]
    InvalidField {
        /// Path of the field (`display_name`, `items[2].id`).
        field: String,
        /// What is wrong.
        message: String,
    },
    /// The body is not of a media type the route takes.
    #[error("expected Content-Type {expected}, got {got}")]
    UnsupportedMediaType {
        /// What the route takes.
        expected: &'static str,
        /// What came.
        got: String,
    },
    /// The body is larger than `server.max_body_bytes`.
    #[error("the request body exceeds the limit of {limit} bytes")]
    PayloadTooLarge {
        /// The limit.
        limit: usize,
    },
    /// The request's headers are larger than `server.max_header_bytes`.
    #[error("the request's headers exceed the limit of {limit} bytes")]
    HeadersTooLarge {
        /// The limit.
        limit: usize,
    },
    /// The request named a host this server does not answer to (`server.allowed_hosts`).
    #[error(
        "this server does not answer to the host `{host}`; if it is this server's name, add it to server.allowed_hosts"
    )]
    MisdirectedHost {
        /// The host the request named.
        host: String,
    },
    /// The process cannot serve: the database is unreachable or its schema is behind.
    #[error("not ready: {}", describe_readiness(.0))]
    NotReady(ReadinessReport),
    /// The body could not be read (the client went away mid-request).
    #[error("the request body could not be read: {0}")]
    BodyRead(String),
}

fn describe_readiness(report: &ReadinessReport) -> String {
    if report.database_reachable {
        format!(
            "migrations pending: {}",
            report.pending_migrations.join(", ")
        )
    } else {
        "the database is unreachable".to_owned()
    }
}
