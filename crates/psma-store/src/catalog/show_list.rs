//! The show list: a page of shows by title, filtered by title words, service, country and
//! status.
//!
//! Two plans, chosen per request. A service/country filter that matches few shows (at most
//! [`FEW_SHOWS`]) starts from the facts' index, which gives the matching show ids; they are put
//! in title order with the in-memory [`ShowOrder`](super::ShowOrder) and only the page's shows
//! are read. Any other list walks the shows in title order and keeps those that match, which is
//! quick when many do. Either alone is slow for the other case (docs/benchmarks.md).

use super::generations::Generations;
use super::kind_literal::kind_is;
use super::rows;
use super::scope::readable;
use super::show_pages::{PageKey, ShowPage};
use crate::connect::Store;
use crate::entities::{fact_overrules, facts, shows};
use crate::error::to_core;
use crate::literal_limit::{first, limited};
use crate::tenant_scope::Access;
use psma_core::catalog::ports::{
    AvailabilityStatus, Page, PageRequest, ShowCursor, ShowFilter, ShowSummary,
};
use psma_core::catalog::{DataScope, ShowId};
use psma_core::tenancy::TenantCtx;
use psma_core::{Error, Result};
use psma_plugin_sdk::FactKind;
use sea_orm::sea_query::{
    Alias, Condition, DynIden, Expr, ExprTrait, IntoIden, Query, SelectStatement,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, Order, QueryFilter,
    QueryOrder, QuerySelect, Statement,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use uuid::Uuid;

/// A service/country filter matching at most this many shows is answered from the facts'
/// index: 743 of 100k shows take about 0.3 ms that way, against 7,000 probes walking by title.
/// A broader one walks the shows by title (1 ms for 25,000 matches, where sorting them all
/// would take far longer).
const FEW_SHOWS: u64 = 2000;

/// A page of the shows `ctx` can see that pass `filter`: the kept one while the catalog has
/// not changed since it was read ([`ShowPages`](super::ShowPages)), else read now.
pub(super) async fn page(
    store: &Store,
    ctx: &TenantCtx,
    filter: &ShowFilter,
    page: &PageRequest<ShowCursor>,
) -> Result<ShowPage> {
    let latest = Generations::latest(store, ctx.tenant_id()).await?;
    if let Some(kept) = store
        .show_pages
        .get(&PageKey::new(ctx.tenant_id(), latest, filter, page))
    {
        return Ok(ShowPage::clone(&kept));
    }
    // Read the page and its key in one transaction, so the key is never newer than the page.
    let txn = store.begin_tenant(ctx, Access::Read).await?;
    let generations = Generations::read(&txn, ctx.tenant_id()).await?;
    let key = PageKey::new(ctx.tenant_id(), generations, filter, page);
    let (found, next) = match few_shows(store, &txn, ctx, generations, filter, page).await? {
        Some(found) => found,
        None => by_title(&txn, ctx, filter, page).await?,
    };
    let services = services_of(&txn, ctx, filter, &found).await?;
    txn.commit().await.map_err(to_core)?;
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
    let read = Page { items, next };
    store.show_pages.keep(key, Arc::new(read.clone()));
    Ok(read)
}

/// A page and the cursor to the next one.
type Found = (Vec<shows::Model>, Option<ShowCursor>);

/// The page from the facts' side; `None` when the filter is not a service/country filter
/// (alone or with "available") or matches more than [`FEW_SHOWS`].
async fn few_shows(
    store: &Store,
    txn: &DatabaseTransaction,
    ctx: &TenantCtx,
    generations: Generations,
    filter: &ShowFilter,
    page: &PageRequest<ShowCursor>,
) -> Result<Option<Found>> {
    if filter.q.is_some() || (filter.service_id.is_none() && filter.country.is_none()) {
        return Ok(None);
    }
    let window = match filter.status {
        None => None,
        Some(AvailabilityStatus::Available) => Some(available_now(filter)),
        // These need the absence of other facts: the title walk does that well.
        Some(AvailabilityStatus::Upcoming | AvailabilityStatus::Unknown) => return Ok(None),
    };
    let Some(ids) = matching_show_ids(txn, ctx, filter, window).await? else {
        return Ok(None);
    };
    let snapshots = store
        .show_order
        .current(txn, ctx.tenant_id(), generations)
        .await?;
    let mut unknown = Vec::new();
    let mut keyed: Vec<(&str, Uuid)> = Vec::with_capacity(ids.len());
    for id in ids {
        match snapshots.iter().find_map(|s| s.key(&id)) {
            Some(key) => keyed.push((key, id)),
            None => unknown.push(id),
        }
    }
    // Only a show written after the snapshots were read can be missing from them.
    let late = sort_keys_of(txn, ctx, &unknown).await?;
    keyed.extend(late.iter().map(|(id, key)| (key.as_str(), *id)));
    keyed.sort_unstable();
    if let Some(after) = &page.after {
        let after = (after.sort_key.as_str(), after.id.0);
        keyed.retain(|entry| *entry > after);
    }
    let limit = page.limit as usize;
    let more = keyed.len() > limit;
    keyed.truncate(limit);
    // The cursor holds the key the page was ordered by, so the next page continues exactly
    // where this one stopped even if a title changed in between.
    let next = more
        .then(|| keyed.last())
        .flatten()
        .map(|(key, id)| ShowCursor {
            sort_key: (*key).to_owned(),
            id: ShowId(*id),
        });

    let wanted: Vec<Uuid> = keyed.iter().map(|(_, id)| *id).collect();
    let mut by_id: HashMap<Uuid, shows::Model> = shows::Entity::find()
        .filter(shows::Column::Id.is_in(wanted.iter().copied()))
        .filter(readable(shows::Entity, DataScope::of(ctx)))
        .all(txn)
        .await
        .map_err(to_core)?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let found = wanted.iter().filter_map(|id| by_id.remove(id)).collect();
    Ok(Some((found, next)))
}

/// The shows with a matching availability fact, or `None` when more than [`FEW_SHOWS`] do.
///
/// The ids come back as one text row, not a row each: the SQLite driver hands every row from
/// its connection thread to the request's task, and 743 hand-offs cost more than the query
/// (a third of a loaded server's time).
async fn matching_show_ids(
    txn: &DatabaseTransaction,
    ctx: &TenantCtx,
    filter: &ShowFilter,
    window: Option<Condition>,
) -> Result<Option<Vec<Uuid>>> {
    let mut matching = availability_facts(ctx, filter, window);
    matching
        .distinct()
        .column((Alias::new("f"), Alias::new("show_id")));
    let backend = txn.get_database_backend();
    let inner = limited(backend.build(&matching), FEW_SHOWS + 1);
    let joined = match backend {
        DbBackend::Postgres => "string_agg(m.show_id::text, ',')",
        _ => "group_concat(hex(m.show_id), ',')",
    };
    let statement = Statement::from_sql_and_values(
        backend,
        format!("SELECT {joined} FROM ({}) AS m", inner.sql),
        inner.values.map(|v| v.0).unwrap_or_default(),
    );
    let text: Option<String> = txn
        .query_one_raw(statement)
        .await
        .map_err(to_core)?
        .map(|row| row.try_get_by_index::<Option<String>>(0))
        .transpose()
        .map_err(to_core)?
        .flatten();
    let ids: Vec<Uuid> = match text.as_deref() {
        None | Some("") => Vec::new(),
        Some(joined) => joined
            .split(',')
            .map(Uuid::parse_str)
            .collect::<std::result::Result<_, _>>()
            .map_err(Error::internal)?,
    };
    Ok((ids.len() as u64 <= FEW_SHOWS).then_some(ids))
}

/// The sort keys of shows the snapshots do not hold.
async fn sort_keys_of(
    txn: &DatabaseTransaction,
    ctx: &TenantCtx,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    shows::Entity::find()
        .select_only()
        .columns([shows::Column::Id, shows::Column::SortKey])
        .filter(shows::Column::Id.is_in(ids.to_vec()))
        .filter(readable(shows::Entity, DataScope::of(ctx)))
        .into_tuple()
        .all(txn)
        .await
        .map_err(to_core)
}

/// The page, walking the shows in title order.
async fn by_title(
    txn: &DatabaseTransaction,
    ctx: &TenantCtx,
    filter: &ShowFilter,
    page: &PageRequest<ShowCursor>,
) -> Result<Found> {
    let mut select = shows::Entity::find().filter(readable(shows::Entity, DataScope::of(ctx)));
    if let Some(q) = &filter.q {
        // Every word of the query, anywhere in the title. Normalized titles and queries hold
        // only letters, digits and spaces: no LIKE wildcards to escape.
        for word in q.split(' ').filter(|w| !w.is_empty()) {
            select = select.filter(shows::Column::NormalizedTitle.contains(word));
        }
    }
    if let Some(condition) = status_condition(ctx, filter) {
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
    let mut found = first(select, u64::from(page.limit) + 1, txn)
        .await
        .map_err(to_core)?;
    let more = found.len() > page.limit as usize;
    found.truncate(page.limit as usize);
    let next = more.then(|| found.last()).flatten().map(|m| ShowCursor {
        sort_key: m.sort_key.clone(),
        id: ShowId(m.id),
    });
    Ok((found, next))
}

fn f_col(column: &str) -> Expr {
    Expr::col((Alias::new("f"), Alias::new(column)))
}

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

/// The outer show has such a fact.
fn has_availability(ctx: &TenantCtx, filter: &ShowFilter, window: Option<Condition>) -> Expr {
    let mut q = availability_facts(ctx, filter, window);
    q.expr(Expr::val(1))
        .and_where(f_col("show_id").equals((shows::Entity, shows::Column::Id)));
    Expr::exists(q)
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

/// The fact's window covers the filter's day.
fn available_now(filter: &ShowFilter) -> Condition {
    let today = filter.today;
    Condition::all()
        .add(
            Condition::any()
                .add(f_col("available_from").is_null())
                .add(f_col("available_from").lte(today)),
        )
        .add(
            Condition::any()
                .add(f_col("available_until").is_null())
                .add(f_col("available_until").gte(today)),
        )
}

fn status_condition(ctx: &TenantCtx, filter: &ShowFilter) -> Option<Condition> {
    let now = available_now(filter);
    let later = Condition::all().add(f_col("available_from").gt(filter.today));
    let available = || has_availability(ctx, filter, Some(now.clone()));
    let upcoming = || has_availability(ctx, filter, Some(later.clone()));
    match filter.status {
        Some(AvailabilityStatus::Available) => Some(Condition::all().add(available())),
        Some(AvailabilityStatus::Upcoming) => {
            Some(Condition::all().add(upcoming()).add(available().not()))
        }
        Some(AvailabilityStatus::Unknown) => Some(
            Condition::all()
                .add(available().not())
                .add(upcoming().not()),
        ),
        None if filter.service_id.is_some() || filter.country.is_some() => {
            Some(Condition::all().add(has_availability(ctx, filter, None)))
        }
        None => None,
    }
}

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
