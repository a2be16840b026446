//! Counters of catalog changes, one per scope, in `catalog_generations`.
//!
//! Whatever changes what a scope's catalog lists — an ingest run of the shared catalog or of a
//! household's own data, a household's decision on a conflict — bumps its scope's counter in
//! the transaction that makes the change. Readers that keep derived data in memory (the title
//! order, pages of the show list) compare counters instead of re-reading the catalog.

use super::scope::tenant_column;
use crate::error::to_core;
use psma_core::Result;
use psma_core::catalog::DataScope;
use psma_core::tenancy::TenantId;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ConnectionTrait, DatabaseTransaction, Value};
use uuid::Uuid;

/// The counters a tenant's reads depend on, as one transaction sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Generations {
    /// The shared catalog's.
    pub(crate) shared: i64,
    /// The tenant's own data's (its imports and its decisions); 0 when it has none.
    pub(crate) own: i64,
}

impl Generations {
    /// The counter of `scope`.
    pub(crate) fn of(self, scope: DataScope) -> i64 {
        match scope {
            DataScope::Global => self.shared,
            DataScope::Tenant(_) => self.own,
        }
    }

    /// The counters `txn` sees for `tenant`.
    pub(crate) async fn read(txn: &DatabaseTransaction, tenant: TenantId) -> Result<Self> {
        let select = Query::select()
            .columns([Alias::new("id"), Alias::new("generation")])
            .from(Alias::new("catalog_generations"))
            .and_where(Expr::col(Alias::new("id")).is_in([Uuid::nil(), tenant.0]))
            .to_owned();
        let statement = txn.get_database_backend().build(&select);
        let mut out = Self { shared: 0, own: 0 };
        for row in txn.query_all_raw(statement).await.map_err(to_core)? {
            let id: Uuid = row.try_get_by_index(0).map_err(to_core)?;
            let generation: i64 = row.try_get_by_index(1).map_err(to_core)?;
            if id.is_nil() {
                out.shared = generation;
            } else {
                out.own = generation;
            }
        }
        Ok(out)
    }
}

/// Counts one change of `scope`'s catalog, in the transaction that makes it.
pub(crate) async fn bump(txn: &DatabaseTransaction, scope: DataScope) -> Result<()> {
    let table = Alias::new("catalog_generations");
    let generation = Alias::new("generation");
    let insert = Query::insert()
        .into_table(table.clone())
        .columns([
            Alias::new("id"),
            Alias::new("tenant_id"),
            generation.clone(),
        ])
        .values_panic([
            row_id(scope).into(),
            Value::from(tenant_column(scope)).into(),
            1.into(),
        ])
        .on_conflict(
            OnConflict::column(Alias::new("id"))
                .value(generation.clone(), Expr::col((table, generation)).add(1))
                .to_owned(),
        )
        .to_owned();
    let statement = txn.get_database_backend().build(&insert);
    txn.execute_raw(statement).await.map_err(to_core)?;
    Ok(())
}

/// The counter row of `scope`: all zeros for the shared catalog, else the tenant's id.
fn row_id(scope: DataScope) -> Uuid {
    tenant_column(scope).unwrap_or(Uuid::nil())
}
