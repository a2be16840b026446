//! Finding the disagreements the policy cannot settle: conflicts.
//!
//! Detection looks at the sources' own claims only: confirmations (a user's resolutions) and
//! overrules are left out, so a resolved disagreement is still recognised as the same conflict
//! — and a changed fact, which is a new claim, makes a new one.

use super::{MergePolicy, Ranked, USER_CONFIRMATION, body, covers, merge, rank};
use crate::catalog::conflict::ConflictKind;
use crate::catalog::records::{FactId, StoredFact};
use crate::catalog::show::ShowId;
use chrono::NaiveDate;
use psma_plugin_sdk::text::{CountryCode, ServiceId, SourceId};
use psma_plugin_sdk::{Availability, Monetization};
use std::collections::{BTreeMap, BTreeSet};

/// A disagreement found in a show's facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetectedConflict {
    /// What is disputed.
    pub kind: ConflictKind,
    /// The disputed subject, stable across runs (see [`crate::catalog::Conflict::subject`]).
    pub subject: String,
    /// The service, for a dispute about dates.
    pub service_id: Option<ServiceId>,
    /// The country.
    pub country: Option<CountryCode>,
    /// The competing facts, sorted.
    pub fact_ids: Vec<FactId>,
    /// What the disagreement is, for people.
    pub summary: String,
}

/// The conflicts among `facts` (one show's live facts), in subject order.
#[must_use]
pub fn detect(
    show: ShowId,
    facts: &[StoredFact],
    policy: &MergePolicy,
    today: NaiveDate,
) -> Vec<DetectedConflict> {
    let claims: Vec<StoredFact> = facts
        .iter()
        .filter(|f| f.source_id().as_str() != USER_CONFIRMATION)
        .cloned()
        .collect();
    let view = merge(&claims, &BTreeSet::new());
    let mut found = Vec::new();
    for merged in &view.availability {
        if let Some(conflict) = dates(
            show,
            merged.country.clone(),
            merged.service_id.clone(),
            &merged.ranked,
            policy,
        ) {
            found.push(conflict);
        }
    }
    let mut countries: BTreeSet<&CountryCode> = BTreeSet::new();
    for fact in &claims {
        if let Some(a) = body(fact) {
            countries.insert(&a.country);
        }
    }
    for country in countries {
        if let Some(conflict) = services(show, country, &claims, policy, today) {
            found.push(conflict);
        }
    }
    found.sort_by(|a, b| a.subject.cmp(&b.subject));
    found
}

/// The best fact of each source among `facts`.
fn best_per_source<'a>(
    facts: impl Iterator<Item = &'a StoredFact>,
) -> BTreeMap<&'a SourceId, &'a StoredFact> {
    let mut best: BTreeMap<&SourceId, &StoredFact> = BTreeMap::new();
    for fact in facts {
        let entry = best.entry(fact.source_id()).or_insert(fact);
        if rank(fact, entry).is_lt() {
            *entry = fact;
        }
    }
    best
}

fn far_apart(a: Option<NaiveDate>, b: Option<NaiveDate>, tolerance: i64) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).num_days().abs() > tolerance,
        // A vague end ("no known end", "available now") is not a claim to disagree with.
        _ => false,
    }
}

fn settled(winner: &StoredFact, rival: &StoredFact, policy: &MergePolicy) -> bool {
    winner.confidence() - rival.confidence() >= policy.confidence_margin
}

fn describe_window(a: &Availability) -> String {
    let from = a
        .available_from
        .map_or_else(|| "now".to_owned(), |d| d.to_string());
    let until = a
        .available_until
        .map_or_else(|| "no known end".to_owned(), |d| d.to_string());
    format!("{from} to {until}")
}

/// Sources whose windows for the same service overlap but whose dates are far apart.
fn dates(
    show: ShowId,
    country: CountryCode,
    service_id: ServiceId,
    ranked: &Ranked<'_>,
    policy: &MergePolicy,
) -> Option<DetectedConflict> {
    let winner = ranked.winner;
    let won = body(winner)?;
    let rivals: Vec<&StoredFact> = best_per_source(ranked.all())
        .into_values()
        .filter(|f| f.source_id() != winner.source_id())
        .filter(|f| {
            body(f).is_some_and(|a| {
                far_apart(
                    a.available_from,
                    won.available_from,
                    policy.date_tolerance_days,
                ) || far_apart(
                    a.available_until,
                    won.available_until,
                    policy.date_tolerance_days,
                )
            })
        })
        .filter(|f| !settled(winner, f, policy))
        .collect();
    if rivals.is_empty() {
        return None;
    }
    let start = ranked
        .all()
        .filter_map(|f| body(f).and_then(|a| a.available_from))
        .min()
        .map_or_else(|| "open".to_owned(), |d| d.to_string());
    let mut claims = vec![format!(
        "{} says {}",
        winner.source_id(),
        describe_window(won)
    )];
    claims.extend(
        rivals.iter().filter_map(|f| {
            body(f).map(|a| format!("{} says {}", f.source_id(), describe_window(a)))
        }),
    );
    let mut fact_ids: Vec<FactId> = std::iter::once(winner.id)
        .chain(rivals.iter().map(|f| f.id))
        .collect();
    fact_ids.sort_unstable();
    Some(DetectedConflict {
        kind: ConflictKind::Availability,
        subject: format!("availability/{show}/{country}/{service_id}/{start}"),
        summary: format!(
            "Sources disagree on when {service_id} has this show in {country}: {}",
            claims.join("; ")
        ),
        service_id: Some(service_id),
        country: Some(country),
        fact_ids,
    })
}

/// Sources that put the show on entirely different subscription services right now.
fn services(
    show: ShowId,
    country: &CountryCode,
    claims: &[StoredFact],
    policy: &MergePolicy,
    today: NaiveDate,
) -> Option<DetectedConflict> {
    let current: Vec<&StoredFact> = claims
        .iter()
        .filter(|f| {
            body(f).is_some_and(|a| {
                &a.country == country
                    && a.monetization == Monetization::Flatrate
                    && covers(a, today)
            })
        })
        .collect();
    let mut by_source: BTreeMap<&SourceId, Vec<&StoredFact>> = BTreeMap::new();
    for fact in &current {
        by_source.entry(fact.source_id()).or_default().push(fact);
    }
    if by_source.len() < 2 {
        return None;
    }
    let services_of = |facts: &[&StoredFact]| -> BTreeSet<ServiceId> {
        facts
            .iter()
            .filter_map(|f| body(f).map(|a| a.service_id.clone()))
            .collect()
    };
    let winner = current.iter().copied().min_by(|a, b| rank(a, b))?;
    let winning = by_source.get(winner.source_id())?;
    let winning_services = services_of(winning);
    let rivals: Vec<(&SourceId, &Vec<&StoredFact>)> = by_source
        .iter()
        .filter(|(source, _)| **source != winner.source_id())
        .filter(|(_, facts)| services_of(facts).is_disjoint(&winning_services))
        .filter(|(_, facts)| {
            facts
                .iter()
                .copied()
                .min_by(|a, b| rank(a, b))
                .is_some_and(|rival| !settled(winner, rival, policy))
        })
        .map(|(s, f)| (*s, f))
        .collect();
    if rivals.is_empty() {
        return None;
    }
    let list = |set: BTreeSet<ServiceId>| {
        set.iter()
            .map(ServiceId::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut claims_text = vec![format!(
        "{} says {}",
        winner.source_id(),
        list(winning_services)
    )];
    let mut fact_ids: Vec<FactId> = winning.iter().map(|f| f.id).collect();
    for (source, facts) in &rivals {
        claims_text.push(format!("{source} says {}", list(services_of(facts))));
        fact_ids.extend(facts.iter().map(|f| f.id));
    }
    fact_ids.sort_unstable();
    fact_ids.dedup();
    Some(DetectedConflict {
        kind: ConflictKind::Availability,
        subject: format!("availability/{show}/{country}/service"),
        summary: format!(
            "Sources disagree on which service has this show in {country} now: {}",
            claims_text.join("; ")
        ),
        service_id: None,
        country: Some(country.clone()),
        fact_ids,
    })
}
