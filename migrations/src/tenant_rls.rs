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
