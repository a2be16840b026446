//! The language-model port (DESIGN §3.1, §7): a structured completion — a system prompt, a
//! conversation and a JSON Schema in; JSON valid against that schema out, with what it cost.
//!
//! Chosen from the configuration at run time, so it is object-safe and held as
//! `Arc<dyn LlmClient>`. The adapters live in `psma-llm` (`openrouter`: any OpenAI-compatible
//! chat-completions server); the offline adviser needs no client at all.
//!
//! **Failures are not [`crate::Error`].** A failed completion is an expected outcome the advice
//! use case answers by falling back to the offline wording, counting and logging it by kind; it
//! never reaches the HTTP edge. So the port returns its own small failure type,
//! [`LlmFailure`] (a [`LlmFailureKind`] and a detail for the log), rather than widening the
//! crate's one error enum; `From<LlmFailure> for Error` exists for callers that must propagate
//! one (it becomes [`Error::Unavailable`]).
//!
//! **Every answer is checked here.** [`OutputSchema`] compiles the schema once; adapters call
//! [`OutputSchema::check`] on what the model said, and [`complete_checked`] checks again at the
//! core's side of the port, so no adapter can hand the domain JSON that breaks its contract.

mod schema;

pub use schema::OutputSchema;

use crate::Error;
use serde_json::Value;
use std::time::Duration;

/// A structured-completion client: one request, one validated JSON answer.
#[async_trait::async_trait]
pub trait LlmClient: Send + Sync {
    /// The adapter's name, as recorded with each answer (`openrouter`).
    fn adapter(&self) -> &str;

    /// Asks the model and returns its answer, valid against `request.schema`.
    ///
    /// # Errors
    /// An [`LlmFailure`] whose kind says what went wrong: [`LlmFailureKind::Timeout`] when no
    /// answer came within the adapter's timeout; [`LlmFailureKind::RateLimited`] when the
    /// server still refused for load after the adapter's retries; [`LlmFailureKind::Unauthorized`]
    /// when the credentials were refused (never retried); [`LlmFailureKind::Upstream`] for any
    /// other refusal or an answer not in the protocol's shape; [`LlmFailureKind::InvalidJson`]
    /// when the model's content is not JSON; [`LlmFailureKind::SchemaViolation`] when it is JSON
    /// that breaks the schema; [`LlmFailureKind::Unavailable`] when the server cannot be reached.
    async fn complete(&self, request: &LlmRequest) -> Result<LlmAnswer, LlmFailure>;
}

/// Calls `client` and checks its answer against the request's schema once more, on the core's
/// side of the port: what use cases call.
///
/// # Errors
/// The client's [`LlmFailure`], or [`LlmFailureKind::SchemaViolation`] when an adapter let
/// through an answer that breaks the schema.
pub async fn complete_checked(
    client: &dyn LlmClient,
    request: &LlmRequest,
) -> Result<LlmAnswer, LlmFailure> {
    let answer = client.complete(request).await?;
    request.schema.check(&answer.value)?;
    Ok(answer)
}

/// What is asked: the system prompt (sent first), the conversation, the shape of the answer.
#[derive(Debug, Clone)]
pub struct LlmRequest {
    /// The instructions: an agent profile's prompt.
    pub system: String,
    /// The conversation so far, oldest first.
    pub messages: Vec<LlmMessage>,
    /// The JSON Schema the answer must satisfy.
    pub schema: OutputSchema,
}

/// One turn of the conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LlmMessage {
    /// Who said it.
    pub role: Role,
    /// What was said.
    pub content: String,
}

impl LlmMessage {
    /// A user's turn.
    #[must_use]
    pub fn user(content: impl Into<String>) -> Self {
        Self {
            role: Role::User,
            content: content.into(),
        }
    }

    /// The assistant's turn (an earlier answer).
    #[must_use]
    pub fn assistant(content: impl Into<String>) -> Self {
        Self {
            role: Role::Assistant,
            content: content.into(),
        }
    }
}

/// The speaker of a turn; the system prompt is [`LlmRequest::system`], not a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The person (or the rules speaking for them).
    User,
    /// The model.
    Assistant,
}

impl Role {
    /// The chat-completions name: `user` or `assistant`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Assistant => "assistant",
        }
    }
}

/// A validated answer and what it cost.
#[derive(Debug, Clone, PartialEq)]
pub struct LlmAnswer {
    /// The model's JSON, valid against the request's schema.
    pub value: Value,
    /// Who answered, with what, at what cost.
    pub meta: LlmMeta,
}

/// What is recorded with an answer (the advice record, the audit log, metrics).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LlmMeta {
    /// The adapter (`openrouter`).
    pub adapter: String,
    /// The model that answered, as the server names it (may differ from the one asked for).
    pub model: String,
    /// Tokens spent, when the server reported them.
    pub usage: Option<TokenUsage>,
    /// Wall time of the whole completion, retries and their waits included.
    pub latency: Duration,
    /// Attempts made (1 when the first one answered).
    pub attempts: u32,
}

/// Tokens a completion spent, as the server reported them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenUsage {
    /// Tokens of the prompt (system prompt, messages, schema).
    pub prompt: u64,
    /// Tokens of the answer.
    pub completion: u64,
}

/// A completion that failed: what kind of failure (to count and to decide on a fallback) and
/// a detail for the log. The detail never carries a credential.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("language model {}: {detail}", kind.as_str())]
pub struct LlmFailure {
    /// What went wrong.
    pub kind: LlmFailureKind,
    /// For the log: the status, the server's message, the violations.
    pub detail: String,
}

impl LlmFailure {
    /// A failure of `kind`.
    #[must_use]
    pub fn new(kind: LlmFailureKind, detail: impl Into<String>) -> Self {
        Self {
            kind,
            detail: detail.into(),
        }
    }
}

/// The kinds of [`LlmFailure`], a closed list to count by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LlmFailureKind {
    /// No answer within the timeout.
    Timeout,
    /// Refused for load (429) after the retries allowed.
    RateLimited,
    /// The credentials were refused (401, 403).
    Unauthorized,
    /// Another refusal (4xx, 5xx after retries), or an answer not in the protocol's shape.
    Upstream,
    /// The model's content is not JSON.
    InvalidJson,
    /// The model's JSON breaks the schema.
    SchemaViolation,
    /// The server cannot be reached (connection refused, DNS).
    Unavailable,
    /// Valid JSON that cites something that does not exist, or proposes what the rules did not
    /// find (checked by the advice use case, not by adapters).
    Unfounded,
}

impl LlmFailureKind {
    /// Every kind, for metrics that start every series at zero.
    pub const ALL: [Self; 8] = [
        Self::Timeout,
        Self::RateLimited,
        Self::Unauthorized,
        Self::Upstream,
        Self::InvalidJson,
        Self::SchemaViolation,
        Self::Unavailable,
        Self::Unfounded,
    ];

    /// A stable snake_case name, for metric labels and log fields (`rate_limited`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Timeout => "timeout",
            Self::RateLimited => "rate_limited",
            Self::Unauthorized => "unauthorized",
            Self::Upstream => "upstream",
            Self::InvalidJson => "invalid_json",
            Self::SchemaViolation => "schema_violation",
            Self::Unavailable => "unavailable",
            Self::Unfounded => "unfounded",
        }
    }
}

impl From<LlmFailure> for Error {
    fn from(failure: LlmFailure) -> Self {
        Self::Unavailable(failure.to_string())
    }
}

#[cfg(test)]
mod tests;
