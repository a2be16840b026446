//! Tenant-scoped transactions: the one way this crate touches tenant data.

use crate::connect::{Backend, Store};
use crate::error::to_core;
use psma_core::catalog::ports::IngestTarget;
use psma_core::tenancy::{SystemCtx, TenantCtx, TenantId};
use sea_orm::{
    ConnectionTrait, DatabaseTransaction, DbBackend, SqliteTransactionMode, Statement,
    TransactionOptions, TransactionTrait,
};

/// What a transaction will do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// Only reads.
    Read,
    /// Writes (possibly after reading).
    Write,
}

impl Store {
    /// Begins a transaction confined to `ctx`'s tenant.
    pub(crate) async fn begin_tenant(
        &self,
        ctx: &TenantCtx,
        access: Access,
    ) -> psma_core::Result<DatabaseTransaction> {
        self.begin_for(ctx.tenant_id(), access).await
    }

    /// Begins a transaction confined to `tenant`.
    ///
    /// On PostgreSQL this sets `app.current_tenant_id` with `is_local = true`: it ends with the
    /// transaction, so the pooled connection goes back clean whether it commits or rolls back.
    ///
    /// On SQLite a writing transaction begins `IMMEDIATE`, taking the write lock up front. A
    /// deferred one that reads first cannot wait for a concurrent writer when it later writes:
    /// SQLite fails it at once with `SQLITE_BUSY` instead of honouring `busy_timeout` (seen as
    /// 500s under concurrent profile updates).
    pub(crate) async fn begin_for(
        &self,
        tenant: TenantId,
        access: Access,
    ) -> psma_core::Result<DatabaseTransaction> {
        self.begin_with("app.current_tenant_id", &tenant.to_string(), access)
            .await
    }

    /// Begins a transaction of system work on the shared catalog. On PostgreSQL it sets
    /// `app.system_context = 'on'` for the transaction alone: the policies let it write shared
    /// rows, and, with no tenant set, it sees no tenant's rows.
    pub(crate) async fn begin_system(
        &self,
        _system: &SystemCtx,
        access: Access,
    ) -> psma_core::Result<DatabaseTransaction> {
        self.begin_with("app.system_context", "on", access).await
    }

    /// Begins the transaction an ingest into `target` runs in.
    pub(crate) async fn begin_target(
        &self,
        target: &IngestTarget,
        access: Access,
    ) -> psma_core::Result<DatabaseTransaction> {
        match target {
            IngestTarget::Tenant(ctx) => self.begin_tenant(ctx, access).await,
            IngestTarget::Global(system) => self.begin_system(system, access).await,
        }
    }

    /// Turns a transaction of shared work to `tenant`'s rows as well, for what it writes last
    /// on that household's behalf (its audit entry). On PostgreSQL it sets
    /// `app.current_tenant_id` for the rest of the transaction.
    pub(crate) async fn enter_tenant(
        &self,
        txn: &DatabaseTransaction,
        tenant: TenantId,
    ) -> psma_core::Result<()> {
        if self.backend() == Backend::Postgres {
            txn.query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT set_config('app.current_tenant_id', $1, true)",
                [tenant.to_string().into()],
            ))
            .await
            .map_err(to_core)?;
        }
        Ok(())
    }

    async fn begin_with(
        &self,
        setting: &str,
        value: &str,
        access: Access,
    ) -> psma_core::Result<DatabaseTransaction> {
        let txn = match (self.backend(), access) {
            (Backend::Sqlite, Access::Write) => {
                self.db
                    .begin_with_options(TransactionOptions {
                        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                        ..TransactionOptions::default()
                    })
                    .await
            }
            _ => self.db.begin().await,
        }
        .map_err(to_core)?;
        if self.backend() == Backend::Postgres {
            txn.query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT set_config($1, $2, true)",
                [setting.into(), value.into()],
            ))
            .await
            .map_err(to_core)?;
        }
        Ok(txn)
    }
}
