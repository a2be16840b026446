use crate::error::JobError;
use crate::job_context::JobContext;
use async_trait::async_trait;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Runs the jobs of one kind. Handlers must be idempotent: a job whose worker died is run again
/// after its lease expires.
#[async_trait]
pub trait JobHandler: Send + Sync {
    /// The job kind this handler runs (`refresh`, `plan`).
    fn kind(&self) -> &'static str;

    /// Runs one attempt.
    ///
    /// # Errors
    /// [`JobError::Retryable`] to try again later, [`JobError::Permanent`] to give up.
    async fn run(&self, ctx: &JobContext, payload: &serde_json::Value) -> Result<(), JobError>;
}

/// The handlers a worker knows, by kind. Adding a kind means registering a handler, not editing
/// the runner.
#[derive(Default, Clone)]
pub struct HandlerRegistry {
    handlers: BTreeMap<&'static str, Arc<dyn JobHandler>>,
}

impl HandlerRegistry {
    /// Adds `handler` for its kind, replacing any earlier one.
    #[must_use]
    pub fn with(mut self, handler: Arc<dyn JobHandler>) -> Self {
        self.handlers.insert(handler.kind(), handler);
        self
    }

    /// The handler for `kind`.
    #[must_use]
    pub fn get(&self, kind: &str) -> Option<&Arc<dyn JobHandler>> {
        self.handlers.get(kind)
    }

    /// The registered kinds, sorted.
    #[must_use]
    pub fn kinds(&self) -> Vec<&'static str> {
        self.handlers.keys().copied().collect()
    }
}
