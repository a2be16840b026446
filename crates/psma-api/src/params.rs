//! Parameter types whose accepted forms are exactly what the OpenAPI document states: what the
//! schema allows is accepted, what it refuses is refused (schemathesis checks both ways).

use crate::error::ApiError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer};
use uuid::Uuid;

/// The default page size of every list.
pub(crate) const DEFAULT_LIMIT: u32 = 50;

/// Parses a hyphenated UUID (`uuid` alone also takes braced, URN and plain-hex forms, which the
/// schema's `format: uuid` does not).
pub(crate) fn hyphenated_uuid(text: &str) -> Option<Uuid> {
    let bytes = text.as_bytes();
    let shape_ok = bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        });
    if shape_ok {
        Uuid::parse_str(text).ok()
    } else {
        None
    }
}

/// A UUID query parameter in hyphenated form.
#[derive(Debug, Clone, Copy)]
pub(crate) struct UuidParam(pub Uuid);

impl<'de> Deserialize<'de> for UuidParam {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        hyphenated_uuid(&text).map(UuidParam).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{text}` is not a UUID like 0190d5c4-7b1e-7c3a-9f00-3c1a2b4d5e6f"
            ))
        })
    }
}

/// An RFC 3339 date-time query parameter (`2026-11-22T12:00:00Z`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct DateTimeParam(pub DateTime<Utc>);

impl<'de> Deserialize<'de> for DateTimeParam {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        DateTime::parse_from_rfc3339(&text)
            .map(|t| DateTimeParam(t.with_timezone(&Utc)))
            .map_err(|e| {
                serde::de::Error::custom(format!("`{text}` is not an RFC 3339 date-time: {e}"))
            })
    }
}

/// A path id: 404 unless it is a hyphenated UUID (no record can have another id).
pub(crate) fn path_id(text: &str, resource: &'static str) -> Result<Uuid, ApiError> {
    hyphenated_uuid(text).ok_or_else(|| {
        ApiError::Core(psma_core::Error::NotFound {
            resource,
            id: text.to_owned(),
        })
    })
}

/// A whole number in a JSON body, as JSON Schema's `integer` has it: `19` and `19.0` alike
/// (serde's integers refuse the second, which the schema allows).
pub(crate) fn optional_whole_u16<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u16>, D::Error> {
    let Some(number) = Option::<serde_json::Number>::deserialize(d)? else {
        return Ok(None);
    };
    let whole = number.as_u64().or_else(|| {
        number
            .as_f64()
            .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= f64::from(u16::MAX))
            .map(|f| f as u64)
    });
    whole
        .and_then(|n| u16::try_from(n).ok())
        .map(Some)
        .ok_or_else(|| {
            serde::de::Error::custom(format!("{number} is not a whole number from 0 to 65535"))
        })
}
