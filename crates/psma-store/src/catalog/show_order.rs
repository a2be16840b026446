//! The shows' title order, kept in memory.
//!
//! A filter that matches few shows (one service in one country) is answered from the facts'
//! index, which gives show ids in no useful order. Sorting them by title needs each show's sort
//! key: looking up 743 shows of 100k cost 1 ms on SQLite and 6 ms on PostgreSQL per request,
//! most of a request's time (docs/benchmarks.md). Shows change only when a run writes them, and
//! every run bumps its scope's counter ([`super::generations`]); so the keys of the shared
//! catalog, and of each household's own shows, are read once per generation and reused.

use super::generations::Generations;
use super::scope::owned;
use crate::entities::shows;
use crate::error::to_core;
use psma_core::Result;
use psma_core::catalog::DataScope;
use psma_core::tenancy::TenantId;
use sea_orm::sea_query::Query;
use sea_orm::{ConnectionTrait, DatabaseTransaction};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use uuid::Uuid;

/// The sort keys of one scope's shows as of one generation of that scope.
#[derive(Debug)]
pub(crate) struct Snapshot {
    generation: i64,
    keys: HashMap<Uuid, Box<str>>,
}

impl Snapshot {
    /// The sort key of show `id`, if it is one of this scope's.
    pub(crate) fn key(&self, id: &Uuid) -> Option<&str> {
        self.keys.get(id).map(AsRef::as_ref)
    }
}

/// The latest snapshot of each scope a request needed.
#[derive(Debug, Default)]
pub(crate) struct ShowOrder {
    latest: Mutex<HashMap<DataScope, Arc<Snapshot>>>,
}

impl ShowOrder {
    /// The snapshots of the shared catalog and of `tenant`'s own shows as of `generations`
    /// (which `txn` sees), read again for a scope whose shows have changed since.
    pub(crate) async fn current(
        &self,
        txn: &DatabaseTransaction,
        tenant: TenantId,
        generations: Generations,
    ) -> Result<[Arc<Snapshot>; 2]> {
        let shared = self.of(txn, DataScope::Global, generations).await?;
        let own = self.of(txn, DataScope::Tenant(tenant), generations).await?;
        Ok([own, shared])
    }

    async fn of(
        &self,
        txn: &DatabaseTransaction,
        scope: DataScope,
        generations: Generations,
    ) -> Result<Arc<Snapshot>> {
        let generation = generations.of(scope);
        let cached = self.lock().get(&scope).cloned();
        if let Some(snapshot) = cached
            && snapshot.generation == generation
        {
            return Ok(snapshot);
        }
        let keys = sort_keys(txn, scope).await?;
        let snapshot = Arc::new(Snapshot { generation, keys });
        // Two requests may read a scope at once; either result is right for its generation,
        // and the newer one is kept.
        let mut latest = self.lock();
        if latest
            .get(&scope)
            .is_none_or(|l| l.generation <= generation)
        {
            latest.insert(scope, Arc::clone(&snapshot));
        }
        Ok(snapshot)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<DataScope, Arc<Snapshot>>> {
        self.latest.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

async fn sort_keys(txn: &DatabaseTransaction, scope: DataScope) -> Result<HashMap<Uuid, Box<str>>> {
    let select = Query::select()
        .columns([shows::Column::Id, shows::Column::SortKey])
        .from(shows::Entity)
        .cond_where(owned(shows::Entity, scope))
        .to_owned();
    let statement = txn.get_database_backend().build(&select);
    let rows = txn.query_all_raw(statement).await.map_err(to_core)?;
    let mut keys = HashMap::with_capacity(rows.len());
    for row in rows {
        let id: Uuid = row.try_get_by_index(0).map_err(to_core)?;
        let key: String = row.try_get_by_index(1).map_err(to_core)?;
        keys.insert(id, key.into_boxed_str());
    }
    Ok(keys)
}
