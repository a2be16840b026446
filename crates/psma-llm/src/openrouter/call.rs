//! One request to the chat-completions endpoint, its answer read and checked, every failure
//! classified with whether (and when) it is worth asking again. No message built here carries
//! the key: foreign errors are stripped of their URL and scrubbed, server bodies scrubbed.

use super::OpenRouter;
use super::wire::{self, ChatRequest, ChatResponse};
use psma_core::advice::llm::{LlmFailure, LlmFailureKind, LlmRequest, TokenUsage};
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue, RETRY_AFTER};
use serde_json::Value;
use std::time::Duration;

/// Whether a failed attempt may be made again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Retry {
    /// Final: asking again would fail the same way (401, 400, bad content) or take too long.
    Never,
    /// Transient: ask again after the server's `Retry-After`, or after the backoff when `None`.
    After(Option<Duration>),
}

/// A failed attempt.
#[derive(Debug)]
pub(super) struct Failed {
    pub(super) failure: LlmFailure,
    pub(super) retry: Retry,
}

impl Failed {
    fn fatal(kind: LlmFailureKind, detail: String) -> Self {
        Self {
            failure: LlmFailure::new(kind, detail),
            retry: Retry::Never,
        }
    }
}

impl From<LlmFailure> for Failed {
    fn from(failure: LlmFailure) -> Self {
        Self {
            failure,
            retry: Retry::Never,
        }
    }
}

/// A good answer: the JSON, valid against the schema, and who answered at what cost.
#[derive(Debug)]
pub(super) struct Reply {
    pub(super) value: Value,
    pub(super) model: String,
    pub(super) usage: Option<TokenUsage>,
}

/// The request body, serialised once for every attempt.
pub(super) fn body(model: &str, request: &LlmRequest) -> Result<Vec<u8>, LlmFailure> {
    serde_json::to_vec(&ChatRequest::new(model, request)).map_err(|e| {
        LlmFailure::new(
            LlmFailureKind::Upstream,
            format!("cannot write the request: {e}"),
        )
    })
}

impl OpenRouter {
    /// One attempt: POST, status, body, content, schema.
    pub(super) async fn send(&self, body: &[u8], request: &LlmRequest) -> Result<Reply, Failed> {
        let shown = &self.endpoint;
        let mut bearer =
            HeaderValue::from_str(&format!("Bearer {}", self.key.expose())).map_err(|_| {
                Failed::fatal(
                    LlmFailureKind::Unauthorized,
                    "the API key cannot be sent in an HTTP header".to_owned(),
                )
            })?;
        // Keeps it out of reqwest's and hyper's own debug output.
        bearer.set_sensitive(true);
        let response = self
            .http
            .post(shown.clone())
            .header(AUTHORIZATION, bearer)
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .body(body.to_vec())
            .send()
            .await
            .map_err(|e| self.transport(e, "POST"))?;
        let status = response.status();
        let retry_after = retry_after(&response);
        let bytes = response
            .bytes()
            .await
            .map_err(|e| self.transport(e, "reading the answer of"))?;
        if !status.is_success() {
            return Err(self.refused(status, retry_after, &bytes));
        }
        let answer: ChatResponse = serde_json::from_slice(&bytes).map_err(|e| {
            Failed::fatal(
                LlmFailureKind::Upstream,
                format!("POST {shown}: the answer is not a chat completion: {e}"),
            )
        })?;
        if let Some(error) = &answer.error {
            return Err(Failed::fatal(
                LlmFailureKind::Upstream,
                self.key
                    .scrub(&format!("POST {shown}: {}", wire::describe(error))),
            ));
        }
        // Tokens were spent whether or not the content is any good: count them now.
        let usage = answer.usage.as_ref().and_then(wire::Usage::tokens);
        if let Some(usage) = usage {
            metrics::counter!("psma_llm_tokens_total", "adapter" => super::ADAPTER, "kind" => "prompt")
                .increment(usage.prompt);
            metrics::counter!("psma_llm_tokens_total", "adapter" => super::ADAPTER, "kind" => "completion")
                .increment(usage.completion);
        }
        let value = wire::parse_content(answer.choices.first())?;
        request.schema.check(&value)?;
        Ok(Reply {
            value,
            model: answer.model.unwrap_or_else(|| self.model.clone()),
            usage,
        })
    }

    /// A failure to talk to the server at all.
    fn transport(&self, error: reqwest::Error, doing: &str) -> Failed {
        let shown = &self.endpoint;
        if error.is_timeout() {
            return Failed::fatal(
                LlmFailureKind::Timeout,
                format!("{doing} {shown}: no answer within the timeout"),
            );
        }
        let kind = if error.is_connect() {
            LlmFailureKind::Unavailable
        } else {
            LlmFailureKind::Upstream
        };
        Failed {
            failure: LlmFailure::new(
                kind,
                self.key
                    .scrub(&format!("{doing} {shown}: {}", cause(error))),
            ),
            retry: Retry::After(None),
        }
    }

    /// A status other than 2xx: what it means and whether to ask again.
    fn refused(&self, status: StatusCode, retry_after: Option<Duration>, body: &[u8]) -> Failed {
        let why = wire::error_message(body).map_or_else(String::new, |m| format!(": {m}"));
        let detail = self
            .key
            .scrub(&format!("POST {}: HTTP {status}{why}", self.endpoint));
        let (kind, retry) = match status {
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                (LlmFailureKind::Unauthorized, Retry::Never)
            }
            StatusCode::TOO_MANY_REQUESTS => {
                (LlmFailureKind::RateLimited, Retry::After(retry_after))
            }
            StatusCode::REQUEST_TIMEOUT => (LlmFailureKind::Upstream, Retry::After(retry_after)),
            s if s.is_server_error() => (LlmFailureKind::Upstream, Retry::After(retry_after)),
            _ => (LlmFailureKind::Upstream, Retry::Never),
        };
        Failed {
            failure: LlmFailure::new(kind, detail),
            retry,
        }
    }
}

/// `Retry-After` in seconds (what OpenRouter and OpenAI send); an HTTP date is not read and
/// falls back to the backoff.
fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    let value = response.headers().get(RETRY_AFTER)?.to_str().ok()?;
    let seconds: f64 = value.trim().parse().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds))
}

/// A reqwest error and its causes (`error sending request: … Connection refused`), without the
/// URL.
pub(super) fn cause(error: reqwest::Error) -> String {
    let error = error.without_url();
    let mut text = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}
