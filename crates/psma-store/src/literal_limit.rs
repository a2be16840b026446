//! Row limits written into the SQL as literals, not bound.
//!
//! SQLite (3.51) plans a `LIMIT ?` from the bound value and marks the prepared statement to
//! expire when the value is bound again, so every execution of a paged query was re-parsed and
//! re-planned (`sqlite3Reprepare` in profiles of a loaded server). sea-query always binds the
//! limit; these helpers append it to the built statement instead. A limit is a number we
//! choose, so there is nothing to escape, and the page sizes are few, so the statement cache
//! keeps one prepared statement per size.

use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QueryTrait, Select, Statement};

/// `statement` with ` LIMIT n` appended (it must not have a limit of its own).
pub(crate) fn limited(mut statement: Statement, n: u64) -> Statement {
    statement.sql.push_str(" LIMIT ");
    statement.sql.push_str(&n.to_string());
    statement
}

/// The first `n` rows `select` finds, in its order.
pub(crate) async fn first<E, C>(select: Select<E>, n: u64, db: &C) -> Result<Vec<E::Model>, DbErr>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let statement = limited(select.build(db.get_database_backend()), n);
    E::find().from_raw_sql(statement).all(db).await
}
