//! Fact kinds written into SQL as literals, not bound.
//!
//! `facts_live_service` is a partial index (`WHERE kind = 'availability'`). When a query binds
//! the kind, SQLite can only use that index after comparing the bound value with the index's
//! predicate, so it marks the prepared statement to expire on the next bind: every execution
//! re-parsed and re-planned the query (14% of a loaded server's time on the show list). A
//! literal lets the cached statement be reused. The kinds are our own fixed identifiers, so
//! there is nothing to escape.

use psma_plugin_sdk::FactKind;
use sea_orm::sea_query::{Expr, ExprTrait};

/// `kind` as an SQL string literal.
fn literal(kind: FactKind) -> Expr {
    Expr::cust(format!("'{}'", kind.as_str()))
}

/// `column = 'kind'`.
pub(crate) fn kind_is(column: Expr, kind: FactKind) -> Expr {
    column.eq(literal(kind))
}

/// `column IN ('kind', …)`.
pub(crate) fn kind_in(column: Expr, kinds: &[FactKind]) -> Expr {
    column.is_in(kinds.iter().map(|k| literal(*k)))
}
