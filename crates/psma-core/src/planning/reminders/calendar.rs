//! A plan's events as calendar entries: stable UIDs and tentative marks (DESIGN §9a).

use crate::planning::planner::{Action, Plan, PlanEvent};
use crate::tenancy::UserId;
use chrono::NaiveDate;
use psma_plugin_sdk::text::ServiceId;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// One plan event as a calendar shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEntry {
    /// Stable per (user, service, action, interval): see [`calendar_uid`].
    pub uid: String,
    /// The subscribe day of the subscription the event belongs to (its own day for a
    /// subscribe event).
    pub interval_start: NaiveDate,
    /// Contested, or resting on an assumption: the day may still move.
    pub tentative: bool,
    /// The service's name, as people know it.
    pub service_name: String,
    /// The event.
    pub event: PlanEvent,
}

/// The UID of the calendar event for `action` on `service` in the subscription of `user` that
/// starts on `interval_start`: the first 128 bits of a SHA-256 of the four, in hex, at
/// `psma`. The same subscription gets the same UIDs in every plan, so when a re-plan moves its
/// cancel day the calendar app moves the event; a subscription that starts on another day is
/// another pair of events.
#[must_use]
pub fn calendar_uid(
    user: UserId,
    service: &ServiceId,
    action: Action,
    interval_start: NaiveDate,
) -> String {
    let action = match action {
        Action::Subscribe => "subscribe",
        Action::Unsubscribe => "unsubscribe",
    };
    let mut hash = Sha256::new();
    for part in [
        "psma-calendar/v1",
        &user.0.to_string(),
        service.as_str(),
        action,
        &interval_start.to_string(),
    ] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    let digest = hash.finalize();
    format!("{}@psma", hex::encode(&digest[..16]))
}

/// Every event of `plan` as a calendar entry of `user`'s feed, in the plan's order, each
/// service named by `name`. An
/// unsubscribe event belongs to the latest subscribe event of its service before it (the
/// planner emits them in pairs); one without (never planned) counts as its own interval.
#[must_use]
pub fn calendar_entries(
    user: UserId,
    plan: &Plan,
    name: impl Fn(&ServiceId) -> String,
) -> Vec<CalendarEntry> {
    let mut open: BTreeMap<&ServiceId, NaiveDate> = BTreeMap::new();
    plan.events
        .iter()
        .map(|event| {
            let interval_start = match event.action {
                Action::Subscribe => {
                    open.insert(&event.service_id, event.date);
                    event.date
                }
                Action::Unsubscribe => open.remove(&event.service_id).unwrap_or(event.date),
            };
            CalendarEntry {
                uid: calendar_uid(user, &event.service_id, event.action, interval_start),
                interval_start,
                tentative: event.contested || !event.assumptions.is_empty(),
                service_name: name(&event.service_id),
                event: event.clone(),
            }
        })
        .collect()
}
