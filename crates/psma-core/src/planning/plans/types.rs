//! What a stored plan is.

use super::delta::PlanDelta;
use crate::ids::id_type;
use crate::planning::planner::Plan;
use crate::tenancy::UserId;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

id_type!(
    /// A stored plan.
    PlanId
);

/// Why a plan was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanTrigger {
    /// The user asked for it (`POST /api/v1/plans`, `psma plan`).
    Request,
    /// The user changed My Shows, My Services or their settings.
    ProfileChange,
    /// A catalog refresh changed facts about a selected show.
    CatalogRefresh,
    /// The user confirmed advice or answered its question.
    Advice,
    /// The household resolved or deferred a conflict about a selected show.
    ConflictDecision,
}

impl PlanTrigger {
    /// The stored and serialised name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Request => "request",
            Self::ProfileChange => "profile_change",
            Self::CatalogRefresh => "catalog_refresh",
            Self::Advice => "advice",
            Self::ConflictDecision => "conflict_decision",
        }
    }

    /// The trigger of a stored name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        [
            Self::Request,
            Self::ProfileChange,
            Self::CatalogRefresh,
            Self::Advice,
            Self::ConflictDecision,
        ]
        .into_iter()
        .find(|t| t.as_str() == name)
    }
}

/// A plan as kept: whose, when, why, and the one it replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredPlan {
    /// Its id.
    pub id: PlanId,
    /// The household member it is for.
    pub user_id: UserId,
    /// The day it plans from.
    pub today: NaiveDate,
    /// When it was made.
    pub generated_at: DateTime<Utc>,
    /// Why it was made.
    pub trigger: PlanTrigger,
    /// The user's plan before it, if any.
    pub previous_id: Option<PlanId>,
    /// The plan.
    pub plan: Plan,
}

/// The current plan compared with the plan it replaced (DESIGN §3.2.5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredDelta {
    /// The current plan.
    pub plan_id: PlanId,
    /// The day it plans from.
    pub today: NaiveDate,
    /// The plan it replaced; `None` for a first plan, compared with the empty plan.
    pub previous_id: Option<PlanId>,
    /// The day that one planned from.
    pub previous_today: Option<NaiveDate>,
    /// What changed.
    pub delta: PlanDelta,
}
