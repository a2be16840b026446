//! Rows ↔ domain: the catalog's records as the store writes and reads them.

use super::scope::{scope_of, tenant_column};
use crate::entities::{conflicts, facts, shows};
use chrono::{DateTime, Utc};
use psma_core::catalog::{
    Change, Conflict, ConflictId, ConflictKind, FactId, NewFact, RunId, Show, ShowId, StoredFact,
};
use psma_core::{Error, Result};
use psma_plugin_sdk::{Fact, ShowType};
use sea_orm::sea_query::Expr;

/// Columns of `facts`, in the order [`fact_row`] gives values.
pub(crate) const FACT_COLUMNS: [&str; 20] = [
    "id",
    "tenant_id",
    "source_id",
    "kind",
    "fact_key",
    "subject_key",
    "content_hash",
    "show_id",
    "service_id",
    "country",
    "available_from",
    "available_until",
    "air_date",
    "confidence",
    "retrieved_at",
    "payload",
    "run_id",
    "recorded_at",
    "ended_at",
    "ended_run_id",
];

/// The values of a new fact version.
pub(crate) fn fact_row(f: &NewFact<'_>) -> Vec<Expr> {
    let (from, until, air) = match f.fact {
        Fact::Availability(a) => (a.available_from, a.available_until, None),
        Fact::Episode(e) => (None, None, e.day()),
        _ => (None, None, None),
    };
    let provenance = f.fact.provenance();
    vec![
        Expr::val(f.id.0),
        Expr::val(tenant_column(f.scope)),
        Expr::val(provenance.source_id.as_str()),
        Expr::val(f.fact.kind().as_str()),
        Expr::val(f.key.to_string()),
        Expr::val(format!("{:032x}", f.subject.0)),
        Expr::val(f.content_hash.to_string()),
        Expr::val(f.show_id.map(|s| s.0)),
        Expr::val(f.fact.service_id().map(|s| s.as_str().to_owned())),
        Expr::val(f.fact.country().map(|c| c.as_str().to_owned())),
        Expr::val(from),
        Expr::val(until),
        Expr::val(air),
        Expr::val(provenance.confidence),
        Expr::val(provenance.retrieved_at),
        Expr::val(f.document),
        Expr::val(f.run_id.map(|r| r.0)),
        Expr::val(f.recorded_at),
        Expr::val(None::<DateTime<Utc>>),
        Expr::val(None::<uuid::Uuid>),
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

/// Columns of `shows`, in the order [`show_row`] gives values.
pub(crate) const SHOW_COLUMNS: [&str; 12] = [
    "id",
    "tenant_id",
    "show_type",
    "title",
    "year",
    "normalized_title",
    "sort_key",
    "overview",
    "genres",
    "external_ids",
    "created_at",
    "updated_at",
];

/// The values of a show.
pub(crate) fn show_row(show: &Show, now: DateTime<Utc>) -> Result<Vec<Expr>> {
    Ok(vec![
        Expr::val(show.id.0),
        Expr::val(tenant_column(show.scope)),
        Expr::val(show.show_type.as_str()),
        Expr::val(show.title.as_str()),
        Expr::val(show.year),
        Expr::val(show.normalized_title()),
        Expr::val(show.sort_key()),
        Expr::val(show.overview.as_ref().map(|o| o.as_str().to_owned())),
        Expr::val(serde_json::to_string(&show.genres).map_err(Error::internal)?),
        Expr::val(serde_json::to_string(&show.external_ids).map_err(Error::internal)?),
        Expr::val(now),
        Expr::val(now),
    ])
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

/// Columns of `fact_changes`, in the order [`change_row`] gives values.
pub(crate) const CHANGE_COLUMNS: [&str; 10] = [
    "id",
    "tenant_id",
    "run_id",
    "source_id",
    "change",
    "fact_kind",
    "show_id",
    "before_fact_id",
    "after_fact_id",
    "at",
];

/// The values of a change.
pub(crate) fn change_row(c: &Change) -> Vec<Expr> {
    vec![
        Expr::val(c.id.0),
        Expr::val(tenant_column(c.scope)),
        Expr::val(c.run_id.0),
        Expr::val(c.source_id.as_str()),
        Expr::val(c.kind.as_str()),
        Expr::val(c.fact_kind.as_str()),
        Expr::val(c.show_id.map(|s| s.0)),
        Expr::val(c.before.map(|f| f.0)),
        Expr::val(c.after.map(|f| f.0)),
        Expr::val(c.at),
    ]
}

/// Columns of `conflicts`, in the order [`conflict_row`] gives values.
pub(crate) const CONFLICT_COLUMNS: [&str; 13] = [
    "id",
    "tenant_id",
    "kind",
    "subject",
    "show_id",
    "other_show_id",
    "service_id",
    "country",
    "fact_ids",
    "summary",
    "detected_at",
    "run_id",
    "cleared_at",
];

/// The values of a conflict.
pub(crate) fn conflict_row(c: &Conflict) -> Result<Vec<Expr>> {
    Ok(vec![
        Expr::val(c.id.0),
        Expr::val(tenant_column(c.scope)),
        Expr::val(c.kind.as_str()),
        Expr::val(c.subject.as_str()),
        Expr::val(c.show_id.0),
        Expr::val(c.other_show_id.map(|s| s.0)),
        Expr::val(c.service_id.as_ref().map(|s| s.as_str().to_owned())),
        Expr::val(c.country.as_ref().map(|s| s.as_str().to_owned())),
        Expr::val(serde_json::to_string(&c.fact_ids).map_err(Error::internal)?),
        Expr::val(c.summary.as_str()),
        Expr::val(c.detected_at),
        Expr::val(c.run_id.0),
        Expr::val(c.cleared_at),
    ])
}

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
