//! Advice as the API shows it.

use crate::routes::plans::PlanDeltaView;
use chrono::{DateTime, Utc};
use psma_core::advice::records::{AdviceContent, AdviceOrigin, AdviceStatus, StoredAdvice};
use psma_core::advice::usecases::Decided;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

/// Where an item stands.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AdviceStatusView {
    /// Waiting for the member.
    Pending,
    /// Confirmed; its change was applied.
    Confirmed,
    /// Declined; not raised again until what it rests on changes.
    Declined,
    /// Answered; the answer was applied.
    Answered,
    /// What it rested on changed before a decision; it can no longer be applied.
    Expired,
}

impl From<AdviceStatus> for AdviceStatusView {
    fn from(s: AdviceStatus) -> Self {
        match s {
            AdviceStatus::Pending => Self::Pending,
            AdviceStatus::Confirmed => Self::Confirmed,
            AdviceStatus::Declined => Self::Declined,
            AdviceStatus::Answered => Self::Answered,
            AdviceStatus::Expired => Self::Expired,
        }
    }
}

impl From<AdviceStatusView> for AdviceStatus {
    fn from(s: AdviceStatusView) -> Self {
        match s {
            AdviceStatusView::Pending => Self::Pending,
            AdviceStatusView::Confirmed => Self::Confirmed,
            AdviceStatusView::Declined => Self::Declined,
            AdviceStatusView::Answered => Self::Answered,
            AdviceStatusView::Expired => Self::Expired,
        }
    }
}

/// One piece of advice: a recommendation to confirm or decline, or a question to answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdviceView {
    /// Its id.
    pub id: Uuid,
    /// Where it stands.
    pub status: AdviceStatusView,
    /// The rule that found it: `binge_saves`, `open_conflict`, `unknown_end`, `plan_changed`.
    pub rule: String,
    /// `recommendation` or `question`.
    pub kind: String,
    /// The recommendation (`contracts/jsonschema/advice.v1.schema.json`, `Recommendation`):
    /// type, summary, details, confidence, based_on, proposed_change. Null for a question.
    #[schema(value_type = Option<Object>)]
    pub recommendation: Option<Value>,
    /// The question (`advice.v1`, `AdviceQuestion`): id, prompt, options, why_needed,
    /// input_key, answer_schema. Null for a recommendation.
    #[schema(value_type = Option<Object>)]
    pub question: Option<Value>,
    /// Its place among the advice raised with it, 0 first.
    pub rank: u32,
    /// The plan it is about.
    pub plan_id: Option<Uuid>,
    /// Who worded it.
    pub adviser: AdviserView,
    /// When it was raised.
    pub created_at: DateTime<Utc>,
    /// When it was decided or expired.
    pub decided_at: Option<DateTime<Utc>>,
    /// Who decided it.
    pub decided_by: Option<Uuid>,
    /// The answer given to a question.
    #[schema(value_type = Option<Object>)]
    pub answer: Option<Value>,
}

/// Who worded an item, and at what cost.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdviserView {
    /// `offline` or the language-model adapter (`openrouter`).
    pub adapter: String,
    /// The model that answered; null offline.
    pub model: Option<String>,
    /// The agent profile: `scheduler` or `researcher`.
    pub profile: String,
    /// SHA-256 of the prompt sent; null offline.
    pub prompt_hash: Option<String>,
    /// Milliseconds the model took, retries included; 0 offline.
    pub latency_ms: u64,
    /// Prompt tokens, when reported.
    pub prompt_tokens: Option<u64>,
    /// Answer tokens, when reported.
    pub completion_tokens: Option<u64>,
    /// Why the model's wording was not used (`timeout`, `schema_violation`, `unfounded`, …);
    /// null when it was, or when no model is configured.
    pub fallback: Option<String>,
}

impl From<&AdviceOrigin> for AdviserView {
    fn from(o: &AdviceOrigin) -> Self {
        Self {
            adapter: o.adapter.clone(),
            model: o.model.clone(),
            profile: o.profile.clone(),
            prompt_hash: o.prompt_hash.clone(),
            latency_ms: o.latency_ms,
            prompt_tokens: o.prompt_tokens,
            completion_tokens: o.completion_tokens,
            fallback: o.fallback.clone(),
        }
    }
}

impl From<&StoredAdvice> for AdviceView {
    fn from(a: &StoredAdvice) -> Self {
        let (recommendation, question) = match &a.content {
            AdviceContent::Recommendation(r) => (serde_json::to_value(r).ok(), None),
            AdviceContent::Question(q) => (None, serde_json::to_value(q).ok()),
        };
        Self {
            id: a.id.0,
            status: a.status.into(),
            rule: a.rule.clone(),
            kind: a.content.kind().to_owned(),
            recommendation,
            question,
            rank: a.rank,
            plan_id: a.plan_id.map(|p| p.0),
            adviser: AdviserView::from(&a.origin),
            created_at: a.created_at,
            decided_at: a.decided_at,
            decided_by: a.decided_by.map(|u| u.0),
            answer: a.answer.clone(),
        }
    }
}

/// A decision that changed the plan: the item as decided and the new plan's delta.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdviceDecidedView {
    /// The item, confirmed or answered.
    pub advice: AdviceView,
    /// The plan made after applying it, compared with the plan before.
    pub delta: PlanDeltaView,
}

impl From<&Decided> for AdviceDecidedView {
    fn from(d: &Decided) -> Self {
        Self {
            advice: AdviceView::from(&d.advice),
            delta: PlanDeltaView::from(&d.delta),
        }
    }
}
