//! Multi-row inserts, split so no statement exceeds the backends' bind-parameter limits
//! (SQLite: 32,766; PostgreSQL: 65,535).

use crate::error::to_core;
use sea_orm::sea_query::{Alias, InsertStatement, OnConflict, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, DatabaseTransaction};

/// The most bind parameters one statement carries.
const MAX_PARAMS: usize = 30_000;

/// Inserts `rows` (each with one value per column) into `table`, several hundred per statement.
pub(crate) async fn insert(
    txn: &DatabaseTransaction,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<SimpleExpr>>,
    on_conflict: Option<OnConflict>,
) -> psma_core::Result<()> {
    let per_statement = (MAX_PARAMS / columns.len().max(1)).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut statement: InsertStatement = Query::insert()
            .into_table(Alias::new(table))
            .columns(columns.iter().map(|c| Alias::new(*c)))
            .to_owned();
        for row in rows.by_ref().take(per_statement) {
            statement
                .values(row)
                .map_err(|e| psma_core::Error::internal(e.to_string()))?;
        }
        if let Some(on_conflict) = &on_conflict {
            statement.on_conflict(on_conflict.clone());
        }
        let built = txn.get_database_backend().build(&statement);
        txn.execute_raw(built).await.map_err(to_core)?;
    }
    Ok(())
}
