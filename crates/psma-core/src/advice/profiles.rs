//! The agent profiles (DESIGN §7): who words which findings, with what instructions, seeing
//! what. Data, not code paths: an adapter gets the profile's prompt and only the findings the
//! profile may see, and an answer is kept only when it stays within what the profile may say.

use super::contract::RecommendationType;
use super::rules::FindingDetail;

/// One agent profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgentProfile {
    /// Its name, recorded with every item it words (`scheduler`).
    pub name: &'static str,
    /// The system prompt sent with its findings.
    pub prompt: &'static str,
    /// The rules whose findings it words (the data it may see).
    pub rules: &'static [&'static str],
    /// The recommendation types it may return.
    pub allowed: &'static [RecommendationType],
    /// What it sees, for people (`docs/ai.md`).
    pub sees: &'static str,
}

/// The scheduler: watch modes, unknown ends, plan changes.
pub const SCHEDULER: AgentProfile = AgentProfile {
    name: "scheduler",
    prompt: "You are PSMA's scheduler. PSMA plans when a household subscribes to and cancels \
             streaming services. You receive the findings of PSMA's deterministic rules about \
             one member's plan and a draft advice that words them. Rewrite the draft for that \
             member: clear, friendly, short, in English, with the numbers from the findings. \
             Order the recommendations by how much they help, most first. Keep every \
             recommendation's type, proposed_change and based_on exactly as in the draft (you \
             may drop based_on entries, never add one), keep every question's id, input_key, \
             options and answer_schema, and do not add recommendations or questions the draft \
             does not have. Never promise a change: the member decides. Answer with JSON only.",
    rules: &["binge_saves", "unknown_end", "plan_changed"],
    allowed: &[
        RecommendationType::PreferenceChange,
        RecommendationType::PlanExplanation,
    ],
    sees: "the member's selections and watch modes, the current plan's events, the plan delta \
           after a refresh, the service knowledge base's release patterns, the planner's \
           questions",
};

/// The researcher: disagreements between sources.
pub const RESEARCHER: AgentProfile = AgentProfile {
    name: "researcher",
    prompt: "You are PSMA's researcher. Sources disagree about where or when a show can be \
             watched. You receive the findings of PSMA's deterministic rules: each conflict's \
             competing facts with their source, retrieval time and confidence, best first by \
             PSMA's merge policy, and a draft advice that words them. Rewrite the draft for the \
             member: say plainly what each source claims and why the recommended one is more \
             reliable. Keep every recommendation's type, proposed_change and based_on exactly \
             as in the draft (you may drop based_on entries, never add one), keep every \
             question's id, input_key, options and answer_schema, and do not add \
             recommendations or questions the draft does not have. Answer with JSON only.",
    rules: &["open_conflict"],
    allowed: &[RecommendationType::ConflictResolution],
    sees: "the competing facts of open conflicts about the member's selected shows, with their \
           provenance (source, retrieved at, confidence, fact id)",
};

/// Every profile, in the order their findings are worded.
pub const PROFILES: [AgentProfile; 2] = [SCHEDULER, RESEARCHER];

/// The profile that words `finding`.
#[must_use]
pub fn profile_for(finding: &FindingDetail) -> &'static AgentProfile {
    let rule = finding.rule();
    PROFILES
        .iter()
        .find(|p| p.rules.contains(&rule))
        .unwrap_or(&SCHEDULER)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_exactly_one_profile() {
        for rule in [
            "binge_saves",
            "open_conflict",
            "unknown_end",
            "plan_changed",
        ] {
            let owners = PROFILES.iter().filter(|p| p.rules.contains(&rule)).count();
            assert_eq!(owners, 1, "{rule}");
        }
    }
}
