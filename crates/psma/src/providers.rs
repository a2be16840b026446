//! The providers' wiring: the built-in plugins' factories, and the configured providers built
//! from the `[providers.<id>]` sections.
//!
//! A section's `enabled`, `plugin` and `refresh_every` are PSMA's; every other key is the
//! plugin's own configuration, handed to its factory as JSON. The plugin is `plugin` when
//! given, else `exec` when the section has an `exec` command, else the section's id. Nobody
//! matches on a closed list of plugins: adding one means adding its factory to [`factories`].

mod rate_limit;

pub use rate_limit::RateLimitSetting;

use crate::settings::ConfigError;
use psma_core::catalog::{ConfiguredProvider, Providers};
use psma_plugin_exec::ExecFactory;
use psma_plugin_manual_import::ManualImportFactory;
use psma_plugin_sdk::text::SourceId;
use psma_plugin_sdk::{PluginDeps, ProviderError, ProviderFactory};
use psma_plugin_tmdb::TmdbFactory;
use psma_plugin_tvmaze::TvmazeFactory;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// The factories of the plugins built into this binary.
#[must_use]
pub fn factories() -> Vec<Arc<dyn ProviderFactory>> {
    vec![
        Arc::new(ManualImportFactory),
        Arc::new(TvmazeFactory),
        Arc::new(TmdbFactory),
        Arc::new(ExecFactory),
    ]
}

/// What plugins get outside the server (the CLI): the machine's clock and the bundled service
/// registry.
///
/// # Errors
/// If the bundled registry does not load (a test rules that out).
pub fn system_deps() -> anyhow::Result<PluginDeps> {
    Ok(PluginDeps {
        clock: Arc::new(psma_plugin_sdk::SystemClock),
        services: Arc::new(psma_plugin_sdk::ServiceRegistry::bundled()?),
    })
}

/// `[providers.<id>]`: one data source.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ProviderSettings {
    /// Whether it runs. A disabled provider is listed but never fetches anything.
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    /// The plugin (factory id) that builds it; unset: `exec` for a section with an `exec`
    /// command, else the section's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plugin: Option<String>,
    /// How often it is refreshed on schedule (`"24h"`, `"90m"`); unset: on demand only.
    #[serde(
        default,
        with = "humantime_serde",
        skip_serializing_if = "Option::is_none"
    )]
    pub refresh_every: Option<Duration>,
    /// The pace it is held to instead of the one its plugin declares (`"40/s"`, `"none"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimitSetting>,
    /// Everything else: the plugin's own configuration.
    #[serde(flatten)]
    pub config: PluginConfig,
}

fn enabled_by_default() -> bool {
    true
}

/// A plugin's own configuration keys. Printed with secrets masked: a key named like a secret
/// (`api_key`, `…_key`, `…token…`, `…secret…`, `…password…`) shows as `***`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct PluginConfig(pub BTreeMap<String, Value>);

impl Serialize for PluginConfig {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let masked: BTreeMap<&str, Value> = self
            .0
            .iter()
            .map(|(key, value)| (key.as_str(), masked(key, value)))
            .collect();
        masked.serialize(serializer)
    }
}

/// `value` as printed under `key`: a secret as `***`; in a table (an exec plugin's `env` or
/// `config`), each secret-named key likewise, at any depth.
fn masked(key: &str, value: &Value) -> Value {
    if is_secret(key) {
        return Value::String("***".to_owned());
    }
    match value {
        Value::Object(table) => Value::Object(
            table
                .iter()
                .map(|(key, value)| (key.clone(), masked(key, value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| masked("", v)).collect()),
        other => other.clone(),
    }
}

/// Whether a configuration key holds a secret, by its name. A `…_file` key names a file, not
/// a secret, and is shown.
fn is_secret(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    !key.ends_with("_file")
        && (key == "key"
            || key.ends_with("_key")
            || ["token", "secret", "password"]
                .iter()
                .any(|word| key.contains(word)))
}

/// Builds the configured providers: disabled ones described, enabled ones built and checked
/// by their plugin.
///
/// # Errors
/// [`ConfigError`] with a line per problem, each naming its key (`providers.tmdb.api_key`):
/// an unknown plugin, a configuration the plugin refuses, a secret file that cannot be read, a
/// schedule shorter than the plugin allows, a plugin that names itself differently.
pub fn configured(
    sections: &BTreeMap<String, ProviderSettings>,
    factories: &[Arc<dyn ProviderFactory>],
    deps: &PluginDeps,
) -> Result<Providers, ConfigError> {
    let mut problems = Vec::new();
    let mut entries = Vec::new();
    for (id, section) in sections {
        match configure(id, section, factories, deps) {
            Ok(entry) => entries.push(entry),
            Err(mut more) => problems.append(&mut more),
        }
    }
    if !problems.is_empty() {
        return Err(ConfigError { problems });
    }
    Providers::new(entries).map_err(|e| ConfigError {
        problems: vec![e.to_string()],
    })
}

fn configure(
    id: &str,
    section: &ProviderSettings,
    factories: &[Arc<dyn ProviderFactory>],
    deps: &PluginDeps,
) -> Result<ConfiguredProvider, Vec<String>> {
    let key = |field: &str| format!("providers.{id}.{field}");
    let source_id = SourceId::parse(id).map_err(|e| vec![format!("providers.{id}: {e}")])?;
    let plugin = section.plugin.as_deref().unwrap_or_else(|| {
        if section.config.0.contains_key("exec") {
            "exec"
        } else {
            id
        }
    });
    let Some(factory) = factories.iter().find(|f| f.id() == plugin) else {
        let known: Vec<&str> = factories.iter().map(|f| f.id()).collect();
        let field = if section.plugin.is_some() {
            key("plugin")
        } else {
            format!("providers.{id}")
        };
        return Err(vec![format!(
            "{field}: no plugin `{plugin}` (known: {}); set `plugin` to one of them or `exec` to a command",
            known.join(", ")
        )]);
    };
    let spec = factory.describe();
    if !section.enabled {
        let mut spec = spec;
        spec.id = source_id;
        return Ok(ConfiguredProvider::disabled(spec));
    }
    let config = plugin_config(id, section, &spec.config_schema)?;
    let provider = factory
        .build(&Value::Object(config), deps.clone())
        .map_err(|e| {
            vec![match e {
                ProviderError::Config { field, message } => format!("{}: {message}", key(&field)),
                other => format!("providers.{id}: {other}"),
            }]
        })?;
    if provider.spec().id != source_id {
        return Err(vec![format!(
            "providers.{id}: the `{plugin}` plugin names its source `{}`; name the section so, or give the plugin a `source_id` if it takes one",
            provider.spec().id
        )]);
    }
    let entry =
        ConfiguredProvider::enabled(provider, section.refresh_every).map_err(|e| match e {
            psma_core::Error::Validation { field, message } => {
                vec![format!("{}: {message}", key(&field))]
            }
            other => vec![format!("providers.{id}: {other}")],
        })?;
    Ok(match section.rate_limit {
        Some(RateLimitSetting(limit)) => entry.with_rate_limit(limit),
        None => entry,
    })
}

/// Says at start which providers run and how often, so a switched-off one is no mystery.
pub fn log_configured(providers: &Providers) {
    for entry in providers.iter() {
        let every = entry.refresh_every().map_or_else(
            || "on demand".to_owned(),
            |d| humantime_serde::re::humantime::format_duration(d).to_string(),
        );
        tracing::info!(
            provider = %entry.id(),
            enabled = entry.is_enabled(),
            refresh = %every,
            "provider configured"
        );
    }
}

/// The plugin's configuration: the section's own keys, each `<secret>_file` replaced by the
/// file's text under `<secret>`, and `source_id` set to the section's id when the plugin takes
/// one and none is given.
fn plugin_config(
    id: &str,
    section: &ProviderSettings,
    schema: &Value,
) -> Result<serde_json::Map<String, Value>, Vec<String>> {
    let mut config = serde_json::Map::new();
    let mut problems = Vec::new();
    for (key, value) in &section.config.0 {
        match key.strip_suffix("_file").filter(|secret| is_secret(secret)) {
            Some(secret) => match read_secret(value) {
                Ok(text) => {
                    config.insert(secret.to_owned(), Value::String(text));
                }
                Err(e) => problems.push(format!("providers.{id}.{key}: {e}")),
            },
            None => {
                config.insert(key.clone(), value.clone());
            }
        }
    }
    if schema["properties"].get("source_id").is_some() && !config.contains_key("source_id") {
        config.insert("source_id".to_owned(), Value::String(id.to_owned()));
    }
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(problems)
    }
}

/// A secret's file: its text without the trailing newline editors and `echo` add.
fn read_secret(path: &Value) -> Result<String, String> {
    let Some(path) = path.as_str() else {
        return Err("must be a file path".to_owned());
    };
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read `{path}`: {e}"))?;
    Ok(text.trim_end_matches(['\r', '\n']).to_owned())
}

#[cfg(test)]
mod tests;
