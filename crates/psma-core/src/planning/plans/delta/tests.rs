//! The delta of hand-made and planned plans.

use super::*;
use crate::planning::planner::Action::{Subscribe, Unsubscribe};
use crate::planning::profile::WatchMode;
use crate::testing::plan_world::{World, av, d, price, sel, show, sid};

/// An event on day `day` (from the worlds' today) for shows `shows`.
pub(super) fn ev(action: Action, service: &str, day: i64, shows: &[u128]) -> PlanEvent {
    PlanEvent {
        action,
        service_id: sid(service),
        date: d(day),
        show_ids: shows.iter().map(|n| show(*n)).collect(),
        rationale: String::new(),
        reason_codes: Vec::new(),
        assumptions: Vec::new(),
        contested: false,
        conflict_ids: Vec::new(),
        alternatives: Vec::new(),
    }
}

/// A plan of `events` (the worlds' empty plan, with its events replaced).
pub(super) fn with_events(events: Vec<PlanEvent>) -> Plan {
    let mut plan = World::default().plan();
    plan.events = events;
    plan
}

#[test]
fn a_first_plan_is_all_added() {
    let world = World {
        selections: vec![sel(1, WatchMode::BingeAfterSeason, 10)],
        assessments: vec![av(1, "max", Some(0), None)],
        prices: [(sid("max"), price("9.99", Some(30)))].into(),
        ..World::default()
    };
    let plan = world.plan();
    assert_eq!(plan.events.len(), 2, "{plan:#?}");
    let delta = delta(None, &plan);
    assert_eq!(delta.added, plan.events);
    assert!(delta.removed.is_empty() && delta.moved.is_empty() && delta.unchanged.is_empty());
    assert_eq!(
        delta.peak_concurrent_subscriptions,
        CountChange {
            before: 0,
            after: 1,
            change: 1
        }
    );
    assert_eq!(
        delta.subscribed_days,
        CountChange {
            before: 0,
            after: 10,
            change: 10
        }
    );
    let usd = &delta.cost[&"USD".parse().unwrap()];
    assert_eq!(
        (
            usd.before.as_ref(),
            usd.after.as_ref().map(Decimal::as_str),
            usd.change.as_str()
        ),
        (None, Some("9.99"), "9.99")
    );
}

#[test]
fn a_plan_against_itself_changes_nothing() {
    let plan = with_events(vec![
        ev(Subscribe, "max", 0, &[1]),
        ev(Unsubscribe, "max", 10, &[1]),
    ]);
    let delta = delta(Some(&plan), &plan);
    assert!(delta.is_empty(), "{delta:#?}");
    assert_eq!(delta.unchanged.len(), 2);
}

#[test]
fn a_window_that_moves_moves_the_events_of_its_subscription() {
    let before = World {
        selections: vec![sel(1, WatchMode::BingeAfterSeason, 10)],
        assessments: vec![av(1, "max", Some(5), None)],
        ..World::default()
    };
    let mut after = before.clone();
    after.assessments = vec![av(1, "max", Some(12), None)];
    let delta = delta(Some(&before.plan()), &after.plan());
    assert!(
        delta.added.is_empty() && delta.removed.is_empty(),
        "{delta:#?}"
    );
    let moved: Vec<_> = delta
        .moved
        .iter()
        .map(|m| (m.action, m.from, m.to, m.days))
        .collect();
    assert_eq!(
        moved,
        [(Subscribe, d(5), d(12), 7), (Unsubscribe, d(15), d(22), 7)]
    );
    assert_eq!(delta.subscribed_days.change, 0);
}

#[test]
fn events_of_other_shows_or_services_are_added_and_removed_not_moved() {
    let before = with_events(vec![
        ev(Subscribe, "max", 0, &[1]),
        ev(Unsubscribe, "max", 10, &[1]),
    ]);
    let after = with_events(vec![
        ev(Subscribe, "max", 3, &[2]),
        ev(Subscribe, "netflix", 0, &[1]),
        ev(Unsubscribe, "max", 10, &[2]),
        ev(Unsubscribe, "netflix", 10, &[1]),
    ]);
    let delta = delta(Some(&before), &after);
    assert_eq!(delta.removed, [ev(Subscribe, "max", 0, &[1])]);
    assert_eq!(
        delta.added,
        [
            ev(Subscribe, "netflix", 0, &[1]),
            ev(Subscribe, "max", 3, &[2]),
            ev(Unsubscribe, "netflix", 10, &[1])
        ],
        "in plan order"
    );
    assert_eq!(
        delta.unchanged,
        [EventRef {
            date: d(10),
            service_id: sid("max"),
            action: Unsubscribe
        }],
        "same day, same service: unchanged whatever its shows"
    );
    assert!(delta.moved.is_empty());
}

#[test]
fn a_moved_event_pairs_with_the_nearest_day_of_its_subscription() {
    // Show 1 and 2 had subscriptions of their own; now they share one starting on day 8.
    let before = with_events(vec![
        ev(Subscribe, "max", 0, &[1]),
        ev(Unsubscribe, "max", 5, &[1]),
        ev(Subscribe, "max", 20, &[2]),
        ev(Unsubscribe, "max", 30, &[2]),
    ]);
    let after = with_events(vec![
        ev(Subscribe, "max", 8, &[1, 2]),
        ev(Unsubscribe, "max", 30, &[1, 2]),
    ]);
    let delta = delta(Some(&before), &after);
    assert_eq!(delta.moved.len(), 1, "{delta:#?}");
    let moved = &delta.moved[0];
    assert_eq!(
        (
            moved.from,
            moved.to,
            moved.days,
            moved.previous_show_ids.clone()
        ),
        (d(0), d(8), 8, vec![show(1)]),
        "day 0 comes first and takes it"
    );
    assert_eq!(
        delta.removed,
        [
            ev(Unsubscribe, "max", 5, &[1]),
            ev(Subscribe, "max", 20, &[2])
        ]
    );
    assert_eq!(delta.unchanged.len(), 1);
    assert!(delta.added.is_empty());
}

#[test]
fn peak_concurrency_counts_services_on_the_same_day_only() {
    // max 0–10 and netflix 10–20 touch but never run together; hulu 5–15 overlaps both.
    let touching = with_events(vec![
        ev(Subscribe, "max", 0, &[1]),
        ev(Unsubscribe, "max", 10, &[1]),
        ev(Subscribe, "netflix", 10, &[2]),
        ev(Unsubscribe, "netflix", 20, &[2]),
    ]);
    let mut overlapping = touching.clone();
    overlapping.events.push(ev(Subscribe, "hulu", 5, &[3]));
    overlapping.events.push(ev(Unsubscribe, "hulu", 15, &[3]));
    let delta = delta(Some(&touching), &overlapping);
    assert_eq!(
        delta.peak_concurrent_subscriptions,
        CountChange {
            before: 1,
            after: 2,
            change: 1
        }
    );
}

#[test]
fn costs_compare_per_currency_with_a_signed_change() {
    let mut before = with_events(Vec::new());
    let mut after = before.clone();
    before.totals.cost = [("USD".parse().unwrap(), Decimal::parse("20.5").unwrap())].into();
    after.totals.cost = [
        ("EUR".parse().unwrap(), Decimal::parse("3").unwrap()),
        ("USD".parse().unwrap(), Decimal::parse("8.1234").unwrap()),
    ]
    .into();
    let delta = delta(Some(&before), &after);
    let changes: Vec<_> = delta
        .cost
        .iter()
        .map(|(c, v)| (c.as_str().to_owned(), v.change.clone()))
        .collect();
    assert_eq!(
        changes,
        [
            ("EUR".to_owned(), "3.00".to_owned()),
            ("USD".to_owned(), "-12.3766".to_owned())
        ]
    );
    assert_eq!(delta.cost[&"EUR".parse().unwrap()].before, None);
}
