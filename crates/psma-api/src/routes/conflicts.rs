//! `/api/v1/conflicts`: disagreements between sources, and the caller's decisions on them.

pub(crate) mod defer;
pub(crate) mod get;
pub(crate) mod list;
pub(crate) mod resolve;

use crate::views::{FactVersionView, ScopeView};
use chrono::{DateTime, NaiveDate, Utc};
use psma_core::catalog::{ConflictView, Decision, Resolution};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A conflict with its competing facts and the caller's decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConflictDetailView {
    /// Its id.
    pub id: Uuid,
    /// `identity`, `availability` or `service_mapping`.
    pub kind: String,
    /// `open`, `resolved` or `deferred`, for the caller.
    pub status: String,
    /// What the disagreement is.
    pub summary: String,
    /// The disputed subject, stable across refreshes.
    pub subject: String,
    /// Between shared sources, or involving the caller's own facts.
    pub scope: ScopeView,
    /// The show concerned.
    pub show_id: Uuid,
    /// For an identity conflict: the show it may be the same as.
    pub other_show_id: Option<Uuid>,
    /// The service, for a dispute about dates.
    pub service_id: Option<String>,
    /// The country.
    pub country: Option<String>,
    /// When it was found.
    pub detected_at: DateTime<Utc>,
    /// When the sources stopped disagreeing; null while it applies.
    pub cleared_at: Option<DateTime<Utc>>,
    /// The competing facts, each with its provenance.
    pub facts: Vec<FactVersionView>,
    /// The caller's decision.
    pub decision: Option<DecisionView>,
}

/// A decision on a conflict.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionView {
    /// `resolved` or `deferred`.
    pub status: String,
    /// How it was resolved.
    pub resolution: Option<ResolutionView>,
    /// The `user_confirmation` fact the resolution stored.
    pub confirmation_fact_id: Option<Uuid>,
    /// The facts it overrules for the caller's household.
    pub overruled: Vec<Uuid>,
    /// The note given.
    pub note: Option<String>,
    /// Who decided.
    pub decided_by: Uuid,
    /// When.
    pub decided_at: DateTime<Utc>,
}

/// How a conflict was resolved: exactly one member is present.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResolutionView {
    /// The competing fact chosen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fact_id: Option<Uuid>,
    /// The availability given instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<AvailabilityValueView>,
    /// For an identity conflict: whether the two titles are the same show.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub same_show: Option<bool>,
}

/// An availability given by the user.
#[derive(Debug, Serialize, ToSchema)]
pub struct AvailabilityValueView {
    /// The service.
    pub service_id: String,
    /// `flatrate`, `free`, `ads`, `rent` or `buy`.
    pub monetization: String,
    /// From when.
    pub available_from: Option<NaiveDate>,
    /// Until when.
    pub available_until: Option<NaiveDate>,
}

impl From<&Resolution> for ResolutionView {
    fn from(r: &Resolution) -> Self {
        match r {
            Resolution::ChoseFact(id) => Self {
                fact_id: Some(id.0),
                value: None,
                same_show: None,
            },
            Resolution::Value(v) => Self {
                fact_id: None,
                value: Some(AvailabilityValueView {
                    service_id: v.service_id.to_string(),
                    monetization: v.monetization.as_str().to_owned(),
                    available_from: v.available_from,
                    available_until: v.available_until,
                }),
                same_show: None,
            },
            Resolution::SameShow(same) => Self {
                fact_id: None,
                value: None,
                same_show: Some(*same),
            },
        }
    }
}

impl From<&Decision> for DecisionView {
    fn from(d: &Decision) -> Self {
        Self {
            status: d.status.as_str().to_owned(),
            resolution: d.resolution.as_ref().map(ResolutionView::from),
            confirmation_fact_id: d.confirmation_fact.map(|f| f.0),
            overruled: d.overruled.iter().map(|f| f.0).collect(),
            note: d.note.clone(),
            decided_by: d.decided_by.0,
            decided_at: d.decided_at,
        }
    }
}

impl From<&ConflictView> for ConflictDetailView {
    fn from(v: &ConflictView) -> Self {
        let c = &v.conflict;
        Self {
            id: c.id.0,
            kind: c.kind.as_str().to_owned(),
            status: v.status.as_str().to_owned(),
            summary: c.summary.clone(),
            subject: c.subject.clone(),
            scope: c.scope.into(),
            show_id: c.show_id.0,
            other_show_id: c.other_show_id.map(|s| s.0),
            service_id: c.service_id.as_ref().map(ToString::to_string),
            country: c.country.as_ref().map(ToString::to_string),
            detected_at: c.detected_at,
            cleared_at: c.cleared_at,
            facts: v.facts.iter().map(FactVersionView::new).collect(),
            decision: v.decision.as_ref().map(DecisionView::from),
        }
    }
}
