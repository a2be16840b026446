//! `/api/v1/imports`: a household's own catalog files.

pub(crate) mod create;

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

/// Shows an import touched.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShowCounts {
    /// New shows.
    pub created: u64,
    /// Titles matched to shows PSMA knew.
    pub matched: u64,
}

/// Facts an import brought.
#[derive(Debug, Serialize, ToSchema)]
pub struct FactCounts {
    /// In the file.
    pub seen: u64,
    /// Not known before.
    pub new: u64,
    /// Known, now different.
    pub changed: u64,
    /// Known and the same.
    pub unchanged: u64,
    /// Known before, absent now: ended.
    pub ended: u64,
    /// Refused (always 0 for a stored import: one bad record refuses the whole file).
    pub rejected: u64,
}

/// Conflicts an import opened or cleared.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConflictCounts {
    /// New disagreements between sources.
    pub opened: u64,
    /// Disagreements that no longer apply.
    pub cleared: u64,
}

impl From<&IngestRun> for ImportSummaryView {
    fn from(run: &IngestRun) -> Self {
        let c = &run.counts;
        Self {
            run_id: run.id.0,
            source_id: run.source_id.to_string(),
            outcome: run.outcome.as_str().to_owned(),
            shows: ShowCounts {
                created: c.shows_created,
                matched: c.shows_matched,
            },
            facts: FactCounts {
                seen: c.seen,
                new: c.new,
                changed: c.changed,
                unchanged: c.unchanged,
                ended: c.ended,
                rejected: c.rejected,
            },
            conflicts: ConflictCounts {
                opened: c.conflicts_opened,
                cleared: c.conflicts_cleared,
            },
            started_at: run.started_at,
            finished_at: run.finished_at,
        }
    }
}
