//! The TMDB credential: a secret that never shows in `Debug`, in errors or in logs, and the
//! way TMDB wants it sent.

use psma_plugin_sdk::ProviderError;
use std::fmt;

/// What `Debug` and scrubbed messages show in place of the key.
pub(crate) const REDACTED: &str = "***";

/// A TMDB API key (v3) or API read access token (v4). Its `Debug` prints `ApiKey(***)`, so a
/// configuration or provider printed for a log never carries it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct ApiKey(String);

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
        let key = raw.trim();
        if key.is_empty() {
            return Err(ProviderError::config(
                "api_key",
                "is empty; give TMDB's API key or API read access token (or `api_key_file`)",
            ));
        }
        // It goes into a header or a query string: only visible ASCII survives both intact.
        if !key.chars().all(|c| c.is_ascii_graphic()) {
            return Err(ProviderError::config(
                "api_key",
                "holds spaces or characters other than visible ASCII; is it the whole key?",
            ));
        }
        Ok(Self(key.to_owned()))
    }

    /// How TMDB wants this key sent: a v4 read access token is a JWT, whose base64url header
    /// (`{"alg":…`) always starts `eyJ`; a v3 key is 32 hex digits.
    pub(crate) fn mode(&self) -> AuthMode {
        if self.0.starts_with("eyJ") {
            AuthMode::Bearer
        } else {
            AuthMode::QueryParameter
        }
    }

    /// The secret itself, for the one place that sends it.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// `text` with every occurrence of the key replaced by `***`: the last guard on messages
    /// built from foreign errors (whose text we do not control).
    pub(crate) fn scrub(&self, text: &str) -> String {
        text.replace(&self.0, REDACTED)
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
