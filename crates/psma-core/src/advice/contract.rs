//! The advice contract (DESIGN §7): what an adviser — the offline templates or a language model —
//! hands back, generated into `contracts/jsonschema/advice.v1.schema.json` by
//! [`advice_schema`]. Every answer is checked against it before it is kept; the bounds below
//! (lengths, `confidence` in 0..1, the closed enums) are the schema's.
//!
//! A recommendation cites what it rests on in `based_on`, as typed references
//! (`fact:<uuid>`, `sbkb:<service_id>`, `conflict:<uuid>`, `plan_event:<date>:<service>:<action>`,
//! `question:<id>`), so a caller can refuse an answer that cites something that does not exist.

use crate::catalog::conflict::ConflictId;
use crate::catalog::records::FactId;
use crate::catalog::show::ShowId;
use crate::planning::profile::WatchMode;
use schemars::{JsonSchema, Schema};
use serde::{Deserialize, Serialize};

/// The `$id` name and file of the contract.
pub const ADVICE_SCHEMA_NAME: &str = "advice.v1";

/// The pattern every `based_on` reference matches.
pub const REFERENCE_PATTERN: &str = r"^(fact|conflict):[0-9a-f-]{36}$|^sbkb:[a-z0-9-]+$|^plan_event:[0-9]{4}-[0-9]{2}-[0-9]{2}:[a-z0-9-]+:(subscribe|unsubscribe)$|^question:[a-z_]+:[a-z0-9-]+:[a-z_]+$";

/// What an adviser says about one household member's plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Advice")]
pub struct Advice {
    /// What the member could change, each with the exact change confirming it would apply.
    #[schemars(length(max = 50))]
    pub recommendations: Vec<Recommendation>,
    /// What the member could tell PSMA to improve the plan.
    #[schemars(length(max = 50))]
    pub questions: Vec<AdviceQuestion>,
    /// One paragraph for people: what this advice is about as a whole.
    #[schemars(length(max = 2000))]
    pub explanation: String,
}

/// What kind of recommendation it is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RecommendationType {
    /// Change how a show is watched (My Shows).
    PreferenceChange,
    /// Settle a disagreement between sources.
    ConflictResolution,
    /// Say what changed in the plan and why; nothing to apply.
    PlanExplanation,
}

/// One thing the member could do, or should know.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Recommendation {
    /// Its kind.
    #[serde(rename = "type")]
    pub kind: RecommendationType,
    /// One sentence.
    #[schemars(length(min = 1, max = 300))]
    pub summary: String,
    /// The reasoning, with the numbers.
    #[schemars(length(max = 4000))]
    pub details: String,
    /// How sure the adviser is, from 0 to 1.
    #[schemars(range(min = 0.0, max = 1.0))]
    pub confidence: f64,
    /// The facts, SBKB entries, conflicts and plan events it rests on.
    #[schemars(
        length(min = 1, max = 50),
        inner(pattern(REFERENCE_PATTERN), length(max = 120))
    )]
    pub based_on: Vec<String>,
    /// What confirming it applies.
    pub proposed_change: ProposedChange,
}

/// A change PSMA can apply through its ordinary use cases once the member confirms it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ProposedChange {
    /// Change how a show on My Shows is watched.
    SetWatchMode {
        /// The show.
        #[schemars(with = "String", extend("format" = "uuid"))]
        show_id: ShowId,
        /// The new mode.
        #[schemars(with = "WatchModeName")]
        watch_mode: WatchMode,
        /// Days to watch a season in.
        #[schemars(range(min = 1, max = 365))]
        binge_days: u16,
    },
    /// Resolve a conflict in favour of one of its facts (stored as a `user_confirmation`).
    ResolveConflict {
        /// The conflict.
        #[schemars(with = "String", extend("format" = "uuid"))]
        conflict_id: ConflictId,
        /// The fact the member agrees with.
        #[schemars(with = "String", extend("format" = "uuid"))]
        fact_id: FactId,
    },
    /// Nothing to apply (an explanation).
    None,
}

/// [`WatchMode`]'s names, for the schema.
#[derive(JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "WatchMode")]
#[expect(dead_code, reason = "only its schema is used")]
enum WatchModeName {
    AsAired,
    BingeAfterSeason,
}

/// A question whose answer would improve the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdviceQuestion {
    /// A stable id: the input it fills (`show:<id>:end_date`, `conflict:<id>:fact`).
    #[schemars(length(min = 1, max = 120), pattern(r"^[a-z_]+:[a-z0-9-]+:[a-z_]+$"))]
    pub id: String,
    /// The question, for people.
    #[schemars(length(min = 1, max = 300))]
    pub prompt: String,
    /// Suggested answers (each valid against `answer_schema`); empty when free.
    #[schemars(length(max = 20), inner(length(min = 1, max = 120)))]
    pub options: Vec<String>,
    /// Why PSMA asks: what the plan assumes without an answer.
    #[schemars(length(min = 1, max = 1000))]
    pub why_needed: String,
    /// The planner input an answer becomes (equal to `id` today).
    #[schemars(length(min = 1, max = 120), pattern(r"^[a-z_]+:[a-z0-9-]+:[a-z_]+$"))]
    pub input_key: String,
    /// A JSON Schema the answer must match.
    pub answer_schema: AnswerSchema,
}

/// The JSON Schema of an answer: a small, closed subset (a date, a bounded integer, or one of
/// a few strings), so an answer endpoint can check it without trusting the adviser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerSchema {
    /// The JSON type of the answer.
    #[serde(rename = "type")]
    pub value_type: AnswerType,
    /// `date` for a day (`2027-03-01`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<AnswerFormat>,
    /// The smallest integer accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<i64>,
    /// The largest integer accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<i64>,
    /// The only strings accepted.
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 20))]
    pub choices: Option<Vec<String>>,
}

impl AnswerSchema {
    /// A day.
    #[must_use]
    pub fn date() -> Self {
        Self {
            value_type: AnswerType::String,
            format: Some(AnswerFormat::Date),
            minimum: None,
            maximum: None,
            choices: None,
        }
    }

    /// One of `choices`.
    #[must_use]
    pub fn one_of(choices: Vec<String>) -> Self {
        Self {
            value_type: AnswerType::String,
            format: None,
            minimum: None,
            maximum: None,
            choices: Some(choices),
        }
    }
}

/// The JSON type of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AnswerType {
    /// A string (a day, or one of the choices).
    String,
    /// A whole number.
    Integer,
}

/// A string format of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AnswerFormat {
    /// A calendar day, `YYYY-MM-DD`.
    Date,
}

/// The schema of [`Advice`]: `advice.v1.schema.json`.
#[must_use]
pub fn advice_schema() -> Schema {
    psma_plugin_sdk::contract::schema_with_id::<Advice>(ADVICE_SCHEMA_NAME)
}
