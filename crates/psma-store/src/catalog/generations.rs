//! Counters of catalog changes, one per scope, in `catalog_generations`.
//!
//! Whatever changes what a scope's catalog lists — an ingest run of the shared catalog or of a
//! household's own data, a household's decision on a conflict — bumps its scope's counter in
//! the transaction that makes the change. Readers that keep derived data in memory (the title
//! order, pages of the show list) compare counters instead of re-reading the catalog.

use super::scope::tenant_column;
use crate::connect::{Backend, Store};
use crate::error::to_core;
use psma_core::catalog::DataScope;
use psma_core::tenancy::TenantId;
use psma_core::{Error, Result};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::sqlx::{self, Row};
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

    /// The counters as committed now, for `tenant`, read outside any transaction: to decide
    /// whether a kept result is current before opening one.
    ///
    /// On PostgreSQL this is one round trip instead of four (begin, tenant setting, read,
    /// commit): the setting and the read go as one simple-protocol query of two statements,
    /// which PostgreSQL runs as one implicit transaction, so the setting (`is_local`) holds for
    /// the read, row-level security applies, and it ends with it. The tenant id is a UUID,
    /// written as a literal.
    pub(crate) async fn latest(store: &Store, tenant: TenantId) -> Result<Self> {
        if store.backend() == Backend::Sqlite {
            return Self::read(&store.db, tenant).await;
        }
        let sql = format!(
            "SELECT set_config('app.current_tenant_id', '{tenant}', true); \
             SELECT id, generation FROM catalog_generations WHERE id IN ('{}', '{tenant}')",
            Uuid::nil(),
            tenant = tenant.0,
        );
        let rows = sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .fetch_all(store.db.get_postgres_connection_pool())
            .await
            .map_err(|e| {
                to_core(sea_orm::DbErr::Query(sea_orm::RuntimeErr::SqlxError(
                    e.into(),
                )))
            })?;
        let mut out = Self { shared: 0, own: 0 };
        // The setting's own row has one column.
        for row in rows.iter().filter(|row| row.len() == 2) {
            let id: Uuid = row.try_get(0).map_err(Error::internal)?;
            out.count(id, row.try_get(1).map_err(Error::internal)?);
        }
        Ok(out)
    }

    fn count(&mut self, id: Uuid, generation: i64) {
        if id.is_nil() {
            self.shared = generation;
        } else {
            self.own = generation;
        }
    }

    /// The counters `db` (a transaction, or the pool) sees for `tenant`.
    pub(crate) async fn read<C: ConnectionTrait>(db: &C, tenant: TenantId) -> Result<Self> {
        let statement = db.get_database_backend().build(&select_for(tenant));
        let mut out = Self { shared: 0, own: 0 };
        for row in db.query_all_raw(statement).await.map_err(to_core)? {
            out.count(
                row.try_get_by_index(0).map_err(to_core)?,
                row.try_get_by_index(1).map_err(to_core)?,
            );
        }
        Ok(out)
    }
}

fn select_for(tenant: TenantId) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .columns([Alias::new("id"), Alias::new("generation")])
        .from(Alias::new("catalog_generations"))
        .and_where(Expr::col(Alias::new("id")).is_in([Uuid::nil(), tenant.0]))
        .to_owned()
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
