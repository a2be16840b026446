//! Reading a `psma-import/v1` JSON document, reporting every record that does not fit by its
//! JSON pointer and field rather than stopping at the first.

use crate::format::ImportDocument;
use crate::problem::{Problem, Problems, serde_message};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The arrays of a document and the record type each holds.
const ARRAYS: [&str; 5] = [
    "shows",
    "availability",
    "episodes",
    "service_behavior",
    "prices",
];

/// Parses `bytes` as an import document.
pub(crate) fn read(bytes: &[u8]) -> Result<ImportDocument, Vec<Problem>> {
    // The fast path: a valid document parses in one pass.
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let first = match serde_path_to_error::deserialize::<_, ImportDocument>(&mut de) {
        Ok(doc) => match de.end() {
            Ok(()) => return Ok(doc),
            Err(e) => e,
        },
        Err(e) => e.into_inner(),
    };
    if first.is_syntax() || first.is_eof() {
        return Err(vec![Problem::new(
            format!("line {}, column {}", first.line(), first.column()),
            None,
            format!("not valid JSON: {}", serde_message(&first)),
        )]);
    }
    // The slow path, only for broken documents: find every broken record.
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        vec![Problem::new(
            format!("line {}, column {}", e.line(), e.column()),
            None,
            serde_message(&e),
        )]
    })?;
    Err(every_problem(&value))
}

fn every_problem(value: &Value) -> Vec<Problem> {
    let mut problems = Problems::default();
    let Some(object) = value.as_object() else {
        problems.push(Problem::new(
            "/",
            None,
            "the document must be a JSON object",
        ));
        return problems.0;
    };
    let mut top = object.clone();
    for name in ARRAYS {
        top.remove(name);
    }
    // Everything but the arrays, checked as a document with empty arrays.
    check_record::<ImportDocument>(&Value::Object(top), "", &mut problems);
    for name in ARRAYS {
        let Some(items) = object.get(name) else {
            continue;
        };
        let Some(items) = items.as_array() else {
            problems.push(Problem::new(
                format!("/{name}"),
                Some(name),
                "must be an array",
            ));
            continue;
        };
        for (i, item) in items.iter().enumerate() {
            if problems.is_full() {
                return problems.0;
            }
            let at = format!("/{name}/{i}");
            match name {
                "shows" => check_record::<crate::format::ShowRecord>(item, &at, &mut problems),
                "availability" => {
                    check_record::<crate::format::AvailabilityRecord>(item, &at, &mut problems);
                }
                "episodes" => {
                    check_record::<crate::format::EpisodeRecord>(item, &at, &mut problems)
                }
                "service_behavior" => {
                    check_record::<crate::format::ServiceBehaviorRecord>(item, &at, &mut problems);
                }
                _ => check_record::<crate::format::PriceRecord>(item, &at, &mut problems),
            }
        }
    }
    if problems.0.is_empty() {
        problems.push(Problem::new(
            "/",
            None,
            "the document does not match psma-import/v1",
        ));
    }
    problems.0
}

/// Deserialises one record, noting its first problem with the field's path.
fn check_record<T: DeserializeOwned>(value: &Value, at: &str, problems: &mut Problems) {
    if let Err(err) = serde_path_to_error::deserialize::<_, T>(value) {
        let path = err.path().to_string();
        let inner = err.into_inner();
        let message = serde_message(&inner);
        let named = ["missing field `", "unknown field `"]
            .iter()
            .find_map(|p| message.strip_prefix(p))
            .and_then(|rest| rest.split('`').next())
            .map(str::to_owned);
        let field = match (named, path.as_str()) {
            (Some(name), "." | "") => Some(name),
            (Some(name), parent) if !parent.ends_with(&name) => Some(format!("{parent}.{name}")),
            (_, "." | "") => None,
            (_, path) => Some(path.to_owned()),
        };
        let location = if at.is_empty() {
            "/".to_owned()
        } else {
            at.to_owned()
        };
        problems.push(Problem {
            location,
            field,
            message,
        });
    }
}
