//! The merge: a show's live facts from every source it is visible from → the canonical view.
//!
//! Policy, in order: a user-confirmed fact wins; then higher confidence; then the more recent
//! `retrieved_at`; then an explicit window over a vague "available now"; then the source id and
//! the fact id, so that the outcome never depends on the order the facts came in.
//! Disagreements the policy cannot settle safely are found by [`detect`].

mod detect;

pub use detect::{DetectedConflict, detect};

use super::records::{FactId, StoredFact};
use chrono::NaiveDate;
use psma_plugin_sdk::text::{CountryCode, ServiceId};
use psma_plugin_sdk::{Availability, Episode, Fact, ShowIdentity};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// The source of facts that record a user's resolution of a conflict.
pub const USER_CONFIRMATION: &str = "user_confirmation";

/// When a disagreement is a conflict rather than something the policy settles.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MergePolicy {
    /// Dates further apart than this many days disagree.
    pub date_tolerance_days: i64,
    /// A fact more confident than its rival by at least this much wins without a conflict.
    pub confidence_margin: f64,
}

impl Default for MergePolicy {
    fn default() -> Self {
        Self {
            date_tolerance_days: 7,
            confidence_margin: 0.25,
        }
    }
}

/// Orders facts best first by the policy.
#[must_use]
pub fn rank(a: &StoredFact, b: &StoredFact) -> Ordering {
    let confirmed = |f: &StoredFact| f.source_id().as_str() == USER_CONFIRMATION;
    let explicit = |f: &StoredFact| match &f.fact {
        Fact::Availability(av) => av.available_from.is_some(),
        _ => false,
    };
    confirmed(b)
        .cmp(&confirmed(a))
        .then_with(|| b.confidence().total_cmp(&a.confidence()))
        .then_with(|| b.retrieved_at().cmp(&a.retrieved_at()))
        .then_with(|| explicit(b).cmp(&explicit(a)))
        .then_with(|| a.source_id().cmp(b.source_id()))
        .then_with(|| a.id.cmp(&b.id))
}

/// A winner and the facts it beat, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked<'a> {
    /// The fact the view shows.
    pub winner: &'a StoredFact,
    /// The others, best first.
    pub alternatives: Vec<&'a StoredFact>,
}

impl<'a> Ranked<'a> {
    fn of(mut facts: Vec<&'a StoredFact>) -> Option<Self> {
        facts.sort_by(|a, b| rank(a, b));
        let mut iter = facts.into_iter();
        let winner = iter.next()?;
        Some(Self {
            winner,
            alternatives: iter.collect(),
        })
    }

    /// Every fact, winner first.
    pub fn all(&self) -> impl Iterator<Item = &'a StoredFact> + '_ {
        std::iter::once(self.winner).chain(self.alternatives.iter().copied())
    }
}

/// One window in which a show can be watched on a service in a country.
#[derive(Debug, Clone, PartialEq)]
pub struct MergedAvailability<'a> {
    /// Where.
    pub country: CountryCode,
    /// The service.
    pub service_id: ServiceId,
    /// The winning fact's window and terms.
    pub winner: &'a Availability,
    /// The facts about this window (overlapping windows of the sources), ranked.
    pub ranked: Ranked<'a>,
}

impl MergedAvailability<'_> {
    /// Whether the winning window covers `today`.
    #[must_use]
    pub fn available_on(&self, today: NaiveDate) -> bool {
        covers(self.winner, today)
    }
}

/// Whether `a`'s window covers `day` (an open end is unbounded).
#[must_use]
pub fn covers(a: &Availability, day: NaiveDate) -> bool {
    let (from, until) = window(a);
    from <= day && day <= until
}

/// The canonical view of one show.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ShowView<'a> {
    /// Its identity, from the best identity fact.
    pub identity: Option<Ranked<'a>>,
    /// Where and when it can be watched, by country, service and window start.
    pub availability: Vec<MergedAvailability<'a>>,
    /// Its episodes, by season and number.
    pub episodes: Vec<Ranked<'a>>,
}

impl ShowView<'_> {
    /// The winning identity.
    #[must_use]
    pub fn identity(&self) -> Option<&ShowIdentity> {
        match self.identity.as_ref().map(|r| &r.winner.fact) {
            Some(Fact::ShowIdentity(i)) => Some(i),
            _ => None,
        }
    }

    /// Episodes airing on or after `today`, in airing order.
    #[must_use]
    pub fn upcoming_episodes(&self, today: NaiveDate) -> Vec<(&Episode, &StoredFact)> {
        let mut upcoming: Vec<(&Episode, &StoredFact)> = self
            .episodes
            .iter()
            .filter_map(|r| match &r.winner.fact {
                Fact::Episode(e) if e.day().is_some_and(|d| d >= today) => Some((e, r.winner)),
                _ => None,
            })
            .collect();
        upcoming.sort_by_key(|(e, _)| (e.day(), e.season, e.number));
        upcoming
    }
}

/// Merges a show's live facts, leaving out the facts the tenant's decisions overruled.
#[must_use]
pub fn merge<'a>(facts: &'a [StoredFact], overruled: &BTreeSet<FactId>) -> ShowView<'a> {
    let mut identities = Vec::new();
    let mut windows: BTreeMap<(CountryCode, ServiceId), Vec<&StoredFact>> = BTreeMap::new();
    let mut episodes: BTreeMap<(u16, u32), Vec<&StoredFact>> = BTreeMap::new();
    for fact in facts.iter().filter(|f| !overruled.contains(&f.id)) {
        match &fact.fact {
            Fact::ShowIdentity(_) => identities.push(fact),
            Fact::Availability(a) => windows
                .entry((a.country.clone(), a.service_id.clone()))
                .or_default()
                .push(fact),
            Fact::Episode(e) => episodes.entry((e.season, e.number)).or_default().push(fact),
            Fact::ServiceBehavior(_) | Fact::Price(_) => {}
        }
    }
    let mut availability = Vec::new();
    for ((country, service_id), group) in windows {
        for cluster in clusters(group) {
            if let Some(ranked) = Ranked::of(cluster)
                && let Some(winner) = body(ranked.winner)
            {
                availability.push(MergedAvailability {
                    country: country.clone(),
                    service_id: service_id.clone(),
                    winner,
                    ranked,
                });
            }
        }
    }
    ShowView {
        identity: Ranked::of(identities),
        availability,
        episodes: episodes.into_values().filter_map(Ranked::of).collect(),
    }
}

/// A window as an inclusive range of days; an open end is unbounded.
pub(crate) fn window(a: &Availability) -> (NaiveDate, NaiveDate) {
    (
        a.available_from.unwrap_or(NaiveDate::MIN),
        a.available_until.unwrap_or(NaiveDate::MAX),
    )
}

pub(crate) fn body(fact: &StoredFact) -> Option<&Availability> {
    match &fact.fact {
        Fact::Availability(a) => Some(a),
        _ => None,
    }
}

/// Splits one service's windows into groups of overlapping windows (connected components of
/// the overlap relation), each one window of the canonical view, ordered by start.
fn clusters(mut group: Vec<&StoredFact>) -> Vec<Vec<&StoredFact>> {
    group.sort_by(|a, b| {
        let (wa, wb) = (body(a).map(window), body(b).map(window));
        wa.cmp(&wb).then_with(|| a.id.cmp(&b.id))
    });
    let mut out: Vec<Vec<&StoredFact>> = Vec::new();
    let mut reach = NaiveDate::MIN;
    for fact in group {
        let Some((start, end)) = body(fact).map(window) else {
            continue;
        };
        match out.last_mut() {
            Some(current) if start <= reach => {
                current.push(fact);
                reach = reach.max(end);
            }
            _ => {
                out.push(vec![fact]);
                reach = end;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
