//! Conflicts as one tenant sees them: with the tenant's decision, the resulting status and the
//! competing facts.

use super::read::facts_by_id;
use super::rows;
use crate::entities::{conflict_decisions, conflicts, fact_overrules};
use crate::error::to_core;
use psma_core::catalog::{ConflictId, ConflictStatus, ConflictView, Decision, FactId, Resolution};
use psma_core::tenancy::{TenantCtx, UserId};
use psma_core::{Error, Result};
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The status a tenant's decision and the data give a conflict: a resolution stands; a
/// conflict the sources no longer have is resolved by the data; else deferred or open.
pub(crate) fn status_of(decision: Option<&Decision>, cleared: bool) -> ConflictStatus {
    match decision.map(|d| d.status) {
        Some(ConflictStatus::Resolved) => ConflictStatus::Resolved,
        _ if cleared => ConflictStatus::Resolved,
        Some(status) => status,
        None => ConflictStatus::Open,
    }
}

/// The same rule as [`status_of`], as a condition on `conflicts` rows for `ctx`'s tenant.
pub(crate) fn status_condition(ctx: &TenantCtx, status: ConflictStatus) -> Condition {
    let decided = |wanted: Option<&str>| {
        let mut q = Query::select();
        q.expr(Expr::val(1))
            .from_as(conflict_decisions::Entity, Alias::new("d"))
            .and_where(Expr::col((Alias::new("d"), Alias::new("tenant_id"))).eq(ctx.tenant_id().0))
            .and_where(
                Expr::col((Alias::new("d"), Alias::new("conflict_id")))
                    .equals((conflicts::Entity, conflicts::Column::Id)),
            );
        if let Some(wanted) = wanted {
            q.and_where(Expr::col((Alias::new("d"), Alias::new("status"))).eq(wanted));
        }
        Expr::exists(q.to_owned())
    };
    let live = conflicts::Column::ClearedAt.is_null();
    match status {
        ConflictStatus::Resolved => Condition::any()
            .add(decided(Some(ConflictStatus::Resolved.as_str())))
            .add(conflicts::Column::ClearedAt.is_not_null()),
        ConflictStatus::Deferred => Condition::all()
            .add(live)
            .add(decided(Some(ConflictStatus::Deferred.as_str()))),
        ConflictStatus::Open => Condition::all().add(live).add(decided(None).not()),
    }
}

/// Reads the tenant's decisions on `found` and the competing facts, into views.
pub(crate) async fn load_views(
    txn: &DatabaseTransaction,
    ctx: &TenantCtx,
    found: Vec<conflicts::Model>,
) -> Result<Vec<ConflictView>> {
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = found.iter().map(|c| c.id).collect();
    let decisions = conflict_decisions::Entity::find()
        .filter(conflict_decisions::Column::TenantId.eq(ctx.tenant_id().0))
        .filter(conflict_decisions::Column::ConflictId.is_in(ids.iter().copied()))
        .all(txn)
        .await
        .map_err(to_core)?;
    let overrules = fact_overrules::Entity::find()
        .filter(fact_overrules::Column::TenantId.eq(ctx.tenant_id().0))
        .filter(fact_overrules::Column::ConflictId.is_in(ids.iter().copied()))
        .all(txn)
        .await
        .map_err(to_core)?;
    let mut overruled: BTreeMap<Uuid, Vec<FactId>> = BTreeMap::new();
    for o in overrules {
        overruled
            .entry(o.conflict_id)
            .or_default()
            .push(FactId(o.fact_id));
    }
    let mut decisions: BTreeMap<Uuid, Decision> = decisions
        .into_iter()
        .map(|d| {
            let mut overruled = overruled.remove(&d.conflict_id).unwrap_or_default();
            overruled.sort_unstable();
            Ok((d.conflict_id, decision(d, overruled)?))
        })
        .collect::<Result<_>>()?;
    let conflicts = found
        .into_iter()
        .map(rows::conflict)
        .collect::<Result<Vec<_>>>()?;
    let fact_ids: Vec<Uuid> = conflicts
        .iter()
        .flat_map(|c| c.fact_ids.iter().map(|f| f.0))
        .collect();
    let facts = facts_by_id(txn, ctx, &fact_ids).await?;
    Ok(conflicts
        .into_iter()
        .map(|conflict| {
            let decision = decisions.remove(&conflict.id.0);
            ConflictView {
                status: status_of(decision.as_ref(), conflict.cleared_at.is_some()),
                facts: conflict
                    .fact_ids
                    .iter()
                    .filter_map(|id| facts.get(id).cloned())
                    .collect(),
                decision,
                conflict,
            }
        })
        .collect())
}

fn decision(d: conflict_decisions::Model, overruled: Vec<FactId>) -> Result<Decision> {
    let resolution = d
        .resolution
        .as_deref()
        .map(|text| {
            serde_json::from_str(text)
                .ok()
                .and_then(|v| Resolution::from_json(&v))
                .ok_or_else(|| Error::internal(format!("unreadable resolution `{text}`")))
        })
        .transpose()?;
    Ok(Decision {
        conflict_id: ConflictId(d.conflict_id),
        status: ConflictStatus::parse(&d.status)
            .ok_or_else(|| Error::internal(format!("unknown decision status `{}`", d.status)))?,
        resolution,
        confirmation_fact: d.confirmation_fact_id.map(FactId),
        overruled,
        note: d.note,
        decided_by: UserId(d.decided_by),
        decided_at: d.decided_at,
    })
}
