//! The first step of every run: each fact is checked against the contract (the JSON Schema)
//! and the rules across its fields, before anything is stored.

use crate::InputProblem;
use crate::catalog::ports::{Progress, Stage};
use crate::catalog::records::SubjectKey;
use psma_plugin_sdk::contract::FactValidator;
use psma_plugin_sdk::text::{ShowKey, SourceId};
use psma_plugin_sdk::{ContentHash, Fact, FactKey};
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;
#[cfg(test)]
use std::task::{Context, Waker};

/// At most this many problems are listed; all are counted.
pub(crate) const MAX_LISTED_PROBLEMS: usize = 100;

/// A fact that passed, with what comparing and storing it needs. (Its stored JSON is written
/// when it is stored: most facts of a re-import are stored already.)
#[derive(Debug)]
pub(crate) struct Accepted {
    /// Its position in the batch, for messages.
    pub index: usize,
    pub fact: Fact,
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

/// What checking one fact on its own found.
enum Verdict {
    Refused(Vec<(Option<String>, String)>),
    Passed {
        key: FactKey,
        subject: SubjectKey,
        content_hash: ContentHash,
    },
}

/// Below this many facts a batch is checked on the calling thread.
const PARALLEL_FROM: usize = 8192;
/// Progress is reported every this many facts.
const PROGRESS_STEP: usize = 4096;

/// [`check_beside`] with nothing beside it.
#[cfg(test)]
pub(crate) fn check(
    facts: Vec<Fact>,
    source: &SourceId,
    validator: &FactValidator,
    progress: &dyn Progress,
) -> Checked {
    let nothing = std::pin::pin!(std::future::pending::<()>());
    let checking = check_beside(facts, source, validator, progress, nothing);
    // Nothing in the check waits: one poll finishes it.
    match std::pin::pin!(checking)
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready((checked, _)) => checked,
        Poll::Pending => unreachable!("the check never waits"),
    }
}

/// Facts examined between two looks at the work beside the check.
const BESIDE_EVERY: usize = 1 << 16;

/// Checks `facts` of `source`: contract, rules, unique keys, and that every fact about a show
/// comes with that show's identity — while `beside` (the reading of the source's stored facts)
/// makes progress: it is polled between slices of the batch, so the database works while the
/// facts are examined. Answers its output too if it finished meanwhile.
///
/// Each fact's own checks (the schema, the rules, its keys and hash) run on every core, in
/// contiguous slices; what depends on the order (the first of a repeated key wins, the listed
/// problems) is then decided in one pass in batch order, so the outcome does not depend on
/// the number of threads.
pub(crate) async fn check_beside<F: Future>(
    mut facts: Vec<Fact>,
    source: &SourceId,
    validator: &FactValidator,
    progress: &dyn Progress,
    mut beside: Pin<&mut F>,
) -> (Checked, Option<F::Output>) {
    progress.stage(Stage::Validating, facts.len() as u64);
    let mut verdicts = Vec::with_capacity(facts.len());
    let mut finished = None;
    for part in facts.chunks_mut(BESIDE_EVERY) {
        if finished.is_none() {
            let look = std::future::poll_fn(|cx| Poll::Ready(beside.as_mut().poll(cx)));
            if let Poll::Ready(output) = look.await {
                finished = Some(output);
            }
        }
        verdicts.extend(examine_all(part, source, validator, progress));
    }
    (decide(facts, verdicts), finished)
}

/// The order-dependent part of the check, in batch order: repeated keys and dangling facts.
fn decide(facts: Vec<Fact>, verdicts: Vec<Verdict>) -> Checked {
    // Sized once: grown push by push, a million accepted facts were copied over and over into
    // fresh memory (a second of the check on one thread).
    let mut out = Checked {
        accepted: Vec::with_capacity(facts.len()),
        ..Checked::default()
    };
    let mut first_of_key: HashMap<FactKey, usize> = HashMap::with_capacity(facts.len());
    for (index, (fact, verdict)) in facts.into_iter().zip(verdicts).enumerate() {
        let (key, subject, content_hash) = match verdict {
            Verdict::Refused(problems) => {
                out.refuse(index, &fact, problems);
                continue;
            }
            Verdict::Passed {
                key,
                subject,
                content_hash,
            } => (key, subject, content_hash),
        };
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
            subject,
            content_hash,
            key,
            fact,
        });
    }
    drop_dangling(&mut out);
    out
}

/// [`examine`] over the batch, split across the available cores.
fn examine_all(
    facts: &mut [Fact],
    source: &SourceId,
    validator: &FactValidator,
    progress: &dyn Progress,
) -> Vec<Verdict> {
    let slice = |part: &mut [Fact]| -> Vec<Verdict> {
        let mut verdicts = Vec::with_capacity(part.len());
        for (i, fact) in part.iter_mut().enumerate() {
            verdicts.push(examine(fact, source, validator));
            if i % PROGRESS_STEP == PROGRESS_STEP - 1 {
                progress.advance(PROGRESS_STEP as u64);
            }
        }
        verdicts
    };
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    if workers < 2 || facts.len() < PARALLEL_FROM {
        return slice(facts);
    }
    let size = facts.len().div_ceil(workers);
    std::thread::scope(|scope| {
        let handles: Vec<_> = facts
            .chunks_mut(size)
            .map(|part| scope.spawn(move || slice(part)))
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// One fact's own checks: its source, the contract, the rules across its fields. (The fact is
/// borrowed mutably only to hash it without a copy; it is left as it was.)
fn examine(fact: &mut Fact, source: &SourceId, validator: &FactValidator) -> Verdict {
    if &fact.provenance().source_id != source {
        let message = format!(
            "is `{}`, but this run is for source `{source}`",
            fact.provenance().source_id
        );
        return Verdict::Refused(vec![(Some("provenance.source_id".to_owned()), message)]);
    }
    let document = match serde_json::to_value(&*fact) {
        Ok(document) => document,
        Err(e) => return Verdict::Refused(vec![(None, format!("cannot be written as JSON: {e}"))]),
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
        return Verdict::Refused(broken);
    }
    Verdict::Passed {
        key: fact.key(),
        subject: SubjectKey::of(fact),
        content_hash: fact.content_hash_in_place(),
    }
}

/// Facts about a show whose identity the batch does not carry cannot be placed: refuse them.
/// (In place: the accepted facts stay where they are, only the dangling ones are taken out.)
fn drop_dangling(out: &mut Checked) {
    let identities: HashSet<&ShowKey> = out
        .accepted
        .iter()
        .filter_map(|a| match &a.fact {
            Fact::ShowIdentity(i) => Some(&i.show),
            _ => None,
        })
        .collect();
    let dangling: Vec<usize> = out
        .accepted
        .iter()
        .enumerate()
        .filter(|(_, a)| a.fact.show().is_some_and(|s| !identities.contains(s)))
        .map(|(at, _)| at)
        .collect();
    drop(identities);
    if dangling.is_empty() {
        return;
    }
    // The closure sees every element once, in order.
    let mut next = dangling.iter().copied().peekable();
    let mut at = 0;
    let taken: Vec<Accepted> = out
        .accepted
        .extract_if(.., |_| {
            let hit = next.next_if_eq(&at).is_some();
            at += 1;
            hit
        })
        .collect();
    for item in taken {
        if let Some(show) = item.fact.show() {
            let message = format!("show `{show}` is not defined (no show_identity for it)");
            out.refuse(
                item.index,
                &item.fact,
                vec![(Some("show".to_owned()), message)],
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::ports::NoProgress;
    use chrono::{TimeZone, Utc};
    use psma_plugin_sdk::{Provenance, ShowIdentity, ShowType};
    use std::collections::BTreeMap;

    fn identity(source: &str, show: usize, year: i32) -> Fact {
        Fact::ShowIdentity(ShowIdentity {
            provenance: Provenance {
                source_id: SourceId::parse(source).unwrap(),
                retrieved_at: Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap(),
                confidence: 0.9,
                source_ref: None,
            },
            show: format!("s{show}").parse().unwrap(),
            title: format!("Show {show}").parse().unwrap(),
            year: Some(year),
            show_type: ShowType::Tv,
            external_ids: BTreeMap::new(),
            overview: None,
            genres: Vec::new(),
        })
    }

    fn episode(show: usize, number: u32) -> Fact {
        let Fact::ShowIdentity(identity) = identity("bench", show, 2000) else {
            unreachable!()
        };
        Fact::Episode(psma_plugin_sdk::Episode {
            provenance: identity.provenance,
            show: identity.show,
            season: 1,
            number,
            title: None,
            air_date: None,
            airstamp: None,
        })
    }

    /// A fact about a show the batch has no identity for is refused naming its `show`; the
    /// rest keep their batch order.
    #[test]
    fn facts_about_an_undefined_show_are_refused() {
        let facts = vec![
            episode(1, 1),
            identity("bench", 0, 2000),
            episode(0, 1),
            episode(1, 2),
            episode(0, 2),
        ];
        let validator = FactValidator::new().unwrap();
        let source = SourceId::parse("bench").unwrap();
        let checked = check(facts, &source, &validator, &NoProgress);

        assert_eq!(checked.rejected, 2);
        let indexes: Vec<usize> = checked.accepted.iter().map(|a| a.index).collect();
        assert_eq!(indexes, [1, 2, 4]);
        let problems: Vec<(Option<&str>, Option<&str>, &str)> = checked
            .problems
            .iter()
            .map(|p| {
                (
                    p.location.as_deref(),
                    p.field.as_deref(),
                    p.message.as_str(),
                )
            })
            .collect();
        let message = "show `s1` is not defined (no show_identity for it)";
        assert_eq!(
            problems,
            [
                (
                    Some("fact 0 (episode about show `s1`)"),
                    Some("show"),
                    message
                ),
                (
                    Some("fact 3 (episode about show `s1`)"),
                    Some("show"),
                    message
                ),
            ]
        );
    }

    /// A batch large enough to be split across threads decides like a sequential pass: the
    /// first of a repeated key wins, problems are listed in batch order.
    #[test]
    fn a_parallel_check_decides_in_batch_order() {
        let n = PARALLEL_FROM * 3;
        let facts: Vec<Fact> = (0..n)
            .map(|i| match i % 1000 {
                // Same show key as the fact before it: a repeat.
                1 => identity("bench", i - 1, 2001),
                // Out of range year: broken.
                2 => identity("bench", i, 1200),
                // Another source: refused.
                3 => identity("other", i, 2000),
                _ => identity("bench", i, 2000),
            })
            .collect();
        let validator = FactValidator::new().unwrap();
        let source = SourceId::parse("bench").unwrap();
        let checked = check(facts, &source, &validator, &NoProgress);

        let refused = (0..n).filter(|i| (1..=3).contains(&(i % 1000))).count();
        assert_eq!(checked.rejected, refused as u64);
        assert_eq!(checked.accepted.len(), n - refused);
        let indexes: Vec<usize> = checked.accepted.iter().map(|a| a.index).collect();
        assert!(indexes.windows(2).all(|w| w[0] < w[1]));
        assert!(indexes.contains(&0) && !indexes.contains(&1));
        let locations: Vec<&str> = checked
            .problems
            .iter()
            .filter_map(|p| p.location.as_deref())
            .take(3)
            .collect();
        assert_eq!(
            locations,
            [
                "fact 1 (show_identity about show `s0`)",
                "fact 2 (show_identity about show `s2`)",
                "fact 3 (show_identity about show `s3`)"
            ]
        );
    }
}
