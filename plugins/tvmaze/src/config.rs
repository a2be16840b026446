//! `providers.tvmaze`: where TVmaze is and which countries a worldwide web channel covers.

use psma_plugin_sdk::ProviderError;
use psma_plugin_sdk::serde_json::{Value, json};
use psma_plugin_sdk::text::CountryCode;
use serde::Deserialize;
use std::time::Duration;
use url::Url;

/// TVmaze's public API.
pub(crate) const DEFAULT_BASE_URL: &str = "https://api.tvmaze.com";

/// How long one request may take by default.
const DEFAULT_TIMEOUT_SECS: u64 = 10;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    base_url: Option<String>,
    countries: Option<Vec<String>>,
    timeout_secs: Option<u64>,
}

/// The checked configuration.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// Without a trailing slash.
    pub(crate) base_url: Url,
    /// Where a show on a web channel without a country counts as available.
    pub(crate) countries: Vec<CountryCode>,
    pub(crate) timeout: Duration,
}

impl Config {
    /// Checks `value`.
    pub(crate) fn from_json(value: &Value) -> Result<Self, ProviderError> {
        let raw: Raw = serde_path_to_error::deserialize(value.clone()).map_err(|e| {
            let inner = e.inner().to_string();
            let field = inner
                .strip_prefix("unknown field `")
                .and_then(|r| r.split('`').next())
                .map_or_else(|| e.path().to_string(), str::to_owned);
            ProviderError::config(
                if field == "." {
                    "config".to_owned()
                } else {
                    field
                },
                inner,
            )
        })?;
        let base = raw.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL);
        let base_url = Url::parse(base.trim_end_matches('/'))
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
            .ok_or_else(|| {
                ProviderError::config("base_url", format!("`{base}` is not an http(s) URL"))
            })?;
        let countries = match raw.countries {
            None => vec![
                CountryCode::parse("US").map_err(|e| ProviderError::config("countries", e.0))?,
            ],
            Some(list) if list.is_empty() => {
                return Err(ProviderError::config(
                    "countries",
                    "name at least one country",
                ));
            }
            Some(list) => list
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    CountryCode::parse(c)
                        .map_err(|e| ProviderError::config(format!("countries[{i}]"), e.0))
                })
                .collect::<Result<_, _>>()?,
        };
        let timeout_secs = raw.timeout_secs.unwrap_or(DEFAULT_TIMEOUT_SECS);
        if !(1..=300).contains(&timeout_secs) {
            return Err(ProviderError::config(
                "timeout_secs",
                "must be between 1 and 300 seconds",
            ));
        }
        Ok(Self {
            base_url,
            countries,
            timeout: Duration::from_secs(timeout_secs),
        })
    }
}

/// The JSON Schema of the configuration.
pub(crate) fn schema() -> Value {
    json!({
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "base_url": {"type": "string", "pattern": "^https?://[^/\\s]+", "default": DEFAULT_BASE_URL,
                         "description": "TVmaze's API (a mock server in tests)"},
            "countries": {"type": "array", "minItems": 1,
                          "items": {"type": "string", "pattern": CountryCode::PATTERN},
                          "default": ["US"],
                          "description": "Where a show on a worldwide web channel counts as available"},
            "timeout_secs": {"type": "integer", "minimum": 1, "maximum": 300,
                             "default": DEFAULT_TIMEOUT_SECS,
                             "description": "How long one request may take"}
        }
    })
}
