//! A refresh of a provider that is read show by show (TVmaze, TMDB): every catalog show it has
//! an id for is fetched on its own, at the provider's pace, and the facts of the shows fetched
//! replace the source's facts of those shows only. A show whose fetch fails keeps its facts
//! and is reported; the run is then `partial`.

use super::check::MAX_LISTED_PROBLEMS;
use super::{Covers, Ingestion, RunSpec, Strictness};
use crate::catalog::ShowId;
use crate::catalog::ports::{IngestTarget, Progress, Stage};
use crate::catalog::records::{IngestRun, RunId, RunOutcome, RunTrigger, SourceInfo};
use crate::tenancy::SystemCtx;
use crate::{Error, Result};
use async_trait::async_trait;
use futures_util::StreamExt;
use futures_util::stream::FuturesOrdered;
use psma_plugin_sdk::text::SourceId;
use psma_plugin_sdk::{Fact, Provider, ProviderError, RateLimit, Scope, ShowQuery};
use std::collections::BTreeSet;
use std::time::Duration;

/// The longest a provider's `Retry-After` is waited for within a run; a longer one fails the
/// show (it is fetched again at the next refresh).
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// A show whose fetch failed transiently is asked again this many times…
const TRANSIENT_RETRIES: u32 = 2;
/// …after this pause, doubled each time.
const RETRY_PAUSE: Duration = Duration::from_millis(500);

/// Shows fetched at once in a show-by-show refresh. The pace still holds the provider to its
/// rate limit; this only keeps the round trips from adding up when the upstream is far away.
const IN_FLIGHT: usize = 8;

/// A catalog show to refresh, and what the provider is told about it.
#[derive(Debug, Clone, PartialEq)]
pub struct ShowTarget {
    /// The show.
    pub show: ShowId,
    /// Its ids, title and year, for the provider to find it by.
    pub query: ShowQuery,
}

/// Keeps a provider's requests to its declared rate limit, and to the waits it asks for.
#[async_trait]
pub trait Pace: Send + Sync {
    /// Returns when `provider` may make its next request under `limit` (at once when `None`).
    async fn ready(&self, provider: &SourceId, limit: Option<RateLimit>);

    /// Returns after `wait`, which `provider` asked for (a 429's `Retry-After`).
    async fn back_off(&self, provider: &SourceId, wait: Duration);
}

impl Ingestion {
    /// Refreshes `targets` of the shared catalog from `provider`, show by show at `pace`, a
    /// few requests in flight (a distant upstream's latency would otherwise cap the rate far
    /// below its limit); the results are taken in target order, so a run is deterministic.
    /// Invalid facts are refused and counted; a show whose fetch fails keeps its facts,
    /// and the run says which and why (`partial`).
    ///
    /// # Errors
    /// [`Error::Unavailable`] when every show failed (the run is recorded as failed) or the
    /// store cannot be reached.
    pub async fn refresh_shows(
        &self,
        system: &SystemCtx,
        provider: &dyn Provider,
        targets: &[ShowTarget],
        pace: Paced<'_>,
        progress: &dyn Progress,
    ) -> Result<IngestRun> {
        let spec = provider.spec();
        let started = self.clock.now();
        progress.stage(Stage::Reading, targets.len() as u64);
        let mut facts = Vec::new();
        let mut fetched = BTreeSet::new();
        let mut malformed = 0_u64;
        let mut problems = Vec::new();
        let mut unfetched = 0_u64;
        // A queue by hand: a stream built from a closure over the targets trips rustc's
        // higher-ranked `Send` check in the worker's handler.
        let mut waiting = targets.iter();
        let mut in_flight = FuturesOrdered::new();
        for target in waiting.by_ref().take(IN_FLIGHT) {
            in_flight.push_back(fetch_target(provider, target, pace));
        }
        while let Some((target, result)) = in_flight.next().await {
            if let Some(next) = waiting.next() {
                in_flight.push_back(fetch_target(provider, next, pace));
            }
            match result {
                Ok(show) => {
                    fetched.insert(target.show);
                    facts.extend(show.facts);
                    malformed += show.malformed.len() as u64;
                    for problem in show.malformed {
                        note(&mut problems, format!("show {}: {problem}", target.show));
                    }
                }
                Err(err) => {
                    unfetched += 1;
                    note(&mut problems, format!("show {}: {err}", target.show));
                }
            }
            progress.advance(1);
        }
        drop(in_flight);
        let mut run = RunSpec {
            target: IngestTarget::Global(system.clone()),
            source: SourceInfo::of(spec),
            trigger: RunTrigger::Refresh,
            actor: None,
            requested_by: None,
            show_ref: None,
            strictness: Strictness::SkipInvalid,
            request_id: None,
            progress,
            unreadable: malformed,
            unreadable_problems: problems,
            covers: Covers::Shows(fetched),
            unfetched,
        };
        if unfetched > 0 && unfetched == targets.len() as u64 {
            let mut record = self.record(&run, RunId::generate(), started, RunOutcome::Failed);
            record.problems = std::mem::take(&mut run.unreadable_problems);
            self.store
                .record_run(&run.target, &run.source, &record, None)
                .await?;
            return Err(Error::Unavailable(format!(
                "provider `{}` failed for every show ({}); the first: {}",
                spec.id,
                unfetched,
                record.problems.first().cloned().unwrap_or_default()
            )));
        }
        self.run(run, facts).await
    }
}

/// A pace and the rate limit it keeps a provider to (the one in force for it, which the
/// configuration may set apart from what the plugin declares).
#[derive(Clone, Copy)]
pub struct Paced<'a> {
    /// The pace.
    pub pace: &'a dyn Pace,
    /// The limit; `None`: as fast as the provider answers.
    pub limit: Option<RateLimit>,
}

/// One show's facts, and the records the provider could not turn into facts.
pub(super) struct FetchedShow {
    pub(super) facts: Vec<Fact>,
    pub(super) malformed: Vec<String>,
}

/// Fetches `target`, and says which it was.
async fn fetch_target<'a>(
    provider: &'a dyn Provider,
    target: &'a ShowTarget,
    paced: Paced<'a>,
) -> (
    &'a ShowTarget,
    std::result::Result<FetchedShow, ProviderError>,
) {
    (target, fetch_show(provider, &target.query, paced).await)
}

/// Fetches one show at `pace`: waits once for a rate limit the provider names, and asks again
/// after a transient failure (a 5xx, a timeout) with a growing pause, twice at most.
pub(super) async fn fetch_show(
    provider: &dyn Provider,
    query: &ShowQuery,
    paced: Paced<'_>,
) -> std::result::Result<FetchedShow, ProviderError> {
    let spec = provider.spec();
    let mut waited = false;
    let mut retries = 0_u32;
    loop {
        paced.pace.ready(&spec.id, paced.limit).await;
        match collect(provider, query).await {
            Err(ProviderError::RateLimited { retry_after }) if !waited => {
                waited = true;
                let wait = retry_after.unwrap_or(Duration::from_secs(1));
                if wait > MAX_RETRY_AFTER {
                    return Err(ProviderError::RateLimited { retry_after });
                }
                paced.pace.back_off(&spec.id, wait).await;
            }
            Err(err) if is_transient(&err) && retries < TRANSIENT_RETRIES => {
                paced
                    .pace
                    .back_off(&spec.id, RETRY_PAUSE * 2_u32.pow(retries))
                    .await;
                retries += 1;
            }
            other => return other,
        }
    }
}

/// Whether asking again may help: the upstream failed on its side or did not answer.
fn is_transient(err: &ProviderError) -> bool {
    matches!(err, ProviderError::Upstream { status, .. } if status.is_none_or(|s| s >= 500))
}

async fn collect(
    provider: &dyn Provider,
    query: &ShowQuery,
) -> std::result::Result<FetchedShow, ProviderError> {
    let mut stream = provider.fetch(Scope::Show(query.clone()));
    let mut show = FetchedShow {
        facts: Vec::new(),
        malformed: Vec::new(),
    };
    while let Some(item) = stream.next().await {
        match item {
            Ok(fact) => show.facts.push(fact),
            Err(err) if err.is_record_level() => show.malformed.push(err.to_string()),
            Err(err) => return Err(err),
        }
    }
    Ok(show)
}

pub(super) fn note(problems: &mut Vec<String>, problem: String) {
    if problems.len() < MAX_LISTED_PROBLEMS {
        problems.push(problem);
    }
}
