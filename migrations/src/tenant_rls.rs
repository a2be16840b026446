//! Row-level security for tenant tables on PostgreSQL (a no-op elsewhere).
//!
//! The policy compares the row's tenant with the transaction-local setting
//! `app.current_tenant_id`, which the store sets with `set_config(…, true)` at the start of every
//! tenant-scoped transaction. Outside such a transaction the setting reads `''` (or is unset), so
//! `NULLIF(…, '')::uuid` is NULL and no row matches: a forgotten filter fails closed.
//! `FORCE` makes the policy apply to the table's owner too.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

/// Enables and forces RLS on `table`, confining rows to the current tenant by `column`.
pub async fn enable(manager: &SchemaManager<'_>, table: &str, column: &str) -> Result<(), DbErr> {
    if manager.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let sql = format!(
        "ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
         ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
         CREATE POLICY {table}_tenant_isolation ON {table}
           USING ({column} = NULLIF(current_setting('app.current_tenant_id', true), '')::uuid)
           WITH CHECK ({column} = NULLIF(current_setting('app.current_tenant_id', true), '')::uuid);"
    );
    manager
        .get_connection()
        .execute_unprepared(&sql)
        .await
        .map(drop)
}

/// Reverses [`enable`].
pub async fn disable(manager: &SchemaManager<'_>, table: &str) -> Result<(), DbErr> {
    if manager.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let sql = format!(
        "DROP POLICY IF EXISTS {table}_tenant_isolation ON {table};
         ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY;
         ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;"
    );
    manager
        .get_connection()
        .execute_unprepared(&sql)
        .await
        .map(drop)
}

/// How a shared table's policies read the transaction's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingsRead {
    /// `current_setting(…)` in the policy: evaluated for every row (the first form).
    PerRow,
    /// `(SELECT current_setting(…))`: planned as an InitPlan, evaluated once per statement.
    /// The settings are transaction-local and constant within a statement, so the policies
    /// mean the same; a million-row insert or read no longer calls `current_setting` several
    /// times per row.
    PerStatement,
}

impl SettingsRead {
    /// The current tenant, NULL outside a tenant-scoped transaction.
    fn tenant(self) -> &'static str {
        match self {
            Self::PerRow => "NULLIF(current_setting('app.current_tenant_id', true), '')::uuid",
            Self::PerStatement => {
                "(SELECT NULLIF(current_setting('app.current_tenant_id', true), '')::uuid)"
            }
        }
    }

    /// Whether the transaction is system work on the shared catalog.
    fn system(self) -> &'static str {
        match self {
            Self::PerRow => "current_setting('app.system_context', true) = 'on'",
            Self::PerStatement => "(SELECT current_setting('app.system_context', true)) = 'on'",
        }
    }
}

/// Enables and forces RLS on a table holding shared rows (`tenant_id` NULL) and private rows:
/// a tenant context reads the shared rows and its own and writes only its own; shared rows are
/// written only in a system context (`app.system_context = 'on'`, set by the store for provider
/// refreshes), which reads only shared rows.
pub async fn enable_shared(manager: &SchemaManager<'_>, table: &str) -> Result<(), DbErr> {
    if manager.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let policies = shared_policies(table, SettingsRead::PerStatement);
    run_on_postgres(
        manager,
        &format!(
            "ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
             ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
             {policies}"
        ),
    )
    .await
}

/// Replaces a shared table's three policies by the same ones reading settings as `read` says.
pub async fn replace_shared_policies(
    manager: &SchemaManager<'_>,
    table: &str,
    read: SettingsRead,
) -> Result<(), DbErr> {
    if manager.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let policies = shared_policies(table, read);
    run_on_postgres(
        manager,
        &format!(
            "DROP POLICY IF EXISTS {table}_read ON {table};
             DROP POLICY IF EXISTS {table}_tenant_write ON {table};
             DROP POLICY IF EXISTS {table}_system_write ON {table};
             {policies}"
        ),
    )
    .await
}

/// Runs `sql` (the callers have checked the backend).
async fn run_on_postgres(manager: &SchemaManager<'_>, sql: &str) -> Result<(), DbErr> {
    manager
        .get_connection()
        .execute_unprepared(sql)
        .await
        .map(drop)
}

fn shared_policies(table: &str, read: SettingsRead) -> String {
    let (tenant, system) = (read.tenant(), read.system());
    format!(
        "CREATE POLICY {table}_read ON {table} FOR SELECT
           USING (tenant_id IS NULL OR tenant_id = {tenant});
         CREATE POLICY {table}_tenant_write ON {table} FOR ALL
           USING (tenant_id = {tenant}) WITH CHECK (tenant_id = {tenant});
         CREATE POLICY {table}_system_write ON {table} FOR ALL
           USING (tenant_id IS NULL AND {system}) WITH CHECK (tenant_id IS NULL AND {system});"
    )
}

/// Reverses [`enable_shared`].
pub async fn disable_shared(manager: &SchemaManager<'_>, table: &str) -> Result<(), DbErr> {
    if manager.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let sql = format!(
        "DROP POLICY IF EXISTS {table}_read ON {table};
         DROP POLICY IF EXISTS {table}_tenant_write ON {table};
         DROP POLICY IF EXISTS {table}_system_write ON {table};
         ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY;
         ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;"
    );
    manager
        .get_connection()
        .execute_unprepared(&sql)
        .await
        .map(drop)
}
