//! Reading the catalog as one tenant: shows, their facts, changes and conflicts.

use super::conflict_views::load_views;
use super::kind_literal::kind_in;
use super::rows;
use super::scope::readable;
use super::show_list;
use crate::connect::Store;
use crate::entities::{catalog_sources, conflicts, fact_overrules, facts, shows};
use crate::error::to_core;
use crate::literal_limit::first;
use crate::tenant_scope::Access;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use psma_core::catalog::ports::{
    CatalogReader, Page, PageRequest, ShowCursor, ShowFilter, ShowRecord, ShowSummary,
};
use psma_core::catalog::{
    ChangeId, ChangeRecord, ConflictId, ConflictStatus, ConflictView, DataScope, FactId, ShowId,
    SourceInfo, StoredFact,
};
use psma_core::tenancy::TenantCtx;
use psma_core::{Error, Result};
use psma_plugin_sdk::text::LongText;
use psma_plugin_sdk::{Attribution, FactKind};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ColumnTrait, DatabaseTransaction, EntityTrait, Order, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

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
        show_list::page(self, ctx, filter, page).await
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
        let sources = sources(&txn, scope, Some(&source_ids)).await?;
        txn.commit().await.map_err(to_core)?;
        Ok(Some(ShowRecord {
            show: rows::show(row)?,
            facts,
            overruled,
            conflicts,
            sources,
        }))
    }

    async fn titles(&self, ctx: &TenantCtx, ids: &[ShowId]) -> Result<BTreeMap<ShowId, String>> {
        let txn = read_txn(self, ctx).await?;
        let mut titles = BTreeMap::new();
        for chunk in ids.chunks(1000) {
            let found = shows::Entity::find()
                .filter(shows::Column::Id.is_in(chunk.iter().map(|id| id.0)))
                .filter(readable(shows::Entity, DataScope::of(ctx)))
                .all(&txn)
                .await
                .map_err(to_core)?;
            titles.extend(found.into_iter().map(|m| (ShowId(m.id), m.title)));
        }
        txn.commit().await.map_err(to_core)?;
        Ok(titles)
    }

    async fn sources(&self, ctx: &TenantCtx) -> Result<Vec<SourceInfo>> {
        let txn = read_txn(self, ctx).await?;
        let found = sources(&txn, DataScope::of(ctx), None).await?;
        txn.commit().await.map_err(to_core)?;
        Ok(found)
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
        let found = super::change_log::read(&txn, ctx, since, page).await?;
        txn.commit().await.map_err(to_core)?;
        Ok(found)
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

/// The attribution of `source_ids` (all readable sources for `None`), the tenant's own record
/// of a source first.
async fn sources(
    txn: &DatabaseTransaction,
    scope: DataScope,
    source_ids: Option<&BTreeSet<&str>>,
) -> Result<Vec<SourceInfo>> {
    let mut select =
        catalog_sources::Entity::find().filter(readable(catalog_sources::Entity, scope));
    if let Some(ids) = source_ids {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        select = select.filter(catalog_sources::Column::SourceId.is_in(ids.iter().copied()));
    }
    let mut found = select.all(txn).await.map_err(to_core)?;
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
