//! The shared shows a show-by-show refresh covers (`RefreshTargets`).

use super::rows;
use crate::connect::Store;
use crate::entities::{show_external_ids, shows};
use crate::error::to_core;
use crate::tenant_scope::Access;
use async_trait::async_trait;
use psma_core::Result;
use psma_core::catalog::{RefreshTargets, ShowTarget};
use psma_core::tenancy::SystemCtx;
use psma_plugin_sdk::ShowQuery;
use psma_plugin_sdk::text::{ExternalNamespace, ExternalValue};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Select};

#[async_trait]
impl RefreshTargets for Store {
    async fn shows_with_external_id(
        &self,
        system: &SystemCtx,
        namespace: &ExternalNamespace,
    ) -> Result<Vec<ShowTarget>> {
        let txn = self.begin_system(system, Access::Read).await?;
        let found = shared_shows_known_as(namespace, None)
            .all(&txn)
            .await
            .map_err(to_core)?;
        txn.commit().await.map_err(to_core)?;
        found.into_iter().map(target).collect()
    }

    async fn show_known_as(
        &self,
        system: &SystemCtx,
        namespace: &ExternalNamespace,
        value: &ExternalValue,
    ) -> Result<Option<ShowTarget>> {
        let txn = self.begin_system(system, Access::Read).await?;
        let found = shared_shows_known_as(namespace, Some(value))
            .one(&txn)
            .await
            .map_err(to_core)?;
        txn.commit().await.map_err(to_core)?;
        found.map(target).transpose()
    }
}

/// The shared shows with an id in `namespace` (that id, when `value` is given), by id.
fn shared_shows_known_as(
    namespace: &ExternalNamespace,
    value: Option<&ExternalValue>,
) -> Select<shows::Entity> {
    let mut known = Query::select()
        .column(show_external_ids::Column::ShowId)
        .from(show_external_ids::Entity)
        .and_where(show_external_ids::Column::TenantId.is_null())
        .and_where(show_external_ids::Column::Namespace.eq(namespace.as_str()))
        .to_owned();
    if let Some(value) = value {
        known.and_where(show_external_ids::Column::Value.eq(value.as_str()));
    }
    shows::Entity::find()
        .filter(shows::Column::TenantId.is_null())
        .filter(shows::Column::Id.in_subquery(known))
        .order_by_asc(shows::Column::Id)
}

/// A stored show as a refresh target: its ids, title and year.
fn target(row: shows::Model) -> Result<ShowTarget> {
    let show = rows::show(row)?;
    Ok(ShowTarget {
        show: show.id,
        query: ShowQuery {
            key: None,
            external_ids: show.external_ids,
            title: Some(show.title),
            year: show.year,
        },
    })
}
