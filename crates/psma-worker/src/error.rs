/// How a job attempt failed.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Worth another attempt later (a provider timed out, the database was busy).
    #[error("{0}")]
    Retryable(String),
    /// Will fail the same way every time (bad payload, unknown kind).
    #[error("{0}")]
    Permanent(String),
}

impl From<psma_core::Error> for JobError {
    fn from(err: psma_core::Error) -> Self {
        match err {
            psma_core::Error::Unavailable(_)
            | psma_core::Error::Upstream(_)
            | psma_core::Error::Internal(_) => Self::Retryable(err.to_string()),
            other => Self::Permanent(other.to_string()),
        }
    }
}
