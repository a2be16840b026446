//! An unknown end date that keeps a subscription open: ask for the day.

use super::{AdviceInputs, Finding, FindingDetail, fingerprint, plan_event_ref, title_of};
use crate::catalog::ShowId;
use crate::planning::planner::{Action, PlanReason};
use chrono::NaiveDate;
use psma_plugin_sdk::text::ServiceId;
use serde::Serialize;

/// The plan assumes a show is needed for the default horizon because its end is unknown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnknownEnd {
    /// The planner's question (`show:<id>:end_date`), also the input an answer fills.
    pub question_id: String,
    /// The show.
    pub show_id: ShowId,
    /// Its title.
    pub title: String,
    /// The days assumed (`unknown_end_horizon_days`).
    pub assumed_days: u16,
    /// The subscriptions the assumption keeps open: service and subscribe day, in plan order.
    pub subscriptions: Vec<(ServiceId, NaiveDate)>,
    /// The day the latest of them ends, as planned.
    pub planned_until: Option<NaiveDate>,
    /// The plan's events resting on it, as `based_on` references.
    pub event_refs: Vec<String>,
}

pub(super) fn find(inputs: &AdviceInputs<'_>) -> Vec<Finding> {
    let plan = inputs.plan;
    let mut found = Vec::new();
    for question in &plan.questions {
        let Some(show) = question.show_id else {
            continue;
        };
        if question.id != format!("show:{show}:end_date") {
            continue;
        }
        let resting: Vec<_> = plan
            .events
            .iter()
            .filter(|e| {
                e.action == Action::Subscribe
                    && e.show_ids.contains(&show)
                    && e.reason_codes.contains(&PlanReason::UnknownEnd)
            })
            .collect();
        if resting.is_empty() {
            continue;
        }
        let subscriptions: Vec<(ServiceId, NaiveDate)> = resting
            .iter()
            .map(|e| (e.service_id.clone(), e.date))
            .collect();
        let planned_until = plan
            .events
            .iter()
            .filter(|e| {
                e.action == Action::Unsubscribe
                    && e.show_ids.contains(&show)
                    && subscriptions.iter().any(|(s, _)| s == &e.service_id)
            })
            .map(|e| e.date)
            .max();
        let mut event_refs: Vec<String> = plan
            .events
            .iter()
            .filter(|e| {
                e.show_ids.contains(&show) && subscriptions.iter().any(|(s, _)| s == &e.service_id)
            })
            .map(plan_event_ref)
            .collect();
        event_refs.dedup();
        let assumed_days = inputs.planning.settings.planner.unknown_end_horizon_days;
        let fingerprint = fingerprint("unknown_end", &(&question.id, assumed_days, &subscriptions));
        found.push(Finding {
            fingerprint,
            detail: FindingDetail::UnknownEnd(UnknownEnd {
                question_id: question.id.clone(),
                show_id: show,
                title: title_of(inputs, show),
                assumed_days,
                subscriptions,
                planned_until,
                event_refs,
            }),
        });
    }
    found
}
