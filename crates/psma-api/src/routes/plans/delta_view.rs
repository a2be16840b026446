//! A plan delta as the API shows it (`GET /api/v1/plans/current/delta`).

use super::view::{ActionView, PlanEventView};
use chrono::NaiveDate;
use psma_core::planning::plans::StoredDelta;
use psma_core::planning::plans::delta::{CountChange, EventRef, MovedEvent};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// What changed from the plan before the current one to the current one. Events are matched
/// within one service and action: the same day is the same step (`unchanged`); another day
/// for a subscription that shares a show is the same step `moved` (to the nearest such day);
/// everything else is `added` or `removed`. Every event of both plans is in exactly one list.
/// A first plan is compared with the empty plan: all its events are added.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanDeltaView {
    /// The current plan (`GET /api/v1/plans/{id}`).
    pub plan_id: Uuid,
    /// The day it plans from.
    pub today: NaiveDate,
    /// The plan it replaced; null for a first plan.
    pub previous_id: Option<Uuid>,
    /// The day that plan planned from; null for a first plan.
    pub previous_today: Option<NaiveDate>,
    /// Events of the current plan that are no step of the previous one, by date, service,
    /// then subscribe before unsubscribe.
    pub added: Vec<PlanEventView>,
    /// Events of the previous plan that are no step of the current one, in the same order.
    pub removed: Vec<PlanEventView>,
    /// Steps of both plans on another day now, by new date, service, action.
    pub moved: Vec<MovedEventView>,
    /// Steps of both plans on the same day, by date, service, action.
    pub unchanged: Vec<UnchangedEventView>,
    /// The largest number of services subscribed on one day (a subscription runs from its
    /// subscribe day up to, not including, its unsubscribe day).
    pub peak_concurrent_subscriptions: CountChangeView,
    /// Days subscribed, summed over services.
    pub subscribed_days: CountChangeView,
    /// Cost per currency code (known prices and cycles only).
    pub cost: BTreeMap<String, CostChangeView>,
}

/// A step both plans have, on another day now.
#[derive(Debug, Serialize, ToSchema)]
pub struct MovedEventView {
    /// Subscribe or unsubscribe.
    pub action: ActionView,
    /// The service.
    pub service_id: String,
    /// The day in the previous plan.
    pub from: NaiveDate,
    /// The day in the current plan.
    pub to: NaiveDate,
    /// `to − from` in days (negative: earlier).
    pub days: i64,
    /// The current event's shows, sorted.
    pub show_ids: Vec<Uuid>,
    /// The previous event's shows, sorted (at least one is in `show_ids`).
    pub previous_show_ids: Vec<Uuid>,
}

/// A step both plans have on the same day.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnchangedEventView {
    /// The day.
    pub date: NaiveDate,
    /// The service.
    pub service_id: String,
    /// Subscribe or unsubscribe.
    pub action: ActionView,
}

/// A count before and after.
#[derive(Debug, Serialize, ToSchema)]
pub struct CountChangeView {
    /// In the previous plan (0 for a first plan).
    pub before: u32,
    /// In the current plan.
    pub after: u32,
    /// `after − before`.
    pub change: i64,
}

/// An amount of one currency before and after.
#[derive(Debug, Serialize, ToSchema)]
pub struct CostChangeView {
    /// In the previous plan, a decimal string; null when it had no known cost in this
    /// currency.
    pub before: Option<String>,
    /// In the current plan; null likewise.
    pub after: Option<String>,
    /// `after − before` (a missing amount counts as zero), a signed decimal string such as
    /// `-12.99`, `0.00` or `4.50`.
    pub change: String,
}

impl From<&StoredDelta> for PlanDeltaView {
    fn from(s: &StoredDelta) -> Self {
        let d = &s.delta;
        Self {
            plan_id: s.plan_id.0,
            today: s.today,
            previous_id: s.previous_id.map(|p| p.0),
            previous_today: s.previous_today,
            added: d.added.iter().map(PlanEventView::from).collect(),
            removed: d.removed.iter().map(PlanEventView::from).collect(),
            moved: d.moved.iter().map(MovedEventView::from).collect(),
            unchanged: d.unchanged.iter().map(UnchangedEventView::from).collect(),
            peak_concurrent_subscriptions: (&d.peak_concurrent_subscriptions).into(),
            subscribed_days: (&d.subscribed_days).into(),
            cost: d
                .cost
                .iter()
                .map(|(currency, c)| {
                    (
                        currency.as_str().to_owned(),
                        CostChangeView {
                            before: c.before.as_ref().map(|a| a.as_str().to_owned()),
                            after: c.after.as_ref().map(|a| a.as_str().to_owned()),
                            change: c.change.clone(),
                        },
                    )
                })
                .collect(),
        }
    }
}

impl From<&MovedEvent> for MovedEventView {
    fn from(m: &MovedEvent) -> Self {
        Self {
            action: m.action.into(),
            service_id: m.service_id.as_str().to_owned(),
            from: m.from,
            to: m.to,
            days: m.days,
            show_ids: m.show_ids.iter().map(|s| s.0).collect(),
            previous_show_ids: m.previous_show_ids.iter().map(|s| s.0).collect(),
        }
    }
}

impl From<&EventRef> for UnchangedEventView {
    fn from(e: &EventRef) -> Self {
        Self {
            date: e.date,
            service_id: e.service_id.as_str().to_owned(),
            action: e.action.into(),
        }
    }
}

impl From<&CountChange> for CountChangeView {
    fn from(c: &CountChange) -> Self {
        Self {
            before: c.before,
            after: c.after,
            change: c.change,
        }
    }
}
