//! Fixtures shared by the engine's tests and properties: facts, conflicts, the bundled registry.

use super::*;
use crate::catalog::conflict::{Conflict, ConflictId, ConflictKind, ConflictStatus};
use crate::catalog::merge::{MergePolicy, detect};
use crate::catalog::records::{FactId, RunId, StoredFact};
use crate::catalog::show::{DataScope, Show};
use chrono::{TimeZone, Utc};
use psma_plugin_sdk::text::Title;
use psma_plugin_sdk::{Episode, Fact, Monetization, Provenance, ServiceCategory, ShowType};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

pub(super) const TODAY: &str = "2026-11-22";

pub(super) fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub(super) fn show() -> ShowId {
    ShowId(Uuid::from_u128(1))
}

pub(super) fn stored(n: u128, fact: Fact) -> StoredFact {
    StoredFact {
        id: FactId(Uuid::from_u128(n)),
        scope: DataScope::Global,
        show_id: Some(show()),
        fact,
        recorded_at: Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap(),
        ended_at: None,
    }
}

/// An availability fact, built field by field.
#[derive(Clone)]
struct Av {
    n: u128,
    source: &'static str,
    confidence: f64,
    service: &'static str,
    country: &'static str,
    monetization: Monetization,
    from: Option<&'static str>,
    until: Option<&'static str>,
    retrieved: &'static str,
}

fn av(n: u128) -> Av {
    Av {
        n,
        source: "alpha",
        confidence: 0.9,
        service: "netflix",
        country: "US",
        monetization: Monetization::Flatrate,
        from: Some("2026-01-01"),
        until: None,
        retrieved: "2026-11-20",
    }
}

impl Av {
    fn source(self, source: &'static str) -> Self {
        Self { source, ..self }
    }
    fn confidence(self, confidence: f64) -> Self {
        Self { confidence, ..self }
    }
    fn service(self, service: &'static str) -> Self {
        Self { service, ..self }
    }
    fn country(self, country: &'static str) -> Self {
        Self { country, ..self }
    }
    fn monetization(self, monetization: Monetization) -> Self {
        Self {
            monetization,
            ..self
        }
    }
    fn window(self, from: Option<&'static str>, until: Option<&'static str>) -> Self {
        Self {
            from,
            until,
            ..self
        }
    }
    fn retrieved(self, retrieved: &'static str) -> Self {
        Self { retrieved, ..self }
    }
    fn build(self) -> StoredFact {
        stored(
            self.n,
            Fact::Availability(psma_plugin_sdk::Availability {
                provenance: Provenance {
                    source_id: self.source.parse().unwrap(),
                    retrieved_at: day(self.retrieved).and_hms_opt(9, 0, 0).unwrap().and_utc(),
                    confidence: self.confidence,
                    source_ref: None,
                },
                show: "s".parse().unwrap(),
                service_id: self.service.parse().unwrap(),
                country: self.country.parse().unwrap(),
                monetization: self.monetization,
                available_from: self.from.map(day),
                available_until: self.until.map(day),
            }),
        )
    }
}

fn episode(n: u128, air: &str) -> StoredFact {
    stored(
        n,
        Fact::Episode(Episode {
            provenance: Provenance {
                source_id: "tvmaze".parse().unwrap(),
                retrieved_at: Utc.with_ymd_and_hms(2026, 11, 20, 0, 0, 0).unwrap(),
                confidence: 0.9,
                source_ref: None,
            },
            show: "s".parse().unwrap(),
            season: 1,
            number: u32::try_from(n).unwrap(),
            title: None,
            air_date: Some(day(air)),
            airstamp: None,
        }),
    )
}

pub(super) fn conflict(n: u128, fact_ids: Vec<FactId>, status: ConflictStatus) -> ConflictView {
    ConflictView {
        conflict: Conflict {
            id: ConflictId(Uuid::from_u128(n)),
            scope: DataScope::Global,
            kind: ConflictKind::Availability,
            subject: format!("availability/{n}"),
            show_id: show(),
            other_show_id: None,
            service_id: None,
            country: None,
            fact_ids,
            summary: "sources disagree".to_owned(),
            detected_at: Utc.with_ymd_and_hms(2026, 11, 20, 0, 0, 0).unwrap(),
            run_id: RunId(Uuid::from_u128(7)),
            cleared_at: None,
        },
        status,
        decision: None,
        facts: Vec::new(),
    }
}

pub(super) fn registry() -> ServiceRegistry {
    ServiceRegistry::bundled().unwrap()
}

fn run_with(
    facts: &[StoredFact],
    conflicts: &[ConflictView],
    settings: &AvailabilitySettings,
) -> Vec<Assessment> {
    let input = ShowInput {
        show_id: show(),
        view: merge(facts, &BTreeSet::new()),
        conflicts,
    };
    assess(&[input], &registry(), settings, day(TODAY))
}

fn run(facts: &[StoredFact]) -> Vec<Assessment> {
    run_with(facts, &[], &AvailabilitySettings::default())
}

fn one(facts: &[StoredFact]) -> Assessment {
    let mut all = run(facts);
    assert_eq!(all.len(), 1, "{all:#?}");
    all.remove(0)
}

mod marks;
mod verdicts;
