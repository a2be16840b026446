//! Reading a large source's live facts in table order instead of through the key index.
//!
//! Through the index, every fact is a lookup into the table at a random place (the keys are
//! hashes), and a table much larger than the database's cache pays for each one: on 1M facts,
//! 4.5 s and more on SQLite, 8 s on PostgreSQL. When the source holds a quarter of the table
//! or more, reading the whole table in its own order is the cheaper way (1.6 s on SQLite,
//! 1.3 s on PostgreSQL): SQLite walks rowid ranges, PostgreSQL block ranges (`ctid`, a TID
//! range scan). A small source in a large catalog keeps the index.

use super::live_facts::{PAGE, take_page, take_records};
use crate::error::to_core;
use psma_core::catalog::{DataScope, LiveFact};
use psma_core::{Error, Result};
use psma_plugin_sdk::text::SourceId;
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, QueryResult, Statement, Value};
use uuid::Uuid;

/// Below this many live facts the index is always used (the walk pays off on large sources).
const WALK_FROM: i64 = if cfg!(debug_assertions) { 1 } else { 10_000 };
/// Table blocks per PostgreSQL page (32 MiB of 8 KiB blocks; one block in the tests, so that
/// they read several pages).
const BLOCKS: i64 = if cfg!(debug_assertions) { 1 } else { 4096 };

/// The live facts of `source` in `scope`, read in table order, when they are a quarter of the
/// facts table or more; `None` (nothing read) otherwise. `packed` packs a page of rows `p`
/// into one text (see `live_facts`).
pub(super) async fn read_if_large(
    txn: &DatabaseTransaction,
    scope: DataScope,
    source: &SourceId,
    packed: &str,
) -> Result<Option<Vec<LiveFact>>> {
    match txn.get_database_backend() {
        DbBackend::Sqlite => {
            if !sqlite_is_large(txn, scope, source).await? {
                return Ok(None);
            }
            sqlite_walk(txn, scope, source, packed).await.map(Some)
        }
        DbBackend::Postgres => {
            let Some(blocks) = postgres_blocks_if_large(txn, scope, source).await? else {
                return Ok(None);
            };
            postgres_walk(txn, scope, source, packed, blocks)
                .await
                .map(Some)
        }
        _ => Ok(None),
    }
}

/// The tenant condition of `scope` (`?` or `$n` for its value, as `param` writes it).
fn tenant_condition(scope: DataScope, param: &str) -> (String, Option<Uuid>) {
    match scope.tenant() {
        None => ("tenant_id IS NULL".to_owned(), None),
        Some(tenant) => (format!("tenant_id = {param}"), Some(tenant.0)),
    }
}

/// The values of a statement: the tenant's (if any) and then `rest`.
fn values(tenant: Option<Uuid>, rest: impl IntoIterator<Item = Value>) -> Vec<Value> {
    tenant.map(Into::into).into_iter().chain(rest).collect()
}

async fn one_row(
    txn: &DatabaseTransaction,
    backend: DbBackend,
    sql: &str,
    values: Vec<Value>,
) -> Result<QueryResult> {
    txn.query_one_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .map_err(to_core)?
        .ok_or_else(|| Error::internal("an aggregate gave no row"))
}

async fn sqlite_is_large(
    txn: &DatabaseTransaction,
    scope: DataScope,
    source: &SourceId,
) -> Result<bool> {
    let (tenant, value) = tenant_condition(scope, "?");
    let sql = format!(
        "SELECT (SELECT count(*) FROM facts WHERE {tenant} AND source_id = ? AND ended_at IS NULL), \
                (SELECT coalesce(max(rowid), 0) FROM facts)"
    );
    let row = one_row(
        txn,
        DbBackend::Sqlite,
        &sql,
        values(value, [source.as_str().into()]),
    )
    .await?;
    let live: i64 = row.try_get_by_index(0).map_err(to_core)?;
    let rows: i64 = row.try_get_by_index(1).map_err(to_core)?;
    Ok(live >= WALK_FROM && live.saturating_mul(4) >= rows)
}

/// SQLite: pages of rows in rowid order.
async fn sqlite_walk(
    txn: &DatabaseTransaction,
    scope: DataScope,
    source: &SourceId,
    packed: &str,
) -> Result<Vec<LiveFact>> {
    let (tenant, value) = tenant_condition(scope, "?");
    // `NOT INDEXED`: SQLite would otherwise take the key index for the equalities and sort.
    let sql = format!(
        "SELECT {packed}, max(p.r), count(*) FROM (\
           SELECT rowid AS r, id, fact_key, subject_key, content_hash, show_id, kind \
           FROM facts NOT INDEXED \
           WHERE rowid > ? AND {tenant} AND source_id = ? AND ended_at IS NULL \
           ORDER BY rowid LIMIT {PAGE}) AS p"
    );
    let mut out = Vec::new();
    let mut after: i64 = 0;
    loop {
        let mut values = vec![after.into()];
        values.extend(value.map(Into::into));
        values.push(source.as_str().into());
        let row = one_row(txn, DbBackend::Sqlite, &sql, values).await?;
        match take_page(&row, &mut out)? {
            Some(last) => after = last,
            None => break,
        }
    }
    Ok(out)
}

/// PostgreSQL: the table's size in blocks when the source is large. The table's rows are the
/// planner's estimate (`reltuples`, free to read); the source's live facts are counted through
/// the key index only up to a quarter of that, so a large source costs a bounded count and a
/// small one a short one. A table never analysed (`reltuples` -1) counts as small.
async fn postgres_blocks_if_large(
    txn: &DatabaseTransaction,
    scope: DataScope,
    source: &SourceId,
) -> Result<Option<i64>> {
    let row = one_row(
        txn,
        DbBackend::Postgres,
        "SELECT reltuples::bigint, pg_relation_size(oid) / current_setting('block_size')::bigint \
         FROM pg_class WHERE oid = 'facts'::regclass",
        Vec::new(),
    )
    .await?;
    let rows: i64 = row.try_get_by_index(0).map_err(to_core)?;
    let blocks: i64 = row.try_get_by_index(1).map_err(to_core)?;
    let enough = (rows / 4).max(WALK_FROM);
    let (tenant, value) = tenant_condition(scope, "$1");
    let source_param = if value.is_some() { "$2" } else { "$1" };
    let limit_param = if value.is_some() { "$3" } else { "$2" };
    let sql = format!(
        "SELECT count(*) FROM (SELECT 1 FROM facts \
           WHERE {tenant} AND source_id = {source_param} AND ended_at IS NULL \
           LIMIT {limit_param}) AS q"
    );
    let row = one_row(
        txn,
        DbBackend::Postgres,
        &sql,
        values(value, [source.as_str().into(), enough.into()]),
    )
    .await?;
    let live: i64 = row.try_get_by_index(0).map_err(to_core)?;
    Ok((live >= enough).then_some(blocks))
}

/// PostgreSQL: pages of [`BLOCKS`] table blocks each, by `ctid` range. Rows the run writes
/// later are not there yet: the reading comes before any writing of the run's transaction.
async fn postgres_walk(
    txn: &DatabaseTransaction,
    scope: DataScope,
    source: &SourceId,
    packed: &str,
    blocks: i64,
) -> Result<Vec<LiveFact>> {
    let (tenant, value) = tenant_condition(scope, "$3");
    let source_param = if value.is_some() { "$4" } else { "$3" };
    let sql = format!(
        "SELECT {packed}, NULL::bigint, count(*) FROM facts AS p \
         WHERE p.ctid >= $1::tid AND p.ctid < $2::tid \
           AND p.{tenant} AND p.source_id = {source_param} AND p.ended_at IS NULL"
    );
    // Index scans off for the walk (put back after it): with a table not analysed since a
    // large import, the planner's guesses made it scan the key index for every page instead
    // of the page's blocks (measured: 52 s instead of 1 s for 1M facts).
    let saved = one_row(
        txn,
        DbBackend::Postgres,
        &format!(
            "SELECT {}",
            settings(|_, name| format!("current_setting('{name}')"))
        ),
        Vec::new(),
    )
    .await?;
    let saved: Vec<String> = (0..PLANNER_SWITCHES.len())
        .map(|i| saved.try_get_by_index(i))
        .collect::<std::result::Result<_, _>>()
        .map_err(to_core)?;
    set_local(txn, |_| "off".to_owned()).await?;
    let mut out = Vec::new();
    let mut from = 0;
    while from < blocks {
        let to = from.saturating_add(BLOCKS);
        let mut values: Vec<Value> = vec![format!("({from},0)").into(), format!("({to},0)").into()];
        values.extend(value.map(Into::into));
        values.push(source.as_str().into());
        let row = one_row(txn, DbBackend::Postgres, &sql, values).await?;
        take_records(&row, &mut out)?;
        from = to;
    }
    set_local(txn, |i| saved[i].clone()).await?;
    Ok(out)
}

/// The planner's switches the walk turns off.
const PLANNER_SWITCHES: [&str; 3] = [
    "enable_indexscan",
    "enable_indexonlyscan",
    "enable_bitmapscan",
];

/// `f` of each switch (its position and name), comma-separated.
fn settings(f: impl Fn(usize, &str) -> String) -> String {
    PLANNER_SWITCHES
        .iter()
        .enumerate()
        .map(|(i, name)| f(i, name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Sets each switch (by its position) for the rest of the transaction.
async fn set_local(txn: &DatabaseTransaction, value: impl Fn(usize) -> String) -> Result<()> {
    let values: Vec<Value> = (0..PLANNER_SWITCHES.len())
        .map(|i| value(i).into())
        .collect();
    let calls = settings(|i, name| format!("set_config('{name}', ${}, true)", i + 1));
    one_row(txn, DbBackend::Postgres, &format!("SELECT {calls}"), values)
        .await
        .map(drop)
}
