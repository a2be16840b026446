//! The advice rules (DESIGN §3.2 item 6, §7; `docs/adr/0026-advice-rules.md`): pure,
//! deterministic detection of what is worth telling a household member about their plan. An
//! adviser only words and ranks what these find.
//!
//! | rule | when | finding |
//! |---|---|---|
//! | [`BingeSaves`] | a show watched `as_aired` on a service the SBKB says releases whole seasons at once, and the planner, run again with that one wish set to `binge_after_season`, subscribes fewer days or pays less (and neither more) | a preference change with the days and cost saved |
//! | [`OpenConflict`] | an open conflict about a selected show, between at least two facts | the competing facts with provenance, best first by the merge policy; the winner when confidence or recency settles it, else a question |
//! | [`UnknownEnd`] | the plan's question `show:<id>:end_date`, and a subscription the assumed end keeps open (`UNKNOWN_END`) | a question answered with a day |
//! | [`PlanChanged`] | a plan delta with events added, removed or moved | an explanation of the change |
//!
//! **Fingerprints.** Each finding carries the SHA-256 of a canonical serialisation of its
//! *inputs* — not of the numbers it computes — so the same situation gives the same
//! fingerprint on every run (identical advice is not raised twice while pending), and a declined
//! finding comes back only when what it rests on changes (a wish, an SBKB entry, a conflict's
//! facts, the plan's events). Findings are ordered by rule (the order above), subject, then
//! fingerprint.

mod binge;
mod conflicts;
mod plan_change;
mod sbkb;
mod unknown_end;

pub use binge::BingeSaves;
pub use conflicts::{CompetingFact, OpenConflict};
pub use plan_change::{ChangedEvent, PlanChanged};
pub use sbkb::{SbkbEntry, release_pattern};
pub use unknown_end::UnknownEnd;

use crate::catalog::conflict::ConflictView;
use crate::catalog::records::StoredFact;
use crate::planning::planner::{Action, Plan, PlanEvent};
use crate::planning::plans::{PlanDelta, PlanningInputs};
use chrono::NaiveDate;
use psma_plugin_sdk::ServiceRegistry;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// What the rules look at for one household member.
#[derive(Debug, Clone, Copy)]
pub struct AdviceInputs<'a> {
    /// The planner's input the current plan was made from.
    pub planning: &'a PlanningInputs,
    /// The current plan.
    pub plan: &'a Plan,
    /// The current plan compared with the one before, when there was one worth explaining.
    pub delta: Option<&'a PlanDelta>,
    /// The service registry (the curated SBKB).
    pub registry: &'a ServiceRegistry,
    /// Live `service_behavior` facts the household sees (they extend and override the registry).
    pub service_behaviors: &'a [StoredFact],
    /// Conflicts as the household sees them.
    pub conflicts: &'a [ConflictView],
}

/// One thing worth telling the member, with the fingerprint of what it rests on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// SHA-256 (hex) of the rule's name and its canonical inputs.
    pub fingerprint: String,
    /// What was found.
    pub detail: FindingDetail,
}

/// What a rule found. Declared in the order findings are sorted.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum FindingDetail {
    /// Binging a show would save days or money.
    BingeSaves(BingeSaves),
    /// Sources disagree about a selected show.
    OpenConflict(OpenConflict),
    /// An unknown end date keeps a subscription open.
    UnknownEnd(UnknownEnd),
    /// The plan changed.
    PlanChanged(PlanChanged),
}

impl FindingDetail {
    /// The rule's name (`binge_saves`, `open_conflict`, `unknown_end`, `plan_changed`).
    #[must_use]
    pub fn rule(&self) -> &'static str {
        match self {
            Self::BingeSaves(_) => "binge_saves",
            Self::OpenConflict(_) => "open_conflict",
            Self::UnknownEnd(_) => "unknown_end",
            Self::PlanChanged(_) => "plan_changed",
        }
    }

    fn order(&self) -> u8 {
        match self {
            Self::BingeSaves(_) => 0,
            Self::OpenConflict(_) => 1,
            Self::UnknownEnd(_) => 2,
            Self::PlanChanged(_) => 3,
        }
    }

    /// What it is about, for ordering: a show, a conflict or the plan.
    fn subject(&self) -> String {
        match self {
            Self::BingeSaves(f) => f.show_id.to_string(),
            Self::OpenConflict(f) => f.conflict_id.to_string(),
            Self::UnknownEnd(f) => f.question_id.clone(),
            Self::PlanChanged(_) => String::new(),
        }
    }
}

/// Every finding for `inputs` as of `today` (the day the planner's what-if runs plan from),
/// in a stable order (module docs).
#[must_use]
pub fn findings(inputs: &AdviceInputs<'_>, today: NaiveDate) -> Vec<Finding> {
    let mut found: Vec<Finding> = Vec::new();
    found.extend(binge::find(inputs, today));
    found.extend(conflicts::find(inputs));
    found.extend(unknown_end::find(inputs));
    found.extend(plan_change::find(inputs));
    found.sort_by(|a, b| {
        (a.detail.order(), a.detail.subject(), &a.fingerprint).cmp(&(
            b.detail.order(),
            b.detail.subject(),
            &b.fingerprint,
        ))
    });
    found
}

/// SHA-256 (hex) of `rule` and the canonical JSON of `inputs` (structs in declaration order,
/// maps sorted, vectors sorted by the rules that build them).
#[must_use]
pub fn fingerprint<T: Serialize>(rule: &str, inputs: &T) -> String {
    let mut hash = Sha256::new();
    hash.update(b"psma-advice-finding/v1\0");
    hash.update(rule.as_bytes());
    hash.update(b"\0");
    hash.update(serde_json::to_vec(inputs).unwrap_or_default());
    hex::encode(hash.finalize())
}

/// The `based_on` reference of a plan event: `plan_event:<date>:<service>:<action>`.
#[must_use]
pub fn event_ref(date: NaiveDate, service_id: &str, action: Action) -> String {
    let action = match action {
        Action::Subscribe => "subscribe",
        Action::Unsubscribe => "unsubscribe",
    };
    format!("plan_event:{date}:{service_id}:{action}")
}

/// [`event_ref`] of a planned event.
#[must_use]
pub fn plan_event_ref(event: &PlanEvent) -> String {
    event_ref(event.date, event.service_id.as_str(), event.action)
}

/// The show's title for people (its id when the inputs have none).
fn title_of(inputs: &AdviceInputs<'_>, show: crate::catalog::ShowId) -> String {
    inputs
        .planning
        .titles
        .get(&show)
        .cloned()
        .unwrap_or_else(|| show.to_string())
}

#[cfg(test)]
pub(crate) mod fixtures;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod props;
