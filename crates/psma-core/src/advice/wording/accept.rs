//! Whether a model's answer is founded: it may reword and reorder the drafts, nothing more.

use crate::advice::contract::{Advice, ProposedChange};
use crate::advice::llm::{LlmFailure, LlmFailureKind};
use crate::advice::profiles::AgentProfile;
use crate::advice::records::AdviceContent;
use crate::advice::rules::Finding;

/// The answer's items matched to the drafts they reword, in the model's order: `(index into
/// drafts, the model's words)`.
///
/// # Errors
/// [`LlmFailureKind::Unfounded`] when a recommendation is of a type the profile may not give,
/// proposes a change no draft proposes (or one already matched), cites a reference its draft
/// does not cite, or a question is not a draft's question with the same input key, options and
/// answer schema.
pub(super) fn accept(
    profile: &AgentProfile,
    drafts: &[(Finding, AdviceContent)],
    answer: Advice,
) -> Result<Vec<(usize, AdviceContent)>, LlmFailure> {
    let unfounded = |detail: String| LlmFailure::new(LlmFailureKind::Unfounded, detail);
    let mut used = vec![false; drafts.len()];
    let mut accepted = Vec::new();
    for recommendation in answer.recommendations {
        if !profile.allowed.contains(&recommendation.kind) {
            return Err(unfounded(format!(
                "the {} profile may not give {:?} recommendations",
                profile.name, recommendation.kind
            )));
        }
        let found = drafts.iter().enumerate().position(|(i, (_, draft))| {
            !used[i]
                && matches!(draft, AdviceContent::Recommendation(d)
                    if d.kind == recommendation.kind
                        && d.proposed_change == recommendation.proposed_change)
        });
        let Some(index) = found else {
            return Err(unfounded(format!(
                "recommends {} which the rules did not find",
                describe(&recommendation.proposed_change)
            )));
        };
        let AdviceContent::Recommendation(draft) = &drafts[index].1 else {
            unreachable!("matched a recommendation above")
        };
        if let Some(unknown) = recommendation
            .based_on
            .iter()
            .find(|r| !draft.based_on.contains(r))
        {
            return Err(unfounded(format!(
                "cites `{unknown}`, which is not among what the finding rests on ({})",
                draft.based_on.join(", ")
            )));
        }
        used[index] = true;
        accepted.push((index, AdviceContent::Recommendation(recommendation)));
    }
    for question in answer.questions {
        let found = drafts.iter().enumerate().position(|(i, (_, draft))| {
            !used[i] && matches!(draft, AdviceContent::Question(d) if d.id == question.id)
        });
        let Some(index) = found else {
            return Err(unfounded(format!(
                "asks `{}`, which the rules did not ask",
                question.id
            )));
        };
        let AdviceContent::Question(draft) = &drafts[index].1 else {
            unreachable!("matched a question above")
        };
        if draft.input_key != question.input_key
            || draft.options != question.options
            || draft.answer_schema != question.answer_schema
        {
            return Err(unfounded(format!(
                "changes what question `{}` accepts",
                question.id
            )));
        }
        used[index] = true;
        accepted.push((index, AdviceContent::Question(question)));
    }
    Ok(accepted)
}

fn describe(change: &ProposedChange) -> String {
    match change {
        ProposedChange::SetWatchMode {
            show_id,
            watch_mode,
            binge_days,
        } => format!(
            "watching show {show_id} {} in {binge_days} days",
            watch_mode.as_str()
        ),
        ProposedChange::ResolveConflict {
            conflict_id,
            fact_id,
        } => format!("resolving conflict {conflict_id} with fact {fact_id}"),
        ProposedChange::None => "an explanation".to_owned(),
    }
}
