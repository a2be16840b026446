//! The manual import as a provider: a `psma-import/v1` JSON or CSV file (or text given in the
//! configuration) refreshed like any other source.

use crate::facts::DEFAULT_SOURCE;
use crate::{FileFormat, parse};
use psma_plugin_sdk::futures_util::stream;
use psma_plugin_sdk::serde_json::{Value, json};
use psma_plugin_sdk::text::{Label, LongText, SourceId, Title};
use psma_plugin_sdk::{
    Attribution, Capabilities, Fact, FactKind, FactStream, PluginDeps, Provider, ProviderError,
    ProviderFactory, ProviderSpec, Scope, ScopeKind, ShowQuery, async_trait,
};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

/// The factory PSMA registers under `manual_import`.
#[derive(Debug, Default, Clone, Copy)]
pub struct ManualImportFactory;

/// `providers.<id>` for a manual import: exactly one of `path` and `content`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    path: Option<PathBuf>,
    content: Option<String>,
    format: Option<String>,
    source_id: Option<String>,
    display_name: Option<String>,
    attribution: Option<String>,
}

fn config_schema() -> Value {
    json!({
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "path": {"type": "string", "minLength": 1, "description": "A psma-import/v1 JSON or CSV file"},
            "content": {"type": "string", "description": "The file's text itself"},
            "format": {"enum": ["json", "csv"], "description": "Default: from the path's extension, else json"},
            "source_id": {"type": "string", "pattern": SourceId::PATTERN, "maxLength": SourceId::MAX_CHARS,
                          "description": "The source the facts belong to (default manual_import)"},
            "display_name": {"type": "string", "minLength": 1, "maxLength": 500},
            "attribution": {"type": "string", "minLength": 1, "maxLength": 10000}
        },
        "oneOf": [{"required": ["path"]}, {"required": ["content"]}]
    })
}

fn spec(
    source_id: SourceId,
    display_name: Title,
    attribution: LongText,
    version: Label,
) -> ProviderSpec {
    ProviderSpec {
        id: source_id,
        display_name,
        version,
        capabilities: Capabilities {
            scopes: vec![ScopeKind::All, ScopeKind::Show, ScopeKind::Country],
            fact_kinds: FactKind::ALL.to_vec(),
            countries: Vec::new(),
            needs_credentials: false,
            search: false,
        },
        config_schema: config_schema(),
        attribution: Attribution {
            text: attribution,
            url: None,
            license: None,
        },
        min_refresh_interval_secs: 60,
        rate_limit: None,
    }
}

fn default_spec() -> Result<ProviderSpec, ProviderError> {
    let bad = |e: psma_plugin_sdk::text::InvalidText| ProviderError::config("source_id", e.0);
    Ok(spec(
        SourceId::parse(DEFAULT_SOURCE).map_err(bad)?,
        Title::parse("Manual import").map_err(|e| ProviderError::config("display_name", e.0))?,
        LongText::parse("Imported from a psma-import/v1 file")
            .map_err(|e| ProviderError::config("attribution", e.0))?,
        Label::parse(env!("CARGO_PKG_VERSION"))
            .map_err(|e| ProviderError::config("version", e.0))?,
    ))
}

impl ProviderFactory for ManualImportFactory {
    fn id(&self) -> &'static str {
        DEFAULT_SOURCE
    }

    fn describe(&self) -> ProviderSpec {
        // The defaults are constants that satisfy their rules.
        default_spec().unwrap_or_else(|e| panic_spec(&e))
    }

    fn build(&self, config: &Value, deps: PluginDeps) -> Result<Arc<dyn Provider>, ProviderError> {
        let config: Config = serde_path_to_error::deserialize(config.clone()).map_err(|e| {
            let path = e.path().to_string();
            let message = crate::problem::serde_message(e.inner());
            let field = message
                .strip_prefix("unknown field `")
                .and_then(|r| r.split('`').next())
                .map_or(path, str::to_owned);
            ProviderError::config(
                if field == "." {
                    "config".to_owned()
                } else {
                    field
                },
                message,
            )
        })?;
        let data = match (&config.path, &config.content) {
            (Some(_), Some(_)) => {
                return Err(ProviderError::config(
                    "content",
                    "give either `path` or `content`, not both",
                ));
            }
            (None, None) => {
                return Err(ProviderError::config(
                    "path",
                    "give the file's `path` (or its text as `content`)",
                ));
            }
            (Some(path), None) if path.as_os_str().is_empty() => {
                return Err(ProviderError::config("path", "must not be empty"));
            }
            (Some(path), None) => Data::File(path.clone()),
            (None, Some(text)) => Data::Text(text.clone()),
        };
        let format = match config.format.as_deref() {
            Some("json") => FileFormat::Json,
            Some("csv") => FileFormat::Csv,
            Some(other) => {
                return Err(ProviderError::config(
                    "format",
                    format!("`{other}` is not json or csv"),
                ));
            }
            None => match &data {
                Data::File(path)
                    if path
                        .extension()
                        .is_some_and(|e| e.eq_ignore_ascii_case("csv")) =>
                {
                    FileFormat::Csv
                }
                _ => FileFormat::Json,
            },
        };
        let mut spec = default_spec()?;
        if let Some(id) = &config.source_id {
            spec.id = SourceId::parse(id).map_err(|e| ProviderError::config("source_id", e.0))?;
        }
        if let Some(name) = &config.display_name {
            spec.display_name =
                Title::parse(name).map_err(|e| ProviderError::config("display_name", e.0))?;
        }
        if let Some(text) = &config.attribution {
            spec.attribution.text =
                LongText::parse(text).map_err(|e| ProviderError::config("attribution", e.0))?;
        }
        Ok(Arc::new(ManualImport {
            spec,
            data,
            format,
            deps,
        }))
    }
}

#[expect(
    clippy::panic,
    reason = "unreachable: the default spec is built from constants"
)]
fn panic_spec(err: &ProviderError) -> ProviderSpec {
    panic!("the manual import's default spec is invalid: {err}")
}

#[derive(Debug, Clone)]
enum Data {
    File(PathBuf),
    Text(String),
}

/// One configured manual import.
struct ManualImport {
    spec: ProviderSpec,
    data: Data,
    format: FileFormat,
    deps: PluginDeps,
}

impl ManualImport {
    fn read(&self) -> Result<Vec<Fact>, ProviderError> {
        let bytes = match &self.data {
            Data::File(path) => std::fs::read(path).map_err(|e| ProviderError::Upstream {
                status: None,
                message: format!("cannot read {}: {e}", path.display()),
            })?,
            Data::Text(text) => text.clone().into_bytes(),
        };
        // A broken file is a broken upstream: nothing of it is used, so the source's facts
        // stay as they were rather than ending.
        parse(
            &bytes,
            self.format,
            Some(&self.spec.id),
            self.deps.clock.now(),
            &self.deps.services,
        )
        .map(|imported| imported.facts)
        .map_err(|problems| ProviderError::Upstream {
            status: None,
            message: format!(
                "the file has {} problem(s), the first: {}",
                problems.len(),
                problems
                    .first()
                    .map(ToString::to_string)
                    .unwrap_or_default()
            ),
        })
    }
}

#[async_trait]
impl Provider for ManualImport {
    fn spec(&self) -> &ProviderSpec {
        &self.spec
    }

    async fn check(&self) -> Result<(), ProviderError> {
        match &self.data {
            Data::File(path) => {
                std::fs::metadata(path)
                    .map(drop)
                    .map_err(|e| ProviderError::Upstream {
                        status: None,
                        message: format!("cannot read {}: {e}", path.display()),
                    })
            }
            Data::Text(_) => Ok(()),
        }
    }

    fn fetch(&self, scope: Scope) -> FactStream<'_> {
        let facts = self.read().map(|facts| select(facts, &scope));
        match facts {
            Ok(facts) => Box::pin(stream::iter(facts.into_iter().map(Ok))),
            Err(err) => Box::pin(stream::iter([Err(err)])),
        }
    }
}

/// The facts in `scope`: for a show or a country, the facts about it and the identities of the
/// shows they concern.
fn select(facts: Vec<Fact>, scope: &Scope) -> Vec<Fact> {
    let shows: BTreeSet<_> = match scope {
        Scope::All => return facts,
        Scope::Show(query) => facts
            .iter()
            .filter_map(|f| match f {
                Fact::ShowIdentity(i) if is_the_show(i, query) => Some(i.show.clone()),
                _ => None,
            })
            .collect(),
        Scope::Country(country) => facts
            .iter()
            .filter(|f| f.country() == Some(country))
            .filter_map(|f| f.show().cloned())
            .collect(),
    };
    facts
        .into_iter()
        .filter(|f| match (f, scope) {
            (_, Scope::Country(country)) if f.country() == Some(country) => true,
            (Fact::ShowIdentity(i), _) => shows.contains(&i.show),
            (Fact::Episode(_), Scope::Country(_)) => false,
            _ => f.show().is_some_and(|s| shows.contains(s)),
        })
        .collect()
}

fn is_the_show(identity: &psma_plugin_sdk::ShowIdentity, query: &ShowQuery) -> bool {
    query.key.as_ref() == Some(&identity.show)
        || identity
            .external_ids
            .iter()
            .any(|(ns, v)| query.external_ids.get(ns) == Some(v))
        || query.title.as_ref().is_some_and(|t| {
            t.as_str().eq_ignore_ascii_case(identity.title.as_str())
                && (query.year.is_none() || query.year == identity.year)
        })
}
