//! Conflicts: disagreements between sources that the merge policy cannot settle safely,
//! recorded with the competing facts, and the tenant's decision on each.

use super::records::{FactId, RunId, StoredFact};
use super::show::{DataScope, ShowId};
use crate::ids::id_type;
use crate::tenancy::UserId;
use chrono::{DateTime, NaiveDate, Utc};
use psma_plugin_sdk::Monetization;
use psma_plugin_sdk::text::{CountryCode, ServiceId};
use serde_json::{Value, json};

id_type!(
    /// Identifies a conflict.
    ConflictId
);

/// What the sources disagree about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConflictKind {
    /// Whether two titles are the same show.
    Identity,
    /// Where or when a show can be watched.
    Availability,
    /// Which canonical service a provider's service is.
    ServiceMapping,
}

impl ConflictKind {
    /// The stored and API name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Identity => "identity",
            Self::Availability => "availability",
            Self::ServiceMapping => "service_mapping",
        }
    }

    /// Parses a stored name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Identity, Self::Availability, Self::ServiceMapping]
            .into_iter()
            .find(|k| k.as_str() == name)
    }
}

/// Where a conflict stands for one tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConflictStatus {
    /// Waiting for a decision.
    Open,
    /// Decided by the tenant, or no longer applies because the sources now agree.
    Resolved,
    /// Put aside by the tenant.
    Deferred,
}

impl ConflictStatus {
    /// The API name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Resolved => "resolved",
            Self::Deferred => "deferred",
        }
    }

    /// Parses an API name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Open, Self::Resolved, Self::Deferred]
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

/// A recorded conflict.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// Its id.
    pub id: ConflictId,
    /// Shared (between shared sources), or the tenant's (involving its private facts).
    pub scope: DataScope,
    /// What is disputed.
    pub kind: ConflictKind,
    /// A stable description of the disputed subject (`availability/<show>/US/netflix`): one
    /// live conflict per subject and scope.
    pub subject: String,
    /// The show concerned.
    pub show_id: ShowId,
    /// For an identity conflict, the show it may be the same as.
    pub other_show_id: Option<ShowId>,
    /// The service concerned, for availability conflicts about dates.
    pub service_id: Option<ServiceId>,
    /// The country concerned, for availability conflicts.
    pub country: Option<CountryCode>,
    /// The competing facts, sorted.
    pub fact_ids: Vec<FactId>,
    /// What the disagreement is, for people.
    pub summary: String,
    /// When it was found.
    pub detected_at: DateTime<Utc>,
    /// The run that found it.
    pub run_id: RunId,
    /// When the sources stopped disagreeing (a later run); `None` while it applies.
    pub cleared_at: Option<DateTime<Utc>>,
}

/// A conflict as one tenant sees it: with its status and the competing facts.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictView {
    /// The conflict.
    pub conflict: Conflict,
    /// Its status for the tenant.
    pub status: ConflictStatus,
    /// The tenant's decision, if any.
    pub decision: Option<Decision>,
    /// The competing facts (as stored; ended ones included).
    pub facts: Vec<StoredFact>,
}

/// A tenant's decision on a conflict.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The conflict.
    pub conflict_id: ConflictId,
    /// Resolved or deferred.
    pub status: ConflictStatus,
    /// For a resolution, what was decided.
    pub resolution: Option<Resolution>,
    /// The `user_confirmation` fact a resolution stored.
    pub confirmation_fact: Option<FactId>,
    /// The facts the resolution overrules for this tenant.
    pub overruled: Vec<FactId>,
    /// A note from the user.
    pub note: Option<String>,
    /// Who decided.
    pub decided_by: UserId,
    /// When.
    pub decided_at: DateTime<Utc>,
}

/// How a conflict was resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// One of the competing facts is right.
    ChoseFact(FactId),
    /// None is: this is the truth.
    Value(AvailabilityValue),
    /// For an identity conflict: whether the two titles are the same show.
    SameShow(bool),
}

/// An availability given by the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvailabilityValue {
    /// The service.
    pub service_id: ServiceId,
    /// On what terms.
    pub monetization: Monetization,
    /// From when.
    pub available_from: Option<NaiveDate>,
    /// Until when.
    pub available_until: Option<NaiveDate>,
}

impl Resolution {
    /// The resolution as recorded (decision rows, the audit log).
    #[must_use]
    pub fn to_json(&self) -> Value {
        match self {
            Self::ChoseFact(id) => json!({ "fact_id": id }),
            Self::Value(v) => json!({ "value": {
                "service_id": v.service_id,
                "monetization": v.monetization,
                "available_from": v.available_from,
                "available_until": v.available_until,
            }}),
            Self::SameShow(same) => json!({ "same_show": same }),
        }
    }

    /// Reads what [`Self::to_json`] wrote; `None` for anything else.
    #[must_use]
    pub fn from_json(value: &Value) -> Option<Self> {
        if let Some(id) = value.get("fact_id") {
            return serde_json::from_value(id.clone()).ok().map(Self::ChoseFact);
        }
        if let Some(same) = value.get("same_show") {
            return same.as_bool().map(Self::SameShow);
        }
        let v = value.get("value")?;
        Some(Self::Value(AvailabilityValue {
            service_id: serde_json::from_value(v.get("service_id")?.clone()).ok()?,
            monetization: serde_json::from_value(v.get("monetization")?.clone()).ok()?,
            available_from: serde_json::from_value(v.get("available_from")?.clone()).ok()?,
            available_until: serde_json::from_value(v.get("available_until")?.clone()).ok()?,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolutions_read_back_what_they_wrote() {
        let all = [
            Resolution::ChoseFact(FactId::generate()),
            Resolution::SameShow(false),
            Resolution::Value(AvailabilityValue {
                service_id: "max".parse().unwrap(),
                monetization: Monetization::Flatrate,
                available_from: Some("2026-01-01".parse().unwrap()),
                available_until: None,
            }),
        ];
        for r in all {
            assert_eq!(Resolution::from_json(&r.to_json()), Some(r));
        }
    }
}
