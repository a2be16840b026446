use async_trait::async_trait;

/// What a readiness probe found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadinessReport {
    /// The database answered.
    pub database_reachable: bool,
    /// Migrations known to this build that the database has not applied.
    pub pending_migrations: Vec<String>,
}

impl ReadinessReport {
    /// Ready to serve: the database answers and its schema is current.
    #[must_use]
    pub fn is_ready(&self) -> bool {
        self.database_reachable && self.pending_migrations.is_empty()
    }
}

/// Whether the process's dependencies are usable.
#[async_trait]
pub trait Readiness: Send + Sync {
    /// Probes the dependencies. An unreachable database is a report, not an error.
    async fn check(&self) -> ReadinessReport;
}
