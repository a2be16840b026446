//! The plan delta engine (DESIGN §3.2 item 5): two plans in, what changed out — events added,
//! removed and moved, and the change in peak concurrent subscriptions, subscribed days and cost
//! per currency. Pure and deterministic: the same plans give the same delta, byte for byte once
//! serialised.
//!
//! **Matching rule.** Events are compared within one (service, action): a subscribe is only
//! ever the same step as a subscribe to the same service. Within it,
//!
//! 1. an old and a new event on the **same day** are the same step, **unchanged** (on a valid
//!    plan a service has at most one subscribe and one unsubscribe per day, since its
//!    subscriptions never overlap or touch);
//! 2. of the rest, an old and a new event are the same step, **moved**, when they belong to the
//!    same subscription, which is when their shows overlap (share at least one show). Old
//!    events are taken by date (then shows); each takes, among the new events left that share a
//!    show with it, the nearest in days (ties: the earlier day, then the shows);
//! 3. old events left are **removed**, new events left are **added**.
//!
//! So every event of either plan is accounted for exactly once: `added + moved + unchanged` are
//! the new plan's events, `removed + moved + unchanged` the old plan's. A first plan is compared
//! with the empty plan (no events, nothing subscribed, no cost): everything in it is added.
//!
//! **Peak concurrent subscriptions** is the largest number of services subscribed on one day:
//! a subscription runs from its subscribe day up to, not including, its unsubscribe day (the
//! planner's subscribed days), so one ending the day another starts does not overlap it.

mod matching;
mod measure;

use crate::catalog::ShowId;
use crate::planning::planner::{Action, Plan, PlanEvent};
use chrono::NaiveDate;
use psma_plugin_sdk::text::{CurrencyCode, Decimal, ServiceId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What changed from one plan to the next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanDelta {
    /// Events of the new plan that are no step of the old one, in plan order (day, service,
    /// subscribe before unsubscribe).
    pub added: Vec<PlanEvent>,
    /// Events of the old plan that are no step of the new one, in plan order.
    pub removed: Vec<PlanEvent>,
    /// Steps of both plans whose day changed, by new day, service, action.
    pub moved: Vec<MovedEvent>,
    /// Steps of both plans on the same day, by day, service, action.
    pub unchanged: Vec<EventRef>,
    /// The largest number of services subscribed on one day.
    pub peak_concurrent_subscriptions: CountChange,
    /// Days subscribed, summed over services (the plans' totals).
    pub subscribed_days: CountChange,
    /// Cost per currency (known prices only; a currency one plan lacks counts as zero there).
    pub cost: BTreeMap<CurrencyCode, CostChange>,
}

impl PlanDelta {
    /// Whether nothing changed: no event added, removed or moved, and equal measures.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.moved.is_empty()
            && self.peak_concurrent_subscriptions.change == 0
            && self.subscribed_days.change == 0
            && self.cost.values().all(|c| c.before == c.after)
    }
}

/// A step both plans have, on another day in the new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MovedEvent {
    /// Subscribe or unsubscribe.
    pub action: Action,
    /// The service.
    pub service_id: ServiceId,
    /// The day in the old plan.
    pub from: NaiveDate,
    /// The day in the new plan.
    pub to: NaiveDate,
    /// `to − from` in days (negative: earlier).
    pub days: i64,
    /// The new event's shows, sorted.
    pub show_ids: Vec<ShowId>,
    /// The old event's shows, sorted (they share at least one with `show_ids`).
    pub previous_show_ids: Vec<ShowId>,
}

/// A step both plans have on the same day.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EventRef {
    /// The day.
    pub date: NaiveDate,
    /// The service.
    pub service_id: ServiceId,
    /// Subscribe or unsubscribe.
    pub action: Action,
}

/// A count before and after.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountChange {
    /// In the old plan.
    pub before: u32,
    /// In the new plan.
    pub after: u32,
    /// `after − before`.
    pub change: i64,
}

impl CountChange {
    fn new(before: u32, after: u32) -> Self {
        Self {
            before,
            after,
            change: i64::from(after) - i64::from(before),
        }
    }
}

/// An amount of one currency before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostChange {
    /// In the old plan (`None` when it had no known cost in this currency).
    pub before: Option<Decimal>,
    /// In the new plan (likewise).
    pub after: Option<Decimal>,
    /// `after − before`, a signed decimal string (`-12.99`, `0.00`, `4.50`).
    pub change: String,
}

/// What changed from `before` to `after`; `None` is the empty plan (a first plan's delta).
#[must_use]
pub fn delta(before: Option<&Plan>, after: &Plan) -> PlanDelta {
    let old: &[PlanEvent] = before.map_or(&[], |p| &p.events);
    let matched = matching::match_events(old, &after.events);
    let days_before = before.map_or(0, |p| p.totals.subscribed_days);
    let empty = BTreeMap::new();
    let cost_before = before.map_or(&empty, |p| &p.totals.cost);
    PlanDelta {
        added: matched.added,
        removed: matched.removed,
        moved: matched.moved,
        unchanged: matched.unchanged,
        peak_concurrent_subscriptions: CountChange::new(
            measure::peak_concurrent(old),
            measure::peak_concurrent(&after.events),
        ),
        subscribed_days: CountChange::new(days_before, after.totals.subscribed_days),
        cost: measure::cost_changes(cost_before, &after.totals.cost),
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod props;
