//! Who a run's changes concern: the members whose live selections include a changed show,
//! read inside the run's transaction so that their re-plans are queued with the run.
//!
//! A run of the shared catalog reads them in its system context, across tenants: on
//! PostgreSQL the policy `my_shows_system_fan_out` (migration `m20261203_000004`) lets a
//! transaction with `app.system_context = 'on'` read live `my_shows` rows, and this is the one
//! query that does so, reading three columns (tenant, user, show) and no more. A tenant's run
//! reads its own tenant's rows only. See ADR 0024.

use crate::entities::my_shows;
use crate::error::to_core;
use psma_core::Result;
use psma_core::catalog::{DataScope, ShowId};
use psma_core::tenancy::{TenantId, UserId};
use sea_orm::{
    ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::BTreeSet;
use uuid::Uuid;

/// How many show ids go in one `IN (…)` list.
const IN_LIST: usize = 1000;

/// The (tenant, user) pairs, in order and each once, whose live selections include one of
/// `shows`: of every tenant for the shared scope, of its own tenant for a private one.
pub(super) async fn members_selecting(
    txn: &DatabaseTransaction,
    scope: DataScope,
    shows: &[ShowId],
) -> Result<Vec<(TenantId, UserId)>> {
    let mut members = BTreeSet::new();
    for chunk in shows.chunks(IN_LIST) {
        let mut query = my_shows::Entity::find()
            .select_only()
            .column(my_shows::Column::TenantId)
            .column(my_shows::Column::UserId)
            .distinct()
            .filter(my_shows::Column::ShowId.is_in(chunk.iter().map(|s| s.0)))
            .filter(my_shows::Column::DeletedAt.is_null())
            .order_by_asc(my_shows::Column::TenantId)
            .order_by_asc(my_shows::Column::UserId);
        if let DataScope::Tenant(tenant) = scope {
            query = query.filter(my_shows::Column::TenantId.eq(tenant.0));
        }
        let rows: Vec<(Uuid, Uuid)> = query.into_tuple().all(txn).await.map_err(to_core)?;
        members.extend(rows.into_iter().map(|(t, u)| (TenantId(t), UserId(u))));
    }
    Ok(members.into_iter().collect())
}
