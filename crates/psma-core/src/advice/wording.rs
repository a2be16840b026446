//! Wording findings (DESIGN §7 "the LLM only words and ranks what the rules found"): each
//! finding gets the offline templates' draft; when a language model is configured, each agent
//! profile's findings and drafts go to it, and its answer replaces the drafts' words and order
//! only when it is valid against `advice.v1` **and** founded ([`accept`]): the same
//! recommendations with the same proposed changes, the same questions, and citations that are
//! all in the drafts. Any failure keeps the drafts for that profile and is reported, by kind,
//! for the caller to log and count.

mod accept;

use super::contract::{Advice, advice_schema};
use super::llm::{
    LlmClient, LlmFailure, LlmFailureKind, LlmMessage, LlmRequest, OutputSchema, complete_checked,
};
use super::offline;
use super::profiles::{AgentProfile, PROFILES, profile_for};
use super::records::{AdviceContent, AdviceOrigin};
use super::rules::Finding;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// A finding with its words, its rank and who wrote them.
#[derive(Debug, Clone, PartialEq)]
pub struct Worded {
    /// The finding.
    pub finding: Finding,
    /// What the member reads.
    pub content: AdviceContent,
    /// Its place in the run's advice, 0 first.
    pub rank: u32,
    /// The adviser.
    pub origin: AdviceOrigin,
}

/// A profile's model answer that was not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fallback {
    /// The profile whose findings kept the offline wording.
    pub profile: &'static str,
    /// Why.
    pub failure: LlmFailure,
}

/// The words of one advice run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Wording {
    /// Every finding, worded, by rank.
    pub items: Vec<Worded>,
    /// The model answers that were refused or never came.
    pub fallbacks: Vec<Fallback>,
}

/// Words `findings`: the offline drafts, reworded and ranked by `llm` when there is one.
pub async fn word(findings: &[Finding], llm: Option<&dyn LlmClient>) -> Wording {
    let mut wording = Wording::default();
    for profile in &PROFILES {
        let mine: Vec<(Finding, AdviceContent)> = findings
            .iter()
            .filter(|f| profile_for(&f.detail).name == profile.name)
            .map(|f| (f.clone(), draft(f)))
            .collect();
        if mine.is_empty() {
            continue;
        }
        let worded = match llm {
            None => offline_wording(profile, mine, None),
            Some(client) => match ask(client, profile, &mine).await {
                Ok(items) => items,
                Err(failure) => {
                    let kind = failure.kind;
                    wording.fallbacks.push(Fallback {
                        profile: profile.name,
                        failure,
                    });
                    offline_wording(profile, mine, Some(kind))
                }
            },
        };
        wording.items.extend(worded);
    }
    for (rank, item) in wording.items.iter_mut().enumerate() {
        item.rank = u32::try_from(rank).unwrap_or(u32::MAX);
    }
    wording
}

/// The offline templates' words for one finding.
#[must_use]
pub fn draft(finding: &Finding) -> AdviceContent {
    let advice = offline::advise(std::slice::from_ref(finding));
    match (
        advice.recommendations.into_iter().next(),
        advice.questions.into_iter().next(),
    ) {
        (Some(r), _) => AdviceContent::Recommendation(r),
        (None, Some(q)) => AdviceContent::Question(q),
        // Every rule's finding is worded as one or the other (offline::advise).
        (None, None) => unreachable!("a finding the offline adviser does not word"),
    }
}

fn offline_wording(
    profile: &AgentProfile,
    mine: Vec<(Finding, AdviceContent)>,
    fallback: Option<LlmFailureKind>,
) -> Vec<Worded> {
    mine.into_iter()
        .map(|(finding, content)| Worded {
            finding,
            content,
            rank: 0,
            origin: AdviceOrigin::offline(profile.name, fallback),
        })
        .collect()
}

/// Asks the model to reword `mine` as `profile`, and keeps its answer if it is founded.
async fn ask(
    client: &dyn LlmClient,
    profile: &AgentProfile,
    mine: &[(Finding, AdviceContent)],
) -> Result<Vec<Worded>, LlmFailure> {
    let draft = Advice {
        recommendations: mine
            .iter()
            .filter_map(|(_, c)| match c {
                AdviceContent::Recommendation(r) => Some(r.clone()),
                AdviceContent::Question(_) => None,
            })
            .collect(),
        questions: mine
            .iter()
            .filter_map(|(_, c)| match c {
                AdviceContent::Question(q) => Some(q.clone()),
                AdviceContent::Recommendation(_) => None,
            })
            .collect(),
        explanation: String::new(),
    };
    let findings: Vec<_> = mine.iter().map(|(f, _)| &f.detail).collect();
    let message = json!({ "findings": findings, "draft": draft }).to_string();
    let request = LlmRequest {
        system: profile.prompt.to_owned(),
        messages: vec![LlmMessage::user(message)],
        schema: output_schema()?,
    };
    let prompt_hash = prompt_hash(&request);
    let answer = complete_checked(client, &request).await?;
    let advice: Advice = serde_json::from_value(answer.value)
        .map_err(|e| LlmFailure::new(LlmFailureKind::SchemaViolation, e.to_string()))?;
    let accepted = accept::accept(profile, mine, advice)?;
    let origin = AdviceOrigin {
        adapter: answer.meta.adapter,
        model: Some(answer.meta.model),
        profile: profile.name.to_owned(),
        prompt_hash: Some(prompt_hash),
        latency_ms: u64::try_from(answer.meta.latency.as_millis()).unwrap_or(u64::MAX),
        prompt_tokens: answer.meta.usage.map(|u| u.prompt),
        completion_tokens: answer.meta.usage.map(|u| u.completion),
        fallback: None,
    };
    let mut items: Vec<Worded> = accepted
        .into_iter()
        .map(|(index, content)| Worded {
            finding: mine[index].0.clone(),
            content,
            rank: 0,
            origin: origin.clone(),
        })
        .collect();
    // A finding the model left out keeps its draft: it is ranked last, never lost.
    let answered: Vec<&str> = items
        .iter()
        .map(|w| w.finding.fingerprint.as_str())
        .collect();
    let left_out: Vec<(Finding, AdviceContent)> = mine
        .iter()
        .filter(|(f, _)| !answered.contains(&f.fingerprint.as_str()))
        .cloned()
        .collect();
    items.extend(offline_wording(profile, left_out, None));
    Ok(items)
}

/// The name the contract is sent under (OpenAI-compatible servers take `[A-Za-z0-9_-]`).
const SCHEMA_NAME: &str = "advice_v1";

/// `advice.v1`, compiled once.
fn output_schema() -> Result<OutputSchema, LlmFailure> {
    static SCHEMA: OnceLock<Option<OutputSchema>> = OnceLock::new();
    SCHEMA
        .get_or_init(|| {
            let schema = serde_json::to_value(advice_schema()).ok()?;
            OutputSchema::new(SCHEMA_NAME, schema).ok()
        })
        .clone()
        .ok_or_else(|| {
            LlmFailure::new(
                LlmFailureKind::Upstream,
                "the advice contract does not compile",
            )
        })
}

/// SHA-256 (hex) of what was sent: the system prompt, the messages, the schema's name.
fn prompt_hash(request: &LlmRequest) -> String {
    let mut hash = Sha256::new();
    hash.update(request.system.as_bytes());
    for message in &request.messages {
        hash.update(b"\0");
        hash.update(message.role.as_str().as_bytes());
        hash.update(b"\0");
        hash.update(message.content.as_bytes());
    }
    hash.update(b"\0");
    hash.update(request.schema.name().as_bytes());
    hex::encode(hash.finalize())
}

#[cfg(test)]
mod tests;
