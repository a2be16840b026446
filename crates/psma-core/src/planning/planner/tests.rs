//! One test per rule of the planner.

use super::*;
use crate::catalog::conflict::ConflictId;
use crate::planning::profile::WatchMode::{self, AsAired, BingeAfterSeason};
use crate::testing::plan_world::*;
use uuid::Uuid;

fn dates(p: &Plan) -> Vec<(Action, &str, chrono::NaiveDate)> {
    p.events
        .iter()
        .map(|e| (e.action, e.service_id.as_str(), e.date))
        .collect()
}

#[test]
fn one_show_on_one_service_is_subscribed_for_its_window_plus_the_buffer() {
    let w = World {
        selections: vec![sel(1, AsAired, 0)],
        assessments: vec![av(1, "netflix", Some(-10), Some(20))],
        services: vec![my("netflix", false, Some(0))],
        ..World::default()
    };
    let p = w.plan();
    use Action::*;
    assert_eq!(
        dates(&p),
        [
            (Subscribe, "netflix", d(0)),
            (Unsubscribe, "netflix", d(21))
        ]
    );
    assert_eq!(p.totals.subscribed_days, 21);
    assert!(
        p.events[0]
            .reason_codes
            .contains(&PlanReason::AvailabilityWindow)
    );
    assert!(p.events[1].reason_codes.contains(&PlanReason::Buffer));
    assert!(p.search.optimal);
    assert!(p.questions.is_empty() && p.blocked.is_empty());
}

#[test]
fn two_overlapping_shows_on_one_service_share_one_merged_subscription() {
    let w = World {
        selections: vec![sel(1, AsAired, 0), sel(2, AsAired, 0)],
        assessments: vec![
            av(1, "apple-tv-plus", Some(-10), Some(20)),
            av(2, "apple-tv-plus", Some(10), Some(40)),
        ],
        ..World::default()
    }
    .title(1, "Severance")
    .title(2, "The Bear");
    let p = w.plan();
    use Action::*;
    assert_eq!(
        dates(&p),
        [
            (Subscribe, "apple-tv-plus", d(0)),
            (Unsubscribe, "apple-tv-plus", d(41))
        ]
    );
    assert_eq!(p.events[0].show_ids, [show(1), show(2)]);
    assert!(p.events[0].reason_codes.contains(&PlanReason::Merged));
    assert!(
        p.events[0].rationale.contains("Severance and The Bear"),
        "{}",
        p.events[0].rationale
    );
    assert_eq!(p.totals.subscribed_days, 41);
    assert_eq!(p.totals.naive_subscribed_days, 21 + 31);
}

#[test]
fn an_unknown_end_assumes_the_default_horizon_and_asks_a_stable_question() {
    let w = World {
        selections: vec![sel(1, AsAired, 0)],
        assessments: vec![av(1, "netflix", Some(-5), None)],
        services: vec![my("netflix", false, Some(0))],
        ..World::default()
    };
    let p = w.plan();
    assert_eq!(p.events[1].date, d(30));
    assert!(p.events[0].reason_codes.contains(&PlanReason::UnknownEnd));
    assert!(p.events[0].assumptions[0].contains("assumed needed until"));
    let id = format!("show:{}:end_date", show(1));
    assert_eq!(p.questions.len(), 1);
    assert_eq!(p.questions[0].id, id);
    assert_eq!(w.plan().questions[0].id, id, "the same id every time");
}

#[test]
fn an_event_resting_on_a_contested_assessment_is_marked_with_its_conflict() {
    let w = World {
        selections: vec![sel(1, AsAired, 0)],
        assessments: vec![contested(av(1, "netflix", Some(-5), Some(9)), 77)],
        ..World::default()
    };
    let p = w.plan();
    for e in &p.events {
        assert!(e.contested);
        assert_eq!(e.conflict_ids, [ConflictId(Uuid::from_u128(77))]);
        assert!(e.reason_codes.contains(&PlanReason::Contested));
    }
}

#[test]
fn a_permanent_service_covers_its_shows_without_events() {
    let w = World {
        selections: vec![sel(1, AsAired, 0)],
        services: vec![my("netflix", true, None)],
        assessments: vec![
            av(1, "max", Some(-5), Some(9)),
            av(1, "netflix", Some(-5), Some(9)),
        ],
        ..World::default()
    };
    let p = w.plan();
    assert!(p.events.is_empty());
    assert_eq!(p.covered.len(), 1);
    assert_eq!(p.covered[0].service_id.as_str(), "netflix");
    assert!(p.covered[0].rationale.contains("keep anyway"));
}

#[test]
fn choosing_the_shared_service_for_a_show_on_two_saves_days_across_the_plan() {
    let mut preferred = av(1, "netflix", Some(0), Some(20));
    preferred.confidence = 0.95;
    let w = World {
        selections: vec![sel(1, AsAired, 0), sel(2, AsAired, 0)],
        assessments: vec![
            preferred,
            av(1, "max", Some(0), Some(20)),
            av(2, "max", Some(0), Some(20)),
        ],
        ..World::default()
    };
    let p = w.plan();
    assert!(p.events.iter().all(|e| e.service_id.as_str() == "max"));
    assert_eq!(p.events.len(), 2);
    assert_eq!(p.totals.subscribed_days, 21);
    assert_eq!(p.totals.naive_subscribed_days, 42);
    let alt = &p.events[0].alternatives;
    assert_eq!(alt.len(), 1);
    assert_eq!(alt[0].service_id.as_str(), "netflix");
    assert_eq!(alt[0].lost_because, LostBecause::MoreDays);
    assert!(
        alt[0].detail.contains("21 subscribed days"),
        "{}",
        alt[0].detail
    );
}

#[test]
fn a_blocked_show_leaves_a_partial_plan_and_a_question_with_a_stable_id() {
    let w = World {
        selections: vec![sel(1, AsAired, 0), sel(2, AsAired, 0), sel(3, AsAired, 0)],
        assessments: vec![
            av(1, "netflix", Some(0), Some(20)),
            unsure(av(3, "max", Some(0), Some(20))),
        ],
        services: vec![my("netflix", false, Some(0))],
        ..World::default()
    };
    let p = w.plan();
    assert_eq!(p.events.len(), 2);
    let blocked: Vec<_> = p.blocked.iter().map(|b| (b.show_id, b.reason)).collect();
    assert_eq!(
        blocked,
        [
            (show(2), BlockReason::NoCandidate),
            (show(3), BlockReason::BelowMinConfidence)
        ]
    );
    let ids: Vec<_> = p.questions.iter().map(|q| q.id.clone()).collect();
    assert_eq!(
        ids,
        [
            format!("show:{}:service", show(2)),
            format!("show:{}:service", show(3))
        ]
    );
    assert_eq!(p.blocked[0].question_id.as_deref(), Some(ids[0].as_str()));
}

#[test]
fn an_as_aired_show_follows_its_episode_schedule() {
    let w = World {
        selections: vec![sel(1, AsAired, 0)],
        assessments: vec![av(1, "netflix", Some(-100), None)],
        episodes: vec![
            ep(1, 1, 1, Some(7)),
            ep(1, 1, 2, Some(14)),
            ep(1, 1, 3, Some(21)),
        ],
        services: vec![my("netflix", false, Some(0))],
        ..World::default()
    };
    let p = w.plan();
    assert_eq!(p.events[0].date, d(7));
    assert_eq!(p.events[1].date, d(22));
    assert!(p.events[0].reason_codes.contains(&PlanReason::AsAired));
    assert!(p.questions.is_empty());
}

#[test]
fn a_binge_starts_when_the_last_episode_has_aired_and_lasts_binge_days() {
    let w = World {
        selections: vec![sel(1, BingeAfterSeason, 10)],
        assessments: vec![av(1, "netflix", Some(-100), None)],
        episodes: vec![
            ep(1, 1, 1, Some(7)),
            ep(1, 1, 2, Some(14)),
            ep(1, 1, 3, Some(21)),
        ],
        ..World::default()
    };
    let p = w.plan();
    assert_eq!(p.events[0].date, d(21));
    assert_eq!(p.events[1].date, d(31));
    assert!(
        p.events[0]
            .reason_codes
            .contains(&PlanReason::BingeAfterSeason)
    );
}

#[test]
fn with_comparable_prices_the_plan_minimises_cost() {
    let mut preferred = av(1, "netflix", Some(0), Some(20));
    preferred.confidence = 0.95;
    let w = World {
        selections: vec![sel(1, AsAired, 0)],
        assessments: vec![preferred, av(1, "max", Some(0), Some(20))],
        prices: [
            (sid("netflix"), price("20.00", Some(30))),
            (sid("max"), price("10.00", Some(30))),
        ]
        .into(),
        ..World::default()
    };
    let p = w.plan();
    assert_eq!(p.search.objective, Objective::Cost);
    assert_eq!(p.events[0].service_id.as_str(), "max");
    assert_eq!(p.totals.cost[&"USD".parse().unwrap()].as_str(), "10.00");
    assert_eq!(
        p.events[0].alternatives[0].lost_because,
        LostBecause::HigherCost
    );
}

#[test]
fn equal_services_are_told_apart_by_confidence() {
    let mut preferred = av(1, "netflix", Some(0), Some(20));
    preferred.confidence = 0.95;
    let w = World {
        selections: vec![sel(1, AsAired, 0)],
        assessments: vec![av(1, "max", Some(0), Some(20)), preferred],
        ..World::default()
    };
    let p = w.plan();
    assert_eq!(p.search.objective, Objective::Days);
    assert_eq!(p.events[0].service_id.as_str(), "netflix");
    let alt = &p.events[0].alternatives[0];
    assert_eq!(alt.lost_because, LostBecause::LowerConfidence);
}

#[test]
fn a_flexible_binge_moves_to_share_a_paid_billing_cycle() {
    let w = World {
        selections: vec![sel(1, BingeAfterSeason, 14), sel(2, AsAired, 0)],
        assessments: vec![
            av(1, "netflix", Some(-10), None),
            av(2, "netflix", Some(20), Some(40)),
        ],
        prices: [(sid("netflix"), price("10.00", Some(30)))].into(),
        ..World::default()
    };
    let p = w.plan();
    use Action::*;
    assert_eq!(
        dates(&p),
        [
            (Subscribe, "netflix", d(14)),
            (Unsubscribe, "netflix", d(41))
        ]
    );
    assert!(p.events[0].reason_codes.contains(&PlanReason::CyclePacked));
    assert_eq!(p.totals.unpacked_subscribed_days, 35);
    assert_eq!(p.totals.subscribed_days, 27);
    let usd = "USD".parse().unwrap();
    assert_eq!(p.totals.unpacked_cost[&usd].as_str(), "20.00");
    assert_eq!(p.totals.cost[&usd].as_str(), "10.00");
}

#[test]
fn a_minimum_contract_holds_the_unsubscribe_day() {
    let w = World {
        selections: vec![sel(1, AsAired, 0)],
        services: vec![my("netflix", false, Some(30))],
        assessments: vec![av(1, "netflix", Some(-10), Some(5))],
        ..World::default()
    };
    let p = w.plan();
    assert_eq!(p.events[1].date, d(30));
    assert!(p.events[1].reason_codes.contains(&PlanReason::MinContract));
}

#[test]
fn a_show_needed_only_after_the_horizon_is_left_out_and_says_so() {
    let mut w = World {
        selections: vec![sel(1, AsAired, 0)],
        assessments: vec![av(1, "netflix", Some(60), None)],
        ..World::default()
    };
    w.settings.horizon_days = 30;
    let p = w.plan();
    assert!(p.events.is_empty());
    assert_eq!(p.blocked[0].reason, BlockReason::BeyondHorizon);
    assert_eq!(p.blocked[0].question_id, None);
}

#[test]
fn a_window_that_ends_early_cuts_the_interval() {
    let w = World {
        selections: vec![sel(1, AsAired, 0)],
        assessments: vec![av(1, "netflix", Some(-100), Some(10))],
        episodes: vec![ep(1, 1, 1, Some(7)), ep(1, 1, 2, Some(14))],
        ..World::default()
    };
    let p = w.plan();
    assert_eq!(p.events[1].date, d(11));
    assert!(p.events[0].reason_codes.contains(&PlanReason::WindowEnds));
}

#[test]
fn a_planned_service_without_a_known_minimum_contract_asks_for_it() {
    let w = World {
        selections: vec![sel(1, AsAired, 0)],
        assessments: vec![av(1, "netflix", Some(-10), Some(20))],
        ..World::default()
    };
    let p = w.plan();
    assert_eq!(p.questions.len(), 1);
    assert_eq!(p.questions[0].id, "service:netflix:min_contract_days");
    assert_eq!(p.questions[0].service_id, Some(sid("netflix")));
}

/// Show 1 on netflix (no minimum contract), watched in `mode` and needed until `end`.
fn answered(mode: WatchMode, end: Option<i64>, episodes: Vec<EpisodeAir>) -> Plan {
    let mut s = sel(1, mode, 10);
    s.wish.end_date = end.map(d);
    World {
        selections: vec![s],
        assessments: vec![av(1, "netflix", Some(-100), None)],
        episodes,
        services: vec![my("netflix", false, Some(0))],
        ..World::default()
    }
    .plan()
}

fn assert_answered(p: &Plan, subscribe: i64, unsubscribe: i64) {
    use Action::*;
    assert_eq!(
        dates(p),
        [
            (Subscribe, "netflix", d(subscribe)),
            (Unsubscribe, "netflix", d(unsubscribe))
        ]
    );
    assert!(p.questions.is_empty(), "answered: {:?}", p.questions);
    for e in &p.events {
        assert!(!e.reason_codes.contains(&PlanReason::UnknownEnd), "{e:?}");
        assert!(
            !e.assumptions.iter().any(|a| a.contains("assumed")),
            "{e:?}"
        );
    }
}

#[test]
fn an_end_date_answers_the_question_for_a_show_without_a_schedule() {
    let unanswered = answered(AsAired, None, Vec::new());
    assert_eq!(
        unanswered.questions[0].id,
        format!("show:{}:end_date", show(1))
    );
    assert_eq!(unanswered.events[1].date, d(30));
    let p = answered(AsAired, Some(45), Vec::new());
    assert_answered(&p, 0, 46);
    assert!(
        p.events[0]
            .reason_codes
            .contains(&PlanReason::AvailabilityWindow)
    );
}

#[test]
fn an_end_date_answers_the_question_for_an_incomplete_schedule() {
    let episodes = || {
        vec![
            ep(1, 1, 1, Some(7)),
            ep(1, 1, 2, Some(14)),
            ep(1, 1, 3, None),
        ]
    };
    let unanswered = answered(AsAired, None, episodes());
    assert_eq!(
        unanswered.questions[0].id,
        format!("show:{}:end_date", show(1))
    );
    assert_answered(&answered(AsAired, Some(40), episodes()), 7, 41);
    // A day before the last known air day: the schedule still holds.
    assert_answered(&answered(AsAired, Some(10), episodes()), 7, 15);
}

#[test]
fn an_end_date_completes_a_season_to_binge() {
    let episodes = || {
        vec![
            ep(1, 1, 1, Some(7)),
            ep(1, 1, 2, Some(14)),
            ep(1, 1, 3, None),
        ]
    };
    let unanswered = answered(BingeAfterSeason, None, episodes());
    assert_eq!(
        unanswered.questions[0].id,
        format!("show:{}:end_date", show(1))
    );
    let p = answered(BingeAfterSeason, Some(30), episodes());
    assert_answered(&p, 30, 40);
    assert!(
        p.events[0]
            .reason_codes
            .contains(&PlanReason::BingeAfterSeason)
    );
}

#[test]
fn an_end_date_does_not_outlast_the_window_or_the_horizon() {
    let mut s = sel(1, AsAired, 0);
    s.wish.end_date = Some(d(90));
    let mut w = World {
        selections: vec![s],
        assessments: vec![av(1, "netflix", Some(-5), Some(20))],
        services: vec![my("netflix", false, Some(0))],
        ..World::default()
    };
    assert_eq!(w.plan().events[1].date, d(21), "the window's end wins");
    w.assessments = vec![av(1, "netflix", Some(-5), None)];
    w.settings.horizon_days = 60;
    let p = w.plan();
    assert_eq!(p.events[1].date, d(61));
    assert!(p.events[0].reason_codes.contains(&PlanReason::Horizon));
}
