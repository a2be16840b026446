//! The advice loop with a language model: a local mock server speaking chat completions
//! (OpenRouter's shape) that answers well, badly, or not at all.

use super::support::{advice_audit, binge_advice, demo_app, post, watch_as_aired};
use crate::support::{Backend, TestApp};
use serde_json::{Value, json};
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// What the mock model does with the draft PSMA sends.
#[derive(Clone, Copy)]
enum Model {
    /// Rewords every summary ("In short: …") and keeps everything else: a founded answer.
    Rewords,
    /// Content that is not JSON.
    Babbles,
    /// JSON that breaks `advice.v1`.
    BreaksTheSchema,
    /// Cites a fact that does not exist.
    CitesTheUnknown,
    /// Refuses with this status (OpenRouter's error body).
    Refuses(u16),
    /// Answers well, after 3 s.
    Dawdles,
}

impl Respond for Model {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        assert_eq!(body["response_format"]["type"], "json_schema");
        assert_eq!(body["response_format"]["json_schema"]["name"], "advice_v1");
        assert_eq!(body["messages"][0]["role"], "system");
        let sent: Value =
            serde_json::from_str(body["messages"][1]["content"].as_str().unwrap()).unwrap();
        let mut draft = sent["draft"].clone();
        for r in draft["recommendations"].as_array_mut().unwrap() {
            r["summary"] = Value::String(format!("In short: {}", r["summary"].as_str().unwrap()));
        }
        let content = match self {
            Self::Refuses(status) => {
                return ResponseTemplate::new(*status).set_body_json(
                    json!({"error": {"message": "refused by the mock", "code": status}}),
                );
            }
            Self::Rewords | Self::Dawdles => draft.to_string(),
            Self::Babbles => "Sure! Here is my advice: binge it.".to_owned(),
            Self::BreaksTheSchema => {
                json!({"recommendations": "binge", "questions": []}).to_string()
            }
            Self::CitesTheUnknown => {
                for r in draft["recommendations"].as_array_mut().unwrap() {
                    r["based_on"] = json!(["fact:00000000-0000-7000-8000-00000000dead"]);
                }
                draft.to_string()
            }
        };
        let answer = ResponseTemplate::new(200).set_body_json(json!({
            "id": "gen-1764739200-kq2Xb9TQfZrD7uVwYpLm",
            "provider": "OpenAI",
            "model": "openai/gpt-4o-mini",
            "object": "chat.completion",
            "created": 1_764_739_200,
            "choices": [{
                "logprobs": null, "finish_reason": "stop", "native_finish_reason": "stop", "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": null, "reasoning": null}
            }],
            "usage": {"prompt_tokens": 412, "completion_tokens": 61, "total_tokens": 473}
        }));
        match self {
            Self::Dawdles => answer.set_delay(Duration::from_secs(3)),
            _ => answer,
        }
    }
}

/// The demo app with `[llm]` pointed at a mock server playing `model`.
async fn app_with(model: Model) -> (TestApp, MockServer) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/chat/completions"))
        .respond_with(model)
        .mount(&server)
        .await;
    let llm = json!({
        "adapter": "openrouter", "base_url": format!("{}/api/v1", server.uri()),
        "model": "openai/gpt-4o-mini", "api_key": "sk-or-test-key", "timeout": "1s", "max_retries": 0
    });
    let app = demo_app(Backend::Sqlite, |s| {
        s.llm = serde_json::from_value(llm).unwrap()
    })
    .await;
    (app, server)
}

#[tokio::test]
async fn a_model_that_answers_well_words_the_advice_and_what_it_cost_is_recorded() {
    let (app, server) = app_with(Model::Rewords).await;
    let id = watch_as_aired(&app, "Stranger Things").await;
    let item = binge_advice(&app, &id).await;
    let summary = item["recommendation"]["summary"].as_str().unwrap();
    assert!(
        summary.starts_with("In short: Watch Stranger Things after the season is out"),
        "{summary}"
    );
    let adviser = &item["adviser"];
    assert_eq!(adviser["adapter"], "openrouter");
    assert_eq!(adviser["model"], "openai/gpt-4o-mini");
    assert_eq!(adviser["profile"], "scheduler");
    assert_eq!(
        (
            adviser["prompt_tokens"].as_u64(),
            adviser["completion_tokens"].as_u64()
        ),
        (Some(412), Some(61))
    );
    assert_eq!(adviser["prompt_hash"].as_str().map(str::len), Some(64));
    assert!(adviser["fallback"].is_null());
    let sent = server.received_requests().await.unwrap();
    assert!(
        sent.iter()
            .all(|r| r.headers["authorization"] == "Bearer sk-or-test-key")
    );

    // The model's words, the rules' change: confirming applies it.
    let advice_id = item["id"].as_str().unwrap();
    let res = post(&app, &format!("/api/v1/advice/{advice_id}/confirm")).await;
    assert_eq!(res.status(), 200);
    let entries = app
        .get_json(&format!(
            "/api/v1/audit?resource=advice&resource_id={advice_id}"
        ))
        .await;
    let create = entries["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "advice.create")
        .unwrap();
    assert_eq!(create["after"]["adapter"], "openrouter");
    assert_eq!(create["after"]["model"], "openai/gpt-4o-mini");
    assert_eq!(create["after"]["prompt_hash"], adviser["prompt_hash"]);
    assert!(create["after"]["latency_ms"].is_u64());
    assert!(
        advice_audit(&app)
            .await
            .contains(&("advice.confirm".to_owned(), advice_id.to_owned()))
    );
}

#[tokio::test]
async fn every_failure_of_the_model_falls_back_to_the_offline_wording_and_is_counted() {
    for (model, kind) in [
        (Model::Babbles, "invalid_json"),
        (Model::BreaksTheSchema, "schema_violation"),
        (Model::CitesTheUnknown, "unfounded"),
        (Model::Refuses(401), "unauthorized"),
        (Model::Refuses(429), "rate_limited"),
        (Model::Refuses(500), "upstream"),
        (Model::Dawdles, "timeout"),
    ] {
        let (app, _server) = app_with(model).await;
        let id = watch_as_aired(&app, "Stranger Things").await;
        let item = binge_advice(&app, &id).await;
        let summary = item["recommendation"]["summary"].as_str().unwrap();
        assert!(
            summary.starts_with("Watch Stranger Things after the season is out: Netflix releases whole seasons at once"),
            "{kind}: {summary}"
        );
        assert_eq!(item["adviser"]["adapter"], "offline", "{kind}");
        assert_eq!(item["adviser"]["fallback"], kind);
        let metrics = app.get("/metrics").await.text().await.unwrap();
        assert!(
            metrics
                .lines()
                .any(|l| l.starts_with("psma_advice_fallbacks_total")
                    && l.contains(&format!("kind=\"{kind}\""))),
            "{kind} is counted"
        );
    }
}
