//! The spec a program declares in its `spec` answer, and the configuration it is given.

use super::{MAX_LISTED_VIOLATIONS, shorten};
use crate::config;
use psma_plugin_sdk::contract::provider_spec_schema;
use psma_plugin_sdk::serde_json::{self, Map, Value, json};
use psma_plugin_sdk::text::{CountryCode, Label, LongText, SourceId, Title};
use psma_plugin_sdk::{
    Attribution, Capabilities, FactKind, ProviderError, ProviderSpec, RateLimit, ScopeKind,
};
use serde::Deserialize;
use std::sync::LazyLock;

/// A program's spec, as it may declare it: everything optional but what it says must be right.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Declaration {
    display_name: Option<Title>,
    version: Option<Label>,
    capabilities: Option<DeclaredCapabilities>,
    attribution: Option<Attribution>,
    min_refresh_interval_secs: Option<u64>,
    rate_limit: Option<RateLimit>,
    config_schema: Option<Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct DeclaredCapabilities {
    scopes: Option<Vec<ScopeKind>>,
    fact_kinds: Option<Vec<FactKind>>,
    #[serde(default)]
    countries: Vec<CountryCode>,
    #[serde(default)]
    needs_credentials: bool,
    #[serde(default)]
    search: bool,
}

/// The shortest refresh interval of a program that does not declare one.
pub(crate) const DEFAULT_MIN_REFRESH_SECS: u64 = 60;

/// The spec of the provider a program backs: what it declared (`None`: it declared nothing),
/// with the defaults for the rest, under the provider's own id; and the program's config
/// schema, when it gave one.
pub(crate) fn provider_spec(
    declared: Option<Value>,
    source_id: &SourceId,
) -> Result<(ProviderSpec, Option<Value>), String> {
    let mut object = match declared {
        None => Map::new(),
        Some(Value::Object(object)) => object,
        Some(_) => return Err("the spec must be a JSON object".to_owned()),
    };
    // The id is always the section's; a program may say `type` and `id` but they change nothing.
    object.remove("type");
    object.remove("id");
    // `"attribution": "text"` is short for `{"text": "text"}`.
    if let Some(Value::String(text)) = object.get("attribution") {
        let full = json!({"text": text});
        object.insert("attribution".to_owned(), full);
    }
    let declaration: Declaration = serde_path_to_error::deserialize(Value::Object(object))
        .map_err(|e| match e.path().to_string().as_str() {
            "." => e.inner().to_string(),
            path => format!("{path}: {}", e.inner()),
        })?;
    let capabilities = declaration.capabilities.unwrap_or_default();
    if capabilities.search {
        return Err(
            "capabilities.search: exec programs cannot search (the protocol has no `search` request)"
                .to_owned(),
        );
    }
    let scopes = dedup(capabilities.scopes.unwrap_or_else(|| vec![ScopeKind::All]));
    let fact_kinds = dedup(
        capabilities
            .fact_kinds
            .unwrap_or_else(|| FactKind::ALL.to_vec()),
    );
    if scopes.is_empty() {
        return Err("capabilities.scopes: name at least one of all, show, country".to_owned());
    }
    if fact_kinds.is_empty() {
        return Err("capabilities.fact_kinds: name at least one kind of fact".to_owned());
    }
    if let Some(limit) = declaration.rate_limit
        && (limit.requests == 0 || limit.per_secs == 0)
    {
        return Err("rate_limit: requests and per_secs must be at least 1".to_owned());
    }
    let display_name = match declaration.display_name {
        Some(name) => name,
        None => Title::parse(source_id.as_str()).map_err(|e| e.0)?,
    };
    let attribution = match declaration.attribution {
        Some(attribution) => attribution,
        None => Attribution {
            text: LongText::parse(&format!("Data from {display_name}")).map_err(|e| e.0)?,
            url: None,
            license: None,
        },
    };
    if let Some(url) = &attribution.url
        && !(url.as_str().starts_with("https://") || url.as_str().starts_with("http://"))
    {
        return Err(format!("attribution.url: `{url}` is not an http(s) URL"));
    }
    let program_schema = declaration.config_schema;
    if let Some(schema) = &program_schema {
        if !schema.is_object() {
            return Err("config_schema: must be a JSON Schema object".to_owned());
        }
        jsonschema::validator_for(schema)
            .map_err(|e| format!("config_schema: not a valid JSON Schema: {e}"))?;
    }
    let spec = ProviderSpec {
        id: source_id.clone(),
        display_name,
        version: match declaration.version {
            Some(version) => version,
            None => Label::parse("unversioned").map_err(|e| e.0)?,
        },
        capabilities: Capabilities {
            scopes,
            fact_kinds,
            countries: capabilities.countries,
            needs_credentials: capabilities.needs_credentials,
            search: false,
        },
        config_schema: config::schema(program_schema.as_ref()),
        attribution,
        min_refresh_interval_secs: declaration
            .min_refresh_interval_secs
            .unwrap_or(DEFAULT_MIN_REFRESH_SECS),
        rate_limit: declaration.rate_limit,
    };
    check_against_contract(&spec)?;
    Ok((spec, program_schema))
}

fn dedup<T: PartialEq>(items: Vec<T>) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(items.len());
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// The provider-spec contract, compiled once per process.
static SPEC_VALIDATOR: LazyLock<Result<jsonschema::Validator, String>> = LazyLock::new(|| {
    jsonschema::validator_for(&provider_spec_schema().to_value()).map_err(|e| e.to_string())
});

fn check_against_contract(spec: &ProviderSpec) -> Result<(), String> {
    let validator = SPEC_VALIDATOR.as_ref().map_err(Clone::clone)?;
    let document = serde_json::to_value(spec).map_err(|e| e.to_string())?;
    let errors: Vec<String> = validator
        .iter_errors(&document)
        .take(MAX_LISTED_VIOLATIONS)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "breaks the provider-spec contract: {}",
            errors.join("; ")
        ))
    }
}

/// Checks the program's settings against the schema it declared, naming the offending key
/// (`config.country`).
pub(crate) fn check_program_config(schema: &Value, config: &Value) -> Result<(), ProviderError> {
    let validator = jsonschema::validator_for(schema)
        .map_err(|e| ProviderError::config("exec", format!("the program's config_schema: {e}")))?;
    match validator.iter_errors(config).next() {
        None => Ok(()),
        Some(error) => {
            let mut field = "config".to_owned();
            for segment in error.instance_path().to_string().split('/').skip(1) {
                let segment = segment.replace("~1", "/").replace("~0", "~");
                if !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()) {
                    field.push_str(&format!("[{segment}]"));
                } else {
                    field.push('.');
                    field.push_str(&segment);
                }
            }
            Err(ProviderError::config(field, shorten(&error.to_string())))
        }
    }
}
