//! `providers.tmdb`: the credential, where TMDB is, and which countries' watch providers count.

use crate::key::ApiKey;
use psma_plugin_sdk::ProviderError;
use psma_plugin_sdk::serde_json::{Value, json};
use psma_plugin_sdk::text::CountryCode;
use serde::Deserialize;
use std::time::Duration;
use url::Url;

/// TMDB's v3 API (v4 read access tokens work against it too).
pub(crate) const DEFAULT_BASE_URL: &str = "https://api.themoviedb.org/3";

/// How long one request may take by default.
const DEFAULT_TIMEOUT_SECS: u64 = 10;

/// TMDB's watch providers are per country; these are read when none are configured.
const DEFAULT_COUNTRY: &str = "US";

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    // A `Value`, not a `String`: serde's type errors quote the value, and this one is secret.
    api_key: Option<Value>,
    base_url: Option<String>,
    countries: Option<Vec<String>>,
    timeout_secs: Option<u64>,
}

/// The checked configuration. Its `Debug` shows the key as `***`.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) api_key: ApiKey,
    /// Without a trailing slash.
    pub(crate) base_url: Url,
    /// Whose watch providers become availability facts.
    pub(crate) countries: Vec<CountryCode>,
    pub(crate) timeout: Duration,
}

impl Config {
    /// Checks `value`; errors name the offending key and never repeat the API key.
    pub(crate) fn from_json(value: &Value) -> Result<Self, ProviderError> {
        let raw: Raw = serde_path_to_error::deserialize(value.clone()).map_err(|e| {
            let inner = e.inner().to_string();
            ProviderError::config(field_of(&inner, &e.path().to_string()), inner)
        })?;
        let api_key = match raw.api_key {
            None => {
                return Err(ProviderError::config(
                    "api_key",
                    "is required: TMDB's API key or API read access token (or `api_key_file`)",
                ));
            }
            Some(Value::String(key)) => ApiKey::parse(&key)?,
            Some(_) => return Err(ProviderError::config("api_key", "must be a string")),
        };
        let base = raw.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL);
        let base_url = Url::parse(base.trim_end_matches('/'))
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
            .ok_or_else(|| {
                ProviderError::config("base_url", format!("`{base}` is not an http(s) URL"))
            })?;
        let countries = match raw.countries {
            None => vec![
                CountryCode::parse(DEFAULT_COUNTRY)
                    .map_err(|e| ProviderError::config("countries", e.0))?,
            ],
            Some(list) if list.is_empty() => {
                return Err(ProviderError::config(
                    "countries",
                    "name at least one country",
                ));
            }
            Some(list) => {
                let mut countries: Vec<CountryCode> = Vec::with_capacity(list.len());
                for (i, c) in list.iter().enumerate() {
                    let country = CountryCode::parse(c)
                        .map_err(|e| ProviderError::config(format!("countries[{i}]"), e.0))?;
                    // A country named twice would yield every availability fact twice.
                    if !countries.contains(&country) {
                        countries.push(country);
                    }
                }
                countries
            }
        };
        let timeout_secs = raw.timeout_secs.unwrap_or(DEFAULT_TIMEOUT_SECS);
        if !(1..=300).contains(&timeout_secs) {
            return Err(ProviderError::config(
                "timeout_secs",
                "must be between 1 and 300 seconds",
            ));
        }
        Ok(Self {
            api_key,
            base_url,
            countries,
            timeout: Duration::from_secs(timeout_secs),
        })
    }
}

/// The key a serde error is about: the one it names (unknown or missing fields), else its path.
fn field_of(message: &str, path: &str) -> String {
    let named = ["unknown field `", "missing field `"]
        .iter()
        .find_map(|prefix| message.strip_prefix(prefix))
        .and_then(|rest| rest.split('`').next());
    match named {
        Some(field) => field.to_owned(),
        None if path == "." => "config".to_owned(),
        None => path.to_owned(),
    }
}

/// The JSON Schema of the configuration.
pub(crate) fn schema() -> Value {
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["api_key"],
        "properties": {
            "api_key": {"type": "string", "minLength": 1, "pattern": "^\\s*[!-~]+\\s*$",
                        "writeOnly": true,
                        "description": "TMDB's v3 API key (sent as `api_key`) or v4 API read access token (a JWT, sent as a bearer token); PSMA reads it from `api_key_file` too"},
            "base_url": {"type": "string", "pattern": "^https?://[^/\\s]+", "default": DEFAULT_BASE_URL,
                         "description": "TMDB's API (a mock server in tests)"},
            "countries": {"type": "array", "minItems": 1,
                          "items": {"type": "string", "pattern": CountryCode::PATTERN},
                          "default": [DEFAULT_COUNTRY],
                          "description": "Where to read watch providers (ISO 3166-1 alpha-2)"},
            "timeout_secs": {"type": "integer", "minimum": 1, "maximum": 300,
                             "default": DEFAULT_TIMEOUT_SECS,
                             "description": "How long one request may take"}
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(config: &Value) -> String {
        match Config::from_json(config) {
            Err(ProviderError::Config { field, .. }) => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn defaults_apply_and_bad_keys_are_named() {
        let config = Config::from_json(&json!({"api_key": "k"})).unwrap();
        assert_eq!(config.base_url.as_str(), DEFAULT_BASE_URL);
        assert_eq!(config.countries[0].as_str(), "US");
        assert_eq!(config.timeout, Duration::from_secs(10));
        assert_eq!(field(&json!({})), "api_key");
        assert_eq!(field(&json!({"api_key": 42})), "api_key");
        assert_eq!(field(&json!({"api_key": "k", "region": "US"})), "region");
        assert_eq!(
            field(&json!({"api_key": "k", "countries": ["US", "gb"]})),
            "countries[1]"
        );
        assert_eq!(
            field(&json!({"api_key": "k", "timeout_secs": "ten"})),
            "timeout_secs"
        );
        assert_eq!(field(&json!([])), "config");
    }

    #[test]
    fn a_country_named_twice_counts_once() {
        let config =
            Config::from_json(&json!({"api_key": "k", "countries": ["GB", "US", "GB"]})).unwrap();
        let countries: Vec<&str> = config.countries.iter().map(CountryCode::as_str).collect();
        assert_eq!(countries, ["GB", "US"]);
    }

    #[test]
    fn the_key_is_not_in_the_debug_output_nor_in_type_errors() {
        let config = Config::from_json(&json!({"api_key": "abcdef0123456789"})).unwrap();
        assert!(!format!("{config:?}").contains("abcdef0123456789"));
        let err = Config::from_json(&json!({"api_key": 1_234_567_890_123_u64})).unwrap_err();
        assert!(!err.to_string().contains("1234567890123"), "{err}");
    }
}
