//! Ingesting: one transaction per run, in the run's scope (a tenant's, or the shared catalog's
//! system context), writing in bulk.

use super::bulk::{Background, Cell, Writer};
use super::generations;
use super::kind_literal::kind_is;
use super::rows::{self, CHANGES, CONFLICTS, EXTERNAL_IDS, FACTS, SHOWS, ShowRow};
use super::runs;
use super::scope::{owned, readable, tenant_column};
use crate::connect::{Backend, Store};
use crate::entities::{conflicts, facts, show_external_ids, shows};
use crate::error::to_core;
use crate::tenant_scope::Access;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use psma_core::catalog::identity::Candidate;
use psma_core::catalog::ports::{CatalogStore, IngestSession, IngestTarget, RunAudit};
use psma_core::catalog::{
    Change, Conflict, ConflictId, DataScope, FactId, IngestCounts, IngestRun, LiveFact, NewFact,
    RunId, Show, ShowId, SourceInfo, StoredFact,
};
use psma_core::jobs::NewJob;
use psma_core::tenancy::{SystemCtx, TenantId, UserId};
use psma_core::{Error, Result};
use psma_plugin_sdk::text::{ExternalNamespace, ExternalValue, SourceId};
use psma_plugin_sdk::{FactKind, ShowType};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QuerySelect, Statement,
};
use std::collections::BTreeSet;
use uuid::Uuid;

/// How many ids go in one `IN (…)` list.
const IN_LIST: usize = 1000;
/// How many alternatives go in one `… OR …` condition.
const OR_CHAIN: usize = 250;

#[async_trait]
impl CatalogStore for Store {
    async fn begin_ingest(
        &self,
        target: &IngestTarget,
        source: &SourceId,
    ) -> Result<Box<dyn IngestSession>> {
        let txn = self.begin_target(target, Access::Write).await?;
        let scope = target.scope();
        if self.backend() == Backend::Postgres {
            // Runs of one source in one scope take turns (SQLite's IMMEDIATE write lock already
            // serialises every writer).
            let key = format!("ingest/{:?}/{source}", scope.tenant());
            txn.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
                [key.into()],
            ))
            .await
            .map_err(to_core)?;
        }
        Ok(Box::new(Session {
            store: self.clone(),
            db: Background::new(txn),
            scope,
            source: source.clone(),
        }))
    }

    async fn record_run(
        &self,
        target: &IngestTarget,
        source: &SourceInfo,
        run: &IngestRun,
        audit: Option<RunAudit>,
    ) -> Result<()> {
        let txn = self.begin_target(target, Access::Write).await?;
        let _ = source; // nothing was stored: the source's attribution record stays as it was
        runs::insert_run(&txn, run).await?;
        if let Some(audit) = audit {
            self.audit_run(&txn, run.scope, audit).await?;
        }
        txn.commit().await.map_err(to_core)
    }

    async fn shared_catalog_is_empty(&self, system: &SystemCtx) -> Result<bool> {
        let txn = self.begin_system(system, Access::Read).await?;
        let any = shows::Entity::find()
            .filter(shows::Column::TenantId.is_null())
            .select_only()
            .column(shows::Column::Id)
            .limit(1)
            .into_tuple::<Uuid>()
            .one(&txn)
            .await
            .map_err(to_core)?;
        txn.commit().await.map_err(to_core)?;
        Ok(any.is_none())
    }
}

struct Session {
    store: Store,
    /// The run's transaction; facts, changes and shows are written in the background.
    db: Background,
    scope: DataScope,
    source: SourceId,
}

fn uuids<T>(ids: &[T], f: impl Fn(&T) -> Uuid) -> Vec<Uuid> {
    ids.iter().map(f).collect()
}

/// Facts still current.
fn live() -> Condition {
    Condition::all().add(facts::Column::EndedAt.is_null())
}

impl Session {
    async fn candidates_where(&mut self, condition: Condition) -> Result<Vec<Candidate>> {
        let scope = self.scope;
        let txn = self.db.settled().await?;
        let found = shows::Entity::find()
            .filter(readable(shows::Entity, scope))
            .filter(condition)
            .all(txn)
            .await
            .map_err(to_core)?;
        found
            .into_iter()
            .map(|m| {
                Ok(Candidate {
                    id: ShowId(m.id),
                    normalized_title: m.normalized_title,
                    year: m.year,
                    show_type: if m.show_type == "movie" {
                        ShowType::Movie
                    } else {
                        ShowType::Tv
                    },
                    external_ids: serde_json::from_str(&m.external_ids).map_err(Error::internal)?,
                })
            })
            .collect()
    }
}

/// Fact versions written or ended from which a run refreshes PostgreSQL's statistics (every
/// run in the tests, so that they go through it).
const ANALYZE_FROM: u64 = if cfg!(debug_assertions) { 1 } else { 10_000 };

/// Whether a run changed enough facts for the planner's statistics to be stale.
fn wrote_many(counts: &IngestCounts) -> bool {
    counts.new + counts.changed + counts.ended >= ANALYZE_FROM
}

#[async_trait]
impl IngestSession for Session {
    async fn live_facts(&mut self) -> Result<Vec<LiveFact>> {
        let txn = self.db.settled().await?;
        super::live_facts::read(txn, self.scope, &self.source).await
    }

    async fn candidates(
        &mut self,
        external_ids: &[(ExternalNamespace, ExternalValue)],
        normalized_titles: &[String],
    ) -> Result<Vec<Candidate>> {
        let mut found = Vec::new();
        if !normalized_titles.is_empty() {
            let condition = Condition::all().add(
                shows::Column::NormalizedTitle.is_in(normalized_titles.iter().map(String::as_str)),
            );
            found.extend(self.candidates_where(condition).await?);
        }
        // Each pair adds a level to the `OR` chain, and SQLite refuses expressions deeper
        // than 1000.
        for pairs in external_ids.chunks(OR_CHAIN) {
            let mut any = Condition::any();
            for (ns, value) in pairs {
                any = any.add(
                    Condition::all()
                        .add(show_external_ids::Column::Namespace.eq(ns.as_str()))
                        .add(show_external_ids::Column::Value.eq(value.as_str())),
                );
            }
            let scope = self.scope;
            let txn = self.db.settled().await?;
            let mut links: Vec<(Uuid, String, String)> = show_external_ids::Entity::find()
                .select_only()
                .column(show_external_ids::Column::ShowId)
                .column(show_external_ids::Column::Namespace)
                .column(show_external_ids::Column::Value)
                .filter(readable(show_external_ids::Entity, scope))
                .filter(any)
                .into_tuple()
                .all(txn)
                .await
                .map_err(to_core)?;
            if links.is_empty() {
                continue;
            }
            links.sort();
            let ids: BTreeSet<Uuid> = links.iter().map(|l| l.0).collect();
            let mut shows = self
                .candidates_where(Condition::all().add(shows::Column::Id.is_in(ids)))
                .await?;
            // A link is what names the show by that id (a merged duplicate's ids name the show
            // it merged into), even where the show's own record lists another or none.
            for show in &mut shows {
                for (_, ns, value) in links.iter().filter(|l| l.0 == show.id.0) {
                    let ns = ExternalNamespace::parse(ns).map_err(Error::internal)?;
                    let value = ExternalValue::parse(value).map_err(Error::internal)?;
                    show.external_ids.entry(ns).or_insert(value);
                }
            }
            found.extend(shows);
        }
        Ok(found)
    }

    async fn owned_shows(&mut self, ids: &[ShowId]) -> Result<BTreeSet<ShowId>> {
        let txn = self.db.settled().await?;
        let mut out = BTreeSet::new();
        for chunk in ids.chunks(IN_LIST) {
            let found: Vec<Uuid> = shows::Entity::find()
                .select_only()
                .column(shows::Column::Id)
                .filter(shows::Column::Id.is_in(uuids(chunk, |s| s.0)))
                .filter(owned(shows::Entity, self.scope))
                .into_tuple()
                .all(txn)
                .await
                .map_err(to_core)?;
            out.extend(found.into_iter().map(ShowId));
        }
        Ok(out)
    }

    async fn save_shows(&mut self, shows_to_save: &[Show]) -> Result<()> {
        let now = Utc::now();
        let mut writer = Writer::in_background(&mut self.db, &SHOWS);
        for show in shows_to_save {
            writer.push(&ShowRow::new(show, now)?.cells()).await?;
        }
        writer.finish().await
    }

    async fn link_external_ids(
        &mut self,
        links: &[(ShowId, ExternalNamespace, ExternalValue)],
    ) -> Result<()> {
        let mut unique: Vec<&(ShowId, ExternalNamespace, ExternalValue)> = links.iter().collect();
        unique.sort_by(|a, b| (&a.1, &a.2).cmp(&(&b.1, &b.2)));
        unique.dedup_by(|a, b| a.1 == b.1 && a.2 == b.2);
        let tenant = tenant_column(self.scope);
        let mut writer = Writer::in_background(&mut self.db, &EXTERNAL_IDS);
        for (show, ns, value) in unique {
            writer
                .push(&[
                    Cell::Uuid(tenant),
                    Cell::Text(Some(ns.as_str())),
                    Cell::Text(Some(value.as_str())),
                    Cell::Uuid(Some(show.0)),
                ])
                .await?;
        }
        writer.finish().await
    }

    async fn insert_facts(&mut self, new: &[NewFact<'_>]) -> Result<()> {
        let mut writer = Writer::in_background(&mut self.db, &FACTS);
        for fact in new {
            writer.push(&rows::fact_cells(fact)).await?;
        }
        writer.finish().await
    }

    async fn end_facts(&mut self, ids: &[FactId], at: DateTime<Utc>, run: RunId) -> Result<()> {
        let txn = self.db.settled().await?;
        // The ids are this run's own live facts (`live_facts`, same transaction), so no scope
        // filter: with one, SQLite walked the scope's whole partial index instead of looking
        // the ids up (measured: 6.5 s per 2,000 ids on 1M facts, 0.1 s without).
        for chunk in ids.chunks(IN_LIST) {
            facts::Entity::update_many()
                .col_expr(facts::Column::EndedAt, Expr::val(at))
                .col_expr(facts::Column::EndedRunId, Expr::val(run.0))
                .filter(facts::Column::Id.is_in(uuids(chunk, |f| f.0)))
                .filter(live())
                .exec(txn)
                .await
                .map_err(to_core)?;
        }
        Ok(())
    }

    async fn record_changes(&mut self, changes: &[Change]) -> Result<()> {
        let mut writer = Writer::in_background(&mut self.db, &CHANGES);
        for change in changes {
            writer.push(&rows::change_cells(change)).await?;
        }
        writer.finish().await
    }

    async fn shows_with_several_sources(&mut self, ids: &[ShowId]) -> Result<BTreeSet<ShowId>> {
        let txn = self.db.settled().await?;
        let mut out = BTreeSet::new();
        for chunk in ids.chunks(IN_LIST) {
            let found: Vec<Uuid> = facts::Entity::find()
                .select_only()
                .column(facts::Column::ShowId)
                .filter(facts::Column::ShowId.is_in(uuids(chunk, |s| s.0)))
                .filter(readable(facts::Entity, self.scope))
                .filter(live())
                .group_by(facts::Column::ShowId)
                .having(Expr::cust("COUNT(DISTINCT source_id) > 1"))
                .into_tuple()
                .all(txn)
                .await
                .map_err(to_core)?;
            out.extend(found.into_iter().map(ShowId));
        }
        Ok(out)
    }

    async fn live_facts_of_shows(
        &mut self,
        ids: &[ShowId],
        kind: Option<FactKind>,
    ) -> Result<Vec<StoredFact>> {
        let txn = self.db.settled().await?;
        let mut out = Vec::new();
        for chunk in ids.chunks(IN_LIST) {
            let mut query = facts::Entity::find();
            if let Some(kind) = kind {
                query = query.filter(kind_is(Expr::col(facts::Column::Kind), kind));
            }
            let found = query
                .filter(facts::Column::ShowId.is_in(uuids(chunk, |s| s.0)))
                .filter(readable(facts::Entity, self.scope))
                .filter(live())
                .all(txn)
                .await
                .map_err(to_core)?;
            for model in found {
                out.push(rows::stored_fact(model)?);
            }
        }
        Ok(out)
    }

    async fn conflicts_of_shows(&mut self, ids: &[ShowId]) -> Result<Vec<Conflict>> {
        let txn = self.db.settled().await?;
        let mut out = Vec::new();
        for chunk in ids.chunks(IN_LIST) {
            let found = conflicts::Entity::find()
                .filter(conflicts::Column::ShowId.is_in(uuids(chunk, |s| s.0)))
                .filter(owned(conflicts::Entity, self.scope))
                .filter(conflicts::Column::ClearedAt.is_null())
                .all(txn)
                .await
                .map_err(to_core)?;
            for model in found {
                out.push(rows::conflict(model)?);
            }
        }
        Ok(out)
    }

    async fn open_conflicts(&mut self, new: &[Conflict]) -> Result<()> {
        let mut writer = Writer::in_background(&mut self.db, &CONFLICTS);
        for conflict in new {
            let fact_ids = serde_json::to_string(&conflict.fact_ids).map_err(Error::internal)?;
            writer
                .push(&rows::conflict_cells(conflict, &fact_ids))
                .await?;
        }
        writer.finish().await
    }

    async fn clear_conflicts(&mut self, ids: &[ConflictId], at: DateTime<Utc>) -> Result<()> {
        let txn = self.db.settled().await?;
        for chunk in ids.chunks(IN_LIST) {
            conflicts::Entity::update_many()
                .col_expr(conflicts::Column::ClearedAt, Expr::val(at))
                .filter(conflicts::Column::Id.is_in(uuids(chunk, |c| c.0)))
                .filter(owned(conflicts::Entity, self.scope))
                .exec(txn)
                .await
                .map_err(to_core)?;
        }
        Ok(())
    }

    async fn members_selecting(&mut self, shows: &[ShowId]) -> Result<Vec<(TenantId, UserId)>> {
        let txn = self.db.settled().await?;
        super::fan_out::members_selecting(txn, self.scope, shows).await
    }

    async fn enqueue(&mut self, jobs: &[NewJob]) -> Result<()> {
        let txn = self.db.settled().await?;
        crate::jobs::enqueue_in(txn, jobs).await
    }

    async fn commit(
        self: Box<Self>,
        source: &SourceInfo,
        run: &IngestRun,
        audit: Option<RunAudit>,
    ) -> Result<()> {
        let Session {
            store, db, scope, ..
        } = *self;
        let txn = db.finish().await?;
        runs::upsert_source(&txn, scope, source, run.finished_at, Some(run.id)).await?;
        runs::insert_run(&txn, run).await?;
        generations::bump(&txn, scope).await?;
        if let Some(audit) = audit {
            // Last: a shared run's transaction turns to the household's rows for this.
            store.audit_run(&txn, scope, audit).await?;
        }
        if store.backend() == Backend::Sqlite {
            // Keep SQLite's query planner informed after large writes (cheap when nothing
            // changed much; see https://sqlite.org/lang_analyze.html#pragopt).
            txn.execute_unprepared("PRAGMA optimize")
                .await
                .map_err(to_core)?;
        } else if wrote_many(&run.counts) {
            // PostgreSQL's planner, too, before the next run comes: autovacuum analyses a
            // table within a minute or so, and until then a table just filled looks empty,
            // so a re-import right after a large import read every fact of the tenant for
            // each list of shows (conflicts 3.8 s instead of 0.2 s; ADR 0039). ANALYZE takes
            // a sample (under a second for 1M facts) and counts this transaction's own rows.
            // The app role may not ANALYZE by itself: the owner's `analyze_catalog()` does.
            txn.execute_unprepared("SELECT analyze_catalog()")
                .await
                .map_err(to_core)?;
        }
        txn.commit().await.map_err(to_core)?;
        Ok(())
    }
}
