//! The pure parts of reminders: tokens, UIDs, tentative marks, the upcoming window.

use super::upcoming::window_end;
use super::*;
use crate::planning::planner::{Action, Plan};
use crate::planning::profile::WatchMode::AsAired;
use crate::tenancy::{TenantId, UserId};
use crate::testing::plan_world::*;
use uuid::Uuid;

fn user() -> UserId {
    UserId(Uuid::from_u128(0xabc))
}

fn name(service: &psma_plugin_sdk::text::ServiceId) -> String {
    service.as_str().to_uppercase()
}

fn token() -> CalendarToken {
    CalendarToken::new(TenantId(Uuid::from_u128(0x1234)), [7; 32])
}

/// Netflix for show 1 from day 0 to day 21 (window to day 20, one day's buffer).
fn netflix_until(until: i64) -> Plan {
    World {
        selections: vec![sel(1, AsAired, 0)],
        assessments: vec![av(1, "netflix", Some(-10), Some(until))],
        services: vec![my("netflix", false, Some(0))],
        ..World::default()
    }
    .plan()
}

#[test]
fn a_token_reads_back_as_written_and_carries_its_tenant() {
    let text = token().to_string();
    assert_eq!(text.len(), 32 + 1 + 64);
    assert!(text.starts_with("00000000000000000000000000001234_"));
    let back = CalendarToken::parse(&text);
    assert_eq!(back.as_ref(), Some(&token()));
    assert_eq!(back.map(|t| t.tenant_id()), Some(token().tenant_id()));
}

#[test]
fn malformed_tokens_are_refused() {
    let good = CalendarToken::new(TenantId(Uuid::from_u128(0xabcd)), [0xab; 32]).to_string();
    assert!(CalendarToken::parse(&good).is_some());
    for bad in [
        String::new(),
        good.replace('_', "-"),
        good.to_uppercase(),
        format!("{good}0"),
        good[1..].to_owned(),
        good.replacen('b', "g", 1),
    ] {
        assert_eq!(CalendarToken::parse(&bad), None, "{bad}");
    }
}

#[test]
fn a_token_never_shows_its_secret_in_debug_output() {
    let debug = format!("{:?}", token());
    assert!(!debug.contains("0707"), "{debug}");
    assert!(debug.contains("<hidden>"));
}

#[test]
fn only_the_same_secret_matches_a_stored_hash() {
    let stored = TokenHash::from_hex(&token().hash().to_hex());
    assert_eq!(stored.as_ref().ok(), Some(&token().hash()));
    let other = CalendarToken::new(token().tenant_id(), [8; 32]);
    assert!(token().hash().matches(&token().hash()));
    assert!(!other.hash().matches(&token().hash()));
    assert!(TokenHash::from_hex("zz").is_err());
}

#[test]
fn events_of_one_subscription_keep_their_uids_when_its_cancel_day_moves() {
    let first = calendar_entries(user(), &netflix_until(20), name);
    let moved = calendar_entries(user(), &netflix_until(30), name);
    assert_eq!(first.len(), 2);
    assert_ne!(first[1].event.date, moved[1].event.date);
    let uids = |e: &[CalendarEntry]| e.iter().map(|e| e.uid.clone()).collect::<Vec<_>>();
    assert_eq!(uids(&first), uids(&moved));
    assert_ne!(first[0].uid, first[1].uid);
    assert_eq!(first[1].interval_start, first[0].event.date);
    assert!(first[0].uid.ends_with("@psma"));
    assert_eq!(first[0].service_name, "NETFLIX");
}

#[test]
fn uids_differ_by_user_service_action_and_interval() {
    let base = calendar_uid(user(), &sid("netflix"), Action::Subscribe, d(0));
    for other in [
        calendar_uid(
            UserId(Uuid::from_u128(1)),
            &sid("netflix"),
            Action::Subscribe,
            d(0),
        ),
        calendar_uid(user(), &sid("max"), Action::Subscribe, d(0)),
        calendar_uid(user(), &sid("netflix"), Action::Unsubscribe, d(0)),
        calendar_uid(user(), &sid("netflix"), Action::Subscribe, d(1)),
    ] {
        assert_ne!(base, other);
    }
    assert_eq!(
        base,
        calendar_uid(user(), &sid("netflix"), Action::Subscribe, d(0))
    );
}

#[test]
fn contested_and_assumed_events_are_tentative_and_others_confirmed() {
    let sure = calendar_entries(user(), &netflix_until(20), name);
    assert!(sure.iter().all(|e| !e.tentative));
    let contested_plan = World {
        selections: vec![sel(1, AsAired, 0)],
        assessments: vec![contested(av(1, "netflix", Some(-10), Some(20)), 9)],
        services: vec![my("netflix", false, Some(0))],
        ..World::default()
    }
    .plan();
    let entries = calendar_entries(user(), &contested_plan, name);
    assert!(!entries.is_empty() && entries.iter().all(|e| e.tentative));
    // An open window: the end is assumed.
    let open = World {
        selections: vec![sel(1, AsAired, 0)],
        assessments: vec![av(1, "netflix", Some(-10), None)],
        services: vec![my("netflix", false, Some(0))],
        ..World::default()
    }
    .plan();
    let entries = calendar_entries(user(), &open, name);
    assert!(entries.iter().any(|e| e.tentative && !e.event.contested));
}

#[test]
fn the_upcoming_window_includes_both_ends_and_stops_at_the_limit() {
    let plan = netflix_until(20);
    let (all, more) = upcoming(&plan, d(0), d(21), 10);
    assert_eq!((all.len(), more), (2, false));
    let (first, more) = upcoming(&plan, d(0), d(21), 1);
    assert_eq!((first.len(), more), (1, true));
    assert_eq!(first[0].action, Action::Subscribe);
    let (later, _) = upcoming(&plan, d(1), d(30), 10);
    assert_eq!(later.len(), 1);
    assert_eq!(later[0].action, Action::Unsubscribe);
    let (none, _) = upcoming(&plan, d(0), d(20), 10);
    assert_eq!(none.len(), 1);
    assert_eq!(window_end(d(0), 1), d(0));
    assert_eq!(window_end(d(0), 30), d(29));
}

#[test]
fn upcoming_queries_out_of_bounds_name_their_parameter() {
    assert!(UpcomingQuery::default().check().is_ok());
    for (query, field) in [
        (
            UpcomingQuery {
                days: 0,
                ..UpcomingQuery::default()
            },
            "days",
        ),
        (
            UpcomingQuery {
                days: MAX_DAYS + 1,
                ..UpcomingQuery::default()
            },
            "days",
        ),
        (
            UpcomingQuery {
                limit: 0,
                ..UpcomingQuery::default()
            },
            "limit",
        ),
        (
            UpcomingQuery {
                limit: MAX_LIMIT + 1,
                ..UpcomingQuery::default()
            },
            "limit",
        ),
    ] {
        match query.check() {
            Err(crate::Error::Validation { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{query:?}: {other:?}"),
        }
    }
}
