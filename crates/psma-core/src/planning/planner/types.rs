//! What the planner takes and what it returns.

use crate::catalog::conflict::ConflictId;
use crate::catalog::show::ShowId;
use crate::planning::availability::Assessment;
use crate::planning::profile::{MyService, PlannerSettings, Selection};
use chrono::NaiveDate;
use psma_plugin_sdk::text::{CountryCode, CurrencyCode, Decimal, ServiceId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One episode's air day, as the catalog's merged view has it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EpisodeAir {
    /// The show.
    pub show_id: ShowId,
    /// Season number (0 for specials).
    pub season: u16,
    /// Episode number within the season.
    pub number: u32,
    /// The day it airs, when known.
    pub air_date: Option<NaiveDate>,
}

/// What a service costs, resolved by the caller (the user's terms first, then the registry's
/// typical price in the country).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Price {
    /// The price of one billing cycle.
    pub amount: Decimal,
    /// Its currency.
    pub currency: CurrencyCode,
    /// Days one payment covers, when known (costs are only counted when it is).
    pub billing_cycle_days: Option<u16>,
}

/// Everything a plan is made of. The planner reads nothing else.
#[derive(Debug, Clone, Copy)]
pub struct PlanInput<'a> {
    /// The first day of the plan.
    pub today: NaiveDate,
    /// Where the household watches; assessments of other countries are ignored.
    pub country: &'a CountryCode,
    /// My Shows.
    pub selections: &'a [Selection],
    /// My Services: which are permanent, minimum contracts.
    pub services: &'a [MyService],
    /// The availability engine's assessments of the selected shows.
    pub assessments: &'a [Assessment],
    /// Episode air days of the selected shows.
    pub episodes: &'a [EpisodeAir],
    /// Prices per service, resolved by the caller.
    pub prices: &'a BTreeMap<ServiceId, Price>,
    /// Show titles for rationales (a show without one is named by its id).
    pub titles: &'a BTreeMap<ShowId, String>,
    /// The user's planning settings.
    pub settings: &'a PlannerSettings,
    /// How many service evaluations (the value of one service's intervals) the optimiser may
    /// spend, local search included, before it settles for the best plan found
    /// ([`DEFAULT_SEARCH_BUDGET`]; `u64::MAX`: search to the end).
    pub search_budget: u64,
}

/// The default [`PlanInput::search_budget`]: a few tens of milliseconds at 500 selections ×
/// 50 services on one core; household-sized plans finish their search well within it.
pub const DEFAULT_SEARCH_BUDGET: u64 = 200_000;

/// Subscribe or unsubscribe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Start paying for the service on this day.
    Subscribe,
    /// Cancel it on this day.
    Unsubscribe,
}

/// Why an event is planned as it is. Serialised in `SCREAMING_SNAKE_CASE`; declared in the
/// alphabetical order of their names, so sorting codes sorts their names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PlanReason {
    /// A show is watched as it airs (its interval follows the episode schedule).
    AsAired,
    /// No episode schedule: the interval is the availability window.
    AvailabilityWindow,
    /// A season already complete and available is watched within `binge_days`.
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

/// Why another service was not chosen for an event's shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LostBecause {
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alternative {
    /// The service.
    pub service_id: ServiceId,
    /// The shows it could have served.
    pub show_ids: Vec<ShowId>,
    /// Why it lost.
    pub lost_because: LostBecause,
    /// The same, for people.
    pub detail: String,
}

/// One dated step of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanEvent {
    /// Subscribe or unsubscribe.
    pub action: Action,
    /// The service.
    pub service_id: ServiceId,
    /// The day.
    pub date: NaiveDate,
    /// The shows the subscription is for, sorted.
    pub show_ids: Vec<ShowId>,
    /// Why, for people.
    pub rationale: String,
    /// Why, as codes, sorted and unique.
    pub reason_codes: Vec<PlanReason>,
    /// What the plan assumes here, sorted and unique.
    pub assumptions: Vec<String>,
    /// Whether it rests on an availability an open conflict disputes.
    pub contested: bool,
    /// Those conflicts, sorted.
    pub conflict_ids: Vec<ConflictId>,
    /// Other services that could have served these shows (on subscribe events).
    pub alternatives: Vec<Alternative>,
}

/// A question whose answer would improve the plan. Ids are stable: the same unknown asks the
/// same question in every plan.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Question {
    /// `show:<show_id>:end_date`, `show:<show_id>:service`,
    /// `service:<service_id>:min_contract_days`.
    pub id: String,
    /// The show it is about, when it is about one.
    pub show_id: Option<ShowId>,
    /// The service it is about, when it is about one.
    pub service_id: Option<ServiceId>,
    /// The question, for people.
    pub text: String,
}

/// Why a selected show has no events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockReason {
    /// No service offers it by subscription in the country.
    NoCandidate,
    /// Services offer it, none with the minimum confidence.
    BelowMinConfidence,
    /// It is offered, but not when it is needed (the window ends before it can be watched).
    NotAvailableInTime,
    /// It will not be needed before the plan's horizon.
    BeyondHorizon,
}

/// A selected show the plan leaves out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockedShow {
    /// The show.
    pub show_id: ShowId,
    /// Why.
    pub reason: BlockReason,
    /// The question that would unblock it, when there is one.
    pub question_id: Option<String>,
}

/// A selected show a permanent service covers: no events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Covered {
    /// The show.
    pub show_id: ShowId,
    /// The permanent service.
    pub service_id: ServiceId,
    /// Why, for people.
    pub rationale: String,
}

/// What the plan optimised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    /// Total subscribed days.
    Days,
    /// Total cost (every candidate had a known price in one currency and a known cycle), then
    /// days.
    Cost,
}

/// Totals of the plan and of the naive plan (every show on its first-listed service, no
/// merging), so the saving is visible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Days subscribed, summed over services.
    pub subscribed_days: u32,
    /// Cost per currency, known prices and cycles only.
    pub cost: BTreeMap<CurrencyCode, Decimal>,
    /// The same before billing-cycle packing.
    pub unpacked_subscribed_days: u32,
    /// The same before billing-cycle packing.
    pub unpacked_cost: BTreeMap<CurrencyCode, Decimal>,
    /// The naive plan's days.
    pub naive_subscribed_days: u32,
    /// The naive plan's cost.
    pub naive_cost: BTreeMap<CurrencyCode, Decimal>,
    /// Planned services whose cost is unknown (no price or no billing cycle), sorted.
    pub unpriced_services: Vec<ServiceId>,
}

/// How the service choice was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Search {
    /// What was minimised.
    pub objective: Objective,
    /// Whether the choice is proven optimal (the search finished within its budget).
    pub optimal: bool,
    /// The best lower bound proven for the objective (days, or cost in ten-thousandths of the
    /// currency); equals the plan's value when optimal.
    pub lower_bound: u64,
    /// The plan's value of the objective, in the same unit.
    pub value: u64,
    /// Search nodes visited.
    pub nodes: u64,
}

/// A dated subscribe/unsubscribe plan (DESIGN §5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// The plan's first day.
    pub today: NaiveDate,
    /// The events, by date, service, then subscribe before unsubscribe.
    pub events: Vec<PlanEvent>,
    /// Questions that would improve it, by id.
    pub questions: Vec<Question>,
    /// Selected shows left out, by show.
    pub blocked: Vec<BlockedShow>,
    /// Selected shows a permanent service covers, by show.
    pub covered: Vec<Covered>,
    /// Totals.
    pub totals: Totals,
    /// How the service choice was made.
    pub search: Search,
}
