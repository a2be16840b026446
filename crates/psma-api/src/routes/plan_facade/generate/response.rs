//! The response of `POST /plan/v1/generate`: exactly the first API's fields, optional ones left
//! out when absent. `deny_unknown_fields` only states `additionalProperties: false` in the
//! schema (these types are never read).

use chrono::{DateTime, Utc};
use psma_core::planning::facade::{Action, FacadeEvent, FacadePlan, FacadeQuestion};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// The plan.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanFacadeResponse {
    /// When the plan was made (whole seconds, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub generated_at: DateTime<Utc>,
    /// The request's country.
    #[schema(pattern = "^[A-Z]{2}$", example = "US")]
    pub country: String,
    /// The request's horizon.
    #[schema(minimum = 1, maximum = 365)]
    pub horizon_days: u16,
    /// By date, subscribe before unsubscribe, then service id.
    pub events: Vec<PlanFacadeEvent>,
    /// What would complete the plan, by id; absent when nothing is missing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(required = false)]
    pub questions: Vec<PlanFacadeQuestion>,
}

/// One dated event.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanFacadeEvent {
    /// What to do.
    pub action: PlanFacadeAction,
    /// The service.
    pub service_id: String,
    /// When: the generation time for a subscribe, that plus whole days for an unsubscribe.
    #[schema(value_type = String, format = DateTime)]
    pub effective_at: DateTime<Utc>,
    /// Why: `AVAILABLE_NOW`; `MIN_CONTRACT` and/or `ESTIMATED_WATCH_DAYS`.
    pub reason_codes: Vec<&'static str>,
    /// The titles it is for, sorted.
    pub title_ids: Vec<String>,
    /// What it takes for granted, for a person.
    pub assumptions: Vec<String>,
}

/// `subscribe` or `unsubscribe`.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PlanFacadeAction {
    /// Start paying.
    Subscribe,
    /// Stop paying.
    Unsubscribe,
}

/// A question whose answer would complete the plan: answer it with an input of its `key` and
/// `service_id`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanFacadeQuestion {
    /// `<service_id>:<key>`.
    #[schema(example = "netflix:min_contract_days")]
    pub id: String,
    /// `min_contract_days` or `estimated_watch_days`.
    pub key: &'static str,
    /// For a person.
    pub prompt: String,
    /// Whether the plan stays incomplete without it.
    pub required: bool,
    /// The service.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false, nullable = false)]
    pub service_id: Option<String>,
    /// The titles it concerns.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(required = false)]
    pub title_ids: Vec<String>,
    /// A JSON Schema the answer's value satisfies.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Object, required = false)]
    pub answer_schema: Option<Value>,
    /// Why it is asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false, nullable = false)]
    pub rationale: Option<String>,
}

impl From<FacadePlan> for PlanFacadeResponse {
    fn from(plan: FacadePlan) -> Self {
        Self {
            generated_at: plan.generated_at,
            country: plan.country,
            horizon_days: plan.horizon_days,
            events: plan.events.into_iter().map(PlanFacadeEvent::from).collect(),
            questions: plan
                .questions
                .into_iter()
                .map(PlanFacadeQuestion::from)
                .collect(),
        }
    }
}

impl From<FacadeEvent> for PlanFacadeEvent {
    fn from(event: FacadeEvent) -> Self {
        Self {
            action: match event.action {
                Action::Subscribe => PlanFacadeAction::Subscribe,
                Action::Unsubscribe => PlanFacadeAction::Unsubscribe,
            },
            service_id: event.service_id,
            effective_at: event.effective_at,
            reason_codes: event.reason_codes,
            title_ids: event.title_ids,
            assumptions: event.assumptions,
        }
    }
}

impl From<FacadeQuestion> for PlanFacadeQuestion {
    fn from(q: FacadeQuestion) -> Self {
        Self {
            id: q.id,
            key: q.key,
            prompt: q.prompt,
            required: q.required,
            service_id: q.service_id,
            title_ids: q.title_ids,
            answer_schema: q.answer_schema,
            rationale: q.rationale,
        }
    }
}
