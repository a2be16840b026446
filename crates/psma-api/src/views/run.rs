//! A run of a source: an import or a provider's refresh.

use chrono::{DateTime, Utc};
use psma_core::catalog::{IngestCounts, IngestRun};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// One run of a source.
#[derive(Debug, Serialize, ToSchema)]
pub struct RunView {
    /// The run's id.
    pub run_id: Uuid,
    /// The source.
    pub source_id: String,
    /// `import`, `refresh`, or `add_show` (one show fetched because someone added it).
    pub trigger: String,
    /// `succeeded`, `partial` (a refresh that could not fetch some shows), `rejected` or
    /// `failed`.
    pub outcome: String,
    /// Shows created and matched.
    pub shows: ShowCounts,
    /// What happened to the facts.
    pub facts: FactCounts,
    /// Conflicts opened and cleared.
    pub conflicts: ConflictCounts,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When it finished.
    pub finished_at: DateTime<Utc>,
    /// What went wrong (the first problems of a rejected or failed run).
    pub problems: Vec<String>,
}

impl From<&IngestRun> for RunView {
    fn from(run: &IngestRun) -> Self {
        let (shows, facts, conflicts) = counts(&run.counts);
        Self {
            run_id: run.id.0,
            source_id: run.source_id.to_string(),
            trigger: run.trigger.as_str().to_owned(),
            outcome: run.outcome.as_str().to_owned(),
            shows,
            facts,
            conflicts,
            started_at: run.started_at,
            finished_at: run.finished_at,
            problems: run.problems.clone(),
        }
    }
}

/// A run's numbers, grouped as the views show them.
fn counts(c: &IngestCounts) -> (ShowCounts, FactCounts, ConflictCounts) {
    (
        ShowCounts {
            created: c.shows_created,
            matched: c.shows_matched,
        },
        FactCounts {
            seen: c.seen,
            new: c.new,
            changed: c.changed,
            unchanged: c.unchanged,
            ended: c.ended,
            rejected: c.rejected,
        },
        ConflictCounts {
            opened: c.conflicts_opened,
            cleared: c.conflicts_cleared,
        },
    )
}

/// Shows a run touched.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShowCounts {
    /// New shows.
    pub created: u64,
    /// Titles matched to shows PSMA knew.
    pub matched: u64,
}

/// What a run did to facts.
#[derive(Debug, Serialize, ToSchema)]
pub struct FactCounts {
    /// Returned by the source (in the file, for an import).
    pub seen: u64,
    /// Not known before.
    pub new: u64,
    /// Known, now different.
    pub changed: u64,
    /// Known and the same.
    pub unchanged: u64,
    /// Known before, absent now: ended.
    pub ended: u64,
    /// Refused as invalid (always 0 for a stored import: one bad record refuses the whole file).
    pub rejected: u64,
}

/// Conflicts a run opened or cleared.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConflictCounts {
    /// New disagreements between sources.
    pub opened: u64,
    /// Disagreements that no longer apply.
    pub cleared: u64,
}
