//! `/api/v1/imports`: a household's own catalog files.

pub(crate) mod create;

use crate::views::{ConflictCounts, FactCounts, ShowCounts, counts};
use chrono::{DateTime, Utc};
use psma_core::catalog::IngestRun;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// What an import did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportSummaryView {
    /// The run's id.
    pub run_id: Uuid,
    /// The source the facts belong to; the import replaced this source's earlier facts.
    pub source_id: String,
    /// `succeeded`.
    pub outcome: String,
    /// Shows created and matched.
    pub shows: ShowCounts,
    /// What happened to the facts.
    pub facts: FactCounts,
    /// Conflicts opened and cleared.
    pub conflicts: ConflictCounts,
    /// When the import started.
    pub started_at: DateTime<Utc>,
    /// When it finished.
    pub finished_at: DateTime<Utc>,
}

impl From<&IngestRun> for ImportSummaryView {
    fn from(run: &IngestRun) -> Self {
        let (shows, facts, conflicts) = counts(&run.counts);
        Self {
            run_id: run.id.0,
            source_id: run.source_id.to_string(),
            outcome: run.outcome.as_str().to_owned(),
            shows,
            facts,
            conflicts,
            started_at: run.started_at,
            finished_at: run.finished_at,
        }
    }
}
