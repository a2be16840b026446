//! Reading the changes runs made: a version a run stored is its "added" change (it replaces
//! nothing) or "modified" change (it names the version it replaced) by itself, under its own
//! id; `fact_changes` holds the removals. Both are read in id order from the cursor and merged
//! (ids are UUIDv7 from the run's one sequence, so the merged order is the order of the runs).

use super::read::facts_by_id;
use super::rows::{self, fact_kind};
use super::scope::{readable, scope_of};
use crate::entities::{fact_changes, facts};
use crate::error::to_core;
use crate::literal_limit::first;
use chrono::{DateTime, Utc};
use psma_core::catalog::ports::{Page, PageRequest};
use psma_core::catalog::{
    Change, ChangeId, ChangeKind, ChangeRecord, DataScope, FactId, RunId, ShowId,
};
use psma_core::ids::v7_floor;
use psma_core::tenancy::TenantCtx;
use psma_core::{Error, Result};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, Order, QueryFilter, QueryOrder};
use uuid::Uuid;

/// One change as found: a version (with its row, the "after") or a removal.
enum Found {
    Version(facts::Model),
    Removal(fact_changes::Model),
}

impl Found {
    fn id(&self) -> Uuid {
        match self {
            Self::Version(m) => m.id,
            Self::Removal(m) => m.id,
        }
    }

    fn before(&self) -> Option<Uuid> {
        match self {
            Self::Version(m) => m.replaces_id,
            Self::Removal(m) => m.before_fact_id,
        }
    }
}

/// The page of `ctx`'s visible changes after the cursor (and at or after `since`).
pub(crate) async fn read(
    txn: &DatabaseTransaction,
    ctx: &TenantCtx,
    since: Option<DateTime<Utc>>,
    page: &PageRequest<ChangeId>,
) -> Result<Page<ChangeRecord, ChangeId>> {
    let scope = DataScope::of(ctx);
    let limit = u64::from(page.limit) + 1;
    let mut versions = facts::Entity::find()
        .filter(readable(facts::Entity, scope))
        // A user's confirmation is no run's change.
        .filter(facts::Column::RunId.is_not_null());
    let mut removals = fact_changes::Entity::find().filter(readable(fact_changes::Entity, scope));
    if let Some(since) = since {
        // Ids are UUIDv7 stamped with the change's time: "since" is a range of the primary key.
        let floor = v7_floor(since);
        versions = versions
            .filter(facts::Column::Id.gte(floor))
            .filter(facts::Column::RecordedAt.gte(since));
        removals = removals
            .filter(fact_changes::Column::Id.gte(floor))
            .filter(fact_changes::Column::At.gte(since));
    }
    if let Some(after) = page.after {
        versions = versions.filter(facts::Column::Id.gt(after.0));
        removals = removals.filter(fact_changes::Column::Id.gt(after.0));
    }
    let versions = first(versions.order_by(facts::Column::Id, Order::Asc), limit, txn)
        .await
        .map_err(to_core)?;
    let removals = first(
        removals.order_by(fact_changes::Column::Id, Order::Asc),
        limit,
        txn,
    )
    .await
    .map_err(to_core)?;
    let mut found: Vec<Found> = versions
        .into_iter()
        .map(Found::Version)
        .chain(removals.into_iter().map(Found::Removal))
        .collect();
    found.sort_by_key(Found::id);
    let more = found.len() > page.limit as usize;
    found.truncate(page.limit as usize);
    let next = if more {
        found.last().map(|f| ChangeId(f.id()))
    } else {
        None
    };
    let before_ids: Vec<Uuid> = found.iter().filter_map(Found::before).collect();
    let befores = facts_by_id(txn, ctx, &before_ids).await?;
    let items = found
        .into_iter()
        .map(|f| {
            let before = f.before().and_then(|id| befores.get(&FactId(id)).cloned());
            Ok(match f {
                Found::Version(m) => {
                    let change = version_change(&m)?;
                    ChangeRecord {
                        change,
                        before,
                        after: Some(rows::stored_fact(m)?),
                    }
                }
                Found::Removal(m) => ChangeRecord {
                    change: removal(m)?,
                    before,
                    after: None,
                },
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Page { items, next })
}

/// The change a stored version is.
fn version_change(m: &facts::Model) -> Result<Change> {
    let run_id = m
        .run_id
        .ok_or_else(|| Error::internal(format!("fact {} is no run's version", m.id)))?;
    Ok(Change {
        id: ChangeId(m.id),
        scope: scope_of(m.tenant_id),
        run_id: RunId(run_id),
        source_id: m.source_id.parse().map_err(Error::internal)?,
        kind: if m.replaces_id.is_some() {
            ChangeKind::Modified
        } else {
            ChangeKind::Added
        },
        fact_kind: fact_kind(&m.kind)?,
        show_id: m.show_id.map(ShowId),
        before: m.replaces_id.map(FactId),
        after: Some(FactId(m.id)),
        at: m.recorded_at,
    })
}

fn removal(m: fact_changes::Model) -> Result<Change> {
    Ok(Change {
        id: ChangeId(m.id),
        scope: scope_of(m.tenant_id),
        run_id: RunId(m.run_id),
        source_id: m.source_id.parse().map_err(Error::internal)?,
        kind: ChangeKind::parse(&m.change)
            .ok_or_else(|| Error::internal(format!("unknown change `{}`", m.change)))?,
        fact_kind: fact_kind(&m.fact_kind)?,
        show_id: m.show_id.map(ShowId),
        before: m.before_fact_id.map(FactId),
        after: m.after_fact_id.map(FactId),
        at: m.at,
    })
}
