//! What the engine says: assessments, their verdict, band, window and evidence.

use super::ReasonCode;
use crate::catalog::conflict::ConflictId;
use crate::catalog::records::FactId;
use crate::catalog::show::ShowId;
use chrono::{DateTime, NaiveDate, Utc};
use psma_plugin_sdk::text::{CountryCode, ServiceId, SourceId, SourceRef};
use psma_plugin_sdk::{Monetization, ServiceCategory};
use serde::Serialize;

/// Whether a show can be watched today: `true`, `false` or `unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AvailableNow {
    /// It can.
    True,
    /// It cannot (the window has not started or has ended).
    False,
    /// PSMA cannot tell (the module docs list when).
    Unknown,
}

impl AvailableNow {
    /// The name, as serialised.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::True => "true",
            Self::False => "false",
            Self::Unknown => "unknown",
        }
    }
}

/// How far an assessment can be relied on. Ordered `Low < Medium < High`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfidenceBand {
    /// Below 0.5, or lowered.
    Low,
    /// From 0.5.
    Medium,
    /// From 0.8.
    High,
}

impl ConfidenceBand {
    /// The lowest confidence that is `high`.
    pub const HIGH_FROM: f64 = 0.8;
    /// The lowest confidence that is `medium`.
    pub const MEDIUM_FROM: f64 = 0.5;

    /// The band of a confidence (a NaN is `low`).
    #[must_use]
    pub fn of(confidence: f64) -> Self {
        if confidence >= Self::HIGH_FROM {
            Self::High
        } else if confidence >= Self::MEDIUM_FROM {
            Self::Medium
        } else {
            Self::Low
        }
    }

    /// One band lower; `low` stays `low`.
    #[must_use]
    pub fn lowered(self) -> Self {
        match self {
            Self::High => Self::Medium,
            Self::Medium | Self::Low => Self::Low,
        }
    }

    /// The name, as serialised.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }
}

/// The known ends of a window, inclusive; at least one is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Window {
    /// From when (`None`: available already, start unknown).
    pub from: Option<NaiveDate>,
    /// Until when (`None`: no known end).
    pub until: Option<NaiveDate>,
}

impl Window {
    /// The window of these dates, `None` when neither is known.
    #[must_use]
    pub fn of(from: Option<NaiveDate>, until: Option<NaiveDate>) -> Option<Self> {
        (from.is_some() || until.is_some()).then_some(Self { from, until })
    }
}

/// A fact an assessment rests on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// The stored fact.
    pub fact_id: FactId,
    /// Who says so.
    pub source_id: SourceId,
    /// When the source was read.
    pub retrieved_at: DateTime<Utc>,
    /// The source's confidence.
    pub confidence: f64,
    /// Where in the source, for people.
    pub source_ref: Option<SourceRef>,
}

/// Whether, when and how surely a show can be watched on one service in one country, in one
/// window of the canonical view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// The show.
    pub show_id: ShowId,
    /// Where.
    pub country: CountryCode,
    /// The service.
    pub service_id: ServiceId,
    /// Whether the registry knows the service (only registry services can be planned).
    pub registry_service: bool,
    /// The registry's category (`unknown` for a service it does not know).
    pub category: ServiceCategory,
    /// On what terms, from the winning fact.
    pub monetization: Monetization,
    /// Whether it can be watched today.
    pub available_now: AvailableNow,
    /// The winning fact's window, when it has a start or an end.
    pub window: Option<Window>,
    /// How far it can be relied on.
    pub band: ConfidenceBand,
    /// The winning fact's confidence, 0 to 1.
    pub confidence: f64,
    /// When the winning fact's source was read.
    pub retrieved_at: DateTime<Utc>,
    /// The winning fact (the merge policy's working assumption).
    pub winning_fact: FactId,
    /// Why, sorted and unique.
    pub reason_codes: Vec<ReasonCode>,
    /// Every fact of the window, by fact id; never empty.
    pub evidence: Vec<Evidence>,
    /// Whether an unresolved conflict disputes it.
    pub contested: bool,
    /// The unresolved conflicts disputing it, sorted.
    pub conflict_ids: Vec<ConflictId>,
}

impl Assessment {
    /// Whether it carries `code`.
    #[must_use]
    pub fn has(&self, code: ReasonCode) -> bool {
        self.reason_codes.binary_search(&code).is_ok()
    }

    /// Whether the planner may plan a subscription on it: a registry service offering the
    /// show in a subscription (neither [`ReasonCode::ServiceIdUnknown`],
    /// [`ReasonCode::PurchaseOnly`] nor [`ReasonCode::FreeOffer`]). Dates, band and
    /// `min_confidence` are the planner's to weigh.
    #[must_use]
    pub fn is_subscription_candidate(&self) -> bool {
        self.registry_service
            && !self.has(ReasonCode::PurchaseOnly)
            && !self.has(ReasonCode::FreeOffer)
    }

    /// Whether the winner's confidence reaches the configured `min_confidence`.
    #[must_use]
    pub fn meets_min_confidence(&self) -> bool {
        !self.has(ReasonCode::LowConfidence)
    }
}
