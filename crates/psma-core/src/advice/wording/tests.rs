use super::*;
use crate::advice::contract::ProposedChange;
use crate::advice::llm::{LlmAnswer, LlmMeta, TokenUsage};
use crate::advice::rules::findings;
use crate::advice::rules::fixtures::{Scene, behavior, claim, conflict, the_bear};
use crate::catalog::conflict::ConflictStatus;
use crate::planning::profile::WatchMode::{AsAired, BingeAfterSeason};
use crate::testing::plan_world::today;
use futures_util::FutureExt;
use psma_plugin_sdk::ReleasePattern;
use serde_json::Value;
use std::sync::Mutex;
use std::time::Duration;

type Script = Box<dyn Fn(&AgentProfileName, Value) -> Result<Value, LlmFailure> + Send + Sync>;
type AgentProfileName = String;

/// A model that answers by a script over the profile (read from the prompt) and the draft it
/// was sent; it remembers what it was asked.
struct Scripted {
    script: Script,
    asked: Mutex<Vec<String>>,
}

impl Scripted {
    fn new(
        script: impl Fn(&AgentProfileName, Value) -> Result<Value, LlmFailure> + Send + Sync + 'static,
    ) -> Self {
        Self {
            script: Box::new(script),
            asked: Mutex::new(Vec::new()),
        }
    }
}

#[async_trait::async_trait]
impl LlmClient for Scripted {
    fn adapter(&self) -> &str {
        "scripted"
    }

    async fn complete(&self, request: &LlmRequest) -> Result<LlmAnswer, LlmFailure> {
        let profile = PROFILES
            .iter()
            .find(|p| p.prompt == request.system)
            .map(|p| p.name.to_owned())
            .unwrap_or_default();
        self.asked.lock().unwrap().push(profile.clone());
        let sent: Value = serde_json::from_str(&request.messages[0].content).unwrap();
        assert!(sent["findings"].is_array(), "the findings are sent");
        let value = (self.script)(&profile, sent["draft"].clone())?;
        Ok(LlmAnswer {
            value,
            meta: LlmMeta {
                adapter: "scripted".to_owned(),
                model: "test/model-1".to_owned(),
                usage: Some(TokenUsage {
                    prompt: 120,
                    completion: 80,
                }),
                latency: Duration::from_millis(42),
                attempts: 1,
            },
        })
    }
}

/// A binge saving and a plan change (scheduler), a settled conflict (researcher).
fn scene() -> Scene {
    let mut scene = Scene::of(&the_bear(AsAired)).after(&the_bear(BingeAfterSeason));
    scene.behaviors = vec![behavior(50, "hulu", ReleasePattern::AllAtOnce)];
    scene.conflicts = vec![conflict(
        7,
        ConflictStatus::Open,
        vec![
            claim(11, "tvmaze", 0.6, 28, "2027-01-10"),
            claim(12, "tmdb", 0.8, 25, "2027-03-01"),
        ],
    )];
    scene
}

fn word_with(client: Option<&dyn LlmClient>) -> Wording {
    let scene = scene();
    let found = findings(&scene.inputs(), today());
    word(&found, client).now_or_never().expect("no awaiting")
}

fn summaries(wording: &Wording) -> Vec<String> {
    wording
        .items
        .iter()
        .map(|w| match &w.content {
            AdviceContent::Recommendation(r) => r.summary.clone(),
            AdviceContent::Question(q) => q.prompt.clone(),
        })
        .collect()
}

#[test]
fn without_a_model_every_finding_keeps_the_offline_draft_in_the_rules_order() {
    let scene = scene();
    let found = findings(&scene.inputs(), today());
    let wording = word_with(None);
    assert_eq!(wording.items.len(), found.len());
    assert!(wording.fallbacks.is_empty());
    for (rank, item) in wording.items.iter().enumerate() {
        assert_eq!(item.rank as usize, rank);
        assert_eq!(
            item.origin,
            AdviceOrigin::offline(item.origin.profile.as_str(), None)
        );
        assert_eq!(item.content, draft(&item.finding));
    }
    let profiles: Vec<&str> = wording
        .items
        .iter()
        .map(|w| w.origin.profile.as_str())
        .collect();
    assert!(profiles.contains(&"scheduler") && profiles.contains(&"researcher"));
}

#[test]
fn a_founded_answer_rewords_and_reranks_and_records_what_it_cost() {
    let client = Scripted::new(|_, mut draft| {
        let recommendations = draft["recommendations"].as_array_mut().unwrap();
        recommendations.reverse();
        for r in recommendations.iter_mut() {
            let summary = format!("Reworded: {}", r["summary"].as_str().unwrap());
            r["summary"] = Value::String(summary);
        }
        draft["explanation"] = Value::String("Reworded advice.".to_owned());
        Ok(draft)
    });
    let offline = word_with(None);
    let wording = word_with(Some(&client));
    assert!(wording.fallbacks.is_empty(), "{:?}", wording.fallbacks);
    assert_eq!(*client.asked.lock().unwrap(), ["scheduler", "researcher"]);
    assert_eq!(wording.items.len(), offline.items.len());
    assert!(
        summaries(&wording)
            .iter()
            .all(|s| s.starts_with("Reworded: "))
    );
    // The scheduler's two recommendations come back in the model's (reversed) order.
    let rules: Vec<&str> = wording
        .items
        .iter()
        .map(|w| w.finding.detail.rule())
        .collect();
    assert_eq!(rules, ["plan_changed", "binge_saves", "open_conflict"]);
    let origin = &wording.items[0].origin;
    assert_eq!(origin.adapter, "scripted");
    assert_eq!(origin.model.as_deref(), Some("test/model-1"));
    assert_eq!(
        (
            origin.latency_ms,
            origin.prompt_tokens,
            origin.completion_tokens
        ),
        (42, Some(120), Some(80))
    );
    assert_eq!(origin.prompt_hash.as_ref().map(String::len), Some(64));
    assert_eq!(origin.fallback, None);
}

#[test]
fn an_answer_citing_what_does_not_exist_falls_back_to_the_draft() {
    let client = Scripted::new(|profile, mut draft| {
        if profile == "researcher" {
            draft["recommendations"][0]["based_on"] =
                serde_json::json!(["fact:00000000-0000-0000-0000-00000000dead"]);
        }
        Ok(draft)
    });
    let wording = word_with(Some(&client));
    assert_eq!(wording.fallbacks.len(), 1);
    assert_eq!(wording.fallbacks[0].profile, "researcher");
    assert_eq!(wording.fallbacks[0].failure.kind, LlmFailureKind::Unfounded);
    assert!(wording.fallbacks[0].failure.detail.contains("00000000dead"));
    let researched = wording
        .items
        .iter()
        .find(|w| w.origin.profile == "researcher")
        .unwrap();
    assert_eq!(researched.origin.adapter, "offline");
    assert_eq!(researched.origin.fallback.as_deref(), Some("unfounded"));
    assert_eq!(researched.content, draft(&researched.finding));
    let scheduled = wording
        .items
        .iter()
        .find(|w| w.origin.profile == "scheduler")
        .unwrap();
    assert_eq!(
        scheduled.origin.adapter, "scripted",
        "the other profile's answer stands"
    );
}

#[test]
fn an_answer_proposing_another_change_is_unfounded() {
    let client = Scripted::new(|profile, mut draft| {
        if profile == "scheduler" {
            for r in draft["recommendations"].as_array_mut().unwrap() {
                if r["proposed_change"]["kind"] == "set_watch_mode" {
                    r["proposed_change"]["binge_days"] = Value::from(3);
                }
            }
        }
        Ok(draft)
    });
    let wording = word_with(Some(&client));
    assert_eq!(wording.fallbacks.len(), 1);
    assert_eq!(wording.fallbacks[0].failure.kind, LlmFailureKind::Unfounded);
    let binge = wording
        .items
        .iter()
        .find(|w| w.finding.detail.rule() == "binge_saves")
        .unwrap();
    let AdviceContent::Recommendation(r) = &binge.content else {
        panic!()
    };
    assert!(matches!(
        r.proposed_change,
        ProposedChange::SetWatchMode { binge_days: 7, .. }
    ));
}

#[test]
fn an_answer_breaking_the_schema_or_a_failed_call_falls_back_by_kind() {
    let broken = Scripted::new(|_, _| Ok(serde_json::json!({"recommendations": "none"})));
    let wording = word_with(Some(&broken));
    assert!(
        wording
            .fallbacks
            .iter()
            .all(|f| f.failure.kind == LlmFailureKind::SchemaViolation)
    );
    assert_eq!(wording.fallbacks.len(), 2);
    assert_eq!(summaries(&wording), summaries(&word_with(None)));

    let timeout = Scripted::new(|_, _| Err(LlmFailure::new(LlmFailureKind::Timeout, "30 s")));
    let wording = word_with(Some(&timeout));
    assert!(
        wording
            .items
            .iter()
            .all(|w| w.origin.fallback.as_deref() == Some("timeout"))
    );
}

#[test]
fn a_finding_the_model_leaves_out_keeps_its_draft_ranked_last() {
    let client = Scripted::new(|profile, mut draft| {
        if profile == "scheduler" {
            draft["recommendations"].as_array_mut().unwrap().truncate(1);
        }
        Ok(draft)
    });
    let wording = word_with(Some(&client));
    assert!(wording.fallbacks.is_empty());
    let scheduled: Vec<&str> = wording
        .items
        .iter()
        .filter(|w| w.origin.profile == "scheduler")
        .map(|w| w.origin.adapter.as_str())
        .collect();
    assert_eq!(scheduled, ["scripted", "offline"]);
}
