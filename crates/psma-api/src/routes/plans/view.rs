//! A stored plan as the API shows it: the planner's `Plan` with its id, day, trigger and the
//! plan it replaced. Mirrors the core's types field by field (so the API's shape changes only
//! here, on purpose), and documents every field.

use chrono::{DateTime, NaiveDate, Utc};
use psma_core::planning::planner::{
    Action, Alternative, BlockReason, BlockedShow, Covered, LostBecause, Objective, PlanEvent,
    PlanReason, Question, Search, Totals,
};
use psma_core::planning::plans::{PlanTrigger, StoredPlan};
use psma_plugin_sdk::text::{CurrencyCode, Decimal};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// A stored plan: dated subscribe and unsubscribe events with their reasons, the questions
/// that would improve it, the shows it leaves out or a permanent service covers, and totals.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanView {
    /// The plan's id (`GET /api/v1/plans/{id}`).
    pub id: Uuid,
    /// The household member it is for.
    pub user_id: Uuid,
    /// The day it plans from.
    pub today: NaiveDate,
    /// When it was made.
    pub generated_at: DateTime<Utc>,
    /// Why it was made: `request` (asked for), `profile_change` (My Shows, My Services or
    /// settings changed), `catalog_refresh` (the catalog changed), `advice` (advice confirmed
    /// or answered), `conflict_decision` (a conflict about a selected show was decided).
    pub trigger: TriggerView,
    /// The plan it replaced; null for the member's first plan.
    pub previous_id: Option<Uuid>,
    /// The events, by date, service, then subscribe before unsubscribe.
    pub events: Vec<PlanEventView>,
    /// Questions whose answers would improve the plan, by id.
    pub questions: Vec<QuestionView>,
    /// Selected shows the plan leaves out, and why, by show.
    pub blocked: Vec<BlockedShowView>,
    /// Selected shows a permanent service covers (no events), by show.
    pub covered: Vec<CoveredView>,
    /// Days and cost of the plan, before billing-cycle packing, and of the naive plan.
    pub totals: TotalsView,
    /// How the service choice was made.
    pub search: SearchView,
}

/// Why a plan was made.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TriggerView {
    /// The member asked for it (`POST /api/v1/plans`, `psma plan`).
    Request,
    /// The member changed My Shows, My Services or settings.
    ProfileChange,
    /// A catalog refresh changed what is known about a selected show.
    CatalogRefresh,
    /// The member confirmed advice or answered its question.
    Advice,
    /// The household resolved or deferred a conflict about a selected show.
    ConflictDecision,
}

/// Subscribe or unsubscribe.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionView {
    /// Start paying for the service on this day.
    Subscribe,
    /// Cancel it on this day (the last day needed was the day before, plus the buffer).
    Unsubscribe,
}

/// Why an event is planned as it is.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReasonView {
    /// A show is watched as it airs.
    AsAired,
    /// No episode schedule: the interval is the availability window.
    AvailabilityWindow,
    /// A complete season already available is watched within `binge_days`.
    BackCatalog,
    /// A show is binged once its season is complete and available.
    BingeAfterSeason,
    /// The unsubscribe day is the buffer after the last day needed.
    Buffer,
    /// The event rests on an availability disputed by an open conflict.
    Contested,
    /// A flexible binge window was moved to share paid billing cycles.
    CyclePacked,
    /// The interval was cut at the plan's horizon.
    Horizon,
    /// Several shows' intervals share one subscription.
    Merged,
    /// The subscription lasts the service's minimum contract.
    MinContract,
    /// An interval's end is unknown: the default horizon is assumed.
    UnknownEnd,
    /// The show leaves the service before it would otherwise be done.
    WindowEnds,
}

/// One dated step of the plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanEventView {
    /// Subscribe or unsubscribe.
    pub action: ActionView,
    /// The service (`GET /api/v1/services`).
    pub service_id: String,
    /// The day.
    pub date: NaiveDate,
    /// The shows the subscription is for, sorted.
    pub show_ids: Vec<Uuid>,
    /// Why, for people.
    pub rationale: String,
    /// Why, as codes, sorted and unique.
    pub reason_codes: Vec<ReasonView>,
    /// What the plan assumes here (the day may move when it turns out otherwise), sorted.
    pub assumptions: Vec<String>,
    /// Whether it rests on an availability an open conflict disputes.
    pub contested: bool,
    /// Those conflicts (`GET /api/v1/conflicts/{id}`), sorted.
    pub conflict_ids: Vec<Uuid>,
    /// Other services that could have served these shows, and why they were not chosen (on
    /// subscribe events).
    pub alternatives: Vec<AlternativeView>,
}

/// Why another service was not chosen.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LostBecauseView {
    /// It would have meant more subscribed days.
    MoreDays,
    /// It would have cost more.
    HigherCost,
    /// Equal otherwise; its availability is less certain.
    LowerConfidence,
    /// Equal otherwise; its data is older.
    OlderData,
    /// Equal otherwise; it is dearer.
    HigherPrice,
    /// Equal in every way; the chosen one comes first by id.
    Order,
}

/// Another service that could have served some of an event's shows.
#[derive(Debug, Serialize, ToSchema)]
pub struct AlternativeView {
    /// The service.
    pub service_id: String,
    /// The shows it could have served.
    pub show_ids: Vec<Uuid>,
    /// Why it lost.
    pub lost_because: LostBecauseView,
    /// The same, for people.
    pub detail: String,
}

/// A question whose answer would improve the plan; the same unknown asks the same question
/// (the same id) in every plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionView {
    /// `show:<show_id>:end_date`, `show:<show_id>:service` or
    /// `service:<service_id>:min_contract_days`.
    pub id: String,
    /// The show it is about, when it is about one.
    pub show_id: Option<Uuid>,
    /// The service it is about, when it is about one.
    pub service_id: Option<String>,
    /// The question, for people.
    pub text: String,
}

/// Why a selected show has no events.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BlockReasonView {
    /// No service offers it by subscription in the country.
    NoCandidate,
    /// Services offer it, none with the minimum confidence.
    BelowMinConfidence,
    /// It is offered, but not when it is needed.
    NotAvailableInTime,
    /// It will not be needed before the plan's horizon.
    BeyondHorizon,
}

/// A selected show the plan leaves out.
#[derive(Debug, Serialize, ToSchema)]
pub struct BlockedShowView {
    /// The show.
    pub show_id: Uuid,
    /// Why.
    pub reason: BlockReasonView,
    /// The question that would unblock it (in `questions`), when there is one.
    pub question_id: Option<String>,
}

/// A selected show a permanent service covers.
#[derive(Debug, Serialize, ToSchema)]
pub struct CoveredView {
    /// The show.
    pub show_id: Uuid,
    /// The permanent service.
    pub service_id: String,
    /// Why, for people.
    pub rationale: String,
}

/// Days subscribed and cost, of the plan and of the naive plan (every show on its first-listed
/// service, no merging), so the saving is visible. Costs are per currency code, as decimal
/// strings (`"17.99"`), counting only services whose price and billing cycle are known.
#[derive(Debug, Serialize, ToSchema)]
pub struct TotalsView {
    /// Days subscribed, summed over services.
    pub subscribed_days: u32,
    /// Cost per currency.
    pub cost: BTreeMap<String, String>,
    /// Days before billing-cycle packing.
    pub unpacked_subscribed_days: u32,
    /// Cost per currency before billing-cycle packing.
    pub unpacked_cost: BTreeMap<String, String>,
    /// The naive plan's days.
    pub naive_subscribed_days: u32,
    /// The naive plan's cost per currency.
    pub naive_cost: BTreeMap<String, String>,
    /// Planned services whose cost is unknown (no price or no billing cycle), sorted.
    pub unpriced_services: Vec<String>,
}

/// What the service choice minimised.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ObjectiveView {
    /// Total subscribed days.
    Days,
    /// Total cost, then days (every candidate had a known price in one currency and cycle).
    Cost,
}

/// How the service choice was made.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchView {
    /// What was minimised.
    pub objective: ObjectiveView,
    /// Whether the choice is proven optimal (the search finished within its budget).
    pub optimal: bool,
    /// The best lower bound proven (days, or cost in ten-thousandths of the currency).
    pub lower_bound: u64,
    /// The plan's value of the objective, in the same unit.
    pub value: u64,
    /// Search nodes visited.
    pub nodes: u64,
}

/// Amounts per currency as strings.
pub(crate) fn amounts(map: &BTreeMap<CurrencyCode, Decimal>) -> BTreeMap<String, String> {
    map.iter()
        .map(|(c, a)| (c.as_str().to_owned(), a.as_str().to_owned()))
        .collect()
}

impl From<&StoredPlan> for PlanView {
    fn from(s: &StoredPlan) -> Self {
        let p = &s.plan;
        Self {
            id: s.id.0,
            user_id: s.user_id.0,
            today: s.today,
            generated_at: s.generated_at,
            trigger: match s.trigger {
                PlanTrigger::Request => TriggerView::Request,
                PlanTrigger::ProfileChange => TriggerView::ProfileChange,
                PlanTrigger::CatalogRefresh => TriggerView::CatalogRefresh,
                PlanTrigger::Advice => TriggerView::Advice,
                PlanTrigger::ConflictDecision => TriggerView::ConflictDecision,
            },
            previous_id: s.previous_id.map(|p| p.0),
            events: p.events.iter().map(PlanEventView::from).collect(),
            questions: p.questions.iter().map(QuestionView::from).collect(),
            blocked: p.blocked.iter().map(BlockedShowView::from).collect(),
            covered: p.covered.iter().map(CoveredView::from).collect(),
            totals: TotalsView::from(&p.totals),
            search: SearchView::from(&p.search),
        }
    }
}

impl From<Action> for ActionView {
    fn from(a: Action) -> Self {
        match a {
            Action::Subscribe => Self::Subscribe,
            Action::Unsubscribe => Self::Unsubscribe,
        }
    }
}

impl From<PlanReason> for ReasonView {
    fn from(r: PlanReason) -> Self {
        match r {
            PlanReason::AsAired => Self::AsAired,
            PlanReason::AvailabilityWindow => Self::AvailabilityWindow,
            PlanReason::BackCatalog => Self::BackCatalog,
            PlanReason::BingeAfterSeason => Self::BingeAfterSeason,
            PlanReason::Buffer => Self::Buffer,
            PlanReason::Contested => Self::Contested,
            PlanReason::CyclePacked => Self::CyclePacked,
            PlanReason::Horizon => Self::Horizon,
            PlanReason::Merged => Self::Merged,
            PlanReason::MinContract => Self::MinContract,
            PlanReason::UnknownEnd => Self::UnknownEnd,
            PlanReason::WindowEnds => Self::WindowEnds,
        }
    }
}

impl From<&PlanEvent> for PlanEventView {
    fn from(e: &PlanEvent) -> Self {
        Self {
            action: e.action.into(),
            service_id: e.service_id.as_str().to_owned(),
            date: e.date,
            show_ids: e.show_ids.iter().map(|s| s.0).collect(),
            rationale: e.rationale.clone(),
            reason_codes: e.reason_codes.iter().map(|r| (*r).into()).collect(),
            assumptions: e.assumptions.clone(),
            contested: e.contested,
            conflict_ids: e.conflict_ids.iter().map(|c| c.0).collect(),
            alternatives: e.alternatives.iter().map(AlternativeView::from).collect(),
        }
    }
}

impl From<&Alternative> for AlternativeView {
    fn from(a: &Alternative) -> Self {
        Self {
            service_id: a.service_id.as_str().to_owned(),
            show_ids: a.show_ids.iter().map(|s| s.0).collect(),
            lost_because: match a.lost_because {
                LostBecause::MoreDays => LostBecauseView::MoreDays,
                LostBecause::HigherCost => LostBecauseView::HigherCost,
                LostBecause::LowerConfidence => LostBecauseView::LowerConfidence,
                LostBecause::OlderData => LostBecauseView::OlderData,
                LostBecause::HigherPrice => LostBecauseView::HigherPrice,
                LostBecause::Order => LostBecauseView::Order,
            },
            detail: a.detail.clone(),
        }
    }
}

impl From<&Question> for QuestionView {
    fn from(q: &Question) -> Self {
        Self {
            id: q.id.clone(),
            show_id: q.show_id.map(|s| s.0),
            service_id: q.service_id.as_ref().map(|s| s.as_str().to_owned()),
            text: q.text.clone(),
        }
    }
}

impl From<&BlockedShow> for BlockedShowView {
    fn from(b: &BlockedShow) -> Self {
        Self {
            show_id: b.show_id.0,
            reason: match b.reason {
                BlockReason::NoCandidate => BlockReasonView::NoCandidate,
                BlockReason::BelowMinConfidence => BlockReasonView::BelowMinConfidence,
                BlockReason::NotAvailableInTime => BlockReasonView::NotAvailableInTime,
                BlockReason::BeyondHorizon => BlockReasonView::BeyondHorizon,
            },
            question_id: b.question_id.clone(),
        }
    }
}

impl From<&Covered> for CoveredView {
    fn from(c: &Covered) -> Self {
        Self {
            show_id: c.show_id.0,
            service_id: c.service_id.as_str().to_owned(),
            rationale: c.rationale.clone(),
        }
    }
}

impl From<&Totals> for TotalsView {
    fn from(t: &Totals) -> Self {
        Self {
            subscribed_days: t.subscribed_days,
            cost: amounts(&t.cost),
            unpacked_subscribed_days: t.unpacked_subscribed_days,
            unpacked_cost: amounts(&t.unpacked_cost),
            naive_subscribed_days: t.naive_subscribed_days,
            naive_cost: amounts(&t.naive_cost),
            unpriced_services: t
                .unpriced_services
                .iter()
                .map(|s| s.as_str().to_owned())
                .collect(),
        }
    }
}

impl From<&Search> for SearchView {
    fn from(s: &Search) -> Self {
        Self {
            objective: match s.objective {
                Objective::Days => ObjectiveView::Days,
                Objective::Cost => ObjectiveView::Cost,
            },
            optimal: s.optimal,
            lower_bound: s.lower_bound,
            value: s.value,
            nodes: s.nodes,
        }
    }
}
