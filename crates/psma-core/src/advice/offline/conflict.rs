//! An open conflict: a recommendation of the merge policy's winner, or a question.

use super::words::clip;
use super::{OPTIONS_MAX, SUMMARY_MAX, recommendation};
use crate::advice::contract::{
    AdviceQuestion, AnswerSchema, ProposedChange, Recommendation, RecommendationType,
};
use crate::advice::rules::OpenConflict;

/// What a conflict becomes.
pub(super) enum Worded {
    /// The winner, to confirm.
    Recommend(Recommendation),
    /// Which fact is right, to answer.
    Ask(AdviceQuestion),
}

/// A recommendation when the merge policy settles the conflict, else a question.
pub(super) fn word(f: &OpenConflict) -> Worded {
    let lines: Vec<String> = f
        .facts
        .iter()
        .map(|c| {
            format!(
                "- {} says {} (retrieved {}, confidence {:.2}; fact {})",
                c.source_id,
                c.says,
                c.retrieved_at.format("%Y-%m-%d"),
                c.confidence,
                c.fact_id
            )
        })
        .collect();
    let about = f
        .service_id
        .as_ref()
        .map_or_else(String::new, |s| format!(" on {s}"));
    let id = format!("conflict:{}:fact", f.conflict_id);
    let Some(winner) = f
        .winner
        .and_then(|w| f.facts.iter().find(|c| c.fact_id == w))
    else {
        let mut options: Vec<String> = f.facts.iter().map(|c| c.fact_id.to_string()).collect();
        options.truncate(OPTIONS_MAX);
        return Worded::Ask(AdviceQuestion {
            id: id.clone(),
            prompt: clip(
                &format!("Which source is right about {}{about}?", f.title),
                SUMMARY_MAX,
            ),
            options: options.clone(),
            why_needed: clip(
                &format!(
                    "{} The sources are equally sure and equally recent, so the plan cannot \
                     tell which is right:\n{}",
                    f.summary,
                    lines.join("\n")
                ),
                1000,
            ),
            input_key: id,
            answer_schema: AnswerSchema::one_of(options),
        });
    };
    let summary = format!(
        "Sources disagree about {}{about}: {} is the more reliable.",
        f.title, winner.source_id
    );
    let details = format!(
        "{}\n{}\nConfirming records that {} is right ({}), for your household only.",
        f.summary,
        lines.join("\n"),
        winner.source_id,
        winner.says
    );
    let based_on = std::iter::once(format!("conflict:{}", f.conflict_id))
        .chain(f.facts.iter().map(|c| format!("fact:{}", c.fact_id)))
        .collect();
    Worded::Recommend(recommendation(
        RecommendationType::ConflictResolution,
        summary,
        details,
        winner.confidence,
        based_on,
        ProposedChange::ResolveConflict {
            conflict_id: f.conflict_id,
            fact_id: winner.fact_id,
        },
    ))
}
