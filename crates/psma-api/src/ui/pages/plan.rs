//! The plan: the timeline and the step-by-step explanation (`GET /plan`), making one now
//! (`POST /plan`), and what changed since the one before (`GET /plan/delta`).

pub(crate) mod delta;
pub(crate) mod get;
pub(crate) mod make;

use crate::state::ApiState;
use crate::ui::format::Day;
use crate::ui::pages::service_name;
use crate::ui::timeline::anchor;
use psma_core::catalog::ShowId;
use psma_core::planning::planner::{Action, PlanEvent};
use std::collections::BTreeMap;

/// A show named in a step, linked to its page.
pub(crate) struct ShowRef {
    pub id: String,
    pub title: String,
}

/// One dated step, explained.
pub(crate) struct Step {
    pub anchor: String,
    pub day: Day,
    pub subscribe: bool,
    pub service: String,
    pub shows: Vec<ShowRef>,
    pub rationale: String,
    pub assumptions: Vec<String>,
    pub contested: bool,
    pub conflicts: Vec<String>,
    pub alternatives: Vec<String>,
}

impl Step {
    pub(crate) fn of(
        event: &PlanEvent,
        state: &ApiState,
        titles: &BTreeMap<ShowId, String>,
    ) -> Self {
        Self {
            anchor: anchor(event),
            day: Day::from(event.date),
            subscribe: event.action == Action::Subscribe,
            service: service_name(state, event.service_id.as_str()),
            shows: shows(&event.show_ids, titles),
            rationale: event.rationale.clone(),
            assumptions: event.assumptions.clone(),
            contested: event.contested,
            conflicts: event.conflict_ids.iter().map(|c| c.0.to_string()).collect(),
            alternatives: event
                .alternatives
                .iter()
                .map(|a| {
                    format!(
                        "{}: {}",
                        service_name(state, a.service_id.as_str()),
                        a.detail
                    )
                })
                .collect(),
        }
    }
}

/// Shows by title (their id when the catalog no longer has them).
pub(crate) fn shows(ids: &[ShowId], titles: &BTreeMap<ShowId, String>) -> Vec<ShowRef> {
    ids.iter()
        .map(|id| ShowRef {
            id: id.0.to_string(),
            title: titles
                .get(id)
                .cloned()
                .unwrap_or_else(|| "A show no longer in the catalog".to_owned()),
        })
        .collect()
}
