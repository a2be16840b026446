//! The catalog: shows, where each can be watched and when episodes air, as asserted by
//! providers (facts with provenance), merged into a canonical view, with the changes between
//! refreshes and the conflicts between sources.

mod browse;
pub mod conflict;
mod conflicts;
pub mod diff;
pub mod identity;
mod ingest;
pub mod merge;
pub mod ports;
mod providers;
pub mod records;
pub mod show;

pub use browse::{Catalog, MAX_PAGE_SIZE, ServiceOverview, ShowDetail, ShowQuery, page_size};
pub use conflict::{
    AvailabilityValue, Conflict, ConflictId, ConflictKind, ConflictStatus, ConflictView, Decision,
    Resolution,
};
pub use conflicts::Conflicts;
pub use ingest::{
    AddedFacts, DEFAULT_IMPORT_SOURCE, ImportRequest, Ingestion, Pace, Paced, ShowAddition,
    ShowTarget,
};
pub use providers::{
    AddedShow, ConfiguredProvider, LatestRun, ProviderDirectory, ProviderStatus, Providers,
    QueuedRefresh, REFRESH_JOB, RefreshPayload, RefreshPorts, RefreshTargets, Refreshes,
    RunHistory, RunStreak, backoff,
};
pub use records::{
    Change, ChangeId, ChangeKind, ChangeRecord, FactId, IngestCounts, IngestRun, LiveFact, NewFact,
    RunId, RunOutcome, RunTrigger, SourceInfo, StoredFact, SubjectKey,
};
pub use show::{DataScope, Show, ShowId, normalize_title, sort_key};
