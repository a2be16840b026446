//! The steps of a run inside its transaction: match titles to shows, store what changed,
//! record the changes, and open or clear conflicts.

use super::Covers;
use super::check::Accepted;
use crate::catalog::conflict::{Conflict, ConflictId, ConflictKind};
use crate::catalog::diff::{Incoming, diff};
use crate::catalog::identity::{IdentityClaim, Match, resolve};
use crate::catalog::merge::{MergePolicy, detect, merge};
use crate::catalog::ports::{IngestSession, Progress, Stage};
use crate::catalog::records::{
    Change, ChangeId, ChangeKind, FactId, IngestCounts, LiveFact, NewFact, RunId, StoredFact,
};
use crate::catalog::show::{DataScope, Show, ShowId, normalize_title};
use crate::ids::IdSequence;
use chrono::{DateTime, Utc};
use psma_plugin_sdk::fact::identity_fact_key;
use psma_plugin_sdk::text::{ExternalNamespace, ExternalValue, ShowKey, SourceId};
use psma_plugin_sdk::{ContentHash, Fact, FactKind, ShowIdentity};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// How many rows go to the store per call.
const CHUNK: usize = 2000;

/// One run's state inside its transaction.
pub(crate) struct Run<'a> {
    pub session: &'a mut dyn IngestSession,
    pub progress: &'a dyn Progress,
    pub scope: DataScope,
    pub source: &'a SourceId,
    pub run_id: RunId,
    pub now: DateTime<Utc>,
    pub ids: &'a IdSequence,
    pub policy: MergePolicy,
    pub counts: IngestCounts,
    pub covers: &'a Covers,
}

/// A show a new title might be: an identity conflict to open once facts are stored.
pub(super) struct Uncertain {
    pub show: ShowId,
    pub candidates: Vec<ShowId>,
}

/// What matching the batch's titles found.
struct Resolved {
    /// The canonical show of every show key in the batch.
    shows: HashMap<ShowKey, ShowId>,
    /// The shows this run created: only its own facts are about them.
    created: HashSet<ShowId>,
    /// The created shows that one identity fact of the batch names: their record is that
    /// fact, so their identity needs no second look after storing.
    created_whole: HashSet<ShowId>,
    uncertain: Vec<Uncertain>,
}

impl Run<'_> {
    /// Runs every step on the checked facts against the source's `live` facts (read in the
    /// same transaction); answers the shows whose facts changed.
    pub async fn apply(
        &mut self,
        accepted: &[Accepted],
        live: Vec<LiveFact>,
    ) -> crate::Result<BTreeSet<ShowId>> {
        // Every live fact helps to recognise the source's shows; only the covered ones can end.
        let Resolved {
            shows,
            created,
            created_whole,
            uncertain,
        } = self.resolve_shows(accepted, &live).await?;
        let covered;
        let replaced: &[LiveFact] = match self.covers {
            Covers::Everything => &live,
            Covers::Shows(fetched) => {
                let in_batch: BTreeSet<ShowId> = shows.values().copied().collect();
                covered = live
                    .iter()
                    .filter(|f| {
                        f.show_id
                            .is_some_and(|s| fetched.contains(&s) || in_batch.contains(&s))
                    })
                    .cloned()
                    .collect::<Vec<_>>();
                &covered
            }
        };
        let touched = self.store(accepted, replaced, &shows).await?;
        self.refresh_identities(&touched, &created_whole).await?;
        self.reconcile_conflicts(&touched, &created, &uncertain)
            .await?;
        Ok(touched.into_keys().collect())
    }

    /// Maps every show key of the batch to a canonical show, creating shows as needed.
    async fn resolve_shows(
        &mut self,
        accepted: &[Accepted],
        live: &[LiveFact],
    ) -> crate::Result<Resolved> {
        let mut identities: Vec<(&ShowIdentity, ContentHash)> = accepted
            .iter()
            .filter_map(|a| match &a.fact {
                Fact::ShowIdentity(i) => Some((i, a.content_hash)),
                _ => None,
            })
            .collect();
        identities.sort_by(|a, b| a.0.show.cmp(&b.0.show));
        self.progress
            .stage(Stage::Resolving, identities.len() as u64);
        let known: HashMap<_, (ShowId, ContentHash)> = live
            .iter()
            .filter(|f| f.kind == FactKind::ShowIdentity)
            .filter_map(|f| f.show_id.map(|show| (f.key, (show, f.content_hash))))
            .collect();
        // A known identity stated as before links nothing new: its ids were linked when it
        // was stored (a merge re-points them), so a re-import does not write them again.
        let mut unchanged = HashSet::new();
        let claims: Vec<IdentityClaim<'_>> = identities
            .iter()
            .map(|&(identity, hash)| {
                let known = known.get(&identity_fact_key(self.source, &identity.show));
                if known.is_some_and(|&(_, stored)| stored == hash) {
                    unchanged.insert(&identity.show);
                }
                IdentityClaim {
                    identity,
                    known: known.map(|&(show, _)| show),
                }
            })
            .collect();
        let mut external: BTreeSet<(ExternalNamespace, ExternalValue)> = BTreeSet::new();
        let mut titles: BTreeSet<String> = BTreeSet::new();
        for claim in claims.iter().filter(|c| c.known.is_none()) {
            external.extend(claim.identity.external_ids.clone());
            let title = normalize_title(claim.identity.title.as_str());
            if !title.is_empty() {
                titles.insert(title);
            }
        }
        let external: Vec<_> = external.into_iter().collect();
        let titles: Vec<String> = titles.into_iter().collect();
        let mut candidates = Vec::new();
        for (ids, names) in chunk_pairs(&external, &titles, 500) {
            candidates.extend(self.session.candidates(ids, names).await?);
        }
        candidates.sort_by_key(|c| c.id);
        candidates.dedup_by_key(|c| c.id);
        let ids = self.ids;
        let matches = resolve(&claims, candidates, &mut || ShowId(ids.next()));

        let mut shows = HashMap::with_capacity(matches.len());
        let mut created = Vec::new();
        let mut created_ids = HashSet::new();
        let mut uncertain = Vec::new();
        let mut links = Vec::new();
        for (claim, found) in claims.iter().zip(&matches) {
            let id = found.show_id();
            shows.insert(claim.identity.show.clone(), id);
            if !unchanged.contains(&claim.identity.show) {
                for (ns, value) in &claim.identity.external_ids {
                    links.push((id, ns.clone(), value.clone()));
                }
            }
            match found {
                Match::New {
                    uncertain: maybe, ..
                } => {
                    self.counts.shows_created += 1;
                    created_ids.insert(id);
                    created.push(show_from(id, self.scope, claim.identity));
                    if !maybe.is_empty() {
                        uncertain.push(Uncertain {
                            show: id,
                            candidates: maybe.clone(),
                        });
                    }
                }
                _ => self.counts.shows_matched += 1,
            }
        }
        for chunk in created.chunks(CHUNK) {
            self.session.save_shows(chunk).await?;
        }
        for chunk in links.chunks(CHUNK) {
            self.session.link_external_ids(chunk).await?;
        }
        self.progress.advance(claims.len() as u64);
        let mut claims_of: HashMap<ShowId, usize> = HashMap::with_capacity(created_ids.len());
        for found in &matches {
            *claims_of.entry(found.show_id()).or_default() += 1;
        }
        let created_whole = created_ids
            .iter()
            .copied()
            .filter(|id| claims_of.get(id) == Some(&1))
            .collect();
        Ok(Resolved {
            shows,
            created: created_ids,
            created_whole,
            uncertain,
        })
    }

    /// Stores what changed against the source's live facts; returns the shows touched.
    async fn store(
        &mut self,
        accepted: &[Accepted],
        live: &[LiveFact],
        shows: &HashMap<ShowKey, ShowId>,
    ) -> crate::Result<BTreeMap<ShowId, BTreeSet<FactKind>>> {
        let incoming: Vec<Incoming> = accepted
            .iter()
            .map(|a| Incoming {
                key: a.key,
                subject: a.subject,
                content_hash: a.content_hash,
            })
            .collect();
        let d = diff(live, &incoming);
        self.progress
            .stage(Stage::Storing, (d.insert.len() + d.end.len()) as u64);
        // End the old versions first: a source's live facts are unique by key.
        for chunk in d.end.chunks(CHUNK) {
            self.session.end_facts(chunk, self.now, self.run_id).await?;
            self.progress.advance(chunk.len() as u64);
        }

        // A new version is its change by itself: it names the version it replaces, if any.
        let replaces: HashMap<usize, FactId> = d
            .changes
            .iter()
            .filter_map(|c| Some((c.after?, c.before?)))
            .collect();
        for indexes in d.insert.chunks(CHUNK) {
            // The fact as JSON: what the contract was checked on, written from the same fact.
            let documents = indexes
                .iter()
                .map(|&index| serde_json::to_string(&accepted[index].fact))
                .collect::<Result<Vec<String>, _>>()
                .map_err(crate::Error::internal)?;
            let rows: Vec<NewFact<'_>> = indexes
                .iter()
                .zip(&documents)
                .map(|(&index, document)| {
                    let item = &accepted[index];
                    NewFact {
                        id: FactId(self.ids.next()),
                        scope: self.scope,
                        show_id: item.fact.show().and_then(|s| shows.get(s).copied()),
                        fact: &item.fact,
                        document,
                        key: item.key,
                        subject: item.subject,
                        content_hash: item.content_hash,
                        run_id: Some(self.run_id),
                        replaces: replaces.get(&index).copied(),
                        recorded_at: self.now,
                    }
                })
                .collect();
            self.session.insert_facts(&rows).await?;
            self.progress.advance(rows.len() as u64);
        }
        let live_by_id: HashMap<FactId, &LiveFact> = live.iter().map(|f| (f.id, f)).collect();
        let mut touched: BTreeMap<ShowId, BTreeSet<FactKind>> = BTreeMap::new();
        let mut removals = Vec::new();
        for change in &d.changes {
            let after = change.after.map(|i| &accepted[i]);
            let before = change.before.and_then(|id| live_by_id.get(&id).copied());
            let show_id = after
                .and_then(|a| a.fact.show().and_then(|s| shows.get(s).copied()))
                .or_else(|| before.and_then(|b| b.show_id));
            let fact_kind = match (after, before) {
                (Some(a), _) => a.fact.kind(),
                (None, Some(b)) => b.kind,
                (None, None) => continue,
            };
            if let Some(show) = show_id {
                touched.entry(show).or_default().insert(fact_kind);
            }
            if change.kind == ChangeKind::Removed {
                removals.push(Change {
                    id: ChangeId(self.ids.next()),
                    scope: self.scope,
                    run_id: self.run_id,
                    source_id: self.source.clone(),
                    kind: change.kind,
                    fact_kind,
                    show_id,
                    before: change.before,
                    after: None,
                    at: self.now,
                });
            }
        }
        for chunk in removals.chunks(CHUNK) {
            self.session.record_changes(chunk).await?;
        }
        self.counts.seen = accepted.len() as u64;
        self.counts.new = d.count(ChangeKind::Added);
        self.counts.changed = d.count(ChangeKind::Modified);
        self.counts.ended = d.count(ChangeKind::Removed);
        self.counts.unchanged = d.unchanged;
        Ok(touched)
    }

    /// Recomputes the canonical identity of the run's own shows whose identity facts changed,
    /// but for those created from one fact (`settled`): their record is already that fact's
    /// (a first import of a large catalog would otherwise read back every identity it wrote).
    async fn refresh_identities(
        &mut self,
        touched: &BTreeMap<ShowId, BTreeSet<FactKind>>,
        settled: &HashSet<ShowId>,
    ) -> crate::Result<()> {
        let changed: Vec<ShowId> = touched
            .iter()
            .filter(|(show, kinds)| {
                kinds.contains(&FactKind::ShowIdentity) && !settled.contains(show)
            })
            .map(|(show, _)| *show)
            .collect();
        let mut updated = Vec::new();
        for chunk in changed.chunks(CHUNK) {
            let owned = self.session.owned_shows(chunk).await?;
            let owned: Vec<ShowId> = owned.into_iter().collect();
            if owned.is_empty() {
                continue;
            }
            // Only identity facts decide a show's identity; reading the rest back would cost as
            // much as the import wrote.
            let facts = self
                .session
                .live_facts_of_shows(&owned, Some(FactKind::ShowIdentity))
                .await?;
            for (show, facts) in by_show(facts) {
                let own: Vec<StoredFact> = facts
                    .into_iter()
                    .filter(|f| f.scope == self.scope)
                    .collect();
                let view = merge(&own, &BTreeSet::new());
                if let Some(identity) = view.identity() {
                    updated.push(show_with_all_ids(show, self.scope, identity, &own));
                }
            }
        }
        for chunk in updated.chunks(CHUNK) {
            self.session.save_shows(chunk).await?;
        }
        Ok(())
    }

    /// Opens the conflicts the touched shows now have and clears those they no longer have.
    ///
    /// A show this run created is skipped: only this run's facts (one source's) are about it,
    /// so it has no conflict to open or clear (a first import of a large catalog would
    /// otherwise ask the store about every one of its shows).
    async fn reconcile_conflicts(
        &mut self,
        touched: &BTreeMap<ShowId, BTreeSet<FactKind>>,
        created: &HashSet<ShowId>,
        uncertain: &[Uncertain],
    ) -> crate::Result<()> {
        let shows: Vec<ShowId> = touched
            .keys()
            .filter(|show| !created.contains(show))
            .copied()
            .collect();
        self.progress.stage(Stage::Conflicts, shows.len() as u64);
        let today = self.now.date_naive();
        let mut existing: BTreeMap<String, Conflict> = BTreeMap::new();
        let mut detected: BTreeMap<String, Conflict> = BTreeMap::new();
        for chunk in shows.chunks(CHUNK) {
            for conflict in self.session.conflicts_of_shows(chunk).await? {
                if conflict.kind == ConflictKind::Availability {
                    existing.insert(key_of(&conflict.subject, &conflict.fact_ids), conflict);
                }
            }
            let several = self.session.shows_with_several_sources(chunk).await?;
            let several: Vec<ShowId> = several.into_iter().collect();
            if !several.is_empty() {
                let facts = self.session.live_facts_of_shows(&several, None).await?;
                for (show, facts) in by_show(facts) {
                    for found in detect(show, &facts, &self.policy, today) {
                        if !self.concerns_scope(&found.fact_ids, &facts) {
                            continue;
                        }
                        let conflict = Conflict {
                            id: ConflictId(self.ids.next()),
                            scope: self.scope,
                            kind: found.kind,
                            subject: found.subject,
                            show_id: show,
                            other_show_id: None,
                            service_id: found.service_id,
                            country: found.country,
                            fact_ids: found.fact_ids,
                            summary: found.summary,
                            detected_at: self.now,
                            run_id: self.run_id,
                            cleared_at: None,
                        };
                        detected.insert(key_of(&conflict.subject, &conflict.fact_ids), conflict);
                    }
                }
            }
            self.progress.advance(chunk.len() as u64);
        }
        let stale: Vec<ConflictId> = existing
            .iter()
            .filter(|(key, _)| !detected.contains_key(*key))
            .map(|(_, c)| c.id)
            .collect();
        let mut new: Vec<Conflict> = detected
            .into_iter()
            .filter(|(key, _)| !existing.contains_key(key))
            .map(|(_, c)| c)
            .collect();
        new.extend(self.identity_conflicts(uncertain).await?);
        self.session.clear_conflicts(&stale, self.now).await?;
        self.session.open_conflicts(&new).await?;
        self.counts.conflicts_cleared = stale.len() as u64;
        self.counts.conflicts_opened = new.len() as u64;
        Ok(())
    }

    /// A shared run records conflicts among shared facts; a tenant's run only those its own
    /// facts take part in (the shared ones are the shared catalog's).
    fn concerns_scope(&self, fact_ids: &[FactId], facts: &[StoredFact]) -> bool {
        match self.scope {
            DataScope::Global => true,
            DataScope::Tenant(_) => facts
                .iter()
                .any(|f| f.scope == self.scope && fact_ids.contains(&f.id)),
        }
    }
}

fn key_of(subject: &str, facts: &[FactId]) -> String {
    let ids: Vec<String> = facts.iter().map(ToString::to_string).collect();
    format!("{subject}#{}", ids.join(","))
}

fn by_show(facts: Vec<StoredFact>) -> BTreeMap<ShowId, Vec<StoredFact>> {
    let mut grouped: BTreeMap<ShowId, Vec<StoredFact>> = BTreeMap::new();
    for fact in facts {
        if let Some(show) = fact.show_id {
            grouped.entry(show).or_default().push(fact);
        }
    }
    grouped
}

fn show_from(id: ShowId, scope: DataScope, identity: &ShowIdentity) -> Show {
    Show {
        id,
        scope,
        title: identity.title.clone(),
        year: identity.year,
        show_type: identity.show_type,
        external_ids: identity.external_ids.clone(),
        overview: identity.overview.clone(),
        genres: identity.genres.clone(),
    }
}

/// The winning identity, with the external ids of every identity fact (the winner's value
/// first where they differ).
fn show_with_all_ids(
    id: ShowId,
    scope: DataScope,
    winner: &ShowIdentity,
    facts: &[StoredFact],
) -> Show {
    let mut show = show_from(id, scope, winner);
    for fact in facts {
        if let Fact::ShowIdentity(other) = &fact.fact {
            for (ns, value) in &other.external_ids {
                show.external_ids
                    .entry(ns.clone())
                    .or_insert_with(|| value.clone());
            }
        }
    }
    show
}

/// Splits two lists into calls of at most `size` items of each.
fn chunk_pairs<'a, A, B>(a: &'a [A], b: &'a [B], size: usize) -> Vec<(&'a [A], &'a [B])> {
    let rounds = a.len().div_ceil(size).max(b.len().div_ceil(size));
    (0..rounds)
        .map(|i| {
            let slice_a = a
                .get(i * size..((i + 1) * size).min(a.len()))
                .unwrap_or(&[]);
            let slice_b = b
                .get(i * size..((i + 1) * size).min(b.len()))
                .unwrap_or(&[]);
            (slice_a, slice_b)
        })
        .collect()
}
