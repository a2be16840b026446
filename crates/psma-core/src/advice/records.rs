//! Advice as kept: one item per finding, worded by an adviser, waiting for the member's
//! decision (ADR 0027).

use super::contract::{AdviceQuestion, Recommendation};
use super::llm::LlmFailureKind;
use crate::ids::id_type;
use crate::planning::plans::PlanId;
use crate::tenancy::UserId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

id_type!(
    /// One kept piece of advice.
    AdviceId
);

/// Where an item stands. Only a `pending` item can be confirmed, declined or answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdviceStatus {
    /// Waiting for the member.
    Pending,
    /// The member agreed; its change was applied.
    Confirmed,
    /// The member said no; not raised again until what it rests on changes.
    Declined,
    /// The member answered the question; the answer was applied.
    Answered,
    /// What it rested on changed before the member decided: it can no longer be confirmed.
    Expired,
}

impl AdviceStatus {
    /// Every status, in declaration order.
    pub const ALL: [Self; 5] = [
        Self::Pending,
        Self::Confirmed,
        Self::Declined,
        Self::Answered,
        Self::Expired,
    ];

    /// The stored and serialised name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Confirmed => "confirmed",
            Self::Declined => "declined",
            Self::Answered => "answered",
            Self::Expired => "expired",
        }
    }

    /// The status of a stored name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// What an item says: a recommendation to confirm or decline, or a question to answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AdviceContent {
    /// Something to confirm or decline.
    Recommendation(Recommendation),
    /// Something to answer (or decline).
    Question(AdviceQuestion),
}

impl AdviceContent {
    /// `recommendation` or `question`.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Recommendation(_) => "recommendation",
            Self::Question(_) => "question",
        }
    }

    /// What it cites (a question cites itself).
    #[must_use]
    pub fn based_on(&self) -> Vec<String> {
        match self {
            Self::Recommendation(r) => r.based_on.clone(),
            Self::Question(q) => vec![format!("question:{}", q.id)],
        }
    }
}

/// Who worded an item, and at what cost (the advice record of DESIGN §7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdviceOrigin {
    /// `offline`, or the language-model adapter (`openrouter`).
    pub adapter: String,
    /// The model that answered (`None` for the offline templates).
    pub model: Option<String>,
    /// The agent profile that worded it (`scheduler`, `researcher`).
    pub profile: String,
    /// SHA-256 (hex) of the system prompt, the messages and the schema sent (`None` offline).
    pub prompt_hash: Option<String>,
    /// Wall time of the completion, retries included (`0` offline).
    pub latency_ms: u64,
    /// Tokens of the prompt, when the server reported them.
    pub prompt_tokens: Option<u64>,
    /// Tokens of the answer, when the server reported them.
    pub completion_tokens: Option<u64>,
    /// Why a configured model's wording was not used: the failure it fell back from.
    pub fallback: Option<String>,
}

impl AdviceOrigin {
    /// The offline templates, for `profile`, after `fallback` when a model failed.
    #[must_use]
    pub fn offline(profile: &str, fallback: Option<LlmFailureKind>) -> Self {
        Self {
            adapter: "offline".to_owned(),
            model: None,
            profile: profile.to_owned(),
            prompt_hash: None,
            latency_ms: 0,
            prompt_tokens: None,
            completion_tokens: None,
            fallback: fallback.map(|k| k.as_str().to_owned()),
        }
    }
}

/// One piece of advice as kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredAdvice {
    /// Its id.
    pub id: AdviceId,
    /// The household member it is for.
    pub user_id: UserId,
    /// The fingerprint of the finding it words: equal fingerprints, same situation.
    pub fingerprint: String,
    /// The rule that found it (`binge_saves`, `open_conflict`, `unknown_end`, `plan_changed`).
    pub rule: String,
    /// Where it stands.
    pub status: AdviceStatus,
    /// What it says.
    pub content: AdviceContent,
    /// Its place among the advice raised with it (the adviser's ranking, 0 first).
    pub rank: u32,
    /// The plan it is about.
    pub plan_id: Option<PlanId>,
    /// Who worded it.
    pub origin: AdviceOrigin,
    /// When it was raised.
    pub created_at: DateTime<Utc>,
    /// When it was decided (or expired).
    pub decided_at: Option<DateTime<Utc>>,
    /// Who decided it (`None` when it expired by itself).
    pub decided_by: Option<UserId>,
    /// The answer given to a question.
    pub answer: Option<Value>,
}
