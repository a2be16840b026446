//! The `[database]` section of the configuration, owned by this adapter.

use serde::{Deserialize, Serialize};
use std::fmt;

/// `[database]`: where PSMA keeps its data.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    /// `sqlite://PATH?mode=rwc`, `sqlite::memory:` or `postgres://…`. Unset: a SQLite file in the
    /// platform data directory (the binary fills it in).
    #[serde(default)]
    pub url: Option<DatabaseUrl>,
    /// The URL `psma migrate` (and `migrate_on_start`) connects with, when the schema owner
    /// differs from the application role; defaults to `url`.
    #[serde(default)]
    pub migration_url: Option<DatabaseUrl>,
    /// Connection pool size.
    pub max_connections: u32,
    /// How long a request waits for a pooled connection before the database counts as
    /// unavailable.
    pub acquire_timeout_ms: u64,
    /// Apply pending migrations at start. Unset: yes on SQLite, no on PostgreSQL (where an
    /// operator runs `psma migrate up` with the owner role).
    #[serde(default)]
    pub migrate_on_start: Option<bool>,
}

/// A database URL whose password never reaches a log or `config check` output: it serialises,
/// displays and debug-prints masked; only [`DatabaseUrl::expose`] gives the real URL.
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    /// Wraps a URL.
    #[must_use]
    pub fn new(url: impl Into<String>) -> Self {
        Self(url.into())
    }

    /// The URL itself, password included: for opening connections only.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The URL with any password replaced by `***`.
    #[must_use]
    pub fn masked(&self) -> String {
        match url::Url::parse(&self.0) {
            Ok(mut parsed) if parsed.password().is_some() => {
                // Only fails for URLs that cannot have a password, which this one has.
                let _ = parsed.set_password(Some("***"));
                parsed.to_string()
            }
            _ => self.0.clone(),
        }
    }
}

impl Serialize for DatabaseUrl {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.masked())
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_masked_and_nothing_else_is() {
        let url = DatabaseUrl::new("postgres://psma:s3cret@db:5432/psma");
        assert_eq!(url.masked(), "postgres://psma:***@db:5432/psma");
        assert_eq!(format!("{url:?}"), "postgres://psma:***@db:5432/psma");
        assert_eq!(
            DatabaseUrl::new("sqlite::memory:").masked(),
            "sqlite::memory:"
        );
    }
}
