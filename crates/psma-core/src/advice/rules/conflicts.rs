//! An open conflict about a selected show: the competing facts with their provenance, and the
//! fact the merge policy would pick when confidence or recency settles it.

use super::{AdviceInputs, Finding, FindingDetail, fingerprint, title_of};
use crate::catalog::ShowId;
use crate::catalog::conflict::{ConflictId, ConflictKind, ConflictStatus};
use crate::catalog::merge;
use crate::catalog::records::{FactId, StoredFact};
use chrono::{DateTime, Utc};
use psma_plugin_sdk::Fact;
use psma_plugin_sdk::text::ServiceId;
use serde::Serialize;
use std::collections::BTreeSet;

/// Sources disagree about a selected show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenConflict {
    /// The conflict.
    pub conflict_id: ConflictId,
    /// The show.
    pub show_id: ShowId,
    /// Its title.
    pub title: String,
    /// The service concerned, when there is one.
    pub service_id: Option<ServiceId>,
    /// The conflict's own description.
    pub summary: String,
    /// The competing facts, best first by the merge policy.
    pub facts: Vec<CompetingFact>,
    /// The best fact, when it beats the runner-up on confidence or recency (not merely on the
    /// source's or the fact's id); `None`: ask the member.
    pub winner: Option<FactId>,
}

/// One competing fact and its provenance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompetingFact {
    /// The fact.
    pub fact_id: FactId,
    /// Its source.
    pub source_id: String,
    /// When the source was read.
    pub retrieved_at: DateTime<Utc>,
    /// How sure the source is.
    pub confidence: f64,
    /// What it says, for people.
    pub says: String,
}

pub(super) fn find(inputs: &AdviceInputs<'_>) -> Vec<Finding> {
    let selected: BTreeSet<ShowId> = inputs
        .planning
        .selections
        .iter()
        .map(|s| s.show_id)
        .collect();
    let mut found = Vec::new();
    for view in inputs.conflicts {
        let conflict = &view.conflict;
        let show = if selected.contains(&conflict.show_id) {
            conflict.show_id
        } else if let Some(other) = conflict.other_show_id.filter(|o| selected.contains(o)) {
            other
        } else {
            continue;
        };
        if view.status != ConflictStatus::Open
            || conflict.cleared_at.is_some()
            || conflict.kind == ConflictKind::Identity
            || view.facts.len() < 2
        {
            continue;
        }
        let mut ranked: Vec<&StoredFact> = view.facts.iter().collect();
        ranked.sort_by(|a, b| merge::rank(a, b));
        let winner = match ranked.as_slice() {
            [best, second, ..]
                if best
                    .confidence()
                    .total_cmp(&second.confidence())
                    .then_with(|| best.retrieved_at().cmp(&second.retrieved_at()))
                    .is_gt() =>
            {
                Some(best.id)
            }
            _ => None,
        };
        let facts: Vec<CompetingFact> = ranked
            .iter()
            .map(|f| CompetingFact {
                fact_id: f.id,
                source_id: f.source_id().as_str().to_owned(),
                retrieved_at: f.retrieved_at(),
                confidence: f.confidence(),
                says: says(&f.fact),
            })
            .collect();
        let fingerprint = fingerprint("open_conflict", &(conflict.id, &facts));
        found.push(Finding {
            fingerprint,
            detail: FindingDetail::OpenConflict(OpenConflict {
                conflict_id: conflict.id,
                show_id: show,
                title: title_of(inputs, show),
                service_id: conflict.service_id.clone(),
                summary: conflict.summary.clone(),
                facts,
                winner,
            }),
        });
    }
    found
}

/// What a fact says, in a few words.
fn says(fact: &Fact) -> String {
    let day = |d: Option<chrono::NaiveDate>| d.map_or_else(|| "open".to_owned(), |d| d.to_string());
    match fact {
        Fact::Availability(a) => format!(
            "on {} in {} from {} until {}",
            a.service_id,
            a.country,
            day(a.available_from),
            day(a.available_until)
        ),
        Fact::ServiceBehavior(b) => {
            format!("{} releases {}", b.service_id, b.release_pattern.as_str())
        }
        other => format!("a {} fact", other.kind().as_str()),
    }
}
