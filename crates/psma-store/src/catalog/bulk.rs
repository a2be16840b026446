//! Bulk inserts: rows are written straight into one JSON array per statement and unpacked by
//! the database (`json_each` on SQLite, `jsonb_array_elements` on PostgreSQL), so a million
//! facts cost a few hundred statements with one parameter each instead of twenty million bound
//! values, and the SQL text of a table's statement is always the same (prepared once). See
//! ADR 0009 and the ingest figures in docs/benchmarks.md.

use crate::error::to_core;
use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Utc};
use psma_core::Error;
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, Statement};
use std::fmt::Write as _;
use std::sync::Arc;
use tokio::task::JoinHandle;
use uuid::Uuid;

/// Rows per statement, and bytes: whichever comes first.
const MAX_ROWS: usize = 10_000;
const MAX_BYTES: usize = 8 * 1024 * 1024;

/// How a column's cell becomes its SQL value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Uuid,
    Text,
    Real,
    Integer,
    Date,
    Timestamp,
}

/// A table's columns, in the order rows give their cells.
pub(crate) struct Table {
    pub name: &'static str,
    pub columns: &'static [(&'static str, Kind)],
    /// Appended after the rows (`ON CONFLICT …`).
    pub on_conflict: &'static str,
}

/// One cell of a row.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Cell<'a> {
    Uuid(Option<Uuid>),
    Text(Option<&'a str>),
    Real(f64),
    Integer(Option<i64>),
    Date(Option<NaiveDate>),
    Timestamp(Option<DateTime<Utc>>),
    /// A 128-bit hash as 32 hex digits (a text column).
    Hex(u128),
}

/// A transaction whose bulk statements run in the background: the caller prepares its next
/// rows while the database writes the last ones (on SQLite the writing happens on the
/// driver's own thread, on PostgreSQL in the server), instead of each waiting for the other.
/// One statement runs at a time, in the order they were started; anything else done in the
/// transaction waits for it first ([`Self::settled`]).
pub(crate) struct Background {
    txn: Arc<DatabaseTransaction>,
    running: Option<JoinHandle<Result<(), DbErr>>>,
}

impl Background {
    pub fn new(txn: DatabaseTransaction) -> Self {
        Self {
            txn: Arc::new(txn),
            running: None,
        }
    }

    /// The transaction, once the running statement (if any) has finished.
    ///
    /// # Errors
    /// The running statement's error.
    pub async fn settled(&mut self) -> psma_core::Result<&DatabaseTransaction> {
        if let Some(running) = self.running.take() {
            running
                .await
                .map_err(|e| Error::internal(format!("a bulk write stopped: {e}")))?
                .map_err(to_core)?;
        }
        Ok(&self.txn)
    }

    /// Starts `statement` once the running one has finished.
    async fn start(&mut self, statement: Statement) -> psma_core::Result<()> {
        self.settled().await?;
        let txn = Arc::clone(&self.txn);
        self.running = Some(tokio::spawn(async move {
            txn.execute_raw(statement).await.map(drop)
        }));
        Ok(())
    }

    /// The transaction itself, to commit, once everything started has finished.
    ///
    /// # Errors
    /// The running statement's error.
    pub async fn finish(mut self) -> psma_core::Result<DatabaseTransaction> {
        self.settled().await?;
        Arc::try_unwrap(self.txn)
            .map_err(|_| Error::internal("a bulk write still holds the transaction"))
    }
}

/// Where a writer's statements go.
enum Sink<'t> {
    /// Run one by one, each awaited.
    Direct(&'t DatabaseTransaction),
    /// Run in the background, the last one still running when the writer finishes.
    Background(&'t mut Background),
}

/// Rows of one table being written, flushed to the database as they fill a statement.
pub(crate) struct Writer<'t> {
    sink: Sink<'t>,
    table: &'t Table,
    buf: String,
    rows: usize,
    /// The last timestamp written and its text (see [`write_cell`]).
    stamp: Option<(DateTime<Utc>, String)>,
}

impl<'t> Writer<'t> {
    pub fn new(txn: &'t DatabaseTransaction, table: &'t Table) -> Self {
        Self::to(Sink::Direct(txn), table)
    }

    /// A writer whose statements run in the background.
    pub fn in_background(background: &'t mut Background, table: &'t Table) -> Self {
        Self::to(Sink::Background(background), table)
    }

    fn to(sink: Sink<'t>, table: &'t Table) -> Self {
        Self {
            sink,
            table,
            buf: String::with_capacity(1024),
            rows: 0,
            stamp: None,
        }
    }

    /// Adds a row; writes a statement when enough have gathered.
    pub async fn push(&mut self, cells: &[Cell<'_>]) -> psma_core::Result<()> {
        debug_assert_eq!(cells.len(), self.table.columns.len());
        self.buf.push(if self.rows == 0 { '[' } else { ',' });
        self.buf.push('[');
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.buf.push(',');
            }
            write_cell(&mut self.buf, &mut self.stamp, *cell);
        }
        self.buf.push(']');
        self.rows += 1;
        if self.rows >= MAX_ROWS || self.buf.len() >= MAX_BYTES {
            self.flush().await?;
        }
        Ok(())
    }

    /// Writes what is left.
    pub async fn finish(mut self) -> psma_core::Result<()> {
        self.flush().await
    }

    async fn flush(&mut self) -> psma_core::Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        self.buf.push(']');
        let json = std::mem::take(&mut self.buf);
        self.rows = 0;
        let backend = match &self.sink {
            Sink::Direct(txn) => txn.get_database_backend(),
            Sink::Background(background) => background.txn.get_database_backend(),
        };
        let sql = statement(self.table, backend);
        let statement = Statement::from_sql_and_values(backend, sql, [json.into()]);
        match &mut self.sink {
            Sink::Direct(txn) => txn.execute_raw(statement).await.map(drop).map_err(to_core),
            Sink::Background(background) => background.start(statement).await,
        }
    }
}

/// Writes `cell`; `stamp` keeps the last timestamp written and its text, since the rows of a
/// run share their times.
fn write_cell(buf: &mut String, stamp: &mut Option<(DateTime<Utc>, String)>, cell: Cell<'_>) {
    match cell {
        Cell::Uuid(Some(id)) => {
            let _ = write!(buf, "\"{}\"", id.simple());
        }
        Cell::Text(Some(text)) => write_string(buf, text),
        Cell::Real(v) if v.is_finite() => {
            let _ = write!(buf, "{v}");
        }
        Cell::Hex(v) => {
            let _ = write!(buf, "\"{v:032x}\"");
        }
        Cell::Integer(Some(v)) => {
            let _ = write!(buf, "{v}");
        }
        // `%F` without chrono's formatting machinery (a million dates per large import).
        Cell::Date(Some(d)) if (0..=9999).contains(&d.year()) => {
            let _ = write!(buf, "\"{:04}-{:02}-{:02}\"", d.year(), d.month(), d.day());
        }
        Cell::Date(Some(d)) => {
            let _ = write!(buf, "\"{}\"", d.format("%F"));
        }
        // The text sqlx writes for a timestamp on SQLite, so stored values compare alike.
        Cell::Timestamp(Some(t)) => {
            let text = match stamp {
                Some((last, text)) if *last == t => text,
                _ => {
                    &stamp
                        .insert((t, t.to_rfc3339_opts(SecondsFormat::AutoSi, false)))
                        .1
                }
            };
            buf.push('"');
            buf.push_str(text);
            buf.push('"');
        }
        _ => buf.push_str("null"),
    }
}

fn write_string(buf: &mut String, text: &str) {
    // serde_json's escaping, straight into the buffer.
    if let Ok(escaped) = serde_json::to_string(text) {
        buf.push_str(&escaped);
    }
}

/// `INSERT INTO t (…) SELECT <cells> FROM <the JSON rows> WHERE true <on conflict>`
/// (`WHERE true` lets SQLite tell an upsert from a join).
fn statement(table: &Table, backend: DbBackend) -> String {
    let columns: Vec<&str> = table.columns.iter().map(|(c, _)| *c).collect();
    let cells: Vec<String> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, (_, kind))| match backend {
            DbBackend::Postgres => {
                let raw = format!("(r.v->>{i})");
                match kind {
                    Kind::Uuid => format!("{raw}::uuid"),
                    Kind::Text => raw,
                    Kind::Real => format!("{raw}::double precision"),
                    Kind::Integer => format!("{raw}::bigint"),
                    Kind::Date => format!("{raw}::date"),
                    Kind::Timestamp => format!("{raw}::timestamptz"),
                }
            }
            _ => {
                let raw = format!("(r.v->>{i})");
                match kind {
                    // sqlx stores UUIDs as 16-byte blobs on SQLite.
                    Kind::Uuid => format!("unhex({raw})"),
                    _ => raw,
                }
            }
        })
        .collect();
    let (prefix, insert, source) = match backend {
        DbBackend::Postgres => ("", "INSERT", "jsonb_array_elements($1::jsonb) AS r(v)"),
        // Each row is turned into JSONB once, so reading its cells needs no parsing; without
        // this SQLite renders and re-parses the row's text for every cell.
        //
        // `OR FAIL`: a failing row stops the statement without undoing the rows before it, so
        // SQLite keeps no statement journal of the pages it changes (it did, for the default
        // `ABORT`, a tenth of the import's time). Nothing is half-written all the same: every
        // bulk write is part of a transaction that a failure rolls back whole.
        _ => (
            "WITH r(v) AS MATERIALIZED (SELECT jsonb(value) FROM json_each(?)) ",
            "INSERT OR FAIL",
            "r",
        ),
    };
    format!(
        "{prefix}{insert} INTO {} ({}) SELECT {} FROM {source} WHERE true {}",
        table.name,
        columns.join(", "),
        cells.join(", "),
        table.on_conflict
    )
}
