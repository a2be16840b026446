//! `providers.<id>` for an exec provider: the command, its time limit, its extra environment
//! and the program's own settings.

use psma_plugin_sdk::ProviderError;
use psma_plugin_sdk::serde_json::{Map, Value, json};
use psma_plugin_sdk::text::SourceId;
use std::collections::BTreeMap;
use std::time::Duration;

/// The source id of a provider built without one (outside PSMA, which always gives one).
pub(crate) const DEFAULT_SOURCE: &str = "exec";

/// How long a `read` may take by default.
pub(crate) const DEFAULT_TIMEOUT_SECS: u64 = 60;

/// The longest `timeout_secs` accepted.
pub(crate) const MAX_TIMEOUT_SECS: u64 = 3600;

/// `spec` and `check` get this long, or `timeout_secs` when it is shorter.
pub(crate) const SHORT_EXCHANGE: Duration = Duration::from_secs(10);

/// The keys the plugin takes.
const KEYS: [&str; 5] = ["exec", "source_id", "timeout_secs", "env", "config"];

/// The checked configuration.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Config {
    /// The program: an absolute path, a path relative to PSMA's working directory (with a
    /// `/`), or a name looked up on `PATH`.
    pub(crate) program: String,
    /// Its arguments.
    pub(crate) args: Vec<String>,
    /// The source id its facts carry.
    pub(crate) source_id: SourceId,
    /// How long a `read` may take.
    pub(crate) timeout: Duration,
    /// Variables added to the program's environment.
    pub(crate) env: BTreeMap<String, String>,
    /// The program's own settings, passed to it with `check` and `read`.
    pub(crate) config: Value,
}

impl Config {
    /// How long `spec` and `check` may take.
    pub(crate) fn short_timeout(&self) -> Duration {
        self.timeout.min(SHORT_EXCHANGE)
    }

    /// Checks `value`, naming the offending key.
    pub(crate) fn from_json(value: &Value) -> Result<Self, ProviderError> {
        let Some(object) = value.as_object() else {
            return Err(ProviderError::config(
                "config",
                "must be a table of settings",
            ));
        };
        if let Some(unknown) = object.keys().find(|k| !KEYS.contains(&k.as_str())) {
            return Err(ProviderError::config(
                unknown.clone(),
                format!(
                    "unknown key; an exec provider takes {} — put the program's own settings under `config`",
                    KEYS.join(", ")
                ),
            ));
        }
        let (program, args) = command(object.get("exec"))?;
        let source_id = match object.get("source_id") {
            None | Some(Value::Null) => SourceId::parse(DEFAULT_SOURCE)
                .map_err(|e| ProviderError::config("source_id", e.0))?,
            Some(Value::String(id)) => {
                SourceId::parse(id).map_err(|e| ProviderError::config("source_id", e.0))?
            }
            Some(_) => return Err(ProviderError::config("source_id", "must be a string")),
        };
        let timeout_secs = match object.get("timeout_secs") {
            None | Some(Value::Null) => DEFAULT_TIMEOUT_SECS,
            Some(v) => v
                .as_u64()
                .filter(|s| (1..=MAX_TIMEOUT_SECS).contains(s))
                .ok_or_else(|| {
                    ProviderError::config(
                        "timeout_secs",
                        format!("must be a whole number of seconds from 1 to {MAX_TIMEOUT_SECS}, got {v}"),
                    )
                })?,
        };
        let env = environment(object.get("env"))?;
        let config = match object.get("config") {
            None | Some(Value::Null) => Value::Object(Map::new()),
            Some(v @ Value::Object(_)) => v.clone(),
            Some(_) => {
                return Err(ProviderError::config(
                    "config",
                    "must be a table (the program's own settings)",
                ));
            }
        };
        Ok(Self {
            program,
            args,
            source_id,
            timeout: Duration::from_secs(timeout_secs),
            env,
            config,
        })
    }
}

fn command(value: Option<&Value>) -> Result<(String, Vec<String>), ProviderError> {
    let usage = r#"must be a list of the program and its arguments: ["python3", "plugin.py"]"#;
    let words = match value {
        None | Some(Value::Null) => {
            return Err(ProviderError::config(
                "exec",
                format!("is required; it {usage}"),
            ));
        }
        Some(Value::Array(words)) => words,
        Some(Value::String(text)) => {
            return Err(ProviderError::config(
                "exec",
                format!("{usage}, not one string (no shell splits `{text}`)"),
            ));
        }
        Some(_) => return Err(ProviderError::config("exec", usage)),
    };
    let mut strings = Vec::with_capacity(words.len());
    for (i, word) in words.iter().enumerate() {
        match word.as_str() {
            Some(s) if s.contains('\0') => {
                return Err(ProviderError::config(
                    "exec",
                    format!("word {i} contains a NUL character"),
                ));
            }
            Some(s) => strings.push(s.to_owned()),
            None => {
                return Err(ProviderError::config(
                    "exec",
                    format!("word {i} is {word}, not a string; {usage}"),
                ));
            }
        }
    }
    let mut words = strings.into_iter();
    match words.next() {
        Some(program) if !program.trim().is_empty() => Ok((program, words.collect())),
        Some(_) => Err(ProviderError::config("exec", "the program's name is blank")),
        None => Err(ProviderError::config(
            "exec",
            format!("is empty; it {usage}"),
        )),
    }
}

fn environment(value: Option<&Value>) -> Result<BTreeMap<String, String>, ProviderError> {
    let object = match value {
        None | Some(Value::Null) => return Ok(BTreeMap::new()),
        Some(Value::Object(object)) => object,
        Some(_) => {
            return Err(ProviderError::config(
                "env",
                "must be a table of variable names and values",
            ));
        }
    };
    let mut env = BTreeMap::new();
    for (name, value) in object {
        if name.is_empty() || name.contains(['=', '\0']) {
            return Err(ProviderError::config(
                "env",
                format!("`{name}` is not a variable name (empty, or holds `=` or NUL)"),
            ));
        }
        // TOML `DEBUG = 1` or `VERBOSE = true` mean the text, as in a shell.
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => {
                return Err(ProviderError::config(
                    format!("env.{name}"),
                    "must be a string, a number or a boolean",
                ));
            }
        };
        if text.contains('\0') {
            return Err(ProviderError::config(
                format!("env.{name}"),
                "contains a NUL character",
            ));
        }
        env.insert(name.clone(), text);
    }
    Ok(env)
}

/// The JSON Schema of the configuration; `program_schema` (the program's own, from its spec)
/// describes `config`.
pub(crate) fn schema(program_schema: Option<&Value>) -> Value {
    let mut config = Map::new();
    config.insert("type".to_owned(), json!("object"));
    config.insert(
        "description".to_owned(),
        json!("The program's own settings, passed to it with every check and read"),
    );
    // The program's schema is embedded under `config`; its definitions move to the root, where
    // its `#/$defs/…` references point.
    let mut definitions = Map::new();
    if let Some(Value::Object(own)) = program_schema {
        for (key, value) in own {
            match key.as_str() {
                "$defs" | "definitions" => {
                    definitions.insert(key.clone(), value.clone());
                }
                "$schema" => {}
                _ => {
                    config.insert(key.clone(), value.clone());
                }
            }
        }
    }
    let mut schema = json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["exec"],
        "properties": {
            "exec": {
                "type": "array", "minItems": 1,
                "items": {"type": "string", "minLength": 1},
                "description": "The program and its arguments; a relative path resolves against PSMA's working directory, a bare name on PATH"
            },
            "source_id": {
                "type": "string", "pattern": SourceId::PATTERN, "maxLength": SourceId::MAX_CHARS,
                "description": "The source the facts belong to (PSMA sets it to the section's id)"
            },
            "timeout_secs": {
                "type": "integer", "minimum": 1, "maximum": MAX_TIMEOUT_SECS,
                "default": DEFAULT_TIMEOUT_SECS,
                "description": "How long a read may take; spec and check get 10 s or this, whichever is shorter"
            },
            "env": {
                "type": "object",
                "propertyNames": {"minLength": 1, "pattern": "^[^=\\u0000]+$"},
                "additionalProperties": {"type": ["string", "number", "boolean"]},
                "description": "Variables added to the program's environment"
            },
            "config": config
        }
    });
    if let Some(root) = schema.as_object_mut() {
        root.extend(definitions);
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(value: Value) -> String {
        match Config::from_json(&value) {
            Err(ProviderError::Config { field, message }) => {
                assert!(!message.is_empty());
                field
            }
            other => panic!("expected a config error, got {other:?}"),
        }
    }

    #[test]
    fn a_full_configuration_is_read() {
        let config = Config::from_json(&json!({
            "exec": ["python3", "plugin.py", "--fast"],
            "source_id": "my_list",
            "timeout_secs": 5,
            "env": {"TOKEN": "abc", "DEBUG": 1, "VERBOSE": true},
            "config": {"country": "US"}
        }))
        .unwrap();
        assert_eq!(config.program, "python3");
        assert_eq!(config.args, ["plugin.py", "--fast"]);
        assert_eq!(config.source_id.as_str(), "my_list");
        assert_eq!(config.timeout, Duration::from_secs(5));
        assert_eq!(config.short_timeout(), Duration::from_secs(5));
        assert_eq!(config.env["DEBUG"], "1");
        assert_eq!(config.env["VERBOSE"], "true");
        assert_eq!(config.config, json!({"country": "US"}));
    }

    #[test]
    fn defaults_fill_what_is_not_given() {
        let config = Config::from_json(&json!({"exec": ["./plugin"]})).unwrap();
        assert_eq!(config.source_id.as_str(), "exec");
        assert_eq!(config.timeout, Duration::from_secs(60));
        assert_eq!(config.short_timeout(), Duration::from_secs(10));
        assert!(config.env.is_empty());
        assert_eq!(config.config, json!({}));
    }

    #[test]
    fn every_bad_key_is_named() {
        assert_eq!(field_of(json!({})), "exec");
        assert_eq!(field_of(json!({"exec": []})), "exec");
        assert_eq!(field_of(json!({"exec": "python3 plugin.py"})), "exec");
        assert_eq!(field_of(json!({"exec": ["python3", 3]})), "exec");
        assert_eq!(field_of(json!({"exec": [" "]})), "exec");
        assert_eq!(
            field_of(json!({"exec": ["a"], "timeout_secs": 0})),
            "timeout_secs"
        );
        assert_eq!(
            field_of(json!({"exec": ["a"], "timeout_secs": 3601})),
            "timeout_secs"
        );
        assert_eq!(
            field_of(json!({"exec": ["a"], "timeout_secs": "5"})),
            "timeout_secs"
        );
        assert_eq!(
            field_of(json!({"exec": ["a"], "source_id": "My List"})),
            "source_id"
        );
        assert_eq!(field_of(json!({"exec": ["a"], "env": ["A=b"]})), "env");
        assert_eq!(field_of(json!({"exec": ["a"], "env": {"A=B": "c"}})), "env");
        assert_eq!(field_of(json!({"exec": ["a"], "env": {"A": []}})), "env.A");
        assert_eq!(field_of(json!({"exec": ["a"], "config": "x"})), "config");
        assert_eq!(field_of(json!({"exec": ["a"], "api_key": "x"})), "api_key");
        assert_eq!(field_of(json!(["a"])), "config");
    }

    #[test]
    fn the_schema_refuses_what_the_parser_refuses() {
        let schema = schema(None);
        let validator = jsonschema::validator_for(&schema).unwrap();
        assert!(validator.is_valid(&json!({"exec": ["a", "b"], "env": {"A": 1}, "config": {}})));
        for bad in [
            json!({}),
            json!({"exec": []}),
            json!({"exec": "a b"}),
            json!({"exec": ["a"], "timeout_secs": 0}),
            json!({"exec": ["a"], "env": {"A=B": "c"}}),
            json!({"exec": ["a"], "api_key": "x"}),
        ] {
            assert!(!validator.is_valid(&bad), "{bad}");
        }
    }

    #[test]
    fn the_programs_schema_describes_config() {
        let schema = schema(Some(&json!({
            "properties": {"country": {"type": "string"}},
            "required": ["country"]
        })));
        let validator = jsonschema::validator_for(&schema).unwrap();
        assert!(validator.is_valid(&json!({"exec": ["a"], "config": {"country": "US"}})));
        assert!(!validator.is_valid(&json!({"exec": ["a"], "config": {}})));
        assert_eq!(schema["properties"]["config"]["type"], "object");
    }

    #[test]
    fn the_programs_definitions_still_resolve() {
        let schema = schema(Some(&json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "properties": {"country": {"$ref": "#/$defs/country"}},
            "$defs": {"country": {"type": "string", "pattern": "^[A-Z]{2}$"}}
        })));
        let validator = jsonschema::validator_for(&schema).unwrap();
        assert!(validator.is_valid(&json!({"exec": ["a"], "config": {"country": "US"}})));
        assert!(!validator.is_valid(&json!({"exec": ["a"], "config": {"country": "usa"}})));
    }
}
