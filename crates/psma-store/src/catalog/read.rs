//! Reading the catalog as one tenant: shows, their facts, changes and conflicts.

use super::conflict_views::load_views;
use super::kind_literal::{kind_in, kind_is};
use super::rows;
use super::scope::readable;
use crate::connect::Store;
use crate::entities::{catalog_sources, conflicts, fact_changes, fact_overrules, facts, shows};
use crate::error::to_core;
use crate::literal_limit::{first, limited};
use crate::tenant_scope::Access;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use psma_core::catalog::ports::{
    AvailabilityStatus, CatalogReader, Page, PageRequest, ShowCursor, ShowFilter, ShowRecord,
    ShowSummary,
};
use psma_core::catalog::{
    Change, ChangeId, ChangeKind, ChangeRecord, ConflictId, ConflictStatus, ConflictView,
    DataScope, FactId, RunId, ShowId, SourceInfo, StoredFact,
};
use psma_core::ids::v7_floor;
use psma_core::tenancy::TenantCtx;
use psma_core::{Error, Result};
use psma_plugin_sdk::text::LongText;
use psma_plugin_sdk::{Attribution, FactKind};
use sea_orm::sea_query::{
    Alias, Condition, DynIden, Expr, ExprTrait, IntoIden, Query, SelectStatement,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, Order, QueryFilter, QueryOrder,
    QuerySelect, Statement,
};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

fn f_col(column: &str) -> Expr {
    Expr::col((Alias::new("f"), Alias::new(column)))
}

/// A service or country filter matching fewer availability facts than this is evaluated from
/// the facts' side (their index gives the shows, which are then sorted); a broader one from the
/// shows' side (walk the shows by title, probe each for a match). Either alone is slow for the
/// other case: 45 ms against 5 ms for 743 matches among 100k shows, 1 ms against 100 ms for
/// 25,000 (SQLite, docs/benchmarks.md).
const FEW_MATCHES: u64 = 2000;

/// The live, visible, not overruled availability facts matching the filter's service and
/// country, and `window` when given (no columns selected yet).
fn availability_facts(
    ctx: &TenantCtx,
    filter: &ShowFilter,
    window: Option<Condition>,
) -> SelectStatement {
    let mut q = Query::select();
    q.from_as(facts::Entity, Alias::new("f"))
        .and_where(kind_is(f_col("kind"), FactKind::Availability))
        .and_where(f_col("ended_at").is_null())
        .cond_where(readable(Alias::new("f"), DataScope::of(ctx)))
        .and_where(not_overruled(ctx, Alias::new("f")));
    if let Some(service) = &filter.service_id {
        q.and_where(f_col("service_id").eq(service.as_str()));
    }
    if let Some(country) = &filter.country {
        q.and_where(f_col("country").eq(country.as_str()));
    }
    if let Some(window) = window {
        q.cond_where(window);
    }
    q.to_owned()
}

/// The outer show has such a fact: as `EXISTS (…)` when `few` is false, as
/// `shows.id IN (…)` when the filter matches few facts.
fn has_availability(
    ctx: &TenantCtx,
    filter: &ShowFilter,
    window: Option<Condition>,
    few: bool,
) -> Expr {
    let mut q = availability_facts(ctx, filter, window);
    if few {
        q.column((Alias::new("f"), Alias::new("show_id")));
        Expr::col((shows::Entity, shows::Column::Id)).in_subquery(q)
    } else {
        q.expr(Expr::val(1))
            .and_where(f_col("show_id").equals((shows::Entity, shows::Column::Id)));
        Expr::exists(q)
    }
}

/// Whether the filter's service and country match fewer than [`FEW_MATCHES`] facts.
async fn matches_few(
    txn: &DatabaseTransaction,
    ctx: &TenantCtx,
    filter: &ShowFilter,
) -> Result<bool> {
    if filter.service_id.is_none() && filter.country.is_none() {
        return Ok(false);
    }
    let mut sample = availability_facts(ctx, filter, None);
    sample.expr(Expr::val(1));
    let sample = limited(txn.get_database_backend().build(&sample), FEW_MATCHES);
    let statement = Statement::from_sql_and_values(
        txn.get_database_backend(),
        format!("SELECT COUNT(*) FROM ({}) AS m", sample.sql),
        sample.values.map(|v| v.0).unwrap_or_default(),
    );
    let found: i64 = txn
        .query_one_raw(statement)
        .await
        .map_err(to_core)?
        .map(|row| row.try_get_by_index(0))
        .transpose()
        .map_err(to_core)?
        .unwrap_or(0);
    Ok(u64::try_from(found).unwrap_or(0) < FEW_MATCHES)
}

/// The fact in `table` is not overruled by the tenant's decisions.
fn not_overruled(ctx: &TenantCtx, table: impl IntoIden) -> Expr {
    let table: DynIden = table.into_iden();
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from_as(fact_overrules::Entity, Alias::new("o"))
            .and_where(Expr::col((Alias::new("o"), Alias::new("tenant_id"))).eq(ctx.tenant_id().0))
            .and_where(
                Expr::col((Alias::new("o"), Alias::new("fact_id")))
                    .equals((table, Alias::new("id").into_iden())),
            )
            .to_owned(),
    )
    .not()
}

fn status_condition(ctx: &TenantCtx, filter: &ShowFilter, few: bool) -> Option<Condition> {
    let today = filter.today;
    let now = Condition::all()
        .add(
            Condition::any()
                .add(f_col("available_from").is_null())
                .add(f_col("available_from").lte(today)),
        )
        .add(
            Condition::any()
                .add(f_col("available_until").is_null())
                .add(f_col("available_until").gte(today)),
        );
    let later = Condition::all().add(f_col("available_from").gt(today));
    // Only a condition that must hold is worth driving from the facts' side.
    let available = |few| has_availability(ctx, filter, Some(now.clone()), few);
    let upcoming = |few| has_availability(ctx, filter, Some(later.clone()), few);
    match filter.status {
        Some(AvailabilityStatus::Available) => Some(Condition::all().add(available(few))),
        Some(AvailabilityStatus::Upcoming) => Some(
            Condition::all()
                .add(upcoming(few))
                .add(available(false).not()),
        ),
        Some(AvailabilityStatus::Unknown) => Some(
            Condition::all()
                .add(available(false).not())
                .add(upcoming(false).not()),
        ),
        None if filter.service_id.is_some() || filter.country.is_some() => {
            Some(Condition::all().add(has_availability(ctx, filter, None, few)))
        }
        None => None,
    }
}

async fn read_txn(store: &Store, ctx: &TenantCtx) -> Result<DatabaseTransaction> {
    store.begin_tenant(ctx, Access::Read).await
}

#[async_trait]
impl CatalogReader for Store {
    async fn list_shows(
        &self,
        ctx: &TenantCtx,
        filter: &ShowFilter,
        page: &PageRequest<ShowCursor>,
    ) -> Result<Page<ShowSummary, ShowCursor>> {
        let txn = read_txn(self, ctx).await?;
        let mut select = shows::Entity::find().filter(readable(shows::Entity, DataScope::of(ctx)));
        if let Some(q) = &filter.q {
            // Every word of the query, anywhere in the title. Normalized titles and queries hold
            // only letters, digits and spaces: no LIKE wildcards to escape.
            for word in q.split(' ').filter(|w| !w.is_empty()) {
                select = select.filter(shows::Column::NormalizedTitle.contains(word));
            }
        }
        let few = matches_few(&txn, ctx, filter).await?;
        if let Some(condition) = status_condition(ctx, filter, few) {
            select = select.filter(condition);
        }
        if let Some(after) = &page.after {
            select = select.filter(
                Condition::any()
                    .add(shows::Column::SortKey.gt(after.sort_key.as_str()))
                    .add(
                        Condition::all()
                            .add(shows::Column::SortKey.eq(after.sort_key.as_str()))
                            .add(shows::Column::Id.gt(after.id.0)),
                    ),
            );
        }
        let select = select
            .order_by(shows::Column::SortKey, Order::Asc)
            .order_by(shows::Column::Id, Order::Asc);
        let mut found = first(select, u64::from(page.limit) + 1, &txn)
            .await
            .map_err(to_core)?;
        let more = found.len() > page.limit as usize;
        found.truncate(page.limit as usize);
        let services = services_of(&txn, ctx, filter, &found).await?;
        txn.commit().await.map_err(to_core)?;
        let next = if more {
            found.last().map(|m| ShowCursor {
                sort_key: m.sort_key.clone(),
                id: ShowId(m.id),
            })
        } else {
            None
        };
        let items = found
            .into_iter()
            .map(|m| {
                let id = m.id;
                Ok(ShowSummary {
                    show: rows::show(m)?,
                    services: services
                        .get(&id)
                        .cloned()
                        .unwrap_or_default()
                        .into_iter()
                        .collect(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Page { items, next })
    }

    async fn show(&self, ctx: &TenantCtx, id: ShowId) -> Result<Option<ShowRecord>> {
        let txn = read_txn(self, ctx).await?;
        let scope = DataScope::of(ctx);
        let Some(row) = shows::Entity::find_by_id(id.0)
            .filter(readable(shows::Entity, scope))
            .one(&txn)
            .await
            .map_err(to_core)?
        else {
            txn.commit().await.map_err(to_core)?;
            return Ok(None);
        };
        let facts = facts::Entity::find()
            .filter(facts::Column::ShowId.eq(id.0))
            .filter(readable(facts::Entity, scope))
            .filter(facts::Column::EndedAt.is_null())
            .order_by(facts::Column::Id, Order::Asc)
            .all(&txn)
            .await
            .map_err(to_core)?
            .into_iter()
            .map(rows::stored_fact)
            .collect::<Result<Vec<_>>>()?;
        let overruled = overruled_among(&txn, ctx, &facts).await?;
        let conflicts = conflicts::Entity::find()
            .filter(readable(conflicts::Entity, scope))
            .filter(conflicts::Column::ClearedAt.is_null())
            .filter(
                Condition::any()
                    .add(conflicts::Column::ShowId.eq(id.0))
                    .add(conflicts::Column::OtherShowId.eq(id.0)),
            )
            .order_by(conflicts::Column::Id, Order::Asc)
            .all(&txn)
            .await
            .map_err(to_core)?;
        let conflicts = load_views(&txn, ctx, conflicts).await?;
        let source_ids: BTreeSet<&str> = facts.iter().map(|f| f.source_id().as_str()).collect();
        let sources = sources(&txn, scope, &source_ids).await?;
        txn.commit().await.map_err(to_core)?;
        Ok(Some(ShowRecord {
            show: rows::show(row)?,
            facts,
            overruled,
            conflicts,
            sources,
        }))
    }

    async fn service_facts(&self, ctx: &TenantCtx) -> Result<Vec<StoredFact>> {
        let txn = read_txn(self, ctx).await?;
        let found = facts::Entity::find()
            .filter(readable(facts::Entity, DataScope::of(ctx)))
            .filter(facts::Column::EndedAt.is_null())
            .filter(kind_in(
                Expr::col(facts::Column::Kind),
                &[FactKind::ServiceBehavior, FactKind::Price],
            ))
            .order_by(facts::Column::Id, Order::Asc)
            .all(&txn)
            .await
            .map_err(to_core)?;
        txn.commit().await.map_err(to_core)?;
        found.into_iter().map(rows::stored_fact).collect()
    }

    async fn changes(
        &self,
        ctx: &TenantCtx,
        since: Option<DateTime<Utc>>,
        page: &PageRequest<ChangeId>,
    ) -> Result<Page<ChangeRecord, ChangeId>> {
        let txn = read_txn(self, ctx).await?;
        let mut select =
            fact_changes::Entity::find().filter(readable(fact_changes::Entity, DataScope::of(ctx)));
        if let Some(since) = since {
            // Change ids are UUIDv7 stamped with the change's time: an index range on the key.
            select = select
                .filter(fact_changes::Column::Id.gte(v7_floor(since)))
                .filter(fact_changes::Column::At.gte(since));
        }
        if let Some(after) = page.after {
            select = select.filter(fact_changes::Column::Id.gt(after.0));
        }
        let select = select.order_by(fact_changes::Column::Id, Order::Asc);
        let mut found = first(select, u64::from(page.limit) + 1, &txn)
            .await
            .map_err(to_core)?;
        let more = found.len() > page.limit as usize;
        found.truncate(page.limit as usize);
        let ids: Vec<Uuid> = found
            .iter()
            .flat_map(|c| [c.before_fact_id, c.after_fact_id])
            .flatten()
            .collect();
        let versions = facts_by_id(&txn, ctx, &ids).await?;
        txn.commit().await.map_err(to_core)?;
        let next = if more {
            found.last().map(|c| ChangeId(c.id))
        } else {
            None
        };
        let items = found
            .into_iter()
            .map(|c| {
                let change = change(c)?;
                Ok(ChangeRecord {
                    before: change.before.and_then(|id| versions.get(&id).cloned()),
                    after: change.after.and_then(|id| versions.get(&id).cloned()),
                    change,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Page { items, next })
    }

    async fn conflicts(
        &self,
        ctx: &TenantCtx,
        status: Option<ConflictStatus>,
        page: &PageRequest<ConflictId>,
    ) -> Result<Page<ConflictView, ConflictId>> {
        let txn = read_txn(self, ctx).await?;
        let mut select =
            conflicts::Entity::find().filter(readable(conflicts::Entity, DataScope::of(ctx)));
        if let Some(status) = status {
            select = select.filter(super::conflict_views::status_condition(ctx, status));
        }
        if let Some(after) = page.after {
            select = select.filter(conflicts::Column::Id.gt(after.0));
        }
        let select = select.order_by(conflicts::Column::Id, Order::Asc);
        let mut found = first(select, u64::from(page.limit) + 1, &txn)
            .await
            .map_err(to_core)?;
        let more = found.len() > page.limit as usize;
        found.truncate(page.limit as usize);
        let next = if more {
            found.last().map(|c| ConflictId(c.id))
        } else {
            None
        };
        let items = load_views(&txn, ctx, found).await?;
        txn.commit().await.map_err(to_core)?;
        Ok(Page { items, next })
    }

    async fn conflict(&self, ctx: &TenantCtx, id: ConflictId) -> Result<Option<ConflictView>> {
        let txn = read_txn(self, ctx).await?;
        let found = conflicts::Entity::find_by_id(id.0)
            .filter(readable(conflicts::Entity, DataScope::of(ctx)))
            .all(&txn)
            .await
            .map_err(to_core)?;
        let view = load_views(&txn, ctx, found).await?.into_iter().next();
        txn.commit().await.map_err(to_core)?;
        Ok(view)
    }
}

/// The services each listed show is on (in the filter's country), from live visible facts
/// that the tenant has not overruled.
async fn services_of(
    txn: &DatabaseTransaction,
    ctx: &TenantCtx,
    filter: &ShowFilter,
    found: &[shows::Model],
) -> Result<BTreeMap<Uuid, BTreeSet<psma_plugin_sdk::text::ServiceId>>> {
    if found.is_empty() {
        return Ok(BTreeMap::new());
    }
    let ids: Vec<Uuid> = found.iter().map(|m| m.id).collect();
    let mut select = facts::Entity::find()
        .select_only()
        .columns([facts::Column::ShowId, facts::Column::ServiceId])
        .filter(facts::Column::ShowId.is_in(ids))
        .filter(kind_is(
            Expr::col(facts::Column::Kind),
            FactKind::Availability,
        ))
        .filter(facts::Column::EndedAt.is_null())
        .filter(readable(facts::Entity, DataScope::of(ctx)))
        .filter(not_overruled(ctx, facts::Entity));
    if let Some(country) = &filter.country {
        select = select.filter(facts::Column::Country.eq(country.as_str()));
    }
    let rows: Vec<(Option<Uuid>, Option<String>)> =
        select.into_tuple().all(txn).await.map_err(to_core)?;
    let mut out: BTreeMap<Uuid, BTreeSet<psma_plugin_sdk::text::ServiceId>> = BTreeMap::new();
    for (show, service) in rows {
        if let (Some(show), Some(service)) = (show, service) {
            out.entry(show)
                .or_default()
                .insert(service.parse().map_err(Error::internal)?);
        }
    }
    Ok(out)
}

/// Which of `facts` the tenant's decisions overrule.
pub(crate) async fn overruled_among(
    txn: &DatabaseTransaction,
    ctx: &TenantCtx,
    facts: &[StoredFact],
) -> Result<BTreeSet<FactId>> {
    let mut out = BTreeSet::new();
    for chunk in facts.chunks(1000) {
        let found: Vec<Uuid> = fact_overrules::Entity::find()
            .select_only()
            .column(fact_overrules::Column::FactId)
            .filter(fact_overrules::Column::TenantId.eq(ctx.tenant_id().0))
            .filter(fact_overrules::Column::FactId.is_in(chunk.iter().map(|f| f.id.0)))
            .into_tuple()
            .all(txn)
            .await
            .map_err(to_core)?;
        out.extend(found.into_iter().map(FactId));
    }
    Ok(out)
}

/// Fact versions by id (ended ones included), those the tenant can see.
pub(crate) async fn facts_by_id(
    txn: &DatabaseTransaction,
    ctx: &TenantCtx,
    ids: &[Uuid],
) -> Result<BTreeMap<FactId, StoredFact>> {
    let mut out = BTreeMap::new();
    for chunk in ids.chunks(1000) {
        let found = facts::Entity::find()
            .filter(facts::Column::Id.is_in(chunk.iter().copied()))
            .filter(readable(facts::Entity, DataScope::of(ctx)))
            .all(txn)
            .await
            .map_err(to_core)?;
        for model in found {
            let fact = rows::stored_fact(model)?;
            out.insert(fact.id, fact);
        }
    }
    Ok(out)
}

/// The attribution of `source_ids`, the tenant's own record of a source first.
async fn sources(
    txn: &DatabaseTransaction,
    scope: DataScope,
    source_ids: &BTreeSet<&str>,
) -> Result<Vec<SourceInfo>> {
    if source_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut found = catalog_sources::Entity::find()
        .filter(readable(catalog_sources::Entity, scope))
        .filter(catalog_sources::Column::SourceId.is_in(source_ids.iter().copied()))
        .all(txn)
        .await
        .map_err(to_core)?;
    // Private records (tenant_id set) before shared ones, so dedup keeps the tenant's.
    found.sort_by(|a, b| {
        (&a.source_id, a.tenant_id.is_none()).cmp(&(&b.source_id, b.tenant_id.is_none()))
    });
    found.dedup_by(|a, b| a.source_id == b.source_id);
    found
        .into_iter()
        .map(|m| {
            Ok(SourceInfo {
                source_id: m.source_id.parse().map_err(Error::internal)?,
                display_name: m.display_name,
                attribution: Attribution {
                    text: LongText::parse(&m.attribution_text).map_err(Error::internal)?,
                    url: m
                        .attribution_url
                        .map(|u| u.parse())
                        .transpose()
                        .map_err(Error::internal)?,
                    license: m
                        .attribution_license
                        .map(|l| l.parse())
                        .transpose()
                        .map_err(Error::internal)?,
                },
            })
        })
        .collect()
}

fn change(m: fact_changes::Model) -> Result<Change> {
    Ok(Change {
        id: ChangeId(m.id),
        scope: super::scope::scope_of(m.tenant_id),
        run_id: RunId(m.run_id),
        source_id: m.source_id.parse().map_err(Error::internal)?,
        kind: ChangeKind::parse(&m.change)
            .ok_or_else(|| Error::internal(format!("unknown change `{}`", m.change)))?,
        fact_kind: FactKind::parse(&m.fact_kind)
            .ok_or_else(|| Error::internal(format!("unknown fact kind `{}`", m.fact_kind)))?,
        show_id: m.show_id.map(ShowId),
        before: m.before_fact_id.map(FactId),
        after: m.after_fact_id.map(FactId),
        at: m.at,
    })
}
