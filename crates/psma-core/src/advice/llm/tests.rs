use super::*;
use serde_json::json;
use std::sync::Arc;

fn schema() -> OutputSchema {
    OutputSchema::new(
        "answer_v1",
        json!({
            "type": "object",
            "properties": {
                "summary": {"type": "string"},
                "confidence": {"type": "number", "minimum": 0, "maximum": 1}
            },
            "required": ["summary", "confidence"],
            "additionalProperties": false
        }),
    )
    .unwrap()
}

/// A client that answers whatever it was given, unchecked: a careless adapter.
struct Careless(Value);

#[async_trait::async_trait]
impl LlmClient for Careless {
    fn adapter(&self) -> &str {
        "careless"
    }

    async fn complete(&self, _request: &LlmRequest) -> Result<LlmAnswer, LlmFailure> {
        Ok(LlmAnswer {
            value: self.0.clone(),
            meta: LlmMeta {
                adapter: "careless".to_owned(),
                model: "m".to_owned(),
                usage: None,
                latency: Duration::ZERO,
                attempts: 1,
            },
        })
    }
}

fn request() -> LlmRequest {
    LlmRequest {
        system: "answer".to_owned(),
        messages: vec![LlmMessage::user("hi")],
        schema: schema(),
    }
}

#[test]
fn an_answer_that_fits_the_schema_passes() {
    schema()
        .check(&json!({"summary": "binge it", "confidence": 0.8}))
        .unwrap();
}

#[test]
fn an_answer_that_breaks_the_schema_names_where() {
    let failure = schema()
        .check(&json!({"summary": "binge it", "confidence": 1.5}))
        .unwrap_err();
    assert_eq!(failure.kind, LlmFailureKind::SchemaViolation);
    assert!(failure.detail.contains("/confidence"), "{failure}");
    assert!(failure.detail.contains("answer_v1"), "{failure}");
}

#[test]
fn a_bad_schema_or_name_is_refused_when_built() {
    let err = OutputSchema::new("answer", json!({"type": "nonsense"})).unwrap_err();
    assert!(matches!(err, Error::Validation { ref field, .. } if field == "schema"));
    let err = OutputSchema::new("has spaces", json!({})).unwrap_err();
    assert!(matches!(err, Error::Validation { ref field, .. } if field == "schema.name"));
}

#[tokio::test]
async fn the_core_checks_what_a_careless_adapter_lets_through() {
    let client: Arc<dyn LlmClient> = Arc::new(Careless(json!({"summary": 3})));
    let failure = complete_checked(client.as_ref(), &request())
        .await
        .unwrap_err();
    assert_eq!(failure.kind, LlmFailureKind::SchemaViolation);

    let good = Careless(json!({"summary": "ok", "confidence": 0.5}));
    let answer = complete_checked(&good, &request()).await.unwrap();
    assert_eq!(answer.value["summary"], "ok");
}

#[test]
fn kinds_have_stable_names_and_become_unavailable_in_the_core_error() {
    let names: Vec<&str> = LlmFailureKind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "timeout",
            "rate_limited",
            "unauthorized",
            "upstream",
            "invalid_json",
            "schema_violation",
            "unavailable",
            "unfounded"
        ]
    );
    let err: Error = LlmFailure::new(LlmFailureKind::Timeout, "after 30s").into();
    assert!(matches!(err, Error::Unavailable(ref m) if m == "language model timeout: after 30s"));
}
