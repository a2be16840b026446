//! The one error type of a provider: every failure a plugin can report, typed, so the
//! pipeline knows whether to retry, back off, or give up.

use std::time::Duration;

/// How a provider failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// The configuration is wrong; `field` names the key (`api_key`, `countries[1]`).
    #[error("configuration: {field}: {message}")]
    Config {
        /// The offending configuration key.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// The upstream refused the credentials.
    #[error("authentication failed: {0}")]
    Auth(String),
    /// The upstream asked us to slow down; try again after `retry_after` when given.
    #[error("rate limited{}", .retry_after.map(|d| format!(" (retry after {} s)", d.as_secs())).unwrap_or_default())]
    RateLimited {
        /// How long to wait, when the upstream said.
        retry_after: Option<Duration>,
    },
    /// The upstream failed or could not be reached (a 5xx, a timeout, a crashed program).
    #[error("upstream failed{}: {message}", .status.map(|s| format!(" with status {s}")).unwrap_or_default())]
    Upstream {
        /// The upstream's status code, when it sent one.
        status: Option<u16>,
        /// What happened.
        message: String,
    },
    /// One record could not be read or breaks the contract. Only that record is lost: a
    /// fetch may yield this and go on.
    #[error("malformed record{}{}: {message}",
        .location.as_ref().map(|l| format!(" at {l}")).unwrap_or_default(),
        .field.as_ref().map(|f| format!(", field {f}")).unwrap_or_default())]
    Malformed {
        /// Where the record is (`line 7`, `/availability/3`).
        location: Option<String>,
        /// The offending field (`available_from`).
        field: Option<String>,
        /// What is wrong.
        message: String,
    },
}

/// The kinds of [`ProviderError`], as named in the exec protocol and in refresh-run records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProviderErrorKind {
    /// [`ProviderError::Config`]
    Config,
    /// [`ProviderError::Auth`]
    Auth,
    /// [`ProviderError::RateLimited`]
    RateLimited,
    /// [`ProviderError::Upstream`]
    Upstream,
    /// [`ProviderError::Malformed`]
    Malformed,
}

impl ProviderErrorKind {
    /// The stable name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Config => "config",
            Self::Auth => "auth",
            Self::RateLimited => "rate_limited",
            Self::Upstream => "upstream",
            Self::Malformed => "malformed",
        }
    }
}

impl ProviderError {
    /// A configuration error on `field`.
    pub fn config(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Config {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A malformed record at `location`, on `field`.
    pub fn malformed(
        location: impl Into<String>,
        field: Option<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::Malformed {
            location: Some(location.into()),
            field,
            message: message.into(),
        }
    }

    /// The error of an HTTP answer that is neither a success nor "not found", as every
    /// HTTP plugin reports it: 401 and 403 are [`Self::Auth`], 429 is [`Self::RateLimited`]
    /// for the `Retry-After` header's seconds (`retry_after`, as sent; an HTTP date is left to
    /// the pipeline's own pause), anything else [`Self::Upstream`] with the status. `request`
    /// says what was asked (`GET https://…`, never with a secret in it) and `detail` what the
    /// upstream said about it (`": Invalid API key"`, or empty).
    #[must_use]
    pub fn from_http_status(
        status: u16,
        retry_after: Option<&str>,
        request: &str,
        detail: &str,
    ) -> Self {
        match status {
            401 | 403 => Self::Auth(format!("{request} answered {status}{detail}")),
            429 => Self::RateLimited {
                retry_after: retry_after
                    .and_then(|value| value.trim().parse::<u64>().ok())
                    .map(Duration::from_secs),
            },
            _ => Self::Upstream {
                status: Some(status),
                message: format!("{request}{detail}"),
            },
        }
    }

    /// Its kind.
    #[must_use]
    pub fn kind(&self) -> ProviderErrorKind {
        match self {
            Self::Config { .. } => ProviderErrorKind::Config,
            Self::Auth(_) => ProviderErrorKind::Auth,
            Self::RateLimited { .. } => ProviderErrorKind::RateLimited,
            Self::Upstream { .. } => ProviderErrorKind::Upstream,
            Self::Malformed { .. } => ProviderErrorKind::Malformed,
        }
    }

    /// Whether only one record is lost (the fetch goes on) rather than the whole fetch.
    #[must_use]
    pub fn is_record_level(&self) -> bool {
        matches!(self, Self::Malformed { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::ProviderError;
    use std::time::Duration;

    #[test]
    fn http_statuses_become_the_kinds_the_pipeline_acts_on() {
        let auth = ProviderError::from_http_status(401, None, "GET /x", ": bad key");
        assert_eq!(
            auth,
            ProviderError::Auth("GET /x answered 401: bad key".into())
        );
        assert!(matches!(
            ProviderError::from_http_status(403, None, "GET /x", ""),
            ProviderError::Auth(_)
        ));
        assert_eq!(
            ProviderError::from_http_status(429, Some(" 7 "), "GET /x", ""),
            ProviderError::RateLimited {
                retry_after: Some(Duration::from_secs(7))
            }
        );
        assert_eq!(
            ProviderError::from_http_status(
                429,
                Some("Wed, 21 Oct 2015 07:28:00 GMT"),
                "GET /x",
                ""
            ),
            ProviderError::RateLimited { retry_after: None }
        );
        assert_eq!(
            ProviderError::from_http_status(502, None, "GET /x", ""),
            ProviderError::Upstream {
                status: Some(502),
                message: "GET /x".into()
            }
        );
    }
}
