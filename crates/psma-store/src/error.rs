//! The store's own error (for connecting and migrating) and the translation of database errors
//! into the core's error for the ports.

use sea_orm::{DbErr, SqlErr};

/// What can fail while opening or migrating the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The URL names no backend PSMA supports.
    #[error("unsupported scheme in `{0}` (use sqlite:// or postgres://)")]
    UnsupportedUrl(String),
    /// The database could not be opened.
    #[error("cannot connect to {url}: {source}")]
    Connect {
        /// The masked URL.
        url: String,
        /// Why.
        #[source]
        source: DbErr,
    },
    /// A migration step failed.
    #[error("migration failed: {0}")]
    Migrate(#[source] DbErr),
    /// Creating the directory for a SQLite file failed.
    #[error("cannot create the directory for {path}: {source}")]
    DataDir {
        /// The directory.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// Translates a database error for the core: lost connections are `Unavailable`, uniqueness
/// violations `Conflict`, anything else `Internal` with its cause.
pub(crate) fn to_core(err: DbErr) -> psma_core::Error {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(msg)) => {
            return psma_core::Error::Conflict(format!("already exists ({msg})"));
        }
        Some(SqlErr::ForeignKeyConstraintViolation(msg)) => {
            return psma_core::Error::Conflict(format!("refers to a missing record ({msg})"));
        }
        _ => {}
    }
    match err {
        DbErr::ConnectionAcquire(e) => psma_core::Error::Unavailable(e.to_string()),
        DbErr::Conn(e) => psma_core::Error::Unavailable(e.to_string()),
        other => psma_core::Error::internal(other),
    }
}
