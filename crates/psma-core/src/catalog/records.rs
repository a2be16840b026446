//! Facts as PSMA stores them, the changes between refreshes, and the record of each run.

use super::show::{DataScope, ShowId};
use crate::ids::id_type;
use crate::tenancy::UserId;
use chrono::{DateTime, Utc};
use psma_plugin_sdk::text::SourceId;
use psma_plugin_sdk::{Attribution, ContentHash, Fact, FactKey, FactKind};
use sha2::{Digest, Sha256};

id_type!(
    /// Identifies one stored version of a fact (a fact that changes gets a new version; the
    /// old one ends). Advice and conflicts cite these.
    FactId
);
id_type!(
    /// Identifies an ingest run: one import or one refresh of one source.
    RunId
);
id_type!(
    /// Identifies a change.
    ChangeId
);

/// A fact as stored: the provider's fact, where it belongs and how long it was live.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredFact {
    /// This version's id.
    pub id: FactId,
    /// Shared, or private to a tenant.
    pub scope: DataScope,
    /// The canonical show it is about (resolved from the fact's show key).
    pub show_id: Option<ShowId>,
    /// What it says.
    pub fact: Fact,
    /// When PSMA stored it.
    pub recorded_at: DateTime<Utc>,
    /// When a later run ended it (changed or no longer seen); `None` while live.
    pub ended_at: Option<DateTime<Utc>>,
}

impl StoredFact {
    /// The source that asserts it.
    #[must_use]
    pub fn source_id(&self) -> &SourceId {
        &self.fact.provenance().source_id
    }

    /// Its confidence.
    #[must_use]
    pub fn confidence(&self) -> f64 {
        self.fact.provenance().confidence
    }

    /// When its source was read.
    #[must_use]
    pub fn retrieved_at(&self) -> DateTime<Utc> {
        self.fact.provenance().retrieved_at
    }
}

/// A coarser identity than [`FactKey`] for reporting changes: an availability whose start date
/// moved has a new key but the same subject (show, service, country, monetization), so the
/// change reads as "modified" rather than "removed" plus "added".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SubjectKey(pub u128);

impl SubjectKey {
    /// The subject of `fact`.
    #[must_use]
    pub fn of(fact: &Fact) -> Self {
        match fact {
            Fact::Availability(a) => {
                let mut hasher = Sha256::new();
                for part in [
                    "availability",
                    a.provenance.source_id.as_str(),
                    a.show.as_str(),
                    a.service_id.as_str(),
                    a.country.as_str(),
                    a.monetization.as_str(),
                ] {
                    hasher.update(part.as_bytes());
                    hasher.update(b"\x1f");
                }
                let digest = hasher.finalize();
                let mut bytes = [0_u8; 16];
                bytes.copy_from_slice(&digest[..16]);
                Self(u128::from_be_bytes(bytes))
            }
            // For every other kind the natural key is already the subject.
            other => Self(other.key().0),
        }
    }
}

/// What ingestion needs to know of a live fact of the source it ingests: enough to diff, not
/// the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveFact {
    /// The stored version.
    pub id: FactId,
    /// Its natural key.
    pub key: FactKey,
    /// Its subject.
    pub subject: SubjectKey,
    /// Its content hash.
    pub content_hash: ContentHash,
    /// Its kind.
    pub kind: FactKind,
    /// The show it is about.
    pub show_id: Option<ShowId>,
}

/// A fact version to store, with everything the store indexes precomputed.
#[derive(Debug, Clone, Copy)]
pub struct NewFact<'a> {
    /// The id to store it under.
    pub id: FactId,
    /// Shared, or private.
    pub scope: DataScope,
    /// Its canonical show.
    pub show_id: Option<ShowId>,
    /// The fact.
    pub fact: &'a Fact,
    /// The fact as JSON, validated against the contract.
    pub document: &'a str,
    /// Its natural key.
    pub key: FactKey,
    /// Its subject.
    pub subject: SubjectKey,
    /// Its content hash.
    pub content_hash: ContentHash,
    /// The run that brings it (`None` for a user's confirmation).
    pub run_id: Option<RunId>,
    /// The live version of the same key it replaces in its run: with `run_id`, a stored
    /// version is its run's "added" change (`None` here) or "modified" change by itself.
    pub replaces: Option<FactId>,
    /// When.
    pub recorded_at: DateTime<Utc>,
}

/// What happened to a fact between two runs of its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    /// A fact the source did not assert before.
    Added,
    /// A fact the source no longer asserts.
    Removed,
    /// A fact the source now asserts differently.
    Modified,
}

impl ChangeKind {
    /// The stored and API name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Modified => "modified",
        }
    }

    /// Parses a stored name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Added, Self::Removed, Self::Modified]
            .into_iter()
            .find(|k| k.as_str() == name)
    }
}

/// One change, recorded by the run that saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Its id (time-ordered).
    pub id: ChangeId,
    /// Shared, or private (the scope of the run).
    pub scope: DataScope,
    /// The run.
    pub run_id: RunId,
    /// The source.
    pub source_id: SourceId,
    /// Added, removed or modified.
    pub kind: ChangeKind,
    /// The kind of fact.
    pub fact_kind: FactKind,
    /// The show it concerns.
    pub show_id: Option<ShowId>,
    /// The version before (removed, modified).
    pub before: Option<FactId>,
    /// The version after (added, modified).
    pub after: Option<FactId>,
    /// When.
    pub at: DateTime<Utc>,
}

/// A change with the fact versions it refers to, for reading.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRecord {
    /// The change.
    pub change: Change,
    /// The version before.
    pub before: Option<StoredFact>,
    /// The version after.
    pub after: Option<StoredFact>,
}

/// What started a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunTrigger {
    /// A tenant's import (API or CLI).
    Import,
    /// A provider refresh (scheduled, manual, or the demo catalog's load).
    Refresh,
    /// One show fetched from a provider because a person added it
    /// (`POST /api/v1/shows`). Not a refresh: it neither delays the provider's next scheduled
    /// refresh nor counts towards its back-off.
    AddShow,
}

impl RunTrigger {
    /// The stored name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Import => "import",
            Self::Refresh => "refresh",
            Self::AddShow => "add_show",
        }
    }

    /// The trigger of a stored name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Import, Self::Refresh, Self::AddShow]
            .into_iter()
            .find(|t| t.as_str() == name)
    }
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunOutcome {
    /// Its facts are stored.
    Succeeded,
    /// An import with invalid records: nothing was stored.
    Rejected,
    /// The provider failed: nothing was stored.
    Failed,
    /// A show-by-show refresh where some shows could not be fetched: the others' facts are
    /// stored, theirs kept as they were.
    Partial,
}

impl RunOutcome {
    /// The stored name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Succeeded => "succeeded",
            Self::Rejected => "rejected",
            Self::Failed => "failed",
            Self::Partial => "partial",
        }
    }

    /// The outcome of a stored name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Succeeded, Self::Rejected, Self::Failed, Self::Partial]
            .into_iter()
            .find(|o| o.as_str() == name)
    }
}

/// The numbers of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IngestCounts {
    /// Facts the source returned.
    pub seen: u64,
    /// Facts not known before.
    pub new: u64,
    /// Facts known before that now say something else.
    pub changed: u64,
    /// Facts known before, unchanged.
    pub unchanged: u64,
    /// Facts known before that the source no longer asserts.
    pub ended: u64,
    /// Facts refused (invalid against the contract or a rule).
    pub rejected: u64,
    /// Shows created.
    pub shows_created: u64,
    /// Shows the source's titles were matched to.
    pub shows_matched: u64,
    /// Conflicts opened.
    pub conflicts_opened: u64,
    /// Conflicts that no longer apply.
    pub conflicts_cleared: u64,
}

/// The record of one run of one source.
#[derive(Debug, Clone, PartialEq)]
pub struct IngestRun {
    /// Its id.
    pub id: RunId,
    /// Shared (a refresh) or the importing tenant's.
    pub scope: DataScope,
    /// The source.
    pub source_id: SourceId,
    /// What started it.
    pub trigger: RunTrigger,
    /// Who started it (an import's user).
    pub actor: Option<UserId>,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When it ended.
    pub finished_at: DateTime<Utc>,
    /// How it ended.
    pub outcome: RunOutcome,
    /// Its numbers.
    pub counts: IngestCounts,
    /// What went wrong (the first problems, for rejected and failed runs).
    pub problems: Vec<String>,
}

/// A source as PSMA records it: for attribution wherever its data is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInfo {
    /// Its id.
    pub source_id: SourceId,
    /// Its name for people.
    pub display_name: String,
    /// Whom to credit.
    pub attribution: Attribution,
}

impl SourceInfo {
    /// A provider as its spec describes it.
    #[must_use]
    pub fn of(spec: &psma_plugin_sdk::ProviderSpec) -> Self {
        Self {
            source_id: spec.id.clone(),
            display_name: spec.display_name.to_string(),
            attribution: spec.attribution.clone(),
        }
    }
}
