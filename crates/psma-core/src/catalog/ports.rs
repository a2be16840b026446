//! What the catalog needs from outside: a store to ingest into and read from, a parser for
//! import files, and somewhere to report progress.

use super::conflict::{Conflict, ConflictId, ConflictStatus, ConflictView, Decision};
use super::identity::Candidate;
use super::records::{
    Change, ChangeId, ChangeRecord, FactId, IngestRun, LiveFact, NewFact, RunId, SourceInfo,
    StoredFact,
};
use super::show::{DataScope, Show, ShowId};
use crate::audit::AuditDraft;
use crate::jobs::NewJob;
use crate::planning::replan::ReplanFanOut;
use crate::tenancy::{SystemCtx, TenantCtx, TenantId, UserId};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use psma_plugin_sdk::text::{CountryCode, ExternalNamespace, ExternalValue, ServiceId, SourceId};
use psma_plugin_sdk::{Fact, FactKind};
use std::collections::{BTreeMap, BTreeSet};

/// A run's entry in the log of the household that asked for it: an import, or a show added
/// to the shared catalog (the change is shared, the request is the household's).
#[derive(Debug, Clone, PartialEq)]
pub struct RunAudit {
    /// Whose log.
    pub tenant: TenantId,
    /// The entry.
    pub draft: AuditDraft,
}

/// Where an ingest run writes: a tenant's private catalog, or the shared one.
#[derive(Debug, Clone)]
pub enum IngestTarget {
    /// A tenant's import.
    Tenant(TenantCtx),
    /// A provider refresh of the shared catalog.
    Global(SystemCtx),
}

impl IngestTarget {
    /// The scope of what the run writes.
    #[must_use]
    pub fn scope(&self) -> DataScope {
        match self {
            Self::Tenant(ctx) => DataScope::of(ctx),
            Self::Global(_) => DataScope::Global,
        }
    }
}

/// One ingest run's transaction. Reads see the shared catalog and the run's own scope; writes
/// go to the run's scope only. Dropping it without [`IngestSession::commit`] rolls it back.
#[async_trait]
pub trait IngestSession: Send {
    /// The live facts of the source being ingested, in the run's scope.
    ///
    /// # Errors
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    async fn live_facts(&mut self) -> crate::Result<Vec<LiveFact>>;

    /// Visible shows that have one of `external_ids`, or one of `normalized_titles`.
    ///
    /// # Errors
    /// As [`Self::live_facts`].
    async fn candidates(
        &mut self,
        external_ids: &[(ExternalNamespace, ExternalValue)],
        normalized_titles: &[String],
    ) -> crate::Result<Vec<Candidate>>;

    /// Of `shows`, those that belong to the run's scope (whose identity the run may update).
    ///
    /// # Errors
    /// As [`Self::live_facts`].
    async fn owned_shows(&mut self, shows: &[ShowId]) -> crate::Result<BTreeSet<ShowId>>;

    /// Creates or updates shows of the run's scope.
    ///
    /// # Errors
    /// As [`Self::live_facts`].
    async fn save_shows(&mut self, shows: &[Show]) -> crate::Result<()>;

    /// Records that these external ids name these shows, in the run's scope (known links are
    /// kept as they are).
    ///
    /// # Errors
    /// As [`Self::live_facts`].
    async fn link_external_ids(
        &mut self,
        links: &[(ShowId, ExternalNamespace, ExternalValue)],
    ) -> crate::Result<()>;

    /// Stores fact versions.
    ///
    /// # Errors
    /// [`crate::Error::Conflict`] when a live fact with the same key exists (a concurrent run).
    async fn insert_facts(&mut self, facts: &[NewFact<'_>]) -> crate::Result<()>;

    /// Ends live fact versions of the run's scope.
    ///
    /// # Errors
    /// As [`Self::live_facts`].
    async fn end_facts(
        &mut self,
        ids: &[FactId],
        at: DateTime<Utc>,
        run: RunId,
    ) -> crate::Result<()>;

    /// Records changes no stored version stands for (removals): a version a run stores is
    /// its "added" or "modified" change by itself ([`NewFact::replaces`]).
    ///
    /// # Errors
    /// As [`Self::live_facts`].
    async fn record_changes(&mut self, changes: &[Change]) -> crate::Result<()>;

    /// Of `shows`, those with live visible facts from more than one source.
    ///
    /// # Errors
    /// As [`Self::live_facts`].
    async fn shows_with_several_sources(
        &mut self,
        shows: &[ShowId],
    ) -> crate::Result<BTreeSet<ShowId>>;

    /// The live visible facts of `shows`: all of them, or only those of `kind`.
    ///
    /// # Errors
    /// As [`Self::live_facts`].
    async fn live_facts_of_shows(
        &mut self,
        shows: &[ShowId],
        kind: Option<FactKind>,
    ) -> crate::Result<Vec<StoredFact>>;

    /// The run's scope's conflicts on `shows` that still apply (not cleared).
    ///
    /// # Errors
    /// As [`Self::live_facts`].
    async fn conflicts_of_shows(&mut self, shows: &[ShowId]) -> crate::Result<Vec<Conflict>>;

    /// Records new conflicts in the run's scope.
    ///
    /// # Errors
    /// As [`Self::live_facts`].
    async fn open_conflicts(&mut self, conflicts: &[Conflict]) -> crate::Result<()>;

    /// Marks conflicts of the run's scope as no longer applying.
    ///
    /// # Errors
    /// As [`Self::live_facts`].
    async fn clear_conflicts(&mut self, ids: &[ConflictId], at: DateTime<Utc>)
    -> crate::Result<()>;

    /// The household members whose live selections (My Shows) include one of `shows`, as
    /// (tenant, user) pairs in order, each once: of every tenant for a run of the shared
    /// catalog (the store reads only these two columns of the selections, for this fan-out),
    /// of the run's own tenant for a private one.
    ///
    /// # Errors
    /// As [`Self::live_facts`].
    async fn members_selecting(
        &mut self,
        shows: &[ShowId],
    ) -> crate::Result<Vec<(TenantId, UserId)>>;

    /// Queues `jobs` in the run's transaction: they exist if and only if the run commits. A
    /// job whose unique key is live already is not added.
    ///
    /// # Errors
    /// As [`Self::live_facts`].
    async fn enqueue(&mut self, jobs: &[NewJob]) -> crate::Result<()>;

    /// Records the run and its source (for attribution), appends `audit` to its tenant's log,
    /// and commits everything at once.
    ///
    /// # Errors
    /// As [`Self::live_facts`]; nothing is kept on error.
    async fn commit(
        self: Box<Self>,
        source: &SourceInfo,
        run: &IngestRun,
        audit: Option<RunAudit>,
    ) -> crate::Result<()>;
}

/// Ingesting into the catalog.
#[async_trait]
pub trait CatalogStore: Send + Sync {
    /// Begins a run of `source` into `target`'s scope. Runs of the same source and scope wait
    /// for each other, so two imports never interleave.
    ///
    /// # Errors
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    async fn begin_ingest(
        &self,
        target: &IngestTarget,
        source: &SourceId,
    ) -> crate::Result<Box<dyn IngestSession>>;

    /// Records a run that stored nothing (rejected or failed), with its audit entry.
    ///
    /// # Errors
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    async fn record_run(
        &self,
        target: &IngestTarget,
        source: &SourceInfo,
        run: &IngestRun,
        audit: Option<RunAudit>,
    ) -> crate::Result<()>;

    /// Whether the shared catalog has no show yet.
    ///
    /// # Errors
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    async fn shared_catalog_is_empty(&self, system: &SystemCtx) -> crate::Result<bool>;
}

/// Whether a show can be watched in a country (or anywhere), judged on its windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AvailabilityStatus {
    /// A window covers today.
    Available,
    /// No window covers today, but one starts later.
    Upcoming,
    /// Neither: nothing is known about watching it now or later.
    Unknown,
}

impl AvailabilityStatus {
    /// The API name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Available => "available",
            Self::Upcoming => "upcoming",
            Self::Unknown => "unknown",
        }
    }
}

/// Filters of the show list.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ShowFilter {
    /// Words the normalized title contains.
    pub q: Option<String>,
    /// On this service.
    pub service_id: Option<ServiceId>,
    /// In this country.
    pub country: Option<CountryCode>,
    /// With this status (on the service and in the country, when given).
    pub status: Option<AvailabilityStatus>,
    /// The day statuses are judged on.
    pub today: NaiveDate,
}

/// Where a page starts and how long it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageRequest<C> {
    /// Items after this position (exclusive); `None` for the first page.
    pub after: Option<C>,
    /// At most this many items.
    pub limit: u32,
}

/// A page of items and the position of the next page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T, C> {
    /// The items.
    pub items: Vec<T>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<C>,
}

/// A position in the show list, which is ordered by sort key then id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ShowCursor {
    /// The last item's sort key.
    pub sort_key: String,
    /// The last item's id.
    pub id: ShowId,
}

/// A show in a list, with the services it is on (in the filtered country, if any).
#[derive(Debug, Clone, PartialEq)]
pub struct ShowSummary {
    /// The show.
    pub show: Show,
    /// Services with a live availability fact for it, sorted.
    pub services: Vec<ServiceId>,
}

/// Everything known about one show that a tenant can see.
#[derive(Debug, Clone, PartialEq)]
pub struct ShowRecord {
    /// The show.
    pub show: Show,
    /// Its live facts, shared and the tenant's.
    pub facts: Vec<StoredFact>,
    /// Facts the tenant's decisions overruled.
    pub overruled: BTreeSet<FactId>,
    /// Conflicts on it that still apply, with their status for the tenant.
    pub conflicts: Vec<ConflictView>,
    /// The sources of its facts, for attribution.
    pub sources: Vec<SourceInfo>,
}

/// Reading the catalog, always as one tenant.
#[async_trait]
pub trait CatalogReader: Send + Sync {
    /// Shows `ctx` can see that match `filter`, by sort key.
    ///
    /// # Errors
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    async fn list_shows(
        &self,
        ctx: &TenantCtx,
        filter: &ShowFilter,
        page: &PageRequest<ShowCursor>,
    ) -> crate::Result<Page<ShowSummary, ShowCursor>>;

    /// One show with its facts, or `None` when `ctx` cannot see it.
    ///
    /// # Errors
    /// As [`Self::list_shows`].
    async fn show(&self, ctx: &TenantCtx, id: ShowId) -> crate::Result<Option<ShowRecord>>;

    /// The titles of those of `shows` that `ctx` can see (one read for a whole page).
    ///
    /// # Errors
    /// As [`Self::list_shows`].
    async fn titles(
        &self,
        ctx: &TenantCtx,
        shows: &[ShowId],
    ) -> crate::Result<BTreeMap<ShowId, String>>;

    /// Every source whose facts `ctx` can see (shared sources and the tenant's own imports), by
    /// id, for crediting the catalog as a whole.
    ///
    /// # Errors
    /// As [`Self::list_shows`].
    async fn sources(&self, ctx: &TenantCtx) -> crate::Result<Vec<SourceInfo>>;

    /// The live service-behaviour and price facts `ctx` can see.
    ///
    /// # Errors
    /// As [`Self::list_shows`].
    async fn service_facts(&self, ctx: &TenantCtx) -> crate::Result<Vec<StoredFact>>;

    /// Changes `ctx` can see, at or after `since`, oldest first.
    ///
    /// # Errors
    /// As [`Self::list_shows`].
    async fn changes(
        &self,
        ctx: &TenantCtx,
        since: Option<DateTime<Utc>>,
        page: &PageRequest<ChangeId>,
    ) -> crate::Result<Page<ChangeRecord, ChangeId>>;

    /// Conflicts `ctx` can see, with the given status for it (any when `None`), oldest first.
    ///
    /// # Errors
    /// As [`Self::list_shows`].
    async fn conflicts(
        &self,
        ctx: &TenantCtx,
        status: Option<ConflictStatus>,
        page: &PageRequest<ConflictId>,
    ) -> crate::Result<Page<ConflictView, ConflictId>>;

    /// One conflict, or `None` when `ctx` cannot see it.
    ///
    /// # Errors
    /// As [`Self::list_shows`].
    async fn conflict(
        &self,
        ctx: &TenantCtx,
        id: ConflictId,
    ) -> crate::Result<Option<ConflictView>>;
}

/// Recording a tenant's decisions on conflicts.
#[async_trait]
pub trait ConflictDecisions: Send + Sync {
    /// Records `decision` (replacing the tenant's earlier one) with, for a resolution, its
    /// `user_confirmation` fact (ending an earlier confirmation of the same subject) and its
    /// overrules, queues `replans` for the tenant's members, and appends `audit` — all in one
    /// transaction.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] when the conflict is not visible to `ctx`.
    async fn decide(
        &self,
        ctx: &TenantCtx,
        decision: &Decision,
        confirmation: Option<NewFact<'_>>,
        replans: &ReplanFanOut,
        audit: AuditDraft,
    ) -> crate::Result<()>;

    /// Settles an identity conflict as "the same show": the tenant's private `duplicate`
    /// disappears into `into` (its facts move over), then records `decision`, queues
    /// `replans` and appends `audit`, in one transaction.
    ///
    /// # Errors
    /// [`crate::Error::Conflict`] when `duplicate` is not private to `ctx`'s tenant.
    async fn merge_private_show(
        &self,
        ctx: &TenantCtx,
        duplicate: ShowId,
        into: ShowId,
        decision: &Decision,
        replans: &ReplanFanOut,
        audit: AuditDraft,
    ) -> crate::Result<()>;
}

/// The formats of an import file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    /// `psma-import/v1` JSON.
    Json,
    /// One availability per line: `title,year,service_id,country,…`.
    Csv,
}

/// One problem in an import file: where, which field, what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    /// `line 7` or a JSON pointer (`/availability/3`).
    pub location: String,
    /// The offending field (`available_from`).
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// An import file, read.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedImport {
    /// The source its facts belong to.
    pub source_id: SourceId,
    /// Its facts.
    pub facts: Vec<Fact>,
}

/// Reading import files (the manual-import plugin's format).
pub trait ImportParser: Send + Sync {
    /// Reads `body`; `source_id` overrides the file's own. Facts without a `retrieved_at` of
    /// their own get `now`.
    ///
    /// # Errors
    /// Every problem found (up to a limit), each naming its line or JSON pointer and field.
    fn parse(
        &self,
        body: &[u8],
        format: ImportFormat,
        source_id: Option<&SourceId>,
        now: DateTime<Utc>,
    ) -> Result<ParsedImport, Vec<ImportProblem>>;
}

/// The stages of an ingest run, for progress reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading the file.
    Reading,
    /// Checking facts against the contract.
    Validating,
    /// Reading the source's live facts back, to compare the run's facts with.
    Comparing,
    /// Matching titles to shows.
    Resolving,
    /// Writing facts and changes.
    Storing,
    /// Looking for conflicts.
    Conflicts,
    /// Making the run's writes durable.
    Committing,
}

impl Stage {
    /// A label for people.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Reading => "reading",
            Self::Validating => "validating",
            Self::Comparing => "reading stored facts",
            Self::Resolving => "matching shows",
            Self::Storing => "storing",
            Self::Conflicts => "finding conflicts",
            Self::Committing => "committing",
        }
    }
}

/// Where a long run reports how far it got (a progress bar, or nowhere).
pub trait Progress: Send + Sync {
    /// A stage begins with `total` units of work.
    fn stage(&self, stage: Stage, total: u64);
    /// `done` more units of the current stage are done.
    fn advance(&self, done: u64);
}

/// Reports nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn stage(&self, _: Stage, _: u64) {}
    fn advance(&self, _: u64) {}
}
