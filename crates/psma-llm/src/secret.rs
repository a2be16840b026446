//! The API key: a secret that never shows in `Debug`, in errors or in logs.

use psma_core::Error;
use psma_plugin_sdk::secret::{REDACTED, Secret};
use std::fmt;

/// A bearer API key. Its `Debug` prints `ApiKey(***)`; it has no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(Secret);

impl ApiKey {
    /// Checks a key as configured (surrounding whitespace and a file's newline dropped). The
    /// messages never repeat the value.
    ///
    /// # Errors
    /// [`Error::Validation`] on `api_key` when it is empty or holds anything but visible ASCII
    /// (it goes into an HTTP header).
    pub fn parse(raw: &str) -> Result<Self, Error> {
        Secret::parse(raw)
            .map(Self)
            .map_err(|problem| Error::validation("api_key", problem.message()))
    }

    /// The secret itself, for the one place that sends it.
    pub(crate) fn expose(&self) -> &str {
        self.0.expose()
    }

    /// `text` with every occurrence of the key replaced by `***`: the last guard on messages
    /// built from foreign errors and server bodies, whose text we do not control.
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
    fn the_key_never_shows_in_debug_or_in_its_own_errors() {
        let key = ApiKey::parse(" sk-or-v1-s3cr3t\n").unwrap();
        assert_eq!(key.expose(), "sk-or-v1-s3cr3t");
        assert_eq!(format!("{key:?}"), "ApiKey(***)");
        assert_eq!(
            key.scrub("Bearer sk-or-v1-s3cr3t refused"),
            "Bearer *** refused"
        );
        for bad in ["", "  ", "two words"] {
            let err = ApiKey::parse(bad).unwrap_err();
            assert!(matches!(&err, Error::Validation { field, .. } if field == "api_key"));
            assert!(bad.trim().is_empty() || !err.to_string().contains(bad.trim()));
        }
    }
}
