//! The compatibility façade of PSMA's first API (DESIGN §9, `docs/adr/0017-plan-facade.md`):
//! one stateless request — the household's country, a horizon, its permanent services, the
//! availability assessments it has and the answers it gave — in, a plan of dated subscribe and
//! unsubscribe events and the questions that would complete it out.
//!
//! [`generate`] is a pure function of the request and `now` (the generation time, which the
//! caller reads from its clock). The rules:
//!
//! - **Planned services.** A service is planned when an assessment in the request's country
//!   says `availability_now` `"true"` for it, unless it is permanent (in
//!   `permanent_service_ids`), its id starts with `unknown-`, or any assessment of it (in any
//!   country: the code is about the id) carries the reason code `SERVICE_ID_UNKNOWN`.
//!   Assessments in other countries are otherwise ignored. Several assessments of one service
//!   make one plan for it, with all their titles.
//! - **Subscribe** at `now`, reason `AVAILABLE_NOW`, with the service's titles.
//! - **Unsubscribe** only when the service has both a `min_contract_days` and an
//!   `estimated_watch_days` input (the last input for a key and service id wins; an input
//!   without a service id applies to none), after max(min_contract_days,
//!   ceil(estimated_watch_days)) days, and only when that is within the horizon (on or before
//!   `now` + `horizon_days` days). Its reason is whichever input set the date (`MIN_CONTRACT`,
//!   `ESTIMATED_WATCH_DAYS`, both when they agree).
//! - **Questions** `<service_id>:min_contract_days` and `<service_id>:estimated_watch_days`
//!   for each planned service lacking that input, required, with an answer schema.
//! - **Order.** Events by date, then subscribe before unsubscribe, then service id; questions
//!   by id. Title ids and reason codes are sorted and unique. The same request and `now` give
//!   the same plan, byte for byte once serialised.
//!
//! Times are whole seconds: `now`'s fraction is dropped.

mod check;
#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;

use crate::error::Error;
use chrono::{DateTime, Duration, SubsecRound, Utc};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

pub use check::{
    COUNTRY_PATTERN, ESTIMATED_WATCH_DAYS_PATTERN, HORIZON_DAYS, MIN_CONTRACT_DAYS_PATTERN,
};

/// The input key of a service's minimum contract, in days (a whole number, 0 or more).
pub const MIN_CONTRACT_DAYS: &str = "min_contract_days";
/// The input key of the days a household expects to need a service (a number, 0 or more).
pub const ESTIMATED_WATCH_DAYS: &str = "estimated_watch_days";
/// Service ids starting with this are not in the registry and never planned.
pub const UNKNOWN_SERVICE_PREFIX: &str = "unknown-";
/// An assessment's reason code saying its service id is not in the registry.
pub const SERVICE_ID_UNKNOWN: &str = "SERVICE_ID_UNKNOWN";

/// The reason codes the façade puts on events.
pub mod reason {
    /// Subscribe: an assessment in the country says the service has the titles now.
    pub const AVAILABLE_NOW: &str = "AVAILABLE_NOW";
    /// Unsubscribe: the date is the end of the minimum contract.
    pub const MIN_CONTRACT: &str = "MIN_CONTRACT";
    /// Unsubscribe: the date is the end of the estimated watch time.
    pub const ESTIMATED_WATCH_DAYS: &str = "ESTIMATED_WATCH_DAYS";
}

/// A plan request, as the first API took it (the fields that decide the plan).
#[derive(Debug, Clone, PartialEq)]
pub struct FacadeRequest {
    /// ISO 3166-1 alpha-2, upper case (`US`).
    pub country: String,
    /// How far ahead the plan reaches, 1 to 365 days.
    pub horizon_days: i64,
    /// Services the household keeps anyway: never planned.
    pub permanent_service_ids: Vec<String>,
    /// Where each title can be watched.
    pub assessments: Vec<FacadeAssessment>,
    /// The household's answers and other inputs, in the order given (the last one wins).
    pub inputs: Vec<FacadeInput>,
}

/// One title on one service in one country.
#[derive(Debug, Clone, PartialEq)]
pub struct FacadeAssessment {
    /// The title.
    pub title_id: String,
    /// Where (ISO 3166-1 alpha-2, upper case).
    pub country: String,
    /// The service.
    pub service_id: String,
    /// Whether it can be watched there now.
    pub availability_now: AvailableNow,
    /// How sure the assessment is.
    pub confidence: Confidence,
    /// Why (free codes; `SERVICE_ID_UNKNOWN` is acted upon).
    pub reason_codes: Vec<String>,
}

/// `availability_now`: the first API's three strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AvailableNow {
    /// `"true"`.
    True,
    /// `"false"`.
    False,
    /// `"unknown"`.
    Unknown,
}

/// A confidence band, `low` < `medium` < `high`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// `low`.
    Low,
    /// `medium`.
    Medium,
    /// `high`.
    High,
}

impl Confidence {
    /// The band's name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }
}

/// One input: a key, its value, and the service it concerns.
#[derive(Debug, Clone, PartialEq)]
pub struct FacadeInput {
    /// `min_contract_days`, `estimated_watch_days`, or any other key (kept, not used).
    pub key: String,
    /// For the two keys above: a number or a numeric string, 0 or more.
    pub value: Value,
    /// The service it concerns (`None`: none in particular).
    pub service_id: Option<String>,
}

/// The plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FacadePlan {
    /// `now`, in whole seconds.
    pub generated_at: DateTime<Utc>,
    /// The request's country.
    pub country: String,
    /// The request's horizon.
    pub horizon_days: u16,
    /// In order: date, subscribe before unsubscribe, service id.
    pub events: Vec<FacadeEvent>,
    /// By id; empty when nothing is missing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<FacadeQuestion>,
}

/// What to do with a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Start paying.
    Subscribe,
    /// Stop paying.
    Unsubscribe,
}

impl Action {
    /// `subscribe` or `unsubscribe`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Subscribe => "subscribe",
            Self::Unsubscribe => "unsubscribe",
        }
    }
}

/// One dated event of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FacadeEvent {
    /// Subscribe or unsubscribe.
    pub action: Action,
    /// The service.
    pub service_id: String,
    /// When.
    pub effective_at: DateTime<Utc>,
    /// Why, sorted.
    pub reason_codes: Vec<&'static str>,
    /// The titles it is for, sorted and unique.
    pub title_ids: Vec<String>,
    /// What the event takes for granted, for a person.
    pub assumptions: Vec<String>,
}

/// A question whose answer would complete the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FacadeQuestion {
    /// `<service_id>:<key>`, stable.
    pub id: String,
    /// The input key an answer is given under (with the question's `service_id`).
    pub key: &'static str,
    /// For a person.
    pub prompt: String,
    /// Whether the plan stays incomplete without it.
    pub required: bool,
    /// The service it concerns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
    /// The titles it concerns, sorted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub title_ids: Vec<String>,
    /// A JSON Schema the answer's value satisfies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer_schema: Option<Value>,
    /// Why it is asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
}

/// A planned service: its titles and the best confidence saying it has them now.
struct Planned<'a> {
    titles: BTreeSet<&'a str>,
    confidence: Confidence,
}

/// The plan for `request` generated at `now`.
///
/// # Errors
/// [`Error::Rejected`] listing every invalid field (`horizon_days`, `assessments[2].country`,
/// `inputs[0].value`, …) when the request breaks a rule; nothing else fails.
pub fn generate(request: &FacadeRequest, now: DateTime<Utc>) -> Result<FacadePlan, Error> {
    let checked = check::check(request)?;
    let now = now.trunc_subsecs(0);
    let planned = planned_services(request);

    let mut events = Vec::with_capacity(planned.len() * 2);
    let mut questions = Vec::new();
    for (&service, plan) in &planned {
        let titles: Vec<String> = plan.titles.iter().map(|&t| t.to_owned()).collect();
        let mut assumptions = Vec::new();
        if plan.confidence < Confidence::High {
            assumptions.push(format!(
                "Availability on {service} is of {} confidence.",
                plan.confidence.as_str()
            ));
        }
        let min_contract = checked.min_contract_days.get(service).copied();
        let watch = checked.estimated_watch_days.get(service).copied();
        match (min_contract, watch) {
            (Some(min_contract), Some(watch)) => {
                match unsubscribe(service, min_contract, watch, checked.horizon_days) {
                    Some((days, reason_codes, unsubscribe_assumptions)) => {
                        events.push(FacadeEvent {
                            action: Action::Unsubscribe,
                            service_id: service.to_owned(),
                            effective_at: now + Duration::days(days),
                            reason_codes,
                            title_ids: titles.clone(),
                            assumptions: unsubscribe_assumptions,
                        });
                    }
                    None => assumptions.push(format!(
                        "Unsubscribing from {service} is due after the {}-day horizon.",
                        checked.horizon_days
                    )),
                }
            }
            (min_contract, watch) => {
                let missing: Vec<&str> = [
                    (min_contract.is_none(), MIN_CONTRACT_DAYS),
                    (watch.is_none(), ESTIMATED_WATCH_DAYS),
                ]
                .into_iter()
                .filter_map(|(missing, key)| missing.then_some(key))
                .collect();
                assumptions.push(format!(
                    "No unsubscribe date yet: {} for {service} unknown (see the questions).",
                    missing.join(" and ")
                ));
                questions.extend(
                    missing
                        .into_iter()
                        .map(|key| question(service, key, &titles)),
                );
            }
        }
        events.push(FacadeEvent {
            action: Action::Subscribe,
            service_id: service.to_owned(),
            effective_at: now,
            reason_codes: vec![reason::AVAILABLE_NOW],
            title_ids: titles,
            assumptions,
        });
    }
    events.sort_by(|a, b| {
        (a.effective_at, a.action, &a.service_id).cmp(&(b.effective_at, b.action, &b.service_id))
    });
    questions.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(FacadePlan {
        generated_at: now,
        country: request.country.clone(),
        horizon_days: checked.horizon_days,
        events,
        questions,
    })
}

/// The services to plan, by id, with their titles in the request's country.
fn planned_services(request: &FacadeRequest) -> BTreeMap<&str, Planned<'_>> {
    let permanent: BTreeSet<&str> = request
        .permanent_service_ids
        .iter()
        .map(String::as_str)
        .collect();
    let unknown: BTreeSet<&str> = request
        .assessments
        .iter()
        .filter(|a| a.reason_codes.iter().any(|c| c == SERVICE_ID_UNKNOWN))
        .map(|a| a.service_id.as_str())
        .collect();
    let mut planned: BTreeMap<&str, Planned<'_>> = BTreeMap::new();
    for a in &request.assessments {
        let service = a.service_id.as_str();
        if a.country != request.country
            || a.availability_now != AvailableNow::True
            || permanent.contains(service)
            || unknown.contains(service)
            || service.starts_with(UNKNOWN_SERVICE_PREFIX)
        {
            continue;
        }
        let entry = planned.entry(service).or_insert_with(|| Planned {
            titles: BTreeSet::new(),
            confidence: a.confidence,
        });
        entry.titles.insert(a.title_id.as_str());
        entry.confidence = entry.confidence.max(a.confidence);
    }
    planned
}

/// After how many days to unsubscribe, why, and on what assumptions; `None` past the horizon.
fn unsubscribe(
    service: &str,
    min_contract: f64,
    watch: f64,
    horizon_days: u16,
) -> Option<(i64, Vec<&'static str>, Vec<String>)> {
    let watch_days = watch.ceil();
    let days = min_contract.max(watch_days);
    if days > f64::from(horizon_days) {
        return None;
    }
    let mut reason_codes = Vec::with_capacity(2);
    if watch_days >= min_contract {
        reason_codes.push(reason::ESTIMATED_WATCH_DAYS);
    }
    if min_contract >= watch_days {
        reason_codes.push(reason::MIN_CONTRACT);
    }
    let assumptions = vec![
        format!("The minimum contract on {service} is {min_contract} days."),
        format!("{watch} days are enough to watch the titles on {service}."),
    ];
    // Within the horizon: a whole number of days from 0 to 365, so the cast is exact.
    Some((days as i64, reason_codes, assumptions))
}

/// The question asking for `key` about `service`.
fn question(service: &str, key: &'static str, titles: &[String]) -> FacadeQuestion {
    let (prompt, answer_schema) = if key == MIN_CONTRACT_DAYS {
        (
            format!(
                "What is the minimum contract on {service}, in days (0 if it can be cancelled \
                 at any time)?"
            ),
            json!({"type": "integer", "minimum": 0}),
        )
    } else {
        let what = if titles.len() == 1 {
            "the title".to_owned()
        } else {
            format!("the {} titles", titles.len())
        };
        (
            format!("About how many days will you need {service} to watch {what} you want there?"),
            json!({"type": "number", "minimum": 0}),
        )
    };
    FacadeQuestion {
        id: format!("{service}:{key}"),
        key,
        prompt,
        required: true,
        service_id: Some(service.to_owned()),
        title_ids: titles.to_vec(),
        answer_schema: Some(answer_schema),
        rationale: Some(format!(
            "The unsubscribe date is the later of the end of the minimum contract and the end of \
             the watch time; without both none is planned for {service}."
        )),
    }
}
