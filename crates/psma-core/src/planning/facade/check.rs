//! The request's rules: what [`generate`](super::generate) refuses, every problem naming its
//! field the way the JSON body spells it (`assessments[2].country`), and the values of the
//! inputs the plan reads.
//!
//! The HTTP edge states the same rules in its schema (the constants below are the one source of
//! the patterns and bounds; a test of `psma-api` compares them).

use super::{ESTIMATED_WATCH_DAYS, FacadeRequest, MIN_CONTRACT_DAYS};
use crate::error::{Error, InputProblem};
use serde_json::Value;
use std::collections::BTreeMap;
use std::ops::RangeInclusive;

/// The horizon a request may ask for, in days.
pub const HORIZON_DAYS: RangeInclusive<i64> = 1..=365;
/// A country: ISO 3166-1 alpha-2, upper case.
pub const COUNTRY_PATTERN: &str = "^[A-Z]{2}$";
/// `min_contract_days` as a string: a whole number.
pub const MIN_CONTRACT_DAYS_PATTERN: &str = "^[0-9]+$";
/// `estimated_watch_days` as a string: a decimal number.
pub const ESTIMATED_WATCH_DAYS_PATTERN: &str = r"^[0-9]+(\.[0-9]+)?$";

/// A valid request's horizon and the inputs the plan reads, by service (the last one given).
pub(super) struct Checked<'a> {
    pub horizon_days: u16,
    pub min_contract_days: BTreeMap<&'a str, f64>,
    pub estimated_watch_days: BTreeMap<&'a str, f64>,
}

/// Checks every rule, collecting every problem.
pub(super) fn check(request: &FacadeRequest) -> Result<Checked<'_>, Error> {
    let mut problems = Problems::default();
    if !is_country(&request.country) {
        problems.add("country".to_owned(), COUNTRY);
    }
    let horizon_days = u16::try_from(request.horizon_days)
        .ok()
        .filter(|_| HORIZON_DAYS.contains(&request.horizon_days));
    if horizon_days.is_none() {
        problems.add("horizon_days".to_owned(), "must be between 1 and 365");
    }
    for (i, a) in request.assessments.iter().enumerate() {
        if !is_country(&a.country) {
            problems.add(format!("assessments[{i}].country"), COUNTRY);
        }
    }
    let mut checked = Checked {
        horizon_days: horizon_days.unwrap_or(1),
        min_contract_days: BTreeMap::new(),
        estimated_watch_days: BTreeMap::new(),
    };
    for (i, input) in request.inputs.iter().enumerate() {
        let (days, target) = match input.key.as_str() {
            MIN_CONTRACT_DAYS => (whole_days(&input.value), &mut checked.min_contract_days),
            ESTIMATED_WATCH_DAYS => (days(&input.value), &mut checked.estimated_watch_days),
            _ => continue,
        };
        match (days, input.service_id.as_deref()) {
            (None, _) => problems.add(
                format!("inputs[{i}].value"),
                if input.key == MIN_CONTRACT_DAYS {
                    "a min_contract_days value is a whole number of days, 0 or more (a number \
                     or a string of digits)"
                } else {
                    "an estimated_watch_days value is a number of days, 0 or more (a number or \
                     a string such as \"12.5\")"
                },
            ),
            // The last input for a (key, service) wins; one without a service is for none.
            (Some(days), Some(service)) => {
                target.insert(service, days);
            }
            (Some(_), None) => {}
        }
    }
    problems.into_result().map(|()| checked)
}

const COUNTRY: &str = "must be two upper-case letters (ISO 3166-1 alpha-2)";

#[derive(Default)]
struct Problems(Vec<InputProblem>);

impl Problems {
    fn add(&mut self, field: String, message: &str) {
        self.0.push(InputProblem {
            location: None,
            field: Some(field),
            message: message.to_owned(),
        });
    }

    fn into_result(self) -> Result<(), Error> {
        match self.0.len() {
            0 => Ok(()),
            n => Err(Error::Rejected {
                summary: format!(
                    "{n} problem{} in the plan request",
                    if n == 1 { "" } else { "s" }
                ),
                problems: self.0,
            }),
        }
    }
}

/// [`COUNTRY_PATTERN`].
fn is_country(country: &str) -> bool {
    country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase())
}

/// A whole number of days, 0 or more: a JSON number without a fraction, or
/// [`MIN_CONTRACT_DAYS_PATTERN`]. A number too large for `f64` is infinite: past any horizon.
fn whole_days(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64().filter(|d| *d >= 0.0 && d.fract() == 0.0),
        Value::String(s) if is_digits(s) => s.parse().ok(),
        _ => None,
    }
}

/// A number of days, 0 or more: a JSON number, or [`ESTIMATED_WATCH_DAYS_PATTERN`].
fn days(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64().filter(|d| *d >= 0.0),
        Value::String(s) => {
            let (whole, fraction) = s.split_once('.').unwrap_or((s, "0"));
            (is_digits(whole) && is_digits(fraction))
                .then(|| s.parse().ok())
                .flatten()
        }
        _ => None,
    }
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}
