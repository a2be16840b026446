//! Configuration: the embedded defaults, then a file, then `PSMA_<SECTION>__<KEY>` variables.
//! Each adapter owns its section's type; this module only layers and checks them.

use anyhow::Context;
use figment::Figment;
use figment::providers::{Env, Format, Toml};
use psma_api::ServerSettings;
use psma_auth::AuthSettings;
use psma_store::{DatabaseSettings, DatabaseUrl};
use psma_worker::WorkerSettings;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use crate::providers::ProviderSettings;

/// The embedded defaults, `config/default.toml`.
pub const DEFAULTS: &str = include_str!("../../../config/default.toml");

/// The whole configuration.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// `[server]`
    pub server: ServerSettings,
    /// `[database]`
    pub database: DatabaseSettings,
    /// `[auth]`
    pub auth: AuthSettings,
    /// `[worker]`
    pub worker: WorkerSettings,
    /// `[catalog]`
    pub catalog: CatalogSettings,
    /// `[planner]`: the planner's defaults, each overridable by a user.
    pub planner: psma_core::planning::profile::PlannerSettings,
    /// `[telemetry]`
    pub telemetry: TelemetrySettings,
    /// `[llm]`: who words advice (the offline templates unless configured).
    #[serde(default)]
    pub llm: crate::llm::LlmSettings,
    /// `[providers.<id>]`, one section per data source.
    #[serde(default)]
    pub providers: BTreeMap<String, ProviderSettings>,
}

/// `[catalog]`: the demo catalog and when sources count as disagreeing.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogSettings {
    /// Load the bundled demo catalog into an empty shared catalog at start. Unset: yes in local
    /// mode, no when hosted.
    #[serde(default)]
    pub load_demo: Option<bool>,
    /// Dates further apart than this many days are a disagreement between sources.
    pub conflict_date_tolerance_days: u32,
    /// A fact at least this much more confident than its rival wins without a conflict.
    pub conflict_confidence_margin: f64,
}

/// `[telemetry]`: logs.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TelemetrySettings {
    /// Log line format.
    pub log_format: LogFormat,
    /// A tracing filter directive.
    pub log_level: String,
}

/// How log lines are written to stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    /// JSON when stdout is not a terminal, pretty otherwise.
    Auto,
    /// One JSON object per line.
    Json,
    /// Human-readable.
    Pretty,
}

/// A configuration that could not be loaded, with every offending key.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration:\n{}", .problems.join("\n"))]
pub struct ConfigError {
    /// One line per problem: `key: what is wrong (where it came from)`.
    pub problems: Vec<String>,
}

impl Settings {
    /// Loads the defaults, then `file` (if given), then the environment.
    ///
    /// # Errors
    /// [`ConfigError`] naming the key for an unknown key, a wrong type or a bad value, or the
    /// file when it cannot be read.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Toml::string(DEFAULTS));
        if let Some(path) = file {
            std::fs::read_to_string(path).map_err(|e| ConfigError {
                problems: vec![format!(
                    "{}: cannot read the configuration file: {e}",
                    path.display()
                )],
            })?;
            figment = figment.merge(Toml::file_exact(path));
        }
        // Only PSMA_<SECTION>__<KEY>: PSMA_CONFIG and other PSMA_ variables are not keys.
        figment = figment.merge(
            Env::prefixed("PSMA_")
                .filter(|k| k.as_str().contains("__"))
                .split("__"),
        );
        let settings: Self = figment.extract().map_err(|err| ConfigError {
            problems: err.into_iter().map(|e| describe(&e)).collect(),
        })?;
        settings.check()?;
        Ok(settings)
    }

    /// Checks values serde cannot: the log filter parses, the database URL has a known scheme.
    fn check(&self) -> Result<(), ConfigError> {
        let mut problems = Vec::new();
        if let Err(e) = tracing_subscriber::EnvFilter::try_new(&self.telemetry.log_level) {
            problems.push(format!("telemetry.log_level: {e}"));
        }
        for (key, url) in [
            ("database.url", &self.database.url),
            ("database.migration_url", &self.database.migration_url),
        ] {
            if let Some(url) = url
                && let Err(e) = psma_store::Backend::of(url)
            {
                problems.push(format!("{key}: {e}"));
            }
        }
        for (key, bind) in [
            ("server.bind", &self.server.bind),
            ("worker.bind", &self.worker.bind),
        ] {
            if bind.parse::<std::net::SocketAddr>().is_err() {
                problems.push(format!(
                    "{key}: `{bind}` is not an address like 127.0.0.1:8080"
                ));
            }
        }
        if self.catalog.conflict_date_tolerance_days > 365 {
            problems.push("catalog.conflict_date_tolerance_days: must be at most 365".to_owned());
        }
        if !(0.0..=1.0).contains(&self.catalog.conflict_confidence_margin) {
            problems.push("catalog.conflict_confidence_margin: must be between 0 and 1".to_owned());
        }
        if self.database.max_connections == 0 {
            problems.push("database.max_connections: must be at least 1".to_owned());
        }
        if let Some(public) = &self.server.public_url {
            // Links are made by appending a path: an http(s) base without query or fragment.
            match url::Url::parse(public) {
                Ok(u)
                    if matches!(u.scheme(), "http" | "https")
                        && u.query().is_none()
                        && u.fragment().is_none() => {}
                _ => problems.push(format!(
                    "server.public_url: `{public}` is not an http(s) address like https://psma.example.org"
                )),
            }
        }
        if let Err(mut more) = self.llm.check() {
            problems.append(&mut more);
        }
        for origin in &self.server.cors_origins {
            // An origin is a scheme, a host and maybe a port: nothing after them.
            match url::Url::parse(origin) {
                Ok(u)
                    if matches!(u.scheme(), "http" | "https")
                        && u.host().is_some()
                        && u.origin().ascii_serialization() == *origin => {}
                _ => problems.push(format!(
                    "server.cors_origins: `{origin}` is not an origin like https://app.example.org"
                )),
            }
        }
        if let Err(mut more) = self.auth.check() {
            problems.append(&mut more);
        }
        if !self.auth.oauth.providers.is_empty() && self.server.public_url.is_none() {
            problems.push(
                "server.public_url: needed with auth.oauth providers (their redirect URI is \
                 <public_url>/api/v1/auth/oauth/<provider>/callback)"
                    .to_owned(),
            );
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ConfigError { problems })
        }
    }

    /// Fills in what defaults to the platform: the SQLite file in the data directory.
    ///
    /// # Errors
    /// When no data directory can be determined (no home directory).
    pub fn resolve(mut self) -> anyhow::Result<Self> {
        if self.database.url.is_none() {
            let path = default_database_path()?;
            self.database.url = Some(DatabaseUrl::new(format!(
                "sqlite://{}?mode=rwc",
                path.display()
            )));
        }
        Ok(self)
    }

    /// The database URL (after [`Self::resolve`]).
    ///
    /// # Errors
    /// When called before [`Self::resolve`].
    pub fn database_url(&self) -> anyhow::Result<&DatabaseUrl> {
        self.database
            .url
            .as_ref()
            .context("database.url is not resolved")
    }

    /// The effective configuration as TOML, secrets masked.
    ///
    /// # Errors
    /// Only if serialisation fails (a bug).
    pub fn to_masked_toml(&self) -> anyhow::Result<String> {
        // DatabaseUrl serialises masked, so this is safe to print.
        Ok(toml::to_string_pretty(self)?)
    }
}

fn describe(err: &figment::Error) -> String {
    use figment::error::Kind;
    let mut path = err.path.clone();
    let what = match &err.kind {
        Kind::UnknownField(field, expected) => {
            // figment's path already ends with the unknown key; serde's may not.
            if path.last() != Some(field) {
                path.push(field.clone());
            }
            format!("unknown key (expected one of: {})", expected.join(", "))
        }
        Kind::MissingField(field) => {
            if path.last().map(String::as_str) != Some(field.as_ref()) {
                path.push(field.to_string());
            }
            "missing key".to_owned()
        }
        other => other.to_string(),
    };
    let source = match (&err.metadata, &err.profile) {
        // For the environment, name the variable itself (PSMA_DATABASE__URL).
        // (figment's own interpolation loses the `__` separators).
        (Some(md), _) if md.name.contains("environment") => format!(
            " (from environment variable PSMA_{})",
            err.path.join("__").to_ascii_uppercase()
        ),
        (Some(md), _) => match &md.source {
            Some(src) => format!(" (from {} {src})", md.name),
            None => format!(" (from {})", md.name),
        },
        (None, _) => String::new(),
    };
    let path = if path.is_empty() {
        "(top level)".to_owned()
    } else {
        path.join(".")
    };
    format!("{path}: {what}{source}")
}

fn default_database_path() -> anyhow::Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "psma")
        .context("cannot find a data directory (is HOME set?); set database.url")?;
    Ok(dirs.data_dir().join("psma.db"))
}
