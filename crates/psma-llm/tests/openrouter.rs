//! The `openrouter` adapter against a local mock of an OpenAI-compatible server, replaying
//! chat-completions answers in OpenRouter's shape from `tests/fixtures/`, and its failures.
#![expect(clippy::unwrap_used, reason = "test helpers fail the test loudly")]

use psma_core::advice::llm::{
    LlmClient, LlmFailure, LlmFailureKind, LlmMessage, LlmRequest, OutputSchema, TokenUsage,
};
use psma_llm::{ApiKey, OpenRouter, OpenRouterConfig};
use serde_json::{Value, json};
use std::time::Duration;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "openrouter/retries.rs"]
mod retries;

const KEY: &str = "sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab";
const ENDPOINT: &str = "/api/v1/chat/completions";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn answer(status: u16, name: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(fixture(name), "application/json")
}

fn schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "summary": {"type": "string", "minLength": 1},
            "details": {"type": "string"},
            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
            "based_on": {"type": "array", "items": {"type": "string"}}
        },
        "required": ["summary", "confidence", "based_on"],
        "additionalProperties": false
    })
}

fn request() -> LlmRequest {
    LlmRequest {
        system: "You are PSMA's scheduler. Word the finding; invent nothing.".to_owned(),
        messages: vec![
            LlmMessage::user("Finding: Severance, as_aired, all_at_once on apple_tv_plus."),
            LlmMessage::assistant("{\"summary\":\"…\"}"),
            LlmMessage::user("Shorter, please."),
        ],
        schema: OutputSchema::new("advice_v1", schema()).unwrap(),
    }
}

fn client(server: &MockServer, timeout: Duration, max_retries: u32) -> OpenRouter {
    OpenRouter::new(OpenRouterConfig {
        base_url: format!("{}/api/v1/", server.uri()),
        model: "openai/gpt-4o-mini".to_owned(),
        api_key: ApiKey::parse(KEY).unwrap(),
        timeout,
        max_retries,
    })
    .unwrap()
}

async fn server_answering(responses: Vec<ResponseTemplate>) -> MockServer {
    let server = MockServer::start().await;
    for response in responses {
        // Mounted in order, each used once; the first unused one answers.
        Mock::given(method("POST"))
            .and(path(ENDPOINT))
            .respond_with(response)
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    server
}

async fn fails(server: &MockServer, max_retries: u32) -> LlmFailure {
    client(server, Duration::from_secs(5), max_retries)
        .complete(&request())
        .await
        .unwrap_err()
}

async fn requests_seen(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn a_good_answer_is_returned_with_its_usage() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(ENDPOINT))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(answer(200, "chat-good.json"))
        .expect(1)
        .mount(&server)
        .await;
    let answer = client(&server, Duration::from_secs(5), 2)
        .complete(&request())
        .await
        .unwrap();
    assert_eq!(answer.value["confidence"], 0.82);
    assert_eq!(
        answer.value["based_on"][1],
        "sbkb:apple_tv_plus:release_pattern"
    );
    assert_eq!(answer.meta.adapter, "openrouter");
    assert_eq!(answer.meta.model, "openai/gpt-4o-mini");
    assert_eq!(
        answer.meta.usage,
        Some(TokenUsage {
            prompt: 412,
            completion: 61
        })
    );
    assert_eq!(answer.meta.attempts, 1);
}

#[tokio::test]
async fn the_request_asks_for_the_schema_strictly_with_the_bearer_key() {
    let server = server_answering(vec![answer(200, "chat-good.json")]).await;
    client(&server, Duration::from_secs(5), 0)
        .complete(&request())
        .await
        .unwrap();
    let seen = server.received_requests().await.unwrap();
    let sent = &seen[0];
    assert_eq!(
        sent.headers.get("authorization").unwrap().to_str().unwrap(),
        format!("Bearer {KEY}")
    );
    let body: Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(body["model"], "openai/gpt-4o-mini");
    let roles: Vec<&str> = body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["system", "user", "assistant", "user"]);
    assert_eq!(body["messages"][3]["content"], "Shorter, please.");
    let format = &body["response_format"];
    assert_eq!(format["type"], "json_schema");
    assert_eq!(format["json_schema"]["name"], "advice_v1");
    assert_eq!(format["json_schema"]["strict"], true);
    assert_eq!(format["json_schema"]["schema"], schema());
}

#[tokio::test]
async fn content_that_is_not_json_is_invalid_json() {
    let server = server_answering(vec![answer(200, "chat-not-json.json")]).await;
    let failure = fails(&server, 2).await;
    assert_eq!(failure.kind, LlmFailureKind::InvalidJson, "{failure}");
    assert_eq!(
        requests_seen(&server).await,
        1,
        "bad content is not asked again"
    );
}

#[tokio::test]
async fn json_that_breaks_the_schema_is_a_schema_violation_naming_where() {
    let server = server_answering(vec![answer(200, "chat-schema-violation.json")]).await;
    let failure = fails(&server, 2).await;
    assert_eq!(failure.kind, LlmFailureKind::SchemaViolation, "{failure}");
    assert!(failure.detail.contains("/confidence"), "{failure}");
    assert!(failure.detail.contains("/based_on"), "{failure}");
}

#[tokio::test]
async fn the_key_is_in_no_error_and_no_debug_output() {
    // A server that echoes the key back in its error message, as some proxies do.
    let echo = json!({"error": {"code": 401, "message": format!("Invalid key {KEY}")}});
    let server = server_answering(vec![
        ResponseTemplate::new(401).set_body_json(echo),
        answer(429, "error-429.json").insert_header("retry-after", "0"),
        answer(200, "chat-not-json.json"),
        answer(200, "chat-schema-violation.json"),
    ])
    .await;
    let client = client(&server, Duration::from_secs(5), 0);
    let mut failures = Vec::new();
    for _ in 0..4 {
        failures.push(client.complete(&request()).await.unwrap_err());
    }
    let kinds: Vec<LlmFailureKind> = failures.iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        [
            LlmFailureKind::Unauthorized,
            LlmFailureKind::RateLimited,
            LlmFailureKind::InvalidJson,
            LlmFailureKind::SchemaViolation
        ]
    );
    assert!(
        failures[0].detail.contains("Invalid key ***"),
        "{}",
        failures[0]
    );
    for failure in &failures {
        for shown in [failure.to_string(), format!("{failure:?}")] {
            assert!(!shown.contains(KEY), "{shown}");
        }
    }
    let debug = format!("{client:?}");
    assert!(!debug.contains(KEY), "{debug}");
    assert!(debug.contains("ApiKey(***)"), "{debug}");
}

#[test]
fn a_bad_configuration_names_its_field() {
    let config = |base_url: &str, model: &str, timeout: Duration| OpenRouterConfig {
        base_url: base_url.to_owned(),
        model: model.to_owned(),
        api_key: ApiKey::parse(KEY).unwrap(),
        timeout,
        max_retries: 2,
    };
    let second = Duration::from_secs(1);
    for (config, field) in [
        (config("openrouter.ai/api/v1", "m", second), "base_url"),
        (config("ftp://example.org", "m", second), "base_url"),
        (config("https://openrouter.ai/api/v1", " ", second), "model"),
        (
            config("https://openrouter.ai/api/v1", "m", Duration::ZERO),
            "timeout",
        ),
    ] {
        let err = OpenRouter::new(config).unwrap_err();
        assert!(
            matches!(&err, psma_core::Error::Validation { field: f, .. } if f == field),
            "{err}"
        );
    }
}
