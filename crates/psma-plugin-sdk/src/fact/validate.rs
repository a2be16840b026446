//! The rules a fact must keep beyond its types: numeric ranges (also stated in the JSON
//! Schema) and rules across fields (which JSON Schema cannot state).

use super::Fact;
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
const YEARS: std::ops::RangeInclusive<i32> = 1870..=2200;
const MAX_SEASON: u16 = 9999;
const MAX_EPISODE: u32 = 99_999;
const BILLING_DAYS: std::ops::RangeInclusive<u16> = 1..=366;
const MAX_GENRES: usize = 20;
const MAX_EXTERNAL_IDS: usize = 16;

impl Fact {
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
