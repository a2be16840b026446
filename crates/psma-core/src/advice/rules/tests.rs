use super::fixtures::{Scene, behavior, claim, conflict, fact_id, the_bear};
use super::*;
use crate::catalog::conflict::ConflictStatus;
use crate::planning::profile::WatchMode::{AsAired, BingeAfterSeason};
use crate::testing::plan_world::{World, av, my, sel, show, today};
use psma_plugin_sdk::ReleasePattern;

fn only(found: &[Finding]) -> &FindingDetail {
    assert_eq!(found.len(), 1, "{found:#?}");
    &found[0].detail
}

#[test]
fn as_aired_on_a_service_releasing_whole_seasons_proposes_binging_with_the_planners_saving() {
    let mut scene = Scene::of(&the_bear(AsAired));
    scene.behaviors = vec![behavior(50, "hulu", ReleasePattern::AllAtOnce)];
    let found = findings(&scene.inputs(), today());
    let FindingDetail::BingeSaves(f) = only(&found) else {
        panic!("{found:#?}")
    };
    assert_eq!(f.title, "The Bear");
    assert_eq!(f.services[0].service_name, "Hulu");
    assert_eq!(f.services[0].reference, format!("fact:{}", fact_id(50)));
    assert_eq!((f.days_before, f.days_after, f.days_saved), (50, 7, 43));
    assert_eq!(
        f.cost_saved
            .values()
            .map(|d| d.as_str())
            .collect::<Vec<_>>(),
        ["9.99"]
    );
    assert_eq!(f.binge_days, 7);
    assert!(
        f.event_refs.iter().all(|r| r.starts_with("plan_event:")),
        "{:?}",
        f.event_refs
    );
}

#[test]
fn the_registry_is_the_sbkb_when_no_fact_says_otherwise() {
    let mut w = the_bear(AsAired);
    w.assessments = vec![av(1, "netflix", Some(-5), None)];
    let scene = Scene::of(&w);
    let found = findings(&scene.inputs(), today());
    let FindingDetail::BingeSaves(f) = only(&found) else {
        panic!("{found:#?}")
    };
    assert_eq!(f.services[0].reference, "sbkb:netflix");
    assert_eq!(f.services[0].source, "registry");
}

#[test]
fn no_binge_advice_for_weekly_services_binge_watchers_or_no_saving() {
    // Hulu is `mixed` in the registry: nothing to say.
    assert!(findings(&Scene::of(&the_bear(AsAired)).inputs(), today()).is_empty());
    // Already binging.
    let mut scene = Scene::of(&the_bear(BingeAfterSeason));
    scene.behaviors = vec![behavior(50, "hulu", ReleasePattern::AllAtOnce)];
    assert!(findings(&scene.inputs(), today()).is_empty());
    // A back catalogue with no schedule: binging saves nothing.
    let w = World {
        selections: vec![sel(1, AsAired, 7)],
        assessments: vec![av(1, "netflix", Some(-5), Some(3))],
        ..World::default()
    };
    assert!(findings(&Scene::of(&w).inputs(), today()).is_empty());
}

#[test]
fn an_open_conflict_on_a_selected_show_lists_the_facts_best_first_and_names_the_winner() {
    let mut scene = Scene::of(&the_bear(BingeAfterSeason));
    scene.conflicts = vec![conflict(
        7,
        ConflictStatus::Open,
        vec![
            claim(11, "tvmaze", 0.6, 28, "2027-01-10"),
            claim(12, "tmdb", 0.8, 25, "2027-03-01"),
        ],
    )];
    let found = findings(&scene.inputs(), today());
    let FindingDetail::OpenConflict(f) = only(&found) else {
        panic!("{found:#?}")
    };
    assert_eq!(f.winner, Some(fact_id(12)));
    let sources: Vec<_> = f
        .facts
        .iter()
        .map(|c| (c.source_id.as_str(), c.confidence))
        .collect();
    assert_eq!(sources, [("tmdb", 0.8), ("tvmaze", 0.6)]);
    assert_eq!(
        f.facts[1].says,
        "on hulu in US from 2026-11-01 until 2027-01-10"
    );
}

#[test]
fn a_tie_the_merge_policy_breaks_only_by_name_asks_instead_of_proposing() {
    let mut scene = Scene::of(&the_bear(BingeAfterSeason));
    let facts = vec![
        claim(11, "tvmaze", 0.7, 28, "2027-01-10"),
        claim(12, "tmdb", 0.7, 28, "2027-03-01"),
    ];
    scene.conflicts = vec![conflict(7, ConflictStatus::Open, facts)];
    let found = findings(&scene.inputs(), today());
    let FindingDetail::OpenConflict(f) = only(&found) else {
        panic!("{found:#?}")
    };
    assert_eq!(f.winner, None);
}

#[test]
fn resolved_conflicts_and_conflicts_about_other_shows_are_left_alone() {
    let mut scene = Scene::of(&the_bear(BingeAfterSeason));
    let facts = vec![
        claim(11, "tvmaze", 0.6, 28, "2027-01-10"),
        claim(12, "tmdb", 0.8, 25, "2027-03-01"),
    ];
    let mut elsewhere = conflict(8, ConflictStatus::Open, facts.clone());
    elsewhere.conflict.show_id = show(99);
    scene.conflicts = vec![conflict(7, ConflictStatus::Resolved, facts), elsewhere];
    assert!(findings(&scene.inputs(), today()).is_empty());
}

#[test]
fn an_unknown_end_that_keeps_a_subscription_open_becomes_a_question() {
    let w = World {
        selections: vec![sel(1, AsAired, 0)],
        assessments: vec![av(1, "max", Some(-5), None)],
        services: vec![my("max", false, Some(0))],
        ..World::default()
    }
    .title(1, "Severance");
    let scene = Scene::of(&w);
    let found = findings(&scene.inputs(), today());
    let FindingDetail::UnknownEnd(f) = only(&found) else {
        panic!("{found:#?}")
    };
    assert_eq!(f.question_id, format!("show:{}:end_date", show(1)));
    assert_eq!(f.assumed_days, 30);
    assert_eq!(f.subscriptions.len(), 1);
    assert_eq!(f.planned_until, Some(crate::testing::plan_world::d(30)));
    assert_eq!(f.event_refs.len(), 2);
}

#[test]
fn a_plan_delta_with_changes_is_explained_and_an_empty_one_is_not() {
    let before = the_bear(AsAired);
    let scene = Scene::of(&the_bear(BingeAfterSeason)).after(&before);
    let found = findings(&scene.inputs(), today());
    let FindingDetail::PlanChanged(f) = only(&found) else {
        panic!("{found:#?}")
    };
    assert_eq!(f.subscribed_days.change, -43);
    assert_eq!(f.added.len() + f.moved.len() + f.removed.len(), 2, "{f:#?}");
    let same = Scene::of(&before).after(&before);
    assert!(findings(&same.inputs(), today()).is_empty());
}

#[test]
fn fingerprints_follow_the_inputs_not_the_computed_numbers() {
    let mut scene = Scene::of(&the_bear(AsAired));
    scene.behaviors = vec![behavior(50, "hulu", ReleasePattern::AllAtOnce)];
    let first = findings(&scene.inputs(), today());
    assert_eq!(first[0].fingerprint.len(), 64);
    // A later day changes the saving, not the fingerprint.
    let later = findings(&scene.inputs(), crate::testing::plan_world::d(7));
    assert_eq!(first[0].fingerprint, later[0].fingerprint);
    // Another SBKB source is another input.
    scene.behaviors = vec![behavior(51, "hulu", ReleasePattern::AllAtOnce)];
    let other = findings(&scene.inputs(), today());
    assert_ne!(first[0].fingerprint, other[0].fingerprint);
}

#[test]
fn findings_are_ordered_by_rule() {
    let mut w = the_bear(AsAired);
    w.selections.push(sel(2, AsAired, 0));
    w.assessments.push(av(2, "max", Some(-5), None));
    let before = the_bear(BingeAfterSeason);
    let mut scene = Scene::of(&w).after(&before);
    scene.behaviors = vec![behavior(50, "hulu", ReleasePattern::AllAtOnce)];
    scene.conflicts = vec![conflict(
        7,
        ConflictStatus::Open,
        vec![
            claim(11, "tvmaze", 0.6, 28, "2027-01-10"),
            claim(12, "tmdb", 0.8, 25, "2027-03-01"),
        ],
    )];
    let rules: Vec<&str> = findings(&scene.inputs(), today())
        .iter()
        .map(|f| f.detail.rule())
        .collect();
    assert_eq!(
        rules,
        [
            "binge_saves",
            "open_conflict",
            "unknown_end",
            "plan_changed"
        ]
    );
}
