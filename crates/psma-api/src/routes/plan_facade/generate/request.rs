//! The request of `POST /plan/v1/generate`, exactly the first API's fields, and its mapping to
//! the core's [`FacadeRequest`]. Unknown fields are refused at every level (ADR 0017).
//!
//! Serde checks the shape, the enums and the timestamps' formats; the core checks the rest
//! (`country`, `horizon_days`, the values of `min_contract_days` and `estimated_watch_days`
//! inputs). The schema states both: [`state_input_values`] adds what depends on an input's key.

use chrono::{DateTime, NaiveDate};
use psma_core::planning::facade::{
    AvailableNow, Confidence, ESTIMATED_WATCH_DAYS, ESTIMATED_WATCH_DAYS_PATTERN, FacadeAssessment,
    FacadeInput, FacadeRequest, MIN_CONTRACT_DAYS, MIN_CONTRACT_DAYS_PATTERN,
};
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use serde_json::{Map, Value, json};
use std::fmt;
use utoipa::ToSchema;
use utoipa::openapi::schema::{AnyOfBuilder, ObjectBuilder, Schema, SchemaFormat, Type};

/// A stateless plan request, as PSMA's first API took it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, remote = "Self")]
pub struct PlanFacadeRequest {
    /// The household's country: ISO 3166-1 alpha-2, upper case.
    #[schema(pattern = "^[A-Z]{2}$", example = "US")]
    pub country: String,
    /// How far ahead to plan, in days: no unsubscribe is planned after it.
    #[schema(minimum = 1, maximum = 365, example = 90)]
    #[serde(deserialize_with = "whole_number")]
    pub horizon_days: i64,
    /// Services the household keeps anyway: never planned.
    pub permanent_service_ids: Vec<String>,
    /// Where each title can be watched.
    pub assessments: Vec<PlanFacadeAssessment>,
    /// Answers and other inputs; the last one for a key and service id wins.
    pub inputs: Option<Vec<PlanFacadeInput>>,
}

/// One title on one service in one country.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, remote = "Self")]
pub struct PlanFacadeAssessment {
    /// The title.
    pub title_id: String,
    /// Where: ISO 3166-1 alpha-2, upper case. Only assessments in the request's country are
    /// planned.
    #[schema(pattern = "^[A-Z]{2}$", example = "US")]
    pub country: String,
    /// The service. Ids starting with `unknown-` are never planned.
    pub service_id: String,
    /// The service's category (`svod`, `avod`, …); not used by the plan.
    pub provider_category: String,
    /// Whether the title can be watched there now; only `"true"` is planned.
    pub availability_now: PlanFacadeAvailabilityNow,
    /// When the title is there, if known; not used by the plan.
    pub availability_window: Option<PlanFacadeWindow>,
    /// How sure the assessment is.
    pub confidence: PlanFacadeConfidence,
    /// Why; `SERVICE_ID_UNKNOWN` keeps the service out of the plan.
    pub reason_codes: Vec<String>,
    /// What the assessment rests on; not used by the plan.
    pub evidence: Vec<PlanFacadeEvidence>,
}

/// `availability_now`, as strings.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(try_from = "String")]
pub enum PlanFacadeAvailabilityNow {
    /// Available now.
    #[serde(rename = "true")]
    True,
    /// Not available now.
    #[serde(rename = "false")]
    False,
    /// Not known.
    #[serde(rename = "unknown")]
    Unknown,
}

/// A confidence band.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase", try_from = "String")]
pub enum PlanFacadeConfidence {
    /// High.
    High,
    /// Medium.
    Medium,
    /// Low.
    Low,
}

// Both enums are read as strings first (`try_from`): serde_json reports any other JSON type
// where an enum is expected as a syntax error ("expected value"), which would be a 400 instead
// of a 422 naming the field.

impl TryFrom<String> for PlanFacadeAvailabilityNow {
    type Error = String;

    fn try_from(value: String) -> Result<Self, String> {
        match value.as_str() {
            "true" => Ok(Self::True),
            "false" => Ok(Self::False),
            "unknown" => Ok(Self::Unknown),
            _ => Err(unknown_variant(&value, "`true`, `false` or `unknown`")),
        }
    }
}

impl TryFrom<String> for PlanFacadeConfidence {
    type Error = String;

    fn try_from(value: String) -> Result<Self, String> {
        match value.as_str() {
            "high" => Ok(Self::High),
            "medium" => Ok(Self::Medium),
            "low" => Ok(Self::Low),
            _ => Err(unknown_variant(&value, "`high`, `medium` or `low`")),
        }
    }
}

fn unknown_variant(value: &str, expected: &str) -> String {
    format!("unknown variant `{value}`, expected {expected}")
}

/// When a title is on a service: each end a date or an RFC 3339 date-time, or absent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, remote = "Self")]
pub struct PlanFacadeWindow {
    /// From when.
    #[schema(schema_with = date_or_date_time)]
    pub start: Option<DateOrDateTime>,
    /// Until when.
    #[schema(schema_with = date_or_date_time)]
    pub end: Option<DateOrDateTime>,
}

/// What an assessment rests on.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, remote = "Self")]
pub struct PlanFacadeEvidence {
    /// The source.
    pub source_id: String,
    /// When the source was read (RFC 3339).
    #[schema(value_type = String, format = DateTime)]
    pub retrieved_at: DateTimeText,
    /// The source's own reference.
    pub source_ref: Option<String>,
    /// Anything else the source said.
    pub details: Option<Value>,
}

/// One input.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, remote = "Self")]
pub struct PlanFacadeInput {
    /// What it is: `min_contract_days` (a whole number of days, 0 or more) and
    /// `estimated_watch_days` (a number of days, 0 or more), each for a `service_id`, plan an
    /// unsubscribe; other keys are accepted and not used.
    pub key: String,
    /// Its value: for the two keys above a number or a numeric string (`30`, `"12.5"`).
    pub value: Value,
    /// The service it is for.
    pub service_id: Option<String>,
    /// The titles it is about.
    pub title_ids: Option<Vec<String>>,
    /// Where it came from.
    pub source_id: Option<String>,
    /// When it was collected (RFC 3339).
    #[schema(value_type = Option<String>, format = DateTime)]
    pub collected_at: Option<DateTimeText>,
    /// For a person.
    pub notes: Option<String>,
}

impl PlanFacadeRequest {
    /// The core's request: the fields that decide the plan, moved.
    pub fn into_core(self) -> FacadeRequest {
        FacadeRequest {
            country: self.country,
            horizon_days: self.horizon_days,
            permanent_service_ids: self.permanent_service_ids,
            assessments: self
                .assessments
                .into_iter()
                .map(|a| FacadeAssessment {
                    title_id: a.title_id,
                    country: a.country,
                    service_id: a.service_id,
                    availability_now: match a.availability_now {
                        PlanFacadeAvailabilityNow::True => AvailableNow::True,
                        PlanFacadeAvailabilityNow::False => AvailableNow::False,
                        PlanFacadeAvailabilityNow::Unknown => AvailableNow::Unknown,
                    },
                    confidence: match a.confidence {
                        PlanFacadeConfidence::High => Confidence::High,
                        PlanFacadeConfidence::Medium => Confidence::Medium,
                        PlanFacadeConfidence::Low => Confidence::Low,
                    },
                    reason_codes: a.reason_codes,
                })
                .collect(),
            inputs: self
                .inputs
                .unwrap_or_default()
                .into_iter()
                .map(|i| FacadeInput {
                    key: i.key,
                    value: i.value,
                    service_id: i.service_id,
                })
                .collect(),
        }
    }
}

// Each object of the request is read as a JSON object only: serde's derived structs also take
// an array of their fields' values (`"availability_window": [null, null]`), which the schema
// (`type: object`) does not allow. `remote = "Self"` above makes the derive an inherent
// `deserialize` that these impls call with the object's entries.
macro_rules! object_only {
    ($($name:ident),*) => {$(
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Object;
                impl<'de> Visitor<'de> for Object {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str("a JSON object")
                    }
                    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<$name, A::Error> {
                        $name::deserialize(de::value::MapAccessDeserializer::new(map))
                    }
                }
                deserializer.deserialize_map(Object)
            }
        }
    )*};
}

object_only!(
    PlanFacadeRequest,
    PlanFacadeAssessment,
    PlanFacadeWindow,
    PlanFacadeEvidence,
    PlanFacadeInput
);

/// A whole number: a JSON integer, or a number without a fraction (`90.0`), which JSON Schema's
/// `integer` allows too. Beyond `i64` it saturates (the range check refuses it).
fn whole_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    struct Whole;
    impl Visitor<'_> for Whole {
        type Value = i64;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a whole number")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
            Ok(v)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
            Ok(i64::try_from(v).unwrap_or(i64::MAX))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
            if v.is_finite() && v.fract() == 0.0 {
                // Saturating: anything this large is out of range anyway.
                Ok(v as i64)
            } else {
                Err(E::invalid_value(de::Unexpected::Float(v), &self))
            }
        }
    }
    deserializer.deserialize_any(Whole)
}

/// An RFC 3339 date-time (`2026-12-03T10:00:00Z`), checked, not kept: the plan does not use it.
#[derive(Debug)]
pub struct DateTimeText;

/// A full date (`2026-12-03`) or an RFC 3339 date-time, checked, not kept.
#[derive(Debug)]
pub struct DateOrDateTime;

impl<'de> Deserialize<'de> for DateTimeText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(Checked {
            expecting: "an RFC 3339 date-time (2026-12-03T10:00:00Z)",
            accept: is_date_time,
            make: || Self,
        })
    }
}

impl<'de> Deserialize<'de> for DateOrDateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(Checked {
            expecting: "a date (2026-12-03) or an RFC 3339 date-time (2026-12-03T10:00:00Z)",
            accept: |s| is_date(s) || is_date_time(s),
            make: || Self,
        })
    }
}

/// A string visitor that accepts what `accept` accepts, without copying it.
struct Checked<T> {
    expecting: &'static str,
    accept: fn(&str) -> bool,
    make: fn() -> T,
}

impl<T> Visitor<'_> for Checked<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        if (self.accept)(v) {
            Ok((self.make)())
        } else {
            Err(E::invalid_value(de::Unexpected::Str(v), &self))
        }
    }
}

/// JSON Schema's `date-time`: RFC 3339 with a `T` between date and time (chrono also takes a
/// space) and ASCII only (chrono also takes U+2212 as a minus sign).
fn is_date_time(s: &str) -> bool {
    s.is_ascii()
        && matches!(s.as_bytes().get(10), Some(b'T' | b't'))
        && DateTime::parse_from_rfc3339(s).is_ok()
}

/// JSON Schema's `date`: RFC 3339's `full-date`, `YYYY-MM-DD`, a real day.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
}

/// A window's end: a date, a date-time, or null.
fn date_or_date_time() -> Schema {
    let string = |format: &str| {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::Custom(format.to_owned())))
            .build()
    };
    // anyOf, not oneOf: where formats are annotations only, a string matches both.
    Schema::AnyOf(
        AnyOfBuilder::new()
            .item(string("date"))
            .item(string("date-time"))
            .item(ObjectBuilder::new().schema_type(Type::Null).build())
            .build(),
    )
}

/// States in the schema of the input what the core checks of its value, by key: a
/// `min_contract_days` value is a whole number of days, 0 or more, or a string of digits; an
/// `estimated_watch_days` value a number of days, 0 or more, or a decimal string.
pub(crate) fn state_input_values(schemas: &mut Map<String, Value>) {
    let rule = |key: &str, number: &str, pattern: &str| {
        json!({
            "if": {"properties": {"key": {"const": key}}, "required": ["key"]},
            "then": {"properties": {"value": {"anyOf": [
                {"type": number, "minimum": 0},
                {"type": "string", "pattern": pattern},
            ]}}},
        })
    };
    if let Some(Value::Object(schema)) = schemas.get_mut("PlanFacadeInput") {
        schema.insert(
            "allOf".to_owned(),
            json!([
                rule(MIN_CONTRACT_DAYS, "integer", MIN_CONTRACT_DAYS_PATTERN),
                rule(ESTIMATED_WATCH_DAYS, "number", ESTIMATED_WATCH_DAYS_PATTERN),
            ]),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times_are_rfc_3339_with_a_t() {
        for ok in [
            "2026-12-03T10:00:00Z",
            "2026-12-03t10:00:00.123456z",
            "2026-12-03T10:00:00+05:30",
        ] {
            assert!(is_date_time(ok), "{ok}");
        }
        for bad in [
            "2026-12-03 10:00:00Z",
            "2026-12-03T10:00:00",
            "2026-12-03",
            "2026-02-30T10:00:00Z",
            "2026-12-03T10:00:00\u{2212}05:00",
            "",
        ] {
            assert!(!is_date_time(bad), "{bad}");
        }
    }

    #[test]
    fn dates_are_full_dates_of_real_days() {
        assert!(is_date("2026-12-03"));
        for bad in [
            "2026-2-03",
            "2026-02-30",
            "+026-12-03",
            "2026-12-03T00:00:00Z",
            "20261203",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
    }
}
