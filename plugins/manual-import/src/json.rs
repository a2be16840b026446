//! Reading a `psma-import/v1` JSON document. A valid document parses in one pass; a broken one
//! is read record by record so that every problem is reported by its JSON pointer and field,
//! and the records that did parse are still checked against each other and the registry.

use crate::format::{
    AvailabilityRecord, EpisodeRecord, Format, ImportDocument, PriceRecord, ServiceBehaviorRecord,
    ShowRecord,
};
use crate::problem::{Problem, Problems, serde_message};
use psma_plugin_sdk::chrono::{DateTime, Utc};
use psma_plugin_sdk::text::SourceId;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::BTreeSet;

/// The records of a document, each with its index in its array.
#[derive(Debug, Default)]
pub(crate) struct Records {
    pub source_id: Option<SourceId>,
    pub retrieved_at: Option<DateTime<Utc>>,
    pub shows: Vec<(usize, ShowRecord)>,
    pub availability: Vec<(usize, AvailabilityRecord)>,
    pub episodes: Vec<(usize, EpisodeRecord)>,
    pub service_behavior: Vec<(usize, ServiceBehaviorRecord)>,
    pub prices: Vec<(usize, PriceRecord)>,
    /// The `ref`s of show records that did not parse: references to them are not reported again.
    pub broken_refs: BTreeSet<String>,
}

fn indexed<T>(items: Vec<T>) -> Vec<(usize, T)> {
    items.into_iter().enumerate().collect()
}

impl From<ImportDocument> for Records {
    fn from(doc: ImportDocument) -> Self {
        Self {
            source_id: doc.source_id,
            retrieved_at: doc.retrieved_at,
            shows: indexed(doc.shows),
            availability: indexed(doc.availability),
            episodes: indexed(doc.episodes),
            service_behavior: indexed(doc.service_behavior),
            prices: indexed(doc.prices),
            broken_refs: BTreeSet::new(),
        }
    }
}

/// The document's top level without its arrays.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    #[serde(rename = "format")]
    _format: Format,
    #[serde(default)]
    source_id: Option<SourceId>,
    #[serde(default)]
    retrieved_at: Option<DateTime<Utc>>,
}

const ARRAYS: [&str; 5] = [
    "shows",
    "availability",
    "episodes",
    "service_behavior",
    "prices",
];

/// Reads `bytes`: the records that parsed, and the problems found so far. A document that is
/// not JSON, or whose top level is wrong, yields no records.
pub(crate) fn read(bytes: &[u8]) -> (Records, Vec<Problem>) {
    // The whole document at once, without tracking paths (that cost a sixth of reading a
    // large file): a problem inside is found again, with its path, record by record below.
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let first = match ImportDocument::deserialize(&mut de) {
        Ok(doc) => match de.end() {
            Ok(()) => return (Records::from(doc), Vec::new()),
            Err(e) => e,
        },
        Err(e) => e,
    };
    if first.is_syntax() || first.is_eof() {
        return (
            Records::default(),
            vec![at_line(&first, "not valid JSON: ")],
        );
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(value) => record_by_record(&value),
        Err(e) => (Records::default(), vec![at_line(&e, "")]),
    }
}

fn at_line(err: &serde_json::Error, prefix: &str) -> Problem {
    Problem::new(
        format!("line {}, column {}", err.line(), err.column()),
        None,
        format!("{prefix}{}", serde_message(err)),
    )
}

fn record_by_record(value: &Value) -> (Records, Vec<Problem>) {
    let mut problems = Problems::default();
    let mut records = Records::default();
    let Some(object) = value.as_object() else {
        problems.push(Problem::new(
            "/",
            None,
            "the document must be a JSON object",
        ));
        return (records, problems.0);
    };
    let mut top = object.clone();
    for name in ARRAYS {
        top.remove(name);
    }
    match parse::<Header>(&Value::Object(top), "/", &mut problems) {
        Some(header) => {
            records.source_id = header.source_id;
            records.retrieved_at = header.retrieved_at;
        }
        // Without a valid header the records' source is unknown: stop here.
        None => return (records, problems.0),
    }
    let items = |name: &str, problems: &mut Problems| -> Vec<(usize, &Value)> {
        match object.get(name) {
            None => Vec::new(),
            Some(Value::Array(items)) => items.iter().enumerate().collect(),
            Some(_) => {
                problems.push(Problem::new(
                    format!("/{name}"),
                    Some(name),
                    "must be an array",
                ));
                Vec::new()
            }
        }
    };
    for (i, item) in items("shows", &mut problems) {
        match parse::<ShowRecord>(item, &format!("/shows/{i}"), &mut problems) {
            Some(show) => records.shows.push((i, show)),
            None => {
                if let Some(reference) = item.get("ref").and_then(Value::as_str) {
                    records.broken_refs.insert(reference.to_owned());
                }
            }
        }
    }
    for (i, item) in items("availability", &mut problems) {
        if let Some(r) = parse(item, &format!("/availability/{i}"), &mut problems) {
            records.availability.push((i, r));
        }
    }
    for (i, item) in items("episodes", &mut problems) {
        if let Some(r) = parse(item, &format!("/episodes/{i}"), &mut problems) {
            records.episodes.push((i, r));
        }
    }
    for (i, item) in items("service_behavior", &mut problems) {
        if let Some(r) = parse(item, &format!("/service_behavior/{i}"), &mut problems) {
            records.service_behavior.push((i, r));
        }
    }
    for (i, item) in items("prices", &mut problems) {
        if let Some(r) = parse(item, &format!("/prices/{i}"), &mut problems) {
            records.prices.push((i, r));
        }
    }
    (records, problems.0)
}

/// Deserialises one record, noting its first problem with the field's path.
fn parse<T: DeserializeOwned>(value: &Value, at: &str, problems: &mut Problems) -> Option<T> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(record) => Some(record),
        Err(err) => {
            let path = err.path().to_string();
            let message = serde_message(err.inner());
            let named = ["missing field `", "unknown field `"]
                .iter()
                .find_map(|p| message.strip_prefix(p))
                .and_then(|rest| rest.split('`').next())
                // An empty member name (`{"": 1}`) names no field; the message still shows it.
                .filter(|name| !name.is_empty())
                .map(str::to_owned);
            let field = match (named, path.as_str()) {
                (Some(name), "." | "") => Some(name),
                (Some(name), parent) if !parent.ends_with(&name) => {
                    Some(format!("{parent}.{name}"))
                }
                (_, "." | "") => None,
                (_, path) => Some(path.trim_start_matches('_').to_owned()),
            };
            problems.push(Problem {
                location: at.to_owned(),
                field,
                message,
            });
            None
        }
    }
}
