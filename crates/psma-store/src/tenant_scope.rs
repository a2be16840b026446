//! Tenant-scoped transactions: the one way this crate touches tenant data.

use crate::connect::{Backend, Store};
use crate::error::to_core;
use psma_core::tenancy::{TenantCtx, TenantId};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, Statement, TransactionTrait};

impl Store {
    /// Begins a transaction confined to `ctx`'s tenant.
    pub(crate) async fn begin_tenant(
        &self,
        ctx: &TenantCtx,
    ) -> psma_core::Result<DatabaseTransaction> {
        self.begin_for(ctx.tenant_id()).await
    }

    /// Begins a transaction confined to `tenant`. On PostgreSQL this sets
    /// `app.current_tenant_id` with `is_local = true`: it ends with the transaction, so the
    /// pooled connection goes back clean whether the transaction commits or rolls back.
    pub(crate) async fn begin_for(
        &self,
        tenant: TenantId,
    ) -> psma_core::Result<DatabaseTransaction> {
        let txn = self.db.begin().await.map_err(to_core)?;
        if self.backend() == Backend::Postgres {
            txn.query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT set_config('app.current_tenant_id', $1, true)",
                [tenant.to_string().into()],
            ))
            .await
            .map_err(to_core)?;
        }
        Ok(txn)
    }
}
