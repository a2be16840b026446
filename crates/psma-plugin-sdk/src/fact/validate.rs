//! The rules a fact must keep beyond its types: numeric ranges (also stated in the JSON
//! Schema) and rules across fields (which JSON Schema cannot state).

use super::Fact;
use crate::ProviderError;
use serde::{Deserialize, Serialize};

/// One broken rule: the field (a path within the fact, `provenance.confidence`) and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// Path of the field within the fact.
    pub field: String,
    /// What is wrong, for a person.
    pub message: String,
}

impl FieldError {
    fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Bounds shared with the JSON Schema attributes on the types.
pub(super) const YEARS: std::ops::RangeInclusive<i32> = 1870..=2200;
const MAX_SEASON: u16 = 9999;
const MAX_EPISODE: u32 = 99_999;
const BILLING_DAYS: std::ops::RangeInclusive<u16> = 1..=366;
const MAX_GENRES: usize = 20;
const MAX_EXTERNAL_IDS: usize = 16;

impl Fact {
    /// The fact, when it keeps the rules [`Self::validate`] checks; else the malformed-record
    /// error a provider yields in its place (at `location`, such as `TVmaze show 82`, naming
    /// the first broken field and listing every broken rule), so one bad record never stops
    /// a fetch.
    ///
    /// # Errors
    /// [`ProviderError::Malformed`] when a rule is broken.
    pub fn checked(self, location: impl Into<String>) -> Result<Self, ProviderError> {
        match self.validate() {
            Ok(()) => Ok(self),
            Err(errors) => Err(ProviderError::Malformed {
                location: Some(location.into()),
                field: errors.first().map(|e| e.field.clone()),
                message: errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            }),
        }
    }

    /// Checks the rules the types cannot enforce.
    ///
    /// # Errors
    /// Every broken rule, each naming its field.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let confidence = self.provenance().confidence;
        if !(0.0..=1.0).contains(&confidence) {
            errors.push(FieldError::new(
                "provenance.confidence",
                format!("must be between 0 and 1, got {confidence}"),
            ));
        }
        check_instant(
            &mut errors,
            "provenance.retrieved_at",
            self.provenance().retrieved_at,
        );
        match self {
            Self::ShowIdentity(f) => {
                if let Some(year) = f.year
                    && !YEARS.contains(&year)
                {
                    errors.push(FieldError::new(
                        "year",
                        format!("must be between 1870 and 2200, got {year}"),
                    ));
                }
                if f.genres.len() > MAX_GENRES {
                    errors.push(FieldError::new(
                        "genres",
                        format!("at most {MAX_GENRES} genres, got {}", f.genres.len()),
                    ));
                }
                if f.external_ids.len() > MAX_EXTERNAL_IDS {
                    errors.push(FieldError::new(
                        "external_ids",
                        format!(
                            "at most {MAX_EXTERNAL_IDS} external ids, got {}",
                            f.external_ids.len()
                        ),
                    ));
                }
            }
            Self::Availability(f) => {
                check_day(&mut errors, "available_from", f.available_from);
                check_day(&mut errors, "available_until", f.available_until);
                if let (Some(from), Some(until)) = (f.available_from, f.available_until)
                    && until < from
                {
                    errors.push(FieldError::new(
                        "available_until",
                        format!("{until} is before available_from {from}"),
                    ));
                }
            }
            Self::Episode(f) => {
                check_day(&mut errors, "air_date", f.air_date);
                if let Some(airstamp) = f.airstamp {
                    check_instant(&mut errors, "airstamp", airstamp);
                }
                if f.season > MAX_SEASON {
                    errors.push(FieldError::new(
                        "season",
                        format!("at most {MAX_SEASON}, got {}", f.season),
                    ));
                }
                if f.number > MAX_EPISODE {
                    errors.push(FieldError::new(
                        "number",
                        format!("at most {MAX_EPISODE}, got {}", f.number),
                    ));
                }
            }
            Self::Price(f) => {
                if !BILLING_DAYS.contains(&f.billing_cycle_days) {
                    errors.push(FieldError::new(
                        "billing_cycle_days",
                        format!("must be between 1 and 366, got {}", f.billing_cycle_days),
                    ));
                }
            }
            Self::ServiceBehavior(_) => {}
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// A date in a year the contract's `date` format can write: four digits, and within
/// [`YEARS`] (chrono reads `-020-01-01` as the year -20, which no consumer of the contract
/// would accept).
fn check_day(errors: &mut Vec<FieldError>, field: &str, day: Option<chrono::NaiveDate>) {
    use chrono::Datelike;
    if let Some(day) = day
        && !YEARS.contains(&day.year())
    {
        errors.push(FieldError::new(
            field,
            format!("must be in a year between 1870 and 2200, got {day}"),
        ));
    }
}

fn check_instant(errors: &mut Vec<FieldError>, field: &str, at: chrono::DateTime<chrono::Utc>) {
    check_day(errors, field, Some(at.date_naive()));
}
