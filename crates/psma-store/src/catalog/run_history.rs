//! The providers' latest runs into the shared catalog (`RunHistory`).

use crate::connect::Store;
use crate::entities::ingest_runs;
use crate::error::to_core;
use crate::literal_limit::first;
use crate::tenant_scope::Access;
use async_trait::async_trait;
use psma_core::catalog::ports::{Page, PageRequest};
use psma_core::catalog::{
    DataScope, IngestCounts, IngestRun, LatestRun, RunHistory, RunId, RunOutcome, RunStreak,
    RunTrigger,
};
use psma_core::tenancy::{SystemCtx, TenantCtx, TenantId, UserId};
use psma_core::{Error, Result};
use psma_plugin_sdk::text::SourceId;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Select};
use serde_json::Value;
use std::collections::BTreeMap;

#[async_trait]
impl RunHistory for Store {
    async fn latest_shared_runs(
        &self,
        ctx: &TenantCtx,
        sources: &[SourceId],
    ) -> Result<BTreeMap<SourceId, LatestRun>> {
        let txn = self.begin_tenant(ctx, Access::Read).await?;
        let mut out = BTreeMap::new();
        // One indexed probe per provider: a handful of providers, each with a long history.
        for source in sources {
            let mut recent = first(latest_of(source), STREAK_WINDOW, &txn)
                .await
                .map_err(to_core)?;
            let failures_in_a_row = failures_in_a_row(&recent);
            if !recent.is_empty() {
                let latest = recent.swap_remove(0);
                out.insert(
                    source.clone(),
                    LatestRun {
                        run: run(latest)?,
                        failures_in_a_row,
                    },
                );
            }
        }
        txn.commit().await.map_err(to_core)?;
        Ok(out)
    }

    async fn shared_runs(
        &self,
        ctx: &TenantCtx,
        provider: Option<&SourceId>,
        page: &PageRequest<RunId>,
    ) -> Result<Page<IngestRun, RunId>> {
        let txn = self.begin_tenant(ctx, Access::Read).await?;
        let mut select = ingest_runs::Entity::find()
            .filter(ingest_runs::Column::TenantId.is_null())
            .filter(
                ingest_runs::Column::Trigger
                    .is_in([RunTrigger::Refresh.as_str(), RunTrigger::AddShow.as_str()]),
            );
        if let Some(provider) = provider {
            select = select.filter(ingest_runs::Column::SourceId.eq(provider.as_str()));
        }
        if let Some(after) = page.after {
            select = select.filter(ingest_runs::Column::Id.lt(after.0));
        }
        let select = select.order_by_desc(ingest_runs::Column::Id);
        let mut rows = first(select, u64::from(page.limit) + 1, &txn)
            .await
            .map_err(to_core)?;
        txn.commit().await.map_err(to_core)?;
        let more = rows.len() > page.limit as usize;
        rows.truncate(page.limit as usize);
        let items = rows.into_iter().map(run).collect::<Result<Vec<_>>>()?;
        let next = more.then(|| items.last().map(|r| r.id)).flatten();
        Ok(Page { items, next })
    }

    async fn shared_run_streaks(
        &self,
        system: &SystemCtx,
        sources: &[SourceId],
    ) -> Result<BTreeMap<SourceId, RunStreak>> {
        let txn = self.begin_system(system, Access::Read).await?;
        let mut out = BTreeMap::new();
        for source in sources {
            let recent = first(latest_of(source), STREAK_WINDOW, &txn)
                .await
                .map_err(to_core)?;
            if let Some(latest) = recent.first() {
                out.insert(
                    source.clone(),
                    RunStreak {
                        last_finished: latest.finished_at,
                        failures_in_a_row: failures_in_a_row(&recent),
                    },
                );
            }
        }
        txn.commit().await.map_err(to_core)?;
        Ok(out)
    }
}

/// How many of a provider's latest runs are read to count its failures in a row: enough for
/// the back-off to reach its longest wait (a day), and a bound on the read.
const STREAK_WINDOW: u64 = 16;

/// How many of `recent` (latest first) failed before one did not.
fn failures_in_a_row(recent: &[ingest_runs::Model]) -> u32 {
    let failed = recent
        .iter()
        .take_while(|r| r.outcome == RunOutcome::Failed.as_str())
        .count();
    u32::try_from(failed).unwrap_or(u32::MAX)
}

/// The refreshes of `source`, latest first. A show added from it is not a refresh: it neither
/// postpones the next scheduled one nor breaks a streak of failures.
fn latest_of(source: &SourceId) -> Select<ingest_runs::Entity> {
    ingest_runs::Entity::find()
        .filter(ingest_runs::Column::TenantId.is_null())
        .filter(ingest_runs::Column::SourceId.eq(source.as_str()))
        .filter(ingest_runs::Column::Trigger.eq(RunTrigger::Refresh.as_str()))
        .order_by_desc(ingest_runs::Column::StartedAt)
        .order_by_desc(ingest_runs::Column::Id)
}

/// A stored run.
fn run(row: ingest_runs::Model) -> Result<IngestRun> {
    let bad = |what: &str| Error::internal(format!("run {}: unreadable {what}", row.id));
    let counts: Value = serde_json::from_str(&row.counts).map_err(|_| bad("counts"))?;
    let count = |name: &str| counts[name].as_u64().unwrap_or(0);
    Ok(IngestRun {
        id: RunId(row.id),
        scope: row
            .tenant_id
            .map_or(DataScope::Global, |t| DataScope::Tenant(TenantId(t))),
        source_id: SourceId::parse(&row.source_id).map_err(|_| bad("source id"))?,
        trigger: RunTrigger::parse(&row.trigger).ok_or_else(|| bad("trigger"))?,
        actor: row.actor_user_id.map(UserId),
        started_at: row.started_at,
        finished_at: row.finished_at,
        outcome: RunOutcome::parse(&row.outcome).ok_or_else(|| bad("outcome"))?,
        counts: IngestCounts {
            seen: count("seen"),
            new: count("new"),
            changed: count("changed"),
            unchanged: count("unchanged"),
            ended: count("ended"),
            rejected: count("rejected"),
            shows_created: count("shows_created"),
            shows_matched: count("shows_matched"),
            conflicts_opened: count("conflicts_opened"),
            conflicts_cleared: count("conflicts_cleared"),
        },
        problems: serde_json::from_str(&row.problems).map_err(|_| bad("problems"))?,
    })
}
