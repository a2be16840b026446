//! The TMDB credential: a secret that never shows in `Debug`, in errors or in logs, and the
//! way TMDB wants it sent.

use psma_plugin_sdk::ProviderError;
pub(crate) use psma_plugin_sdk::secret::REDACTED;
use psma_plugin_sdk::secret::{Secret, SecretProblem};
use std::fmt;

/// A TMDB API key (v3) or API read access token (v4). Its `Debug` prints `ApiKey(***)`, so a
/// configuration or provider printed for a log never carries it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct ApiKey(Secret);

/// How a request carries the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthMode {
    /// `Authorization: Bearer <token>`: TMDB's v4 API read access token (a JWT).
    Bearer,
    /// `?api_key=<key>`: TMDB's v3 API key.
    QueryParameter,
}

impl ApiKey {
    /// Checks the `api_key` setting. The messages never repeat the value.
    pub(crate) fn parse(raw: &str) -> Result<Self, ProviderError> {
        Secret::parse(raw).map(Self).map_err(|problem| {
            let message = match problem {
                SecretProblem::Empty => {
                    "is empty; give TMDB's API key or API read access token (or `api_key_file`)"
                }
                // It goes into a header or a query string: only visible ASCII survives both.
                SecretProblem::NotVisibleAscii => problem.message(),
            };
            ProviderError::config("api_key", message)
        })
    }

    /// How TMDB wants this key sent: a v4 read access token is a JWT, whose base64url header
    /// (`{"alg":…`) always starts `eyJ`; a v3 key is 32 hex digits.
    pub(crate) fn mode(&self) -> AuthMode {
        if self.0.expose().starts_with("eyJ") {
            AuthMode::Bearer
        } else {
            AuthMode::QueryParameter
        }
    }

    /// The secret itself, for the one place that sends it.
    pub(crate) fn expose(&self) -> &str {
        self.0.expose()
    }

    /// `text` with every occurrence of the key replaced by `***`: the last guard on messages
    /// built from foreign errors (whose text we do not control).
    pub(crate) fn scrub(&self, text: &str) -> String {
        self.0.scrub(text)
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ApiKey")
            .field(&format_args!("{REDACTED}"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jwt_is_a_bearer_token_and_anything_else_a_v3_key() {
        let token = ApiKey::parse("eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJ4In0.c2ln").unwrap();
        assert_eq!(token.mode(), AuthMode::Bearer);
        let key = ApiKey::parse(" 0123456789abcdef0123456789abcdef\n").unwrap();
        assert_eq!(key.mode(), AuthMode::QueryParameter);
        assert_eq!(key.expose(), "0123456789abcdef0123456789abcdef");
    }

    #[test]
    fn the_key_never_shows_in_debug_or_in_its_own_errors() {
        let key = ApiKey::parse("s3cr3t-value").unwrap();
        assert_eq!(format!("{key:?}"), "ApiKey(***)");
        assert_eq!(
            key.scrub("GET /x?api_key=s3cr3t-value failed"),
            "GET /x?api_key=*** failed"
        );
        for bad in ["", "   ", "two words", "tab\there"] {
            let err = ApiKey::parse(bad).unwrap_err();
            assert!(matches!(&err, ProviderError::Config { field, .. } if field == "api_key"));
            assert!(
                bad.trim().is_empty() || !err.to_string().contains(bad.trim()),
                "{err}"
            );
        }
    }
}
