//! The offline adviser (DESIGN §7): deterministic templates that turn the rules' findings into
//! an [`Advice`] valid against `advice.v1`. It is the default adviser, needs no key and no
//! network, and is what a language model's failed or invalid answer falls back to.
//!
//! Wording is exact, so tests can pin it: a [`BingeSaves`] becomes
//! "Watch The Bear after the season is out: Hulu releases whole seasons at once; binging saves
//! 42 days and $19.98."

mod conflict;
mod plan_change;
mod words;

use super::contract::{
    Advice, AdviceQuestion, AnswerSchema, ProposedChange, Recommendation, RecommendationType,
};
use super::rules::{BingeSaves, Finding, FindingDetail, UnknownEnd};
use crate::planning::profile::WatchMode;
use words::{clip, count, list, money, plural};

/// Longest summary, details, explanation and option the contract allows.
const SUMMARY_MAX: usize = 300;
const DETAILS_MAX: usize = 4000;
const EXPLANATION_MAX: usize = 2000;
const REFERENCES_MAX: usize = 50;
const OPTIONS_MAX: usize = 20;

/// The advice for `findings`, in their order.
#[must_use]
pub fn advise(findings: &[Finding]) -> Advice {
    let mut recommendations = Vec::new();
    let mut questions = Vec::new();
    for finding in findings {
        match &finding.detail {
            FindingDetail::BingeSaves(f) => recommendations.push(binge(f)),
            FindingDetail::OpenConflict(f) => match conflict::word(f) {
                conflict::Worded::Recommend(r) => recommendations.push(r),
                conflict::Worded::Ask(q) => questions.push(q),
            },
            FindingDetail::UnknownEnd(f) => questions.push(unknown_end(f)),
            FindingDetail::PlanChanged(f) => recommendations.push(plan_change::word(f)),
        }
    }
    let explanation = explanation(&recommendations, questions.len());
    Advice {
        recommendations,
        questions,
        explanation,
    }
}

pub(super) fn recommendation(
    kind: RecommendationType,
    summary: String,
    details: String,
    confidence: f64,
    mut based_on: Vec<String>,
    proposed_change: ProposedChange,
) -> Recommendation {
    based_on.sort();
    based_on.dedup();
    based_on.truncate(REFERENCES_MAX);
    Recommendation {
        kind,
        summary: clip(&summary, SUMMARY_MAX),
        details: clip(&details, DETAILS_MAX),
        confidence: confidence.clamp(0.0, 1.0),
        based_on,
        proposed_change,
    }
}

fn binge(f: &BingeSaves) -> Recommendation {
    let names = list(f.services.iter().map(|s| s.service_name.clone()));
    let release = if f.services.len() == 1 {
        "releases"
    } else {
        "release"
    };
    let mut saved = Vec::new();
    if f.days_saved > 0 {
        saved.push(plural(u64::from(f.days_saved), "day", "days"));
    }
    saved.extend(f.cost_saved.iter().map(|(c, a)| money(c, a)));
    let summary = format!(
        "Watch {} after the season is out: {names} {release} whole seasons at once; binging saves {}.",
        f.title,
        list(saved)
    );
    let sources = list(
        f.services
            .iter()
            .map(|s| format!("{} (source {})", s.service_name, s.source)),
    );
    let details = format!(
        "You watch {title} as it airs. The service knowledge base says {sources} {release} whole \
         seasons at once. Watching it within {binge} once the season is out takes the plan from \
         {before} to {after} subscribed days. Confirming sets {title} to binge after season on My \
         Shows.",
        title = f.title,
        binge = plural(u64::from(f.binge_days), "day", "days"),
        before = f.days_before,
        after = f.days_after,
    );
    let confidence = f
        .services
        .iter()
        .map(|s| s.confidence)
        .fold(1.0_f64, f64::min);
    let based_on = f
        .services
        .iter()
        .map(|s| s.reference.clone())
        .chain(f.event_refs.iter().cloned())
        .collect();
    recommendation(
        RecommendationType::PreferenceChange,
        summary,
        details,
        confidence,
        based_on,
        ProposedChange::SetWatchMode {
            show_id: f.show_id,
            watch_mode: WatchMode::BingeAfterSeason,
            binge_days: f.binge_days,
        },
    )
}

fn unknown_end(f: &UnknownEnd) -> AdviceQuestion {
    let services = list(f.subscriptions.iter().map(|(s, _)| s.to_string()));
    let until = f.planned_until.map_or_else(String::new, |d| {
        format!(", keeping it subscribed until {d}")
    });
    AdviceQuestion {
        id: f.question_id.clone(),
        prompt: clip(
            &format!("When does the current season of {} end?", f.title),
            SUMMARY_MAX,
        ),
        options: Vec::new(),
        why_needed: clip(
            &format!(
                "No end date is known for {}, so the plan assumes it is needed for {} on \
                 {services}{until}. Its last air day could end the subscription sooner.",
                f.title,
                plural(u64::from(f.assumed_days), "day", "days"),
            ),
            1000,
        ),
        input_key: f.question_id.clone(),
        answer_schema: AnswerSchema::date(),
    }
}

fn explanation(recommendations: &[Recommendation], questions: usize) -> String {
    if recommendations.is_empty() && questions == 0 {
        return "Nothing to suggest: the plan follows your choices and the catalog.".to_owned();
    }
    let by = |kind| count(recommendations.iter().filter(|r| r.kind == kind).count());
    let mut parts = Vec::new();
    for (n, one, many) in [
        (
            by(RecommendationType::PreferenceChange),
            "suggested change",
            "suggested changes",
        ),
        (
            by(RecommendationType::ConflictResolution),
            "conflict to settle",
            "conflicts to settle",
        ),
        (
            by(RecommendationType::PlanExplanation),
            "plan change explained",
            "plan changes explained",
        ),
        (count(questions), "question", "questions"),
    ] {
        if n > 0 {
            parts.push(plural(n, one, many));
        }
    }
    clip(
        &format!(
            "PSMA found {}. Nothing changes until you confirm.",
            list(parts)
        ),
        EXPLANATION_MAX,
    )
}

#[cfg(test)]
mod tests;
