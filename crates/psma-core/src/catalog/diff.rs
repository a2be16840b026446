//! Changes: what a run of a source changes against the source's live facts.
//!
//! A run is a snapshot of its source (in its scope): facts with a new key are added, facts with
//! a known key and other content are modified, known facts it no longer asserts end. A removed
//! and an added fact about the same subject (an availability whose start moved) read as one
//! modification.

use super::records::{ChangeKind, FactId, LiveFact, SubjectKey};
use psma_plugin_sdk::{ContentHash, FactKey};
use std::collections::{BTreeMap, HashMap};

/// An incoming fact, as the diff sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Incoming {
    /// Its natural key (unique within a run).
    pub key: FactKey,
    /// Its subject.
    pub subject: SubjectKey,
    /// Its content hash.
    pub content_hash: ContentHash,
}

/// One reported change; `after` indexes the incoming facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiffChange {
    /// Added, removed or modified.
    pub kind: ChangeKind,
    /// The version that ends.
    pub before: Option<FactId>,
    /// The incoming fact that becomes live.
    pub after: Option<usize>,
}

/// What a run does to the store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diff {
    /// Incoming facts to store, by index, ascending.
    pub insert: Vec<usize>,
    /// Live versions to end, ascending.
    pub end: Vec<FactId>,
    /// Incoming facts identical to a live one.
    pub unchanged: u64,
    /// The changes, in a stable order: incoming order, then the removals by id.
    pub changes: Vec<DiffChange>,
}

impl Diff {
    /// How many changes of `kind`.
    #[must_use]
    pub fn count(&self, kind: ChangeKind) -> u64 {
        self.changes.iter().filter(|c| c.kind == kind).count() as u64
    }
}

/// Compares `incoming` (keys unique) with the source's `live` facts.
#[must_use]
pub fn diff(live: &[LiveFact], incoming: &[Incoming]) -> Diff {
    let by_key: HashMap<FactKey, &LiveFact> = live.iter().map(|f| (f.key, f)).collect();
    let mut seen = vec![false; live.len()];
    let index_of: HashMap<FactId, usize> =
        live.iter().enumerate().map(|(i, f)| (f.id, i)).collect();
    let mut out = Diff::default();
    let mut added: Vec<usize> = Vec::new();
    for (index, fact) in incoming.iter().enumerate() {
        match by_key.get(&fact.key) {
            Some(old) => {
                if let Some(&i) = index_of.get(&old.id) {
                    seen[i] = true;
                }
                if old.content_hash == fact.content_hash {
                    out.unchanged += 1;
                } else {
                    out.insert.push(index);
                    out.end.push(old.id);
                    out.changes.push(DiffChange {
                        kind: ChangeKind::Modified,
                        before: Some(old.id),
                        after: Some(index),
                    });
                }
            }
            None => {
                out.insert.push(index);
                added.push(index);
            }
        }
    }
    let mut removed: Vec<&LiveFact> = live
        .iter()
        .zip(&seen)
        .filter(|(_, seen)| !**seen)
        .map(|(f, _)| f)
        .collect();
    removed.sort_by_key(|f| f.id);
    out.end.extend(removed.iter().map(|f| f.id));

    // Pair one removal with one addition of the same subject; ambiguous subjects stay apart.
    let mut added_by_subject: BTreeMap<SubjectKey, Vec<usize>> = BTreeMap::new();
    for &index in &added {
        added_by_subject
            .entry(incoming[index].subject)
            .or_default()
            .push(index);
    }
    let mut removed_by_subject: BTreeMap<SubjectKey, Vec<FactId>> = BTreeMap::new();
    for fact in &removed {
        removed_by_subject
            .entry(fact.subject)
            .or_default()
            .push(fact.id);
    }
    let mut paired: HashMap<usize, FactId> = HashMap::new();
    for (subject, before) in &removed_by_subject {
        if let (Some(after), [one_before]) = (added_by_subject.get(subject), before.as_slice())
            && let [one_after] = after.as_slice()
        {
            paired.insert(*one_after, *one_before);
        }
    }
    let paired_before: std::collections::HashSet<FactId> = paired.values().copied().collect();
    for &index in &added {
        out.changes.push(match paired.get(&index) {
            Some(before) => DiffChange {
                kind: ChangeKind::Modified,
                before: Some(*before),
                after: Some(index),
            },
            None => DiffChange {
                kind: ChangeKind::Added,
                before: None,
                after: Some(index),
            },
        });
    }
    for fact in removed.iter().filter(|f| !paired_before.contains(&f.id)) {
        out.changes.push(DiffChange {
            kind: ChangeKind::Removed,
            before: Some(fact.id),
            after: None,
        });
    }
    out.changes
        .sort_by_key(|c| (c.after.unwrap_or(usize::MAX), c.before));
    out.end.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use psma_plugin_sdk::FactKind;
    use uuid::Uuid;

    fn live(id: u128, key: u128, subject: u128, hash: u128) -> LiveFact {
        LiveFact {
            id: FactId(Uuid::from_u128(id)),
            key: FactKey(key),
            subject: SubjectKey(subject),
            content_hash: ContentHash(hash),
            kind: FactKind::Availability,
            show_id: None,
        }
    }

    fn incoming(key: u128, subject: u128, hash: u128) -> Incoming {
        Incoming {
            key: FactKey(key),
            subject: SubjectKey(subject),
            content_hash: ContentHash(hash),
        }
    }

    #[test]
    fn a_snapshot_adds_modifies_keeps_and_ends() {
        let before = [live(1, 10, 10, 1), live(2, 20, 20, 1), live(3, 30, 30, 1)];
        let now = [
            incoming(10, 10, 1),
            incoming(20, 20, 2),
            incoming(40, 40, 1),
        ];
        let d = diff(&before, &now);
        assert_eq!(d.unchanged, 1);
        assert_eq!(d.insert, vec![1, 2]);
        assert_eq!(
            d.end,
            vec![FactId(Uuid::from_u128(2)), FactId(Uuid::from_u128(3))]
        );
        assert_eq!(d.count(ChangeKind::Added), 1);
        assert_eq!(d.count(ChangeKind::Modified), 1);
        assert_eq!(d.count(ChangeKind::Removed), 1);
    }

    #[test]
    fn a_moved_start_date_reads_as_one_modification() {
        // Same subject 7, new key: the window's start moved.
        let d = diff(&[live(1, 70, 7, 1)], &[incoming(71, 7, 2)]);
        assert_eq!(
            d.changes,
            vec![DiffChange {
                kind: ChangeKind::Modified,
                before: Some(FactId(Uuid::from_u128(1))),
                after: Some(0)
            }]
        );
        assert_eq!(d.insert, vec![0]);
        assert_eq!(d.end, vec![FactId(Uuid::from_u128(1))]);
    }

    fn facts() -> impl Strategy<Value = Vec<(u128, u128, u128)>> {
        // (key, subject, hash) with unique keys.
        proptest::collection::btree_map(0_u128..40, (0_u128..10, 0_u128..3), 0..30)
            .prop_map(|m| m.into_iter().map(|(k, (s, h))| (k, s, h)).collect())
    }

    proptest! {
        #[test]
        fn applying_the_diff_yields_the_snapshot(old in facts(), new in facts()) {
            let live_facts: Vec<LiveFact> = old.iter().enumerate()
                .map(|(i, (k, s, h))| live(i as u128 + 1, *k, *s, *h)).collect();
            let incoming: Vec<Incoming> = new.iter().map(|(k, s, h)| incoming(*k, *s, *h)).collect();
            let d = diff(&live_facts, &incoming);
            // Live after = live before − ended + inserted: exactly the incoming snapshot.
            let mut after: BTreeMap<u128, u128> = live_facts.iter()
                .filter(|f| !d.end.contains(&f.id))
                .map(|f| (f.key.0, f.content_hash.0)).collect();
            for &i in &d.insert {
                prop_assert!(after.insert(incoming[i].key.0, incoming[i].content_hash.0).is_none());
            }
            let expected: BTreeMap<u128, u128> = new.iter().map(|(k, _, h)| (*k, *h)).collect();
            prop_assert_eq!(after, expected);
            // Every incoming fact is counted once; every live one too.
            let (added, modified, removed) = (d.count(ChangeKind::Added), d.count(ChangeKind::Modified), d.count(ChangeKind::Removed));
            prop_assert_eq!(added + modified + d.unchanged, incoming.len() as u64);
            prop_assert_eq!(removed + modified + d.unchanged, live_facts.len() as u64);
            // Deterministic.
            prop_assert_eq!(diff(&live_facts, &incoming), d);
        }

        #[test]
        fn a_run_of_the_same_snapshot_changes_nothing(old in facts()) {
            let live_facts: Vec<LiveFact> = old.iter().enumerate()
                .map(|(i, (k, s, h))| live(i as u128 + 1, *k, *s, *h)).collect();
            let incoming: Vec<Incoming> = old.iter().map(|(k, s, h)| incoming(*k, *s, *h)).collect();
            let d = diff(&live_facts, &incoming);
            prop_assert!(d.changes.is_empty() && d.insert.is_empty() && d.end.is_empty());
        }
    }
}
