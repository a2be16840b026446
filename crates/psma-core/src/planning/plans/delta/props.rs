//! Properties of the delta over generated plans: deterministic, empty against itself, and
//! every event of both plans accounted for exactly once.

use super::tests::{ev, with_events};
use super::*;
use proptest::prelude::*;

const SERVICES: [&str; 3] = ["hulu", "max", "netflix"];

fn event() -> impl Strategy<Value = PlanEvent> {
    (
        any::<bool>(),
        0..SERVICES.len(),
        0_i64..40,
        proptest::collection::btree_set(1_u128..6, 0..3),
    )
        .prop_map(|(subscribe, service, day, shows)| {
            let action = if subscribe {
                Action::Subscribe
            } else {
                Action::Unsubscribe
            };
            let shows: Vec<u128> = shows.into_iter().collect();
            ev(action, SERVICES[service], day, &shows)
        })
}

fn plan() -> impl Strategy<Value = Plan> {
    (proptest::collection::vec(event(), 0..12), 0_u32..100).prop_map(|(events, days)| {
        let mut plan = with_events(events);
        plan.totals.subscribed_days = days;
        plan
    })
}

/// (day, service, action) of every event, sorted: a multiset of steps.
fn keys(
    events: impl Iterator<Item = (NaiveDate, ServiceId, Action)>,
) -> Vec<(NaiveDate, ServiceId, Action)> {
    let mut keys: Vec<_> = events.collect();
    keys.sort();
    keys
}

proptest! {
    #[test]
    fn the_same_plans_give_the_same_delta(before in plan(), after in plan()) {
        let a = serde_json::to_vec(&delta(Some(&before), &after)).unwrap_or_default();
        let b = serde_json::to_vec(&delta(Some(&before.clone()), &after.clone())).unwrap_or_default();
        prop_assert!(!a.is_empty());
        prop_assert_eq!(a, b);
    }

    #[test]
    fn a_plan_against_itself_is_empty(p in plan()) {
        let delta = delta(Some(&p), &p);
        prop_assert!(delta.is_empty(), "{:#?}", delta);
        prop_assert_eq!(delta.unchanged.len(), p.events.len());
    }

    #[test]
    fn every_event_of_both_plans_is_accounted_for_once(before in plan(), after in plan()) {
        let delta = delta(Some(&before), &after);
        let unchanged = || delta.unchanged.iter().map(|u| (u.date, u.service_id.clone(), u.action));
        let new = keys(
            delta.added.iter().map(|e| (e.date, e.service_id.clone(), e.action))
                .chain(delta.moved.iter().map(|m| (m.to, m.service_id.clone(), m.action)))
                .chain(unchanged()),
        );
        prop_assert_eq!(new, keys(after.events.iter().map(|e| (e.date, e.service_id.clone(), e.action))));
        let old = keys(
            delta.removed.iter().map(|e| (e.date, e.service_id.clone(), e.action))
                .chain(delta.moved.iter().map(|m| (m.from, m.service_id.clone(), m.action)))
                .chain(unchanged()),
        );
        prop_assert_eq!(old, keys(before.events.iter().map(|e| (e.date, e.service_id.clone(), e.action))));
        for moved in &delta.moved {
            prop_assert!(moved.from != moved.to);
            prop_assert!(moved.show_ids.iter().any(|s| moved.previous_show_ids.contains(s)), "a moved step keeps a show");
        }
    }

    #[test]
    fn a_first_plan_adds_every_event(p in plan()) {
        let delta = delta(None, &p);
        prop_assert_eq!(delta.added.len(), p.events.len());
        prop_assert!(delta.removed.is_empty() && delta.moved.is_empty() && delta.unchanged.is_empty());
    }
}
