//! The `openrouter` adapter: OpenRouter, or any OpenAI-compatible chat-completions server
//! (`POST {base_url}/chat/completions`, bearer key, `response_format` of type `json_schema`).
//!
//! Each completion is one request, asked again with backoff after a 429, a 5xx, a 408 or a
//! connection failure (the server's `Retry-After` in seconds honoured, up to a minute), at most
//! `max_retries` times. A timeout is not asked again: the caller's time is spent. A 401 or 403,
//! another 4xx, content that is not JSON or breaks the schema are final. Token usage and latency
//! are returned with the answer and recorded as metrics:
//! `psma_llm_tokens_total{adapter,kind=prompt|completion}`,
//! `psma_llm_requests_total{adapter,outcome}` and
//! `psma_llm_request_duration_seconds{adapter,outcome}` (`outcome` is `ok` or the failure kind).

mod call;
mod wire;

use crate::secret::ApiKey;
use call::Retry;
use psma_core::Error;
use psma_core::advice::llm::{LlmAnswer, LlmClient, LlmFailure, LlmMeta, LlmRequest};
use reqwest::Url;
use std::time::{Duration, Instant};

/// The adapter's name, recorded with its answers and in its metrics' `adapter` label.
const ADAPTER: &str = "openrouter";
/// The first wait before asking again when the server gave no `Retry-After`; doubled each time.
const BACKOFF_BASE: Duration = Duration::from_millis(500);
/// The longest wait of the backoff.
const BACKOFF_MAX: Duration = Duration::from_secs(8);
/// A `Retry-After` longer than this ends the completion instead: advice should not wait longer.
const RETRY_AFTER_MAX: Duration = Duration::from_secs(60);

/// What the adapter needs, as the composition root read it from `[llm]`.
#[derive(Debug, Clone)]
pub struct OpenRouterConfig {
    /// The API root, e.g. `https://openrouter.ai/api/v1` or `http://localhost:11434/v1`.
    pub base_url: String,
    /// The model asked for (`openai/gpt-4o-mini`).
    pub model: String,
    /// The bearer key.
    pub api_key: ApiKey,
    /// The limit on each request, from connecting to the last byte of the answer.
    pub timeout: Duration,
    /// How many times a completion is asked again after a 429, 5xx or connection failure.
    pub max_retries: u32,
}

/// A structured-completion client for an OpenAI-compatible server. Its `Debug` shows no key.
#[derive(Debug, Clone)]
pub struct OpenRouter {
    http: reqwest::Client,
    endpoint: Url,
    model: String,
    key: ApiKey,
    max_retries: u32,
}

impl OpenRouter {
    /// Checks the configuration and builds the HTTP client (rustls with ring).
    ///
    /// # Errors
    /// [`Error::Validation`] naming the field (`base_url`, `model`, `timeout`) when `base_url`
    /// is not an http(s) URL, `model` is empty or `timeout` is zero; [`Error::Internal`] when
    /// the HTTP client cannot be built.
    pub fn new(config: OpenRouterConfig) -> Result<Self, Error> {
        let base = config.base_url.trim().trim_end_matches('/');
        let endpoint = Url::parse(&format!("{base}/chat/completions"))
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
            .ok_or_else(|| {
                Error::validation(
                    "base_url",
                    "must be an http(s) URL like https://openrouter.ai/api/v1",
                )
            })?;
        let model = config.model.trim();
        if model.is_empty() {
            return Err(Error::validation(
                "model",
                "is empty; name the model (`openai/gpt-4o-mini`)",
            ));
        }
        if config.timeout.is_zero() {
            return Err(Error::validation("timeout", "must be longer than zero"));
        }
        // reqwest is built without a bundled TLS provider (PSMA uses ring throughout); install
        // it unless the host process already did.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .user_agent(concat!("psma/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| {
                Error::internal(format!("cannot build an HTTP client: {}", call::cause(e)))
            })?;
        Ok(Self {
            http,
            endpoint,
            model: model.to_owned(),
            key: config.api_key,
            max_retries: config.max_retries,
        })
    }

    /// How long to wait before asking again after attempt `attempt` (1-based), or `None` to stop.
    fn wait(&self, attempt: u32, retry: Retry) -> Option<Duration> {
        if attempt > self.max_retries {
            return None;
        }
        match retry {
            Retry::Never => None,
            Retry::After(Some(after)) => (after <= RETRY_AFTER_MAX).then_some(after),
            Retry::After(None) => {
                let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
                Some(BACKOFF_BASE.saturating_mul(factor).min(BACKOFF_MAX))
            }
        }
    }
}

#[async_trait::async_trait]
impl LlmClient for OpenRouter {
    fn adapter(&self) -> &str {
        ADAPTER
    }

    #[tracing::instrument(name = "llm.complete", skip_all, fields(adapter = ADAPTER, model = %self.model, schema = request.schema.name()))]
    async fn complete(&self, request: &LlmRequest) -> Result<LlmAnswer, LlmFailure> {
        let started = Instant::now();
        let body = call::body(&self.model, request)?;
        let mut attempt = 0;
        let result = loop {
            attempt += 1;
            match self.send(&body, request).await {
                Ok(reply) => break Ok(reply),
                Err(failed) => match self.wait(attempt, failed.retry) {
                    Some(wait) => {
                        tracing::warn!(
                            kind = failed.failure.kind.as_str(),
                            detail = %failed.failure.detail,
                            attempt,
                            wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                            "language model: asking again"
                        );
                        tokio::time::sleep(wait).await;
                    }
                    None => break Err(failed.failure),
                },
            }
        };
        let latency = started.elapsed();
        let outcome = result.as_ref().map_or_else(|f| f.kind.as_str(), |_| "ok");
        metrics::counter!("psma_llm_requests_total", "adapter" => ADAPTER, "outcome" => outcome)
            .increment(1);
        metrics::histogram!("psma_llm_request_duration_seconds", "adapter" => ADAPTER, "outcome" => outcome)
            .record(latency.as_secs_f64());
        match result {
            Ok(reply) => {
                tracing::info!(
                    answered_by = %reply.model,
                    prompt_tokens = reply.usage.map(|u| u.prompt),
                    completion_tokens = reply.usage.map(|u| u.completion),
                    latency_ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX),
                    attempts = attempt,
                    "language model answered"
                );
                Ok(LlmAnswer {
                    value: reply.value,
                    meta: LlmMeta {
                        adapter: ADAPTER.to_owned(),
                        model: reply.model,
                        usage: reply.usage,
                        latency,
                        attempts: attempt,
                    },
                })
            }
            Err(failure) => {
                tracing::warn!(
                    kind = failure.kind.as_str(),
                    detail = %failure.detail,
                    attempts = attempt,
                    "language model failed"
                );
                Err(failure)
            }
        }
    }
}
