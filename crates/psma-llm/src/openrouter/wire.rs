//! The chat-completions wire format: the request PSMA sends and the parts of the answer it
//! reads (OpenAI's shape, which OpenRouter and other compatible servers speak).

use psma_core::advice::llm::{LlmFailure, LlmFailureKind, LlmRequest, TokenUsage};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `POST /chat/completions`: the system prompt first, then the conversation; structured output
/// asked for with the request's schema, strictly.
#[derive(Debug, Serialize)]
pub(crate) struct ChatRequest<'a> {
    model: &'a str,
    messages: Vec<ChatMessage<'a>>,
    response_format: ResponseFormat<'a>,
}

#[derive(Debug, Serialize)]
struct ChatMessage<'a> {
    role: &'static str,
    content: &'a str,
}

#[derive(Debug, Serialize)]
struct ResponseFormat<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    json_schema: JsonSchemaFormat<'a>,
}

#[derive(Debug, Serialize)]
struct JsonSchemaFormat<'a> {
    name: &'a str,
    strict: bool,
    schema: &'a Value,
}

impl<'a> ChatRequest<'a> {
    pub(crate) fn new(model: &'a str, request: &'a LlmRequest) -> Self {
        let system = ChatMessage {
            role: "system",
            content: &request.system,
        };
        let turns = request.messages.iter().map(|m| ChatMessage {
            role: m.role.as_str(),
            content: &m.content,
        });
        Self {
            model,
            messages: std::iter::once(system).chain(turns).collect(),
            response_format: ResponseFormat {
                kind: "json_schema",
                json_schema: JsonSchemaFormat {
                    name: request.schema.name(),
                    strict: true,
                    schema: request.schema.schema(),
                },
            },
        }
    }
}

/// A chat-completions answer, only the fields PSMA reads.
#[derive(Debug, Deserialize)]
pub(crate) struct ChatResponse {
    #[serde(default)]
    pub(crate) model: Option<String>,
    #[serde(default)]
    pub(crate) choices: Vec<Choice>,
    #[serde(default)]
    pub(crate) usage: Option<Usage>,
    /// OpenRouter reports some failures (a provider's error mid-stream) in a 200's body.
    #[serde(default)]
    pub(crate) error: Option<ErrorBody>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Choice {
    #[serde(default)]
    pub(crate) message: Option<Message>,
    #[serde(default)]
    pub(crate) finish_reason: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Message {
    #[serde(default)]
    pub(crate) content: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Usage {
    #[serde(default)]
    pub(crate) prompt_tokens: Option<u64>,
    #[serde(default)]
    pub(crate) completion_tokens: Option<u64>,
}

impl Usage {
    /// The usage recorded, when the server reported both counts.
    pub(crate) fn tokens(&self) -> Option<TokenUsage> {
        Some(TokenUsage {
            prompt: self.prompt_tokens?,
            completion: self.completion_tokens?,
        })
    }
}

/// `{"error": {"code": 429, "message": "…"}}`: OpenAI's and OpenRouter's error object.
#[derive(Debug, Deserialize)]
pub(crate) struct ErrorBody {
    #[serde(default)]
    pub(crate) code: Option<Value>,
    #[serde(default)]
    pub(crate) message: Option<String>,
}

/// The body of a failed response, when it is the error object: `code …: message`.
pub(crate) fn error_message(body: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct Wrapper {
        error: ErrorBody,
    }
    let error = serde_json::from_slice::<Wrapper>(body).ok()?.error;
    Some(describe(&error))
}

pub(crate) fn describe(error: &ErrorBody) -> String {
    let message = error.message.as_deref().unwrap_or("(no message)");
    let message: String = message.chars().take(200).collect();
    match &error.code {
        Some(code) => format!("code {code}: {message}"),
        None => message,
    }
}

/// The model's content as JSON. A reply wrapped in a Markdown code fence (some models add one
/// even in JSON mode) is unwrapped first; the schema is checked afterwards either way.
pub(crate) fn parse_content(choice: Option<&Choice>) -> Result<Value, LlmFailure> {
    let invalid = |detail: String| LlmFailure::new(LlmFailureKind::InvalidJson, detail);
    let choice = choice.ok_or_else(|| invalid("the answer has no choices".to_owned()))?;
    let Some(content) = choice.message.as_ref().and_then(|m| m.content.as_deref()) else {
        return Err(invalid("the answer's message has no content".to_owned()));
    };
    let text = unfence(content.trim());
    serde_json::from_str(text).map_err(|e| {
        let finish = choice
            .finish_reason
            .as_deref()
            .map_or_else(String::new, |r| format!(" (finish_reason {r})"));
        invalid(format!("the content is not JSON: {e}{finish}"))
    })
}

fn unfence(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("```") else {
        return text;
    };
    let rest = rest.strip_prefix("json").unwrap_or(rest);
    rest.strip_suffix("```").unwrap_or(rest).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(content: Option<&str>) -> Choice {
        Choice {
            message: Some(Message {
                content: content.map(str::to_owned),
            }),
            finish_reason: Some("stop".to_owned()),
        }
    }

    #[test]
    fn fenced_json_is_unwrapped_and_prose_is_invalid() {
        let value = parse_content(Some(&choice(Some("```json\n{\"a\": 1}\n```")))).unwrap();
        assert_eq!(value["a"], 1);
        let failure = parse_content(Some(&choice(Some("Sure! Here it is.")))).unwrap_err();
        assert_eq!(failure.kind, LlmFailureKind::InvalidJson);
        assert!(failure.detail.contains("finish_reason stop"), "{failure}");
        let failure = parse_content(Some(&choice(None))).unwrap_err();
        assert_eq!(failure.kind, LlmFailureKind::InvalidJson);
        assert!(parse_content(None).is_err());
    }

    #[test]
    fn an_error_object_is_described_with_its_code() {
        let body = br#"{"error":{"code":402,"message":"Insufficient credits"}}"#;
        assert_eq!(
            error_message(body).unwrap(),
            "code 402: Insufficient credits"
        );
        assert!(error_message(b"<html>").is_none());
    }
}
