//! A plan delta with changes: explain what was added, removed and moved.

use super::{AdviceInputs, Finding, FindingDetail, event_ref, fingerprint};
use crate::catalog::ShowId;
use crate::planning::planner::{Action, PlanEvent};
use crate::planning::plans::delta::{CostChange, CountChange, MovedEvent};
use chrono::NaiveDate;
use psma_plugin_sdk::text::{CurrencyCode, ServiceId};
use serde::Serialize;
use std::collections::BTreeMap;

/// The plan changed since the one before.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanChanged {
    /// Events only the new plan has, in plan order.
    pub added: Vec<ChangedEvent>,
    /// Events only the old plan had, in plan order.
    pub removed: Vec<ChangedEvent>,
    /// Steps on another day now.
    pub moved: Vec<MovedEvent>,
    /// Subscribed days before and after.
    pub subscribed_days: CountChange,
    /// Cost per currency before and after.
    pub cost: BTreeMap<CurrencyCode, CostChange>,
    /// Titles of the shows concerned.
    pub titles: BTreeMap<ShowId, String>,
}

/// An event added or removed, without its prose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangedEvent {
    /// The day.
    pub date: NaiveDate,
    /// The service.
    pub service_id: ServiceId,
    /// Subscribe or unsubscribe.
    pub action: Action,
    /// The shows.
    pub show_ids: Vec<ShowId>,
}

impl ChangedEvent {
    fn of(e: &PlanEvent) -> Self {
        Self {
            date: e.date,
            service_id: e.service_id.clone(),
            action: e.action,
            show_ids: e.show_ids.clone(),
        }
    }

    /// Its `based_on` reference.
    #[must_use]
    pub fn reference(&self) -> String {
        event_ref(self.date, self.service_id.as_str(), self.action)
    }
}

pub(super) fn find(inputs: &AdviceInputs<'_>) -> Vec<Finding> {
    let Some(delta) = inputs.delta else {
        return Vec::new();
    };
    if delta.added.is_empty() && delta.removed.is_empty() && delta.moved.is_empty() {
        return Vec::new();
    }
    let added: Vec<ChangedEvent> = delta.added.iter().map(ChangedEvent::of).collect();
    let removed: Vec<ChangedEvent> = delta.removed.iter().map(ChangedEvent::of).collect();
    let fingerprint = fingerprint("plan_changed", &(&added, &removed, &delta.moved));
    let titles = added
        .iter()
        .chain(&removed)
        .flat_map(|e| e.show_ids.iter())
        .chain(delta.moved.iter().flat_map(|m| m.show_ids.iter()))
        .map(|s| (*s, super::title_of(inputs, *s)))
        .collect();
    vec![Finding {
        fingerprint,
        detail: FindingDetail::PlanChanged(PlanChanged {
            added,
            removed,
            moved: delta.moved.clone(),
            subscribed_days: delta.subscribed_days,
            cost: delta.cost.clone(),
            titles,
        }),
    }]
}
