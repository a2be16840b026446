//! The contracts, generated from the types above: the JSON Schemas PSMA commits under
//! `contracts/jsonschema/`, and a validator that checks facts against them. Whatever a
//! provider returns is checked here before PSMA stores it.

use crate::fact::{FactKind, FieldError};
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};
use serde_json::Value;
use std::collections::BTreeMap;

/// The schema of one [`crate::Fact`]: `provider-facts.v1.schema.json`.
#[must_use]
pub fn fact_schema() -> Schema {
    schema_with_id::<crate::Fact>("provider-facts.v1")
}

/// The schema of a [`crate::ProviderSpec`]: `provider-spec.v1.schema.json`.
#[must_use]
pub fn provider_spec_schema() -> Schema {
    schema_with_id::<crate::ProviderSpec>("provider-spec.v1")
}

/// The schema of the [`crate::ServiceRegistry`] document: `service-registry.v1.schema.json`.
#[must_use]
pub fn service_registry_schema() -> Schema {
    schema_with_id::<crate::ServiceRegistry>("service-registry.v1")
}

/// A schema for `T` in JSON Schema 2020-12 with the `$id` `urn:psma:schema:<name>`.
#[must_use]
pub fn schema_with_id<T: JsonSchema>(name: &str) -> Schema {
    let mut schema = SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<T>();
    schema.insert(
        "$id".to_owned(),
        Value::String(format!("urn:psma:schema:{name}")),
    );
    schema
}

/// Pretty JSON with a trailing newline, exactly as committed.
#[must_use]
pub fn to_committed_text(schema: &Schema) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}

/// Checks fact documents against [`fact_schema`]. Compiled once; one validator per fact kind,
/// so an error names the field within the kind instead of "matches none of the kinds".
///
/// A document is checked against its own kind's variant only. The schema is a `oneOf` whose
/// variants each require a different `kind` constant, so a document matches the whole schema
/// exactly when it matches its kind's variant; checking it against all five variants, as the
/// `oneOf` itself does, would be work for nothing.
pub struct FactValidator {
    by_kind: BTreeMap<FactKind, jsonschema::Validator>,
}

impl FactValidator {
    /// Compiles the validators.
    ///
    /// # Errors
    /// Only if the generated schema does not compile, which a test rules out.
    pub fn new() -> Result<Self, String> {
        let schema = fact_schema().to_value();
        // The whole schema must compile too: it is the committed contract.
        compile(&schema)?;
        let mut by_kind = BTreeMap::new();
        let variants = schema
            .get("oneOf")
            .and_then(Value::as_array)
            .ok_or("the fact schema has no oneOf")?;
        for variant in variants {
            let tag = variant
                .pointer("/properties/kind/const")
                .and_then(Value::as_str)
                .ok_or("a fact variant has no kind constant")?;
            let kind = FactKind::parse(tag).ok_or_else(|| format!("unknown kind `{tag}`"))?;
            let mut single = variant.clone();
            if let (Some(obj), Some(defs)) = (single.as_object_mut(), schema.get("$defs")) {
                obj.insert("$defs".to_owned(), defs.clone());
            }
            let validator = compile(&single)?;
            by_kind.insert(kind, validator);
        }
        Ok(Self { by_kind })
    }

    /// Checks one fact document.
    ///
    /// # Errors
    /// Each violation with the path of the offending field (`provenance.confidence`).
    pub fn validate(&self, document: &Value) -> Result<(), Vec<FieldError>> {
        let kind = document.get("kind").and_then(Value::as_str);
        let Some(validator) = kind
            .and_then(FactKind::parse)
            .and_then(|k| self.by_kind.get(&k))
        else {
            let allowed: Vec<&str> = FactKind::ALL.iter().map(|k| k.as_str()).collect();
            return Err(vec![FieldError {
                field: "kind".to_owned(),
                message: format!("must be one of {}", allowed.join(", ")),
            }]);
        };
        if validator.is_valid(document) {
            return Ok(());
        }
        let errors: Vec<FieldError> = validator
            .iter_errors(document)
            .map(|e| FieldError {
                field: pointer_to_path(&e.instance_path().to_string()),
                message: e.to_string(),
            })
            .collect();
        Err(errors)
    }
}

/// Compiles with `format` asserted, so a `date` like `2026-02-30` is refused by the contract
/// and not only later by the types.
fn compile(schema: &Value) -> Result<jsonschema::Validator, String> {
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .map_err(|e| e.to_string())
}

/// `/provenance/confidence` → `provenance.confidence`; `/genres/2` → `genres[2]`.
fn pointer_to_path(pointer: &str) -> String {
    let mut path = String::new();
    for segment in pointer.split('/').skip(1) {
        if segment.chars().all(|c| c.is_ascii_digit()) && !segment.is_empty() {
            path.push_str(&format!("[{segment}]"));
        } else {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&segment.replace("~1", "/").replace("~0", "~"));
        }
    }
    if path.is_empty() {
        "(fact)".to_owned()
    } else {
        path
    }
}
