//! Components of the OpenAPI document as standalone JSON Schemas (2020-12): the component, and
//! every component it refers to under `$defs`. OpenAPI 3.1's schemas are JSON Schema, so the
//! contract files and the document state the same rules from the same Rust types.

use serde_json::{Map, Value, json};

/// The compatibility façade's request and response (`POST /plan/v1/generate`, ADR 0017), as
/// `(file name, schema)` for `contracts/jsonschema/`.
#[must_use]
pub fn plan_facade_json_schemas() -> Vec<(&'static str, Value)> {
    let document = super::document(&[]);
    [
        (
            "plan-facade-request.v1.schema.json",
            "plan-facade-request.v1",
            "PlanFacadeRequest",
        ),
        (
            "plan-facade-response.v1.schema.json",
            "plan-facade-response.v1",
            "PlanFacadeResponse",
        ),
    ]
    .into_iter()
    .map(|(file, id, component)| (file, standalone(&document, component, id)))
    .collect()
}

/// `component` of `document` with `$id` `urn:psma:schema:<id>`, its references under `$defs`.
fn standalone(document: &Value, component: &str, id: &str) -> Value {
    let empty = Map::new();
    let components = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut root = components.get(component).cloned().unwrap_or(Value::Null);
    let mut defs = Map::new();
    let mut pending = Vec::new();
    collect_refs(&root, &mut pending);
    while let Some(name) = pending.pop() {
        if defs.contains_key(&name) || name == component {
            continue;
        }
        let def = components.get(&name).cloned().unwrap_or(Value::Null);
        collect_refs(&def, &mut pending);
        defs.insert(name, def);
    }
    point_refs_at_defs(&mut root, component);
    for def in defs.values_mut() {
        point_refs_at_defs(def, component);
    }
    if let Value::Object(schema) = &mut root {
        schema.insert(
            "$schema".to_owned(),
            json!("https://json-schema.org/draft/2020-12/schema"),
        );
        schema.insert("$id".to_owned(), json!(format!("urn:psma:schema:{id}")));
        schema.insert("title".to_owned(), json!(component));
        if !defs.is_empty() {
            schema.insert("$defs".to_owned(), Value::Object(defs));
        }
    }
    root
}

const PREFIX: &str = "#/components/schemas/";

fn collect_refs(value: &Value, into: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(target)) => {
                        if let Some(name) = target.strip_prefix(PREFIX) {
                            into.push(name.to_owned());
                        }
                    }
                    _ => collect_refs(v, into),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, into)),
        _ => {}
    }
}

/// `#/components/schemas/X` → `#/$defs/X`, and `#` for the root component itself.
fn point_refs_at_defs(value: &mut Value, root: &str) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if key == "$ref"
                    && let Value::String(target) = v
                    && let Some(name) = target.strip_prefix(PREFIX)
                {
                    *target = if name == root {
                        "#".to_owned()
                    } else {
                        format!("#/$defs/{name}")
                    };
                } else {
                    point_refs_at_defs(v, root);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| point_refs_at_defs(v, root)),
        _ => {}
    }
}
