//! The first step of every run: each fact is checked against the contract (the JSON Schema)
//! and the rules across its fields, before anything is stored.

use crate::InputProblem;
use crate::catalog::ports::{Progress, Stage};
use crate::catalog::records::SubjectKey;
use psma_plugin_sdk::contract::FactValidator;
use psma_plugin_sdk::text::{ShowKey, SourceId};
use psma_plugin_sdk::{ContentHash, Fact, FactKey};
use std::collections::{BTreeSet, HashMap};

/// At most this many problems are listed; all are counted.
pub(crate) const MAX_LISTED_PROBLEMS: usize = 100;

/// A fact that passed, with what storing it needs.
#[derive(Debug)]
pub(crate) struct Accepted {
    /// Its position in the batch, for messages.
    pub index: usize,
    pub fact: Fact,
    pub document: String,
    pub key: FactKey,
    pub subject: SubjectKey,
    pub content_hash: ContentHash,
}

/// The outcome of checking a batch.
#[derive(Debug, Default)]
pub(crate) struct Checked {
    pub accepted: Vec<Accepted>,
    pub problems: Vec<InputProblem>,
    pub rejected: u64,
}

impl Checked {
    /// Refuses a fact for one or more problems.
    fn refuse(&mut self, index: usize, fact: &Fact, problems: Vec<(Option<String>, String)>) {
        self.rejected += 1;
        for (field, message) in problems {
            self.note(index, fact, field, message);
        }
    }

    fn note(&mut self, index: usize, fact: &Fact, field: Option<String>, message: String) {
        if self.problems.len() < MAX_LISTED_PROBLEMS {
            let about = fact
                .show()
                .map(|s| format!(" about show `{s}`"))
                .unwrap_or_default();
            self.problems.push(InputProblem {
                location: Some(format!("fact {index} ({}{about})", fact.kind().as_str())),
                field,
                message,
            });
        }
    }
}

/// Checks `facts` of `source`: contract, rules, unique keys, and that every fact about a show
/// comes with that show's identity.
pub(crate) fn check(
    facts: Vec<Fact>,
    source: &SourceId,
    validator: &FactValidator,
    progress: &dyn Progress,
) -> Checked {
    progress.stage(Stage::Validating, facts.len() as u64);
    let mut out = Checked::default();
    let mut first_of_key: HashMap<FactKey, usize> = HashMap::with_capacity(facts.len());
    for (index, fact) in facts.into_iter().enumerate() {
        if index % 4096 == 4095 {
            progress.advance(4096);
        }
        if &fact.provenance().source_id != source {
            let message = format!(
                "is `{}`, but this run is for source `{source}`",
                fact.provenance().source_id
            );
            out.refuse(
                index,
                &fact,
                vec![(Some("provenance.source_id".to_owned()), message)],
            );
            continue;
        }
        let document = match serde_json::to_value(&fact) {
            Ok(document) => document,
            Err(e) => {
                out.refuse(
                    index,
                    &fact,
                    vec![(None, format!("cannot be written as JSON: {e}"))],
                );
                continue;
            }
        };
        let broken: Vec<(Option<String>, String)> = match validator.validate(&document) {
            Err(errors) => errors
                .into_iter()
                .map(|e| (Some(e.field), e.message))
                .collect(),
            Ok(()) => fact
                .validate()
                .err()
                .unwrap_or_default()
                .into_iter()
                .map(|e| (Some(e.field), e.message))
                .collect(),
        };
        if !broken.is_empty() {
            out.refuse(index, &fact, broken);
            continue;
        }
        let key = fact.key();
        if let Some(first) = first_of_key.get(&key) {
            let message = format!(
                "repeats fact {first}: the same {} twice",
                fact.kind().as_str()
            );
            out.refuse(index, &fact, vec![(None, message)]);
            continue;
        }
        first_of_key.insert(key, index);
        out.accepted.push(Accepted {
            index,
            subject: SubjectKey::of(&fact),
            content_hash: fact.content_hash(),
            document: document.to_string(),
            key,
            fact,
        });
    }
    drop_dangling(&mut out);
    out
}

/// Facts about a show whose identity the batch does not carry cannot be placed: refuse them.
fn drop_dangling(out: &mut Checked) {
    let identities: BTreeSet<ShowKey> = out
        .accepted
        .iter()
        .filter_map(|a| match &a.fact {
            Fact::ShowIdentity(i) => Some(i.show.clone()),
            _ => None,
        })
        .collect();
    let accepted = std::mem::take(&mut out.accepted);
    for item in accepted {
        match item.fact.show() {
            Some(show) if !identities.contains(show) => {
                let message = format!("show `{show}` is not defined (no show_identity for it)");
                out.refuse(
                    item.index,
                    &item.fact,
                    vec![(Some("show".to_owned()), message)],
                );
            }
            _ => out.accepted.push(item),
        }
    }
}
