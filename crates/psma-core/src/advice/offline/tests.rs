use super::*;
use crate::advice::contract::{ADVICE_SCHEMA_NAME, advice_schema};
use crate::advice::rules::findings;
use crate::advice::rules::fixtures::{Scene, behavior, claim, conflict, fact_id, the_bear};
use crate::catalog::conflict::ConflictStatus;
use crate::planning::profile::WatchMode::{AsAired, BingeAfterSeason};
use crate::testing::plan_world::{World, av, my, sel, show, today};
use psma_plugin_sdk::ReleasePattern;
use serde_json::Value;

/// The committed contract, as `psma contracts` wrote it.
const COMMITTED: &str = include_str!("../../../../../contracts/jsonschema/advice.v1.schema.json");

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(COMMITTED).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn assert_valid(advice: &Advice) {
    let document = serde_json::to_value(advice).unwrap();
    let errors: Vec<String> = validator()
        .iter_errors(&document)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{document:#}");
    let read: Advice = serde_json::from_value(document).unwrap();
    assert_eq!(&read, advice, "the types read back what they wrote");
}

/// Everything at once: a binge saving, a settled and an unsettled conflict, an unknown end and
/// a plan change.
fn busy_scene() -> Scene {
    let mut w = the_bear(AsAired);
    w.selections.push(sel(2, AsAired, 0));
    w.assessments.push(av(2, "max", Some(-5), None));
    w.services.push(my("max", false, Some(0)));
    let w = w.title(2, "Severance");
    let mut scene = Scene::of(&w).after(&the_bear(BingeAfterSeason));
    scene.behaviors = vec![behavior(50, "hulu", ReleasePattern::AllAtOnce)];
    scene.conflicts = vec![
        conflict(
            7,
            ConflictStatus::Open,
            vec![
                claim(11, "tvmaze", 0.6, 28, "2027-01-10"),
                claim(12, "tmdb", 0.8, 25, "2027-03-01"),
            ],
        ),
        conflict(
            8,
            ConflictStatus::Open,
            vec![
                claim(13, "tvmaze", 0.7, 28, "2027-01-10"),
                claim(14, "tmdb", 0.7, 28, "2027-03-01"),
            ],
        ),
    ];
    scene
}

#[test]
fn the_committed_contract_is_what_the_types_generate() {
    let generated = psma_plugin_sdk::contract::to_committed_text(&advice_schema());
    assert_eq!(COMMITTED, generated, "run `cargo xtask contracts`");
    assert!(COMMITTED.contains(&format!("urn:psma:schema:{ADVICE_SCHEMA_NAME}")));
}

#[test]
fn binging_is_worded_exactly_with_the_days_and_money_saved() {
    let mut scene = Scene::of(&the_bear(AsAired));
    scene.behaviors = vec![behavior(50, "hulu", ReleasePattern::AllAtOnce)];
    let advice = advise(&findings(&scene.inputs(), today()));
    assert_eq!(advice.recommendations.len(), 1);
    let r = &advice.recommendations[0];
    assert_eq!(
        r.summary,
        "Watch The Bear after the season is out: Hulu releases whole seasons at once; binging \
         saves 43 days and $9.99."
    );
    assert_eq!(r.kind, RecommendationType::PreferenceChange);
    assert_eq!(
        r.proposed_change,
        ProposedChange::SetWatchMode {
            show_id: show(1),
            watch_mode: WatchMode::BingeAfterSeason,
            binge_days: 7
        }
    );
    assert!(
        (r.confidence - 0.95).abs() < 1e-9,
        "the SBKB fact's confidence"
    );
    assert!(r.based_on.contains(&format!("fact:{}", fact_id(50))));
    assert!(
        r.details.contains("from 50 to 7 subscribed days"),
        "{}",
        r.details
    );
    assert_eq!(
        advice.explanation,
        "PSMA found 1 suggested change. Nothing changes until you confirm."
    );
    assert_valid(&advice);
}

#[test]
fn a_settled_conflict_proposes_the_winner_and_an_unsettled_one_asks() {
    let advice = advise(&findings(&busy_scene().inputs(), today()));
    let settled = advice
        .recommendations
        .iter()
        .find(|r| r.kind == RecommendationType::ConflictResolution)
        .unwrap();
    assert_eq!(
        settled.summary,
        "Sources disagree about The Bear on hulu: tmdb is the more reliable."
    );
    assert!(settled.details.contains("- tvmaze says on hulu in US from 2026-11-01 until 2027-01-10 (retrieved 2026-11-28, confidence 0.60;"), "{}", settled.details);
    let asked = advice
        .questions
        .iter()
        .find(|q| q.id.starts_with("conflict:"))
        .unwrap();
    assert_eq!(
        asked.prompt,
        "Which source is right about The Bear on hulu?"
    );
    assert_eq!(asked.options.len(), 2);
    assert_eq!(
        asked.answer_schema.choices.as_deref(),
        Some(asked.options.as_slice())
    );
}

#[test]
fn an_unknown_end_asks_for_a_date() {
    let w = World {
        selections: vec![sel(1, AsAired, 0)],
        assessments: vec![av(1, "max", Some(-5), None)],
        services: vec![my("max", false, Some(0))],
        ..World::default()
    }
    .title(1, "Severance");
    let advice = advise(&findings(&Scene::of(&w).inputs(), today()));
    let q = &advice.questions[0];
    assert_eq!(q.prompt, "When does the current season of Severance end?");
    assert_eq!(q.input_key, format!("show:{}:end_date", show(1)));
    assert_eq!(q.answer_schema, AnswerSchema::date());
    assert_eq!(
        q.why_needed,
        "No end date is known for Severance, so the plan assumes it is needed for 30 days on \
         max, keeping it subscribed until 2026-12-31. Its last air day could end the \
         subscription sooner."
    );
    assert_valid(&advice);
}

#[test]
fn a_plan_change_is_explained_with_its_events() {
    let scene = Scene::of(&the_bear(BingeAfterSeason)).after(&the_bear(AsAired));
    let advice = advise(&findings(&scene.inputs(), today()));
    let r = &advice.recommendations[0];
    assert_eq!(r.kind, RecommendationType::PlanExplanation);
    assert_eq!(r.proposed_change, ProposedChange::None);
    assert!(
        r.summary.ends_with("; 43 days fewer subscribed."),
        "{}",
        r.summary
    );
    assert_valid(&advice);
}

#[test]
fn every_offline_advice_validates_against_the_contract() {
    let advice = advise(&findings(&busy_scene().inputs(), today()));
    let kinds: Vec<_> = advice.recommendations.iter().map(|r| r.kind).collect();
    assert_eq!(
        kinds,
        [
            RecommendationType::PreferenceChange,
            RecommendationType::ConflictResolution,
            RecommendationType::PlanExplanation
        ]
    );
    assert_eq!(advice.questions.len(), 2);
    assert_valid(&advice);
    assert_valid(&advise(&[]));
}

#[test]
fn the_contract_refuses_out_of_range_confidence_and_unknown_references() {
    let mut advice = advise(&findings(&busy_scene().inputs(), today()));
    advice.recommendations[0].confidence = 1.5;
    let document = serde_json::to_value(&advice).unwrap();
    assert!(!validator().is_valid(&document));
    let mut advice = advise(&findings(&busy_scene().inputs(), today()));
    advice.recommendations[0].based_on = vec!["the internet".to_owned()];
    assert!(!validator().is_valid(&serde_json::to_value(&advice).unwrap()));
}
