//! Properties of the engine over generated shows: deterministic, independent of input order,
//! sorted, and every band explained by its confidence, staleness and schedule.

use super::tests::{TODAY, conflict, day, registry, show, stored};
use super::*;
use crate::catalog::conflict::ConflictStatus;
use crate::catalog::merge::{MergePolicy, USER_CONFIRMATION, detect};
use crate::catalog::records::{FactId, StoredFact};
use chrono::Duration;
use proptest::prelude::*;
use psma_plugin_sdk::{Episode, Fact, Monetization, Provenance, ServiceCategory};
use std::collections::BTreeSet;

const SOURCES: [&str; 4] = ["alpha", "beta", "gamma", USER_CONFIRMATION];
const SERVICES: [&str; 6] = [
    "netflix",
    "max",
    "youtube-tv",
    "apple-tv-store",
    "tubi",
    "unknown-tmdb-provider-8",
];
const MONETIZATIONS: [Monetization; 5] = [
    Monetization::Flatrate,
    Monetization::Free,
    Monetization::Ads,
    Monetization::Rent,
    Monetization::Buy,
];

fn today() -> NaiveDate {
    day(TODAY)
}

/// A day within about two months of today.
fn near() -> impl Strategy<Value = NaiveDate> {
    (-60_i64..60).prop_map(|d| today() + Duration::days(d))
}

fn provenance() -> impl Strategy<Value = Provenance> {
    (0..SOURCES.len(), 0_u8..=10, 0_i64..40).prop_map(|(s, tenths, age)| Provenance {
        source_id: SOURCES[s].parse().unwrap(),
        retrieved_at: (today() - Duration::days(age))
            .and_hms_opt(6, 0, 0)
            .unwrap()
            .and_utc(),
        confidence: f64::from(tenths) / 10.0,
        source_ref: None,
    })
}

fn fact() -> impl Strategy<Value = Fact> {
    prop_oneof![
        4 => (
            provenance(),
            0..SERVICES.len(),
            any::<bool>(),
            0..MONETIZATIONS.len(),
            proptest::option::of(near()),
            proptest::option::of(0_i64..90),
        )
            .prop_map(|(provenance, service, gb, m, from, length)| {
                let until = match (from, length) {
                    (Some(f), Some(l)) => Some(f + Duration::days(l)),
                    (None, Some(l)) => Some(today() + Duration::days(l - 30)),
                    (_, None) => None,
                };
                Fact::Availability(psma_plugin_sdk::Availability {
                    provenance,
                    show: "s".parse().unwrap(),
                    service_id: SERVICES[service].parse().unwrap(),
                    country: if gb { "GB" } else { "US" }.parse().unwrap(),
                    monetization: MONETIZATIONS[m],
                    available_from: from,
                    available_until: until,
                })
            }),
        1 => (provenance(), 1_u32..20, near()).prop_map(|(provenance, number, air)| {
            Fact::Episode(Episode {
                provenance,
                show: "s".parse().unwrap(),
                season: 1,
                number,
                title: None,
                air_date: Some(air),
                airstamp: None,
            })
        }),
    ]
}

/// A show's facts, and the conflicts detection finds in them with a status each.
fn show_facts() -> impl Strategy<Value = (Vec<StoredFact>, Vec<ConflictView>)> {
    proptest::collection::vec(fact(), 1..16)
        .prop_map(|facts| {
            facts
                .into_iter()
                .enumerate()
                .map(|(i, f)| stored(i as u128 + 1, f))
                .collect::<Vec<_>>()
        })
        .prop_flat_map(|facts| {
            let found = detect(show(), &facts, &MergePolicy::default(), today());
            let n = found.len();
            (
                Just(facts),
                Just(found),
                proptest::collection::vec(0_u8..3, n..=n),
            )
        })
        .prop_map(|(facts, found, statuses)| {
            let conflicts = found
                .into_iter()
                .zip(statuses)
                .enumerate()
                .map(|(i, (c, s))| {
                    let status = [
                        ConflictStatus::Open,
                        ConflictStatus::Deferred,
                        ConflictStatus::Resolved,
                    ][usize::from(s)];
                    conflict(i as u128 + 100, c.fact_ids, status)
                })
                .collect();
            (facts, conflicts)
        })
}

fn settings() -> impl Strategy<Value = AvailabilitySettings> {
    (0_u16..30, proptest::option::of(0_u8..=10)).prop_map(|(days, min)| AvailabilitySettings {
        stale_after_days: days,
        min_confidence: min.map(|t| f64::from(t) / 10.0),
    })
}

fn run(
    facts: &[StoredFact],
    conflicts: &[ConflictView],
    settings: &AvailabilitySettings,
) -> Vec<Assessment> {
    let input = ShowInput {
        show_id: show(),
        view: merge(facts, &BTreeSet::new()),
        conflicts,
    };
    assess(&[input], &registry(), settings, today())
}

fn strictly_sorted<T: Ord>(items: &[T]) -> bool {
    items.windows(2).all(|w| w[0] < w[1])
}

proptest! {
    #[test]
    fn the_same_input_in_any_order_gives_the_same_assessments(
        (facts, conflicts) in show_facts(),
        settings in settings(),
        seed in any::<u64>(),
    ) {
        let once = run(&facts, &conflicts, &settings);
        prop_assert_eq!(&once, &run(&facts, &conflicts, &settings));
        let mut shuffled = facts.clone();
        let len = shuffled.len();
        shuffled.rotate_left(usize::try_from(seed).unwrap_or(0) % len);
        shuffled.reverse();
        let mut reordered = conflicts.clone();
        reordered.reverse();
        prop_assert_eq!(&once, &run(&shuffled, &reordered, &settings));
        prop_assert_eq!(
            serde_json::to_string(&once).unwrap(),
            serde_json::to_string(&run(&shuffled, &reordered, &settings)).unwrap()
        );
    }

    #[test]
    fn assessments_are_sorted_and_explained(
        (facts, conflicts) in show_facts(),
        settings in settings(),
    ) {
        let all = run(&facts, &conflicts, &settings);
        prop_assert!(all.windows(2).all(|w| assess::order(&w[0], &w[1]).is_lt()));
        // Schedule data is the canonical view's: each episode's winning fact.
        let scheduled = !merge(&facts, &BTreeSet::new()).upcoming_episodes(today()).is_empty();
        let mut cited = BTreeSet::new();
        for a in &all {
            prop_assert!(strictly_sorted(&a.reason_codes));
            prop_assert!(strictly_sorted(&a.conflict_ids));
            let ids: Vec<FactId> = a.evidence.iter().map(|e| e.fact_id).collect();
            prop_assert!(!ids.is_empty());
            prop_assert!(strictly_sorted(&ids));
            prop_assert!(ids.contains(&a.winning_fact));
            for id in ids {
                prop_assert!(cited.insert(id), "a fact is evidence of one window only");
            }

            // The band: confidence, then one step down when stale, low for an unscheduled
            // live bundle; never above the confidence's own band.
            let age = (today() - a.retrieved_at.date_naive()).num_days();
            let confirmed = a.has(ReasonCode::UserConfirmed);
            let stale = !confirmed && age > i64::from(settings.stale_after_days);
            prop_assert_eq!(a.has(ReasonCode::StaleSnapshot), stale);
            let live = a.category == ServiceCategory::LiveBundle && !scheduled;
            prop_assert_eq!(a.has(ReasonCode::LiveBundleNoSchedule), live);
            let base = ConfidenceBand::of(a.confidence);
            let expected = if live {
                ConfidenceBand::Low
            } else if stale {
                base.lowered()
            } else {
                base
            };
            prop_assert_eq!(a.band, expected);
            prop_assert!(a.band <= base);

            // One verdict, matching `available_now`.
            let verdicts: Vec<ReasonCode> = ReasonCode::VERDICTS
                .into_iter()
                .filter(|c| a.has(*c))
                .collect();
            prop_assert_eq!(verdicts.len(), 1);
            let now = match verdicts[0] {
                ReasonCode::AvailableNow => AvailableNow::True,
                ReasonCode::WindowEnded | ReasonCode::WindowNotStarted => AvailableNow::False,
                _ => AvailableNow::Unknown,
            };
            prop_assert_eq!(a.available_now, now);

            prop_assert_eq!(a.contested, !a.conflict_ids.is_empty());
            prop_assert_eq!(a.has(ReasonCode::Contested), a.contested);
            prop_assert_eq!(a.registry_service, !a.has(ReasonCode::ServiceIdUnknown));
            prop_assert_eq!(
                a.has(ReasonCode::LowConfidence),
                settings.min_confidence.is_some_and(|m| a.confidence < m)
            );
        }
        let availability = facts
            .iter()
            .filter(|f| matches!(f.fact, Fact::Availability(_)))
            .count();
        prop_assert_eq!(cited.len(), availability, "every availability fact is evidence");
    }
}
