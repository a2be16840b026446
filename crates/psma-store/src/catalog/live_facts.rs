//! Reading a source's live facts back for a run to compare with: their keys and hashes only,
//! packed by the database into one text per page of rows.
//!
//! A re-import reads every live fact of its source (a million for a large catalog). Fetched
//! row by row, SQLite's driver hands each row from its worker thread to the caller's one at a
//! time, and that hand-over, not the reading, took most of the time (6.8 s of 8 s for 1M
//! facts). Packed, a page of 50,000 facts is one row: `<id><key><subject><hash><show>:<kind>`,
//! the first five as 32 hex digits (the show may be empty), records separated by commas.

use crate::entities::facts;
use crate::error::to_core;
use psma_core::catalog::{DataScope, FactId, LiveFact, ShowId, SubjectKey};
use psma_core::{Error, Result};
use psma_plugin_sdk::text::SourceId;
use psma_plugin_sdk::{ContentHash, FactKey};
use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, QueryResult, QuerySelect, QueryTrait, TryGetable,
};
use uuid::Uuid;

use super::scope::owned;

/// Facts per page (one packed row of about 9 MB). Debug builds (the tests) use pages of 4,
/// so that every test re-importing a handful of facts reads more than one page.
pub(super) const PAGE: u64 = if cfg!(debug_assertions) { 4 } else { 50_000 };
/// Hex digits of an id, a key or a hash.
const HEX: usize = 32;

/// The live facts of `source` in `scope`.
pub(crate) async fn read(
    txn: &DatabaseTransaction,
    scope: DataScope,
    source: &SourceId,
) -> Result<Vec<LiveFact>> {
    let backend = txn.get_database_backend();
    let packed = match backend {
        DbBackend::Postgres => {
            "string_agg(replace(p.id::text, '-', '') || p.fact_key || p.subject_key || \
             p.content_hash || coalesce(replace(p.show_id::text, '-', ''), '') || ':' || p.kind, \
             ',')"
        }
        _ => {
            "group_concat(hex(p.id) || p.fact_key || p.subject_key || p.content_hash || \
             coalesce(hex(p.show_id), '') || ':' || p.kind, ',')"
        }
    };
    if let Some(found) = super::table_walk::read_if_large(txn, scope, source, packed).await? {
        return Ok(found);
    }
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let mut page = facts::Entity::find()
            .select_only()
            .columns([
                facts::Column::Id,
                facts::Column::FactKey,
                facts::Column::SubjectKey,
                facts::Column::ContentHash,
                facts::Column::Kind,
                facts::Column::ShowId,
            ])
            .filter(owned(facts::Entity, scope))
            .filter(facts::Column::SourceId.eq(source.as_str()))
            .filter(facts::Column::EndedAt.is_null())
            .order_by_asc(facts::Column::FactKey)
            .limit(PAGE);
        if let Some(last) = &after {
            page = page.filter(facts::Column::FactKey.gt(last.as_str()));
        }
        let statement = backend.build(
            Query::select()
                .expr(Expr::cust(packed))
                .expr(Expr::cust("max(p.fact_key)"))
                .expr(Expr::cust("count(*)"))
                .from_subquery(page.into_query(), Alias::new("p")),
        );
        let Some(row) = txn.query_one_raw(statement).await.map_err(to_core)? else {
            break;
        };
        match take_page(&row, &mut out)? {
            Some(last) => after = Some(last),
            None => break,
        }
    }
    Ok(out)
}

/// Unpacks a page's row (`packed, last position, count`) into `out`; the page's last position
/// when it was full (there may be more), `None` when it was the last page.
pub(super) fn take_page<T: TryGetable>(
    row: &QueryResult,
    out: &mut Vec<LiveFact>,
) -> Result<Option<T>> {
    let last: Option<T> = row.try_get_by_index(1).map_err(to_core)?;
    let count = take_records(row, out)?;
    let full = count >= i64::try_from(PAGE).unwrap_or(i64::MAX);
    Ok(last.filter(|_| full))
}

/// Unpacks a row's packed records (column 0, their count in column 2) into `out`; answers
/// the count.
pub(super) fn take_records(row: &QueryResult, out: &mut Vec<LiveFact>) -> Result<i64> {
    let text: Option<String> = row.try_get_by_index(0).map_err(to_core)?;
    let count: i64 = row.try_get_by_index(2).map_err(to_core)?;
    if let Some(text) = text {
        out.reserve(usize::try_from(count).unwrap_or(0));
        for record in text.split(',') {
            out.push(unpack(record)?);
        }
    }
    Ok(count)
}

/// One packed record.
fn unpack(record: &str) -> Result<LiveFact> {
    let bad = || Error::internal(format!("unreadable live fact record `{record}`"));
    let (fixed, kind) = record.split_once(':').ok_or_else(bad)?;
    let hex = |i: usize| fixed.get(i * HEX..(i + 1) * HEX).ok_or_else(bad);
    let number = |i: usize| u128::from_str_radix(hex(i)?, 16).map_err(|_| bad());
    let show = match fixed.get(4 * HEX..) {
        Some("") => None,
        Some(text) => Some(ShowId(Uuid::try_parse(text).map_err(|_| bad())?)),
        None => return Err(bad()),
    };
    Ok(LiveFact {
        id: FactId(Uuid::from_u128(number(0)?)),
        key: FactKey(number(1)?),
        subject: SubjectKey(number(2)?),
        content_hash: ContentHash(number(3)?),
        kind: super::rows::fact_kind(kind)?,
        show_id: show,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use psma_plugin_sdk::FactKind;

    #[test]
    fn a_packed_record_unpacks_with_and_without_a_show() {
        let id = "0192a1b2c3d4e5f60718293a4b5c6d7E";
        let key = "00000000000000000000000000000abc";
        let subject = "ffffffffffffffffffffffffffffffff";
        let hash = "0123456789abcdef0123456789abcdef";
        let show = "0192A1B2C3D4E5F60718293A4B5C6D7F";
        let with = unpack(&format!("{id}{key}{subject}{hash}{show}:availability")).unwrap();
        assert_eq!(with.id.0, Uuid::try_parse(id).unwrap());
        assert_eq!(with.key, FactKey(0xabc));
        assert_eq!(with.subject, SubjectKey(u128::MAX));
        assert_eq!(
            with.content_hash,
            ContentHash(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef)
        );
        assert_eq!(with.kind, FactKind::Availability);
        assert_eq!(with.show_id, Some(ShowId(Uuid::try_parse(show).unwrap())));

        let without = unpack(&format!("{id}{key}{subject}{hash}:price")).unwrap();
        assert_eq!(without.show_id, None);
        assert_eq!(without.kind, FactKind::Price);

        assert!(unpack("short:price").is_err());
        assert!(unpack(&format!("{id}{key}{subject}{hash}:nonsense")).is_err());
        assert!(unpack(&format!("{id}{key}{subject}{hash}")).is_err());
    }
}
