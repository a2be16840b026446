//! A secret setting — an API key or token — checked once and never shown: its `Debug` prints
//! `***`, it has no `Display`, and [`Secret::scrub`] takes it out of text built from foreign
//! errors. Plugins and adapters wrap it in their own credential types.

use std::fmt;

/// What `Debug` and scrubbed messages show in place of a secret.
pub const REDACTED: &str = "***";

/// A checked secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

/// Why a configured value is not a usable secret. The messages never repeat the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretProblem {
    /// Nothing but whitespace.
    Empty,
    /// Spaces or characters other than visible ASCII: it could not travel in a header or a
    /// query string intact.
    NotVisibleAscii,
}

impl SecretProblem {
    /// The problem, for a message naming the setting.
    #[must_use]
    pub fn message(self) -> &'static str {
        match self {
            Self::Empty => "is empty",
            Self::NotVisibleAscii => {
                "holds spaces or characters other than visible ASCII; is it the whole key?"
            }
        }
    }
}

impl Secret {
    /// Checks a secret as configured: surrounding whitespace (a file's newline) is dropped.
    ///
    /// # Errors
    /// [`SecretProblem`] when it is empty or holds anything but visible ASCII.
    pub fn parse(raw: &str) -> Result<Self, SecretProblem> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(SecretProblem::Empty);
        }
        if !value.chars().all(|c| c.is_ascii_graphic()) {
            return Err(SecretProblem::NotVisibleAscii);
        }
        Ok(Self(value.to_owned()))
    }

    /// The secret itself, for the one place that sends it.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `text` with every occurrence of the secret replaced by [`REDACTED`]: the last guard on
    /// messages built from foreign errors and server bodies, whose text we do not control.
    #[must_use]
    pub fn scrub(&self, text: &str) -> String {
        text.replace(&self.0, REDACTED)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Secret")
            .field(&format_args!("{REDACTED}"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_is_trimmed_checked_hidden_and_scrubbed() {
        let secret = Secret::parse(" s3cr3t\n").unwrap();
        assert_eq!(secret.expose(), "s3cr3t");
        assert_eq!(format!("{secret:?}"), "Secret(***)");
        assert_eq!(secret.scrub("key=s3cr3t refused"), "key=*** refused");
        assert_eq!(Secret::parse("  "), Err(SecretProblem::Empty));
        assert_eq!(
            Secret::parse("two words"),
            Err(SecretProblem::NotVisibleAscii)
        );
        assert_eq!(
            Secret::parse("tab\there"),
            Err(SecretProblem::NotVisibleAscii)
        );
    }
}
