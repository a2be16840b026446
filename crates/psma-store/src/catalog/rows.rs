//! Rows ↔ domain: the catalog's records as the store writes and reads them.

use super::bulk::{Cell, Kind, Table};
use super::scope::{scope_of, tenant_column};
use crate::entities::{conflicts, facts, shows};
use chrono::{DateTime, Utc};
use psma_core::catalog::{
    Change, Conflict, ConflictId, ConflictKind, FactId, NewFact, RunId, Show, ShowId, StoredFact,
};
use psma_core::{Error, Result};
use psma_plugin_sdk::{Fact, ShowType};

/// `facts`, as [`fact_cells`] fills it.
pub(crate) const FACTS: Table = Table {
    name: "facts",
    columns: &[
        ("id", Kind::Uuid),
        ("tenant_id", Kind::Uuid),
        ("source_id", Kind::Text),
        ("kind", Kind::Text),
        ("fact_key", Kind::Text),
        ("subject_key", Kind::Text),
        ("content_hash", Kind::Text),
        ("show_id", Kind::Uuid),
        ("service_id", Kind::Text),
        ("country", Kind::Text),
        ("available_from", Kind::Date),
        ("available_until", Kind::Date),
        ("air_date", Kind::Date),
        ("confidence", Kind::Real),
        ("retrieved_at", Kind::Timestamp),
        ("payload", Kind::Text),
        ("run_id", Kind::Uuid),
        ("recorded_at", Kind::Timestamp),
        ("ended_at", Kind::Timestamp),
        ("ended_run_id", Kind::Uuid),
        ("replaces_id", Kind::Uuid),
    ],
    on_conflict: "",
};

/// The cells of a new fact version.
pub(crate) fn fact_cells<'a>(f: &'a NewFact<'a>) -> [Cell<'a>; 21] {
    let (from, until, air) = match f.fact {
        Fact::Availability(a) => (a.available_from, a.available_until, None),
        Fact::Episode(e) => (None, None, e.day()),
        _ => (None, None, None),
    };
    let provenance = f.fact.provenance();
    [
        Cell::Uuid(Some(f.id.0)),
        Cell::Uuid(tenant_column(f.scope)),
        Cell::Text(Some(provenance.source_id.as_str())),
        Cell::Text(Some(f.fact.kind().as_str())),
        Cell::Hex(f.key.0),
        Cell::Hex(f.subject.0),
        Cell::Hex(f.content_hash.0),
        Cell::Uuid(f.show_id.map(|s| s.0)),
        Cell::Text(f.fact.service_id().map(|s| s.as_str())),
        Cell::Text(f.fact.country().map(|c| c.as_str())),
        Cell::Date(from),
        Cell::Date(until),
        Cell::Date(air),
        Cell::Real(provenance.confidence),
        Cell::Timestamp(Some(provenance.retrieved_at)),
        Cell::Text(Some(f.document)),
        Cell::Uuid(f.run_id.map(|r| r.0)),
        Cell::Timestamp(Some(f.recorded_at)),
        Cell::Timestamp(None),
        Cell::Uuid(None),
        Cell::Uuid(f.replaces.map(|r| r.0)),
    ]
}

/// A stored fact, its body read back from the validated document.
pub(crate) fn stored_fact(m: facts::Model) -> Result<StoredFact> {
    let fact: Fact = serde_json::from_str(&m.payload).map_err(Error::internal)?;
    Ok(StoredFact {
        id: FactId(m.id),
        scope: scope_of(m.tenant_id),
        show_id: m.show_id.map(ShowId),
        fact,
        recorded_at: m.recorded_at,
        ended_at: m.ended_at,
    })
}

/// `shows`, as [`ShowRow`] fills it; a show written again takes the new identity.
pub(crate) const SHOWS: Table = Table {
    name: "shows",
    columns: &[
        ("id", Kind::Uuid),
        ("tenant_id", Kind::Uuid),
        ("show_type", Kind::Text),
        ("title", Kind::Text),
        ("year", Kind::Integer),
        ("normalized_title", Kind::Text),
        ("sort_key", Kind::Text),
        ("overview", Kind::Text),
        ("genres", Kind::Text),
        ("external_ids", Kind::Text),
        ("created_at", Kind::Timestamp),
        ("updated_at", Kind::Timestamp),
    ],
    on_conflict: "ON CONFLICT (id) DO UPDATE SET show_type = excluded.show_type, \
        title = excluded.title, year = excluded.year, \
        normalized_title = excluded.normalized_title, sort_key = excluded.sort_key, \
        overview = excluded.overview, genres = excluded.genres, \
        external_ids = excluded.external_ids, updated_at = excluded.updated_at",
};

/// A show's derived texts, owned so its cells can borrow them.
pub(crate) struct ShowRow<'a> {
    show: &'a Show,
    normalized: String,
    sort_key: String,
    genres: String,
    external_ids: String,
    now: DateTime<Utc>,
}

impl<'a> ShowRow<'a> {
    pub fn new(show: &'a Show, now: DateTime<Utc>) -> Result<Self> {
        Ok(Self {
            show,
            normalized: show.normalized_title(),
            sort_key: show.sort_key(),
            genres: serde_json::to_string(&show.genres).map_err(Error::internal)?,
            external_ids: serde_json::to_string(&show.external_ids).map_err(Error::internal)?,
            now,
        })
    }

    pub fn cells(&self) -> [Cell<'_>; 12] {
        let show = self.show;
        [
            Cell::Uuid(Some(show.id.0)),
            Cell::Uuid(tenant_column(show.scope)),
            Cell::Text(Some(show.show_type.as_str())),
            Cell::Text(Some(show.title.as_str())),
            Cell::Integer(show.year.map(i64::from)),
            Cell::Text(Some(&self.normalized)),
            Cell::Text(Some(&self.sort_key)),
            Cell::Text(show.overview.as_ref().map(|o| o.as_str())),
            Cell::Text(Some(&self.genres)),
            Cell::Text(Some(&self.external_ids)),
            Cell::Timestamp(Some(self.now)),
            Cell::Timestamp(Some(self.now)),
        ]
    }
}

/// A show row, read back.
pub(crate) fn show(m: shows::Model) -> Result<Show> {
    let show_type = match m.show_type.as_str() {
        "movie" => ShowType::Movie,
        _ => ShowType::Tv,
    };
    Ok(Show {
        id: ShowId(m.id),
        scope: scope_of(m.tenant_id),
        title: m.title.parse().map_err(Error::internal)?,
        year: m.year,
        show_type,
        external_ids: serde_json::from_str(&m.external_ids).map_err(Error::internal)?,
        overview: m
            .overview
            .map(|o| o.parse())
            .transpose()
            .map_err(Error::internal)?,
        genres: serde_json::from_str(&m.genres).map_err(Error::internal)?,
    })
}

/// `show_external_ids`; a link that exists keeps the show it names.
pub(crate) const EXTERNAL_IDS: Table = Table {
    name: "show_external_ids",
    columns: &[
        ("tenant_id", Kind::Uuid),
        ("namespace", Kind::Text),
        ("value", Kind::Text),
        ("show_id", Kind::Uuid),
    ],
    on_conflict: "ON CONFLICT DO NOTHING",
};

/// `fact_changes`, as [`change_cells`] fills it.
pub(crate) const CHANGES: Table = Table {
    name: "fact_changes",
    columns: &[
        ("id", Kind::Uuid),
        ("tenant_id", Kind::Uuid),
        ("run_id", Kind::Uuid),
        ("source_id", Kind::Text),
        ("change", Kind::Text),
        ("fact_kind", Kind::Text),
        ("show_id", Kind::Uuid),
        ("before_fact_id", Kind::Uuid),
        ("after_fact_id", Kind::Uuid),
        ("at", Kind::Timestamp),
    ],
    on_conflict: "",
};

/// The cells of a change.
pub(crate) fn change_cells(c: &Change) -> [Cell<'_>; 10] {
    [
        Cell::Uuid(Some(c.id.0)),
        Cell::Uuid(tenant_column(c.scope)),
        Cell::Uuid(Some(c.run_id.0)),
        Cell::Text(Some(c.source_id.as_str())),
        Cell::Text(Some(c.kind.as_str())),
        Cell::Text(Some(c.fact_kind.as_str())),
        Cell::Uuid(c.show_id.map(|s| s.0)),
        Cell::Uuid(c.before.map(|f| f.0)),
        Cell::Uuid(c.after.map(|f| f.0)),
        Cell::Timestamp(Some(c.at)),
    ]
}

/// `conflicts`, as [`conflict_cells`] fills it.
pub(crate) const CONFLICTS: Table = Table {
    name: "conflicts",
    columns: &[
        ("id", Kind::Uuid),
        ("tenant_id", Kind::Uuid),
        ("kind", Kind::Text),
        ("subject", Kind::Text),
        ("show_id", Kind::Uuid),
        ("other_show_id", Kind::Uuid),
        ("service_id", Kind::Text),
        ("country", Kind::Text),
        ("fact_ids", Kind::Text),
        ("summary", Kind::Text),
        ("detected_at", Kind::Timestamp),
        ("run_id", Kind::Uuid),
        ("cleared_at", Kind::Timestamp),
    ],
    on_conflict: "",
};

/// The cells of a conflict; `fact_ids` is its competing facts as a JSON array.
pub(crate) fn conflict_cells<'a>(c: &'a Conflict, fact_ids: &'a str) -> [Cell<'a>; 13] {
    [
        Cell::Uuid(Some(c.id.0)),
        Cell::Uuid(tenant_column(c.scope)),
        Cell::Text(Some(c.kind.as_str())),
        Cell::Text(Some(&c.subject)),
        Cell::Uuid(Some(c.show_id.0)),
        Cell::Uuid(c.other_show_id.map(|s| s.0)),
        Cell::Text(c.service_id.as_ref().map(|s| s.as_str())),
        Cell::Text(c.country.as_ref().map(|s| s.as_str())),
        Cell::Text(Some(fact_ids)),
        Cell::Text(Some(&c.summary)),
        Cell::Timestamp(Some(c.detected_at)),
        Cell::Uuid(Some(c.run_id.0)),
        Cell::Timestamp(c.cleared_at),
    ]
}

/// `fact_overrules`.
pub(crate) const OVERRULES: Table = Table {
    name: "fact_overrules",
    columns: &[
        ("tenant_id", Kind::Uuid),
        ("conflict_id", Kind::Uuid),
        ("fact_id", Kind::Uuid),
    ],
    on_conflict: "",
};

/// A conflict row, read back.
pub(crate) fn conflict(m: conflicts::Model) -> Result<Conflict> {
    Ok(Conflict {
        id: ConflictId(m.id),
        scope: scope_of(m.tenant_id),
        kind: ConflictKind::parse(&m.kind)
            .ok_or_else(|| Error::internal(format!("unknown conflict kind `{}`", m.kind)))?,
        subject: m.subject,
        show_id: ShowId(m.show_id),
        other_show_id: m.other_show_id.map(ShowId),
        service_id: m
            .service_id
            .map(|s| s.parse())
            .transpose()
            .map_err(Error::internal)?,
        country: m
            .country
            .map(|s| s.parse())
            .transpose()
            .map_err(Error::internal)?,
        fact_ids: serde_json::from_str(&m.fact_ids).map_err(Error::internal)?,
        summary: m.summary,
        detected_at: m.detected_at,
        run_id: RunId(m.run_id),
        cleared_at: m.cleared_at,
    })
}

/// A stored fact kind's name read back.
pub(crate) fn fact_kind(text: &str) -> Result<psma_plugin_sdk::FactKind> {
    psma_plugin_sdk::FactKind::parse(text)
        .ok_or_else(|| Error::internal(format!("unknown fact kind `{text}`")))
}
