//! A run's new fact versions are its "added" and "modified" changes by themselves: a version
//! records the one it replaced (`facts.replaces_id`, NULL when the fact is new to its source),
//! and `fact_changes` keeps only what no version says — removals. A first import of a million
//! facts then writes a million rows instead of two million (ADR 0036). Existing added and
//! modified change rows move onto their versions; their change id becomes the version's id.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Facts {
    Table,
    ReplacesId,
}

/// Moves the modified changes' "before" onto their versions, then drops the rows the versions
/// now stand for. On PostgreSQL the tables' row-level security applies to their owner too
/// (FORCE), so it is lifted for these two statements only, inside the same transaction.
const MOVE: &str = "
UPDATE facts SET replaces_id = (
    SELECT c.before_fact_id FROM fact_changes c
    WHERE c.after_fact_id = facts.id AND c.change = 'modified')
  WHERE id IN (SELECT after_fact_id FROM fact_changes WHERE change = 'modified');
DELETE FROM fact_changes WHERE change IN ('added', 'modified');";

/// The reverse: a change row for every version a run stored, its id the version's.
const RESTORE: &str = "
INSERT INTO fact_changes (id, tenant_id, run_id, source_id, change, fact_kind, show_id,
                          before_fact_id, after_fact_id, at)
  SELECT id, tenant_id, run_id, source_id,
         CASE WHEN replaces_id IS NULL THEN 'added' ELSE 'modified' END,
         kind, show_id, replaces_id, id, recorded_at
  FROM facts WHERE run_id IS NOT NULL;";

async fn run_unrestricted(manager: &SchemaManager<'_>, sql: &str) -> Result<(), DbErr> {
    let sql = if manager.get_database_backend() == DbBackend::Postgres {
        format!(
            "ALTER TABLE facts NO FORCE ROW LEVEL SECURITY;
             ALTER TABLE fact_changes NO FORCE ROW LEVEL SECURITY;
             {sql}
             ALTER TABLE facts FORCE ROW LEVEL SECURITY;
             ALTER TABLE fact_changes FORCE ROW LEVEL SECURITY;"
        )
    } else {
        sql.to_owned()
    };
    manager
        .get_connection()
        .execute_unprepared(&sql)
        .await
        .map(drop)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Facts::Table)
                    .add_column(ColumnDef::new(Facts::ReplacesId).uuid().null())
                    .to_owned(),
            )
            .await?;
        run_unrestricted(manager, MOVE).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run_unrestricted(manager, RESTORE).await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Facts::Table)
                    .drop_column(Facts::ReplacesId)
                    .to_owned(),
            )
            .await
    }
}
