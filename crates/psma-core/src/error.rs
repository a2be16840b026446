//! The core's one error type. Adapters translate their own failures into it; the HTTP edge maps
//! it to problem+json variant by variant.

use std::fmt;

/// What can go wrong in a use case or a port, in the domain's words.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Input broke a rule of the domain; `field` names the offending input (`display_name`).
    #[error("{field}: {message}")]
    Validation {
        /// The input field, as the caller spelled it.
        field: String,
        /// What is wrong with it, for a person.
        message: String,
    },
    /// A document (an import file) broke rules in several places; nothing of it was kept.
    #[error("{summary}")]
    Rejected {
        /// What happened, for a person (`3 problems in the import; nothing was imported`).
        summary: String,
        /// Each problem: where, which field, what.
        problems: Vec<InputProblem>,
    },
    /// The thing asked for does not exist, or the caller's tenant cannot see it.
    #[error("{resource} {id} not found")]
    NotFound {
        /// Kind of record (`user`, `tenant`).
        resource: &'static str,
        /// Its id as given.
        id: String,
    },
    /// The change would break a uniqueness or state rule (a duplicate email, say).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The caller did not prove who they are (no or bad credentials).
    #[error("unauthenticated: {0}")]
    Unauthenticated(String),
    /// The caller is known but lacks the permission for this action.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The caller must wait before trying again (sign-in back-off, a lockout, a rate limit).
    #[error("too many attempts: {reason}; retry after {retry_after_secs} s")]
    Throttled {
        /// Why, for a person.
        reason: String,
        /// Seconds to wait (sent as `Retry-After`).
        retry_after_secs: u64,
    },
    /// A dependency (the database) cannot be reached right now; retrying later may succeed.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// A service PSMA called on the caller's behalf (an identity provider) could not be
    /// reached in time or answered something unusable; retrying later may succeed.
    #[error("upstream: {0}")]
    Upstream(String),
    /// An unexpected failure; the cause chain is for the log, not for the caller.
    #[error("internal error: {0}")]
    Internal(#[source] BoxError),
}

/// One problem in a document: where it is, which field, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputProblem {
    /// `line 7`, or a JSON pointer such as `/availability/3`.
    pub location: Option<String>,
    /// The offending field (`available_from`).
    pub field: Option<String>,
    /// What is wrong, for a person.
    pub message: String,
}

impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(location) = &self.location {
            write!(f, "{location}: ")?;
        }
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// A boxed error from an adapter, kept for its cause chain.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Shorthand for results of the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A validation error on `field`.
    pub fn validation(field: impl Into<String>, message: impl fmt::Display) -> Self {
        Self::Validation {
            field: field.into(),
            message: message.to_string(),
        }
    }

    /// Wraps any adapter failure as [`Error::Internal`].
    pub fn internal(err: impl Into<BoxError>) -> Self {
        Self::Internal(err.into())
    }
}
