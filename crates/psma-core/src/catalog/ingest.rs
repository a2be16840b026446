//! Ingestion: the one pipeline every fact enters the catalog through — a tenant's import and
//! a provider's refresh alike. Facts are checked against the contract, matched to shows, diffed
//! against the source's live facts, stored with their changes, and checked for conflicts, in
//! one transaction.

mod by_show;
mod check;
mod impact;
mod one_show;
mod run;
mod uncertain;

pub use by_show::{Pace, Paced, ShowTarget};
pub use one_show::{AddedFacts, ShowAddition};

use super::merge::MergePolicy;
use super::ports::{
    CatalogStore, ImportFormat, ImportParser, IngestTarget, Progress, RunAudit, Stage,
};
use super::records::{IngestCounts, IngestRun, RunId, RunOutcome, RunTrigger, SourceInfo};
use crate::access::Permission;
use crate::audit::AuditDraft;
use crate::ids::IdSequence;
use crate::ports::Clock;
use crate::tenancy::{SystemCtx, TenantCtx, UserId};
use crate::{Error, InputProblem};
use check::{MAX_LISTED_PROBLEMS, check_beside};
use futures_util::StreamExt;
use psma_plugin_sdk::contract::FactValidator;
use psma_plugin_sdk::text::{LongText, SourceId};
use psma_plugin_sdk::{Attribution, Fact, Provider, Scope};
use std::sync::Arc;

/// The source id of imports that do not name one.
pub const DEFAULT_IMPORT_SOURCE: &str = "manual_import";

/// An import file as received.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    /// The file's bytes.
    pub body: Vec<u8>,
    /// Its format.
    pub format: ImportFormat,
    /// Overrides the file's `source_id`.
    pub source_id: Option<SourceId>,
}

/// Whether a run with invalid facts stores the rest or nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strictness {
    /// An import: all or nothing.
    AllOrNothing,
    /// A refresh: invalid facts are refused and counted, the rest stored.
    SkipInvalid,
}

/// Imports and refreshes.
#[derive(Clone)]
pub struct Ingestion {
    store: Arc<dyn CatalogStore>,
    parser: Arc<dyn ImportParser>,
    clock: Arc<dyn Clock>,
    policy: MergePolicy,
    validator: Arc<FactValidator>,
}

/// Which of the source's live facts a run replaces.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Covers {
    /// All of them: the run is a full snapshot of the source (an import, a full refresh).
    Everything,
    /// Those of these shows (and of the shows the run's facts are about): a show-by-show
    /// refresh, where a show not fetched keeps its facts.
    Shows(std::collections::BTreeSet<super::ShowId>),
}

/// Who and what a run is, apart from its facts.
struct RunSpec<'a> {
    target: IngestTarget,
    source: SourceInfo,
    trigger: RunTrigger,
    actor: Option<UserId>,
    /// The household that asked for it, whose log the run is audited in (none for the
    /// system's refreshes).
    requested_by: Option<TenantCtx>,
    /// The show asked for, in the provider's words (`tmdb` `tv:1399`), for the audit entry.
    show_ref: Option<String>,
    strictness: Strictness,
    request_id: Option<String>,
    progress: &'a dyn Progress,
    /// Records the provider could not turn into facts, and what was wrong with the first ones:
    /// counted as rejected in the stored run.
    unreadable: u64,
    unreadable_problems: Vec<String>,
    /// Which live facts it replaces.
    covers: Covers,
    /// Shows a show-by-show refresh could not fetch (their problems are listed).
    unfetched: u64,
}

impl Ingestion {
    /// Wires the pipeline.
    ///
    /// # Errors
    /// [`Error::Internal`] if the fact contract does not compile (a bug the SDK's tests rule
    /// out).
    pub fn new(
        store: Arc<dyn CatalogStore>,
        parser: Arc<dyn ImportParser>,
        clock: Arc<dyn Clock>,
        policy: MergePolicy,
    ) -> crate::Result<Self> {
        Ok(Self {
            store,
            parser,
            clock,
            policy,
            validator: Arc::new(FactValidator::new().map_err(Error::internal)?),
        })
    }

    /// Imports a file into the caller's private catalog: a snapshot of its source (facts of
    /// that source missing from the file end), all or nothing.
    ///
    /// # Errors
    /// [`Error::Forbidden`] for a viewer; [`Error::Rejected`] listing every problem (by line
    /// or JSON pointer and field) when anything in the file is invalid — then nothing is
    /// stored; [`Error::Unavailable`] when the store cannot be reached.
    pub async fn import(
        &self,
        ctx: &TenantCtx,
        request: ImportRequest,
        request_id: Option<String>,
        progress: &dyn Progress,
    ) -> crate::Result<IngestRun> {
        ctx.require(Permission::IMPORTS_WRITE, "importing")?;
        progress.stage(Stage::Reading, request.body.len() as u64);
        let now = self.clock.now();
        let parsed = self.parser.parse(
            &request.body,
            request.format,
            request.source_id.as_ref(),
            now,
        );
        progress.advance(request.body.len() as u64);
        let fallback = request
            .source_id
            .clone()
            .or_else(|| SourceId::parse(DEFAULT_IMPORT_SOURCE).ok());
        let spec = |source: SourceInfo| RunSpec {
            target: IngestTarget::Tenant(ctx.clone()),
            source,
            trigger: RunTrigger::Import,
            actor: ctx.user_id(),
            requested_by: Some(ctx.clone()),
            show_ref: None,
            strictness: Strictness::AllOrNothing,
            request_id: request_id.clone(),
            progress,
            unreadable: 0,
            unreadable_problems: Vec::new(),
            covers: Covers::Everything,
            unfetched: 0,
        };
        match parsed {
            Ok(parsed) => {
                let source = import_source(parsed.source_id)?;
                self.run(spec(source), parsed.facts).await
            }
            Err(problems) => {
                let problems: Vec<InputProblem> = problems
                    .into_iter()
                    .map(|p| InputProblem {
                        location: Some(p.location),
                        field: p.field,
                        message: p.message,
                    })
                    .collect();
                let source = fallback.ok_or_else(|| Error::internal("no default source id"))?;
                self.reject(&spec(import_source(source)?), now, problems, 0)
                    .await
            }
        }
    }

    /// Refreshes the shared catalog from `provider` (a full snapshot of its data). Invalid
    /// facts are refused and counted; the rest are stored.
    ///
    /// # Errors
    /// [`Error::Unavailable`] when the provider fails (the run is recorded as failed) or the
    /// store cannot be reached.
    pub async fn refresh(
        &self,
        system: &SystemCtx,
        provider: &dyn Provider,
        progress: &dyn Progress,
    ) -> crate::Result<IngestRun> {
        let spec = provider.spec();
        let source = SourceInfo::of(spec);
        let mut run = RunSpec {
            target: IngestTarget::Global(system.clone()),
            source,
            trigger: RunTrigger::Refresh,
            actor: None,
            requested_by: None,
            show_ref: None,
            strictness: Strictness::SkipInvalid,
            request_id: None,
            progress,
            unreadable: 0,
            unreadable_problems: Vec::new(),
            covers: Covers::Everything,
            unfetched: 0,
        };
        let started = self.clock.now();
        progress.stage(Stage::Reading, 0);
        let mut stream = provider.fetch(Scope::All);
        let mut facts = Vec::new();
        let mut problems = Vec::new();
        let mut malformed = 0_u64;
        while let Some(item) = stream.next().await {
            match item {
                Ok(fact) => facts.push(fact),
                Err(err) if err.is_record_level() => {
                    malformed += 1;
                    if problems.len() < MAX_LISTED_PROBLEMS {
                        problems.push(err.to_string());
                    }
                }
                Err(err) => {
                    let mut record =
                        self.record(&run, RunId::generate(), started, RunOutcome::Failed);
                    record.problems = vec![err.to_string()];
                    self.store
                        .record_run(&run.target, &run.source, &record, None)
                        .await?;
                    return Err(Error::Unavailable(format!(
                        "provider `{}` failed: {err}",
                        spec.id
                    )));
                }
            }
            progress.advance(1);
        }
        drop(stream);
        run.unreadable = malformed;
        run.unreadable_problems = problems;
        self.run(run, facts).await
    }

    /// Loads `providers`' data into the shared catalog when it is still empty (the demo
    /// catalog on a first start); nothing when there was something already.
    ///
    /// # Errors
    /// As [`Self::refresh`].
    pub async fn seed(
        &self,
        system: &SystemCtx,
        providers: &[Arc<dyn Provider>],
    ) -> crate::Result<Vec<IngestRun>> {
        if !self.store.shared_catalog_is_empty(system).await? {
            return Ok(Vec::new());
        }
        let mut runs = Vec::with_capacity(providers.len());
        for provider in providers {
            runs.push(
                self.refresh(system, provider.as_ref(), &super::ports::NoProgress)
                    .await?,
            );
        }
        Ok(runs)
    }

    async fn run(&self, spec: RunSpec<'_>, facts: Vec<Fact>) -> crate::Result<IngestRun> {
        let started = self.clock.now();
        // The run's transaction begins before the check, so the source's stored facts are
        // read while the facts are examined (the database's work beside ours).
        let mut session = self
            .store
            .begin_ingest(&spec.target, &spec.source.source_id)
            .await?;
        let (checked, live) = {
            let mut reading = std::pin::pin!(session.live_facts());
            let (checked, live) = check_beside(
                facts,
                &spec.source.source_id,
                &self.validator,
                spec.progress,
                reading.as_mut(),
            )
            .await;
            let refused =
                spec.strictness == Strictness::AllOrNothing && !checked.problems.is_empty();
            let live = match live {
                _ if refused => None,
                Some(live) => Some(live?),
                None => {
                    spec.progress.stage(Stage::Comparing, 0);
                    Some(reading.await?)
                }
            };
            (checked, live)
        };
        let Some(live) = live else {
            // Rolled back before the rejected run is recorded in a transaction of its own.
            drop(session);
            return self
                .reject(&spec, started, checked.problems, checked.rejected)
                .await;
        };
        let ids = IdSequence::at(started);
        let run_id = RunId(ids.next());
        let mut run = run::Run {
            session: session.as_mut(),
            progress: spec.progress,
            scope: spec.target.scope(),
            source: &spec.source.source_id,
            run_id,
            now: started,
            ids: &ids,
            policy: self.policy,
            counts: IngestCounts::default(),
            covers: &spec.covers,
        };
        let changed = run.apply(&checked.accepted, live).await?;
        let mut counts = run.counts;
        impact::queue_replans(session.as_mut(), &changed, started).await?;
        counts.rejected = checked.rejected + spec.unreadable;
        // A show-by-show refresh that could not fetch some shows stored the others.
        let outcome = if spec.unfetched > 0 {
            RunOutcome::Partial
        } else {
            RunOutcome::Succeeded
        };
        let mut record = self.record(&spec, run_id, started, outcome);
        record.counts = counts;
        record.problems = spec.unreadable_problems.clone();
        record
            .problems
            .extend(checked.problems.iter().map(ToString::to_string));
        let audit = self.audit(&spec, &record);
        spec.progress.stage(Stage::Committing, 0);
        session.commit(&spec.source, &record, audit).await?;
        Ok(record)
    }

    async fn reject(
        &self,
        spec: &RunSpec<'_>,
        started: chrono::DateTime<chrono::Utc>,
        problems: Vec<InputProblem>,
        rejected: u64,
    ) -> crate::Result<IngestRun> {
        let mut record = self.record(spec, RunId::generate(), started, RunOutcome::Rejected);
        record.counts.rejected = rejected;
        record.problems = problems.iter().map(ToString::to_string).collect();
        self.store
            .record_run(&spec.target, &spec.source, &record, None)
            .await?;
        let shown = problems.len();
        let more = if shown >= MAX_LISTED_PROBLEMS {
            " (only the first are listed)"
        } else {
            ""
        };
        Err(Error::Rejected {
            summary: format!(
                "the import has {shown} problem{}{more}; nothing was imported",
                if shown == 1 { "" } else { "s" }
            ),
            problems,
        })
    }

    fn record(
        &self,
        spec: &RunSpec<'_>,
        id: RunId,
        started: chrono::DateTime<chrono::Utc>,
        outcome: RunOutcome,
    ) -> IngestRun {
        IngestRun {
            id,
            scope: spec.target.scope(),
            source_id: spec.source.source_id.clone(),
            trigger: spec.trigger,
            actor: spec.actor,
            started_at: started,
            finished_at: self.clock.now(),
            outcome,
            counts: IngestCounts::default(),
            problems: Vec::new(),
        }
    }

    fn audit(&self, spec: &RunSpec<'_>, record: &IngestRun) -> Option<RunAudit> {
        let ctx = spec.requested_by.as_ref()?;
        let action = match record.trigger {
            RunTrigger::Import => "catalog.import",
            RunTrigger::AddShow => "catalog.add_show",
            RunTrigger::Refresh => "catalog.refresh",
        };
        let c = &record.counts;
        let mut after = serde_json::json!({
            "source_id": record.source_id,
            "shows_created": c.shows_created,
            "shows_matched": c.shows_matched,
            "facts_new": c.new,
            "facts_changed": c.changed,
            "facts_unchanged": c.unchanged,
            "facts_ended": c.ended,
            "conflicts_opened": c.conflicts_opened,
            "conflicts_cleared": c.conflicts_cleared,
        });
        if let Some(show) = &spec.show_ref {
            after["show"] = serde_json::json!(show);
        }
        Some(RunAudit {
            tenant: ctx.tenant_id(),
            draft: AuditDraft::new(ctx, action, "ingest_run", record.id, record.finished_at)
                .with_change(None, Some(after))
                .with_request_id(spec.request_id.clone()),
        })
    }
}

/// How a tenant's import source is credited.
fn import_source(source_id: SourceId) -> crate::Result<SourceInfo> {
    // A source id has only letters, digits and underscores: the text always satisfies LongText.
    let text = LongText::parse(&format!(
        "Imported by this household (source `{source_id}`)"
    ))
    .map_err(Error::internal)?;
    Ok(SourceInfo {
        display_name: format!("Import “{source_id}”"),
        attribution: Attribution {
            text,
            url: None,
            license: None,
        },
        source_id,
    })
}
