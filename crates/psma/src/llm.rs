//! `[llm]`: which language model words advice, and the one function that builds its client.
//!
//! `adapter = "offline"` (the default) needs nothing: advice is worded by the core's templates
//! and no client exists. `adapter = "openrouter"` talks to OpenRouter or any OpenAI-compatible
//! chat-completions server (`psma_llm::OpenRouter`) and needs `model` and a key: `api_key`,
//! `api_key_file` or `PSMA_LLM__API_KEY`. The key is masked whenever the configuration is printed.

use crate::settings::ConfigError;
use psma_core::advice::llm::LlmClient;
use psma_llm::{ApiKey, OpenRouter, OpenRouterConfig};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// OpenRouter's API root: the default `base_url`.
pub const OPENROUTER_BASE_URL: &str = "https://openrouter.ai/api/v1";

/// The most `max_retries` accepted: more only delays the offline fallback.
const MAX_RETRIES: u32 = 10;

/// `[llm]`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct LlmSettings {
    /// Who words advice.
    pub adapter: LlmAdapter,
    /// The API root of an OpenAI-compatible server.
    pub base_url: String,
    /// The model asked for (`openai/gpt-4o-mini`); required by `openrouter`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The bearer key, inline or from `PSMA_LLM__API_KEY`; printed as `***`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_key: Option<MaskedSecret>,
    /// A file holding the key (a container secret), read at start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_key_file: Option<PathBuf>,
    /// The limit on each request (`"30s"`).
    #[serde(with = "humantime_serde")]
    pub timeout: Duration,
    /// How many times a completion is asked again after a 429, 5xx or connection failure.
    pub max_retries: u32,
}

impl Default for LlmSettings {
    fn default() -> Self {
        Self {
            adapter: LlmAdapter::Offline,
            base_url: OPENROUTER_BASE_URL.to_owned(),
            model: None,
            api_key: None,
            api_key_file: None,
            timeout: Duration::from_secs(30),
            max_retries: 2,
        }
    }
}

/// The adapters built into this binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LlmAdapter {
    /// Deterministic templates; no network, no key.
    Offline,
    /// OpenRouter or any OpenAI-compatible chat-completions server.
    Openrouter,
}

/// A secret setting: `Debug` and serialisation show `***`, never the value.
#[derive(Clone)]
pub struct MaskedSecret(String);

impl<'de> Deserialize<'de> for MaskedSecret {
    /// Text, or any other scalar as its text: the environment turns `PSMA_LLM__API_KEY=1234`
    /// into a number, and a type error would print the value.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Other(serde_json::Value),
        }
        Ok(Self(match Raw::deserialize(deserializer)? {
            Raw::Text(text) => text,
            Raw::Other(other) => other.to_string(),
        }))
    }
}

impl Serialize for MaskedSecret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("***")
    }
}

impl fmt::Debug for MaskedSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl LlmSettings {
    /// Checks the section: for `openrouter`, a model and exactly one of `api_key` and
    /// `api_key_file` (readable), and an adapter that accepts them.
    ///
    /// # Errors
    /// One line per problem, each naming its key (`llm.model: …`).
    pub fn check(&self) -> Result<(), Vec<String>> {
        self.client().map(|_| ())
    }

    /// The configured client, `None` for `offline`.
    fn client(&self) -> Result<Option<Arc<dyn LlmClient>>, Vec<String>> {
        if self.adapter == LlmAdapter::Offline {
            return Ok(None);
        }
        let mut problems = Vec::new();
        let model = self.model.as_deref().unwrap_or_default();
        if model.trim().is_empty() {
            problems.push(
                "llm.model: required when llm.adapter is \"openrouter\" (e.g. \"openai/gpt-4o-mini\")"
                    .to_owned(),
            );
        }
        if self.max_retries > MAX_RETRIES {
            problems.push(format!("llm.max_retries: must be at most {MAX_RETRIES}"));
        }
        let key = match (&self.api_key, &self.api_key_file) {
            (Some(MaskedSecret(key)), None) => Some(key.clone()),
            (None, Some(path)) => match std::fs::read_to_string(path) {
                Ok(text) => Some(text),
                Err(e) => {
                    problems.push(format!(
                        "llm.api_key_file: cannot read `{}`: {e}",
                        path.display()
                    ));
                    None
                }
            },
            (Some(_), Some(_)) => {
                problems.push(
                    "llm.api_key: set either llm.api_key or llm.api_key_file, not both".to_owned(),
                );
                None
            }
            (None, None) => {
                problems.push("llm.api_key: required when llm.adapter is \"openrouter\"; set llm.api_key, llm.api_key_file or PSMA_LLM__API_KEY".to_owned());
                None
            }
        };
        let key = key.and_then(|k| match ApiKey::parse(&k) {
            Ok(key) => Some(key),
            Err(e) => {
                problems.push(named(&e));
                None
            }
        });
        let (Some(api_key), true) = (key, problems.is_empty()) else {
            return Err(problems);
        };
        let client = OpenRouter::new(OpenRouterConfig {
            base_url: self.base_url.clone(),
            model: model.to_owned(),
            api_key,
            timeout: self.timeout,
            max_retries: self.max_retries,
        })
        .map_err(|e| vec![named(&e)])?;
        Ok(Some(Arc::new(client)))
    }
}

/// A core validation error as a configuration problem under `llm.`.
fn named(err: &psma_core::Error) -> String {
    match err {
        psma_core::Error::Validation { field, message } => format!("llm.{field}: {message}"),
        other => format!("llm: {other}"),
    }
}

/// Builds the language-model client `[llm]` asks for: `None` for the offline adviser.
///
/// # Errors
/// [`ConfigError`] naming each offending key (`llm.model`, `llm.api_key`, `llm.base_url`).
pub fn build(settings: &LlmSettings) -> Result<Option<Arc<dyn LlmClient>>, ConfigError> {
    settings
        .client()
        .map_err(|problems| ConfigError { problems })
}
