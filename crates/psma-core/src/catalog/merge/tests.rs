use super::*;
use crate::catalog::show::{DataScope, ShowId};
use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use psma_plugin_sdk::testkit::arbitrary;
use psma_plugin_sdk::text::SourceId;
use psma_plugin_sdk::{Monetization, Provenance};
use uuid::Uuid;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn stored(n: u128, fact: Fact) -> StoredFact {
    StoredFact {
        id: FactId(Uuid::from_u128(n)),
        scope: DataScope::Global,
        show_id: Some(ShowId(Uuid::from_u128(1))),
        fact,
        recorded_at: Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap(),
        ended_at: None,
    }
}

fn avail(
    n: u128,
    source: &str,
    confidence: f64,
    service: &str,
    from: Option<&str>,
    until: Option<&str>,
) -> StoredFact {
    stored(
        n,
        Fact::Availability(Availability {
            provenance: Provenance {
                source_id: SourceId::parse(source).unwrap(),
                retrieved_at: Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap(),
                confidence,
                source_ref: None,
            },
            show: "s".parse().unwrap(),
            service_id: service.parse().unwrap(),
            country: "US".parse().unwrap(),
            monetization: Monetization::Flatrate,
            available_from: from.map(day),
            available_until: until.map(day),
        }),
    )
}

fn show() -> ShowId {
    ShowId(Uuid::from_u128(1))
}

const TODAY: &str = "2026-11-22";

#[test]
fn the_more_confident_source_wins_and_the_other_is_an_alternative() {
    let facts = [
        avail(1, "alpha", 0.6, "netflix", Some("2026-01-01"), None),
        avail(2, "beta", 0.9, "netflix", Some("2026-01-03"), None),
    ];
    let view = merge(&facts, &BTreeSet::new());
    assert_eq!(view.availability.len(), 1);
    assert_eq!(view.availability[0].ranked.winner.id, facts[1].id);
    assert_eq!(view.availability[0].ranked.alternatives, vec![&facts[0]]);
    assert!(view.availability[0].available_on(day(TODAY)));
    assert!(
        detect(show(), &facts, &MergePolicy::default(), day(TODAY)).is_empty(),
        "two days apart is within tolerance"
    );
}

#[test]
fn a_user_confirmation_wins_over_any_confidence() {
    let facts = [
        avail(1, "alpha", 1.0, "netflix", Some("2026-01-01"), None),
        avail(
            2,
            USER_CONFIRMATION,
            0.1,
            "netflix",
            Some("2026-06-01"),
            None,
        ),
    ];
    let view = merge(&facts, &BTreeSet::new());
    assert_eq!(view.availability[0].ranked.winner.id, facts[1].id);
}

#[test]
fn windows_that_do_not_overlap_are_separate_windows() {
    let facts = [
        avail(
            1,
            "alpha",
            0.8,
            "netflix",
            Some("2026-01-01"),
            Some("2026-03-31"),
        ),
        avail(2, "alpha", 0.8, "netflix", Some("2026-09-01"), None),
    ];
    let view = merge(&facts, &BTreeSet::new());
    assert_eq!(view.availability.len(), 2);
    assert!(!view.availability[0].available_on(day(TODAY)));
    assert!(view.availability[1].available_on(day(TODAY)));
}

#[test]
fn close_confidences_and_distant_dates_are_a_conflict_a_wide_margin_is_not() {
    let policy = MergePolicy::default();
    let facts = [
        avail(
            1,
            "alpha",
            0.8,
            "netflix",
            Some("2026-01-01"),
            Some("2026-12-31"),
        ),
        avail(
            2,
            "beta",
            0.7,
            "netflix",
            Some("2026-01-01"),
            Some("2027-06-30"),
        ),
    ];
    let found = detect(show(), &facts, &policy, day(TODAY));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].fact_ids, vec![facts[0].id, facts[1].id]);
    assert_eq!(found[0].service_id.as_ref().unwrap().as_str(), "netflix");
    assert!(
        found[0]
            .summary
            .contains("alpha says 2026-01-01 to 2026-12-31"),
        "{}",
        found[0].summary
    );

    let settled = [
        avail(
            1,
            "alpha",
            0.95,
            "netflix",
            Some("2026-01-01"),
            Some("2026-12-31"),
        ),
        avail(
            2,
            "beta",
            0.5,
            "netflix",
            Some("2026-01-01"),
            Some("2027-06-30"),
        ),
    ];
    assert!(detect(show(), &settled, &policy, day(TODAY)).is_empty());
}

#[test]
fn sources_naming_different_services_now_are_a_conflict() {
    let facts = [
        avail(1, "alpha", 0.8, "netflix", Some("2026-01-01"), None),
        avail(2, "beta", 0.8, "max", Some("2026-02-01"), None),
    ];
    let found = detect(show(), &facts, &MergePolicy::default(), day(TODAY));
    assert_eq!(found.len(), 1);
    assert!(found[0].subject.ends_with("/US/service"));
    assert!(
        found[0]
            .summary
            .contains("alpha says netflix; beta says max"),
        "{}",
        found[0].summary
    );
    // The same show on two services by one source is no dispute.
    let both = [
        avail(1, "alpha", 0.8, "netflix", None, None),
        avail(2, "alpha", 0.8, "max", None, None),
    ];
    assert!(detect(show(), &both, &MergePolicy::default(), day(TODAY)).is_empty());
}

#[test]
fn overruled_facts_leave_the_view_but_not_the_detection() {
    let facts = [
        avail(1, "alpha", 0.8, "netflix", None, None),
        avail(2, "beta", 0.8, "max", None, None),
    ];
    let overruled: BTreeSet<FactId> = [facts[1].id].into();
    let view = merge(&facts, &overruled);
    assert_eq!(view.availability.len(), 1);
    assert_eq!(view.availability[0].service_id.as_str(), "netflix");
    assert_eq!(
        detect(show(), &facts, &MergePolicy::default(), day(TODAY)).len(),
        1
    );
}

fn facts() -> impl Strategy<Value = Vec<StoredFact>> {
    proptest::collection::vec(arbitrary::fact(), 0..24).prop_map(|facts| {
        facts
            .into_iter()
            .enumerate()
            .map(|(i, f)| stored(i as u128 + 1, f))
            .collect()
    })
}

proptest! {
    #[test]
    fn the_merge_does_not_depend_on_the_order_of_its_input(facts in facts(), seed in any::<u64>()) {
        let mut shuffled = facts.clone();
        let len = shuffled.len().max(1);
        shuffled.rotate_left((seed as usize) % len);
        shuffled.reverse();
        let a = merge(&facts, &BTreeSet::new());
        let b = merge(&shuffled, &BTreeSet::new());
        let ids = |v: &ShowView<'_>| -> Vec<Vec<FactId>> {
            v.availability.iter().map(|m| m.ranked.all().map(|f| f.id).collect())
                .chain(v.episodes.iter().map(|r| r.all().map(|f| f.id).collect()))
                .chain(v.identity.iter().map(|r| r.all().map(|f| f.id).collect()))
                .collect()
        };
        prop_assert_eq!(ids(&a), ids(&b));
        let policy = MergePolicy::default();
        prop_assert_eq!(detect(show(), &facts, &policy, day(TODAY)), detect(show(), &shuffled, &policy, day(TODAY)));
    }

    #[test]
    fn every_fact_is_in_the_view_once_and_winners_rank_first(facts in facts()) {
        let view = merge(&facts, &BTreeSet::new());
        let mut seen: Vec<FactId> = Vec::new();
        for merged in &view.availability {
            for alt in &merged.ranked.alternatives {
                prop_assert!(rank(merged.ranked.winner, alt).is_lt());
            }
            seen.extend(merged.ranked.all().map(|f| f.id));
        }
        for ranked in view.episodes.iter().chain(view.identity.iter()) {
            seen.extend(ranked.all().map(|f| f.id));
        }
        let expected: Vec<FactId> = facts.iter()
            .filter(|f| !matches!(f.fact, Fact::ServiceBehavior(_) | Fact::Price(_)))
            .map(|f| f.id).collect();
        seen.sort_unstable();
        let mut expected = expected;
        expected.sort_unstable();
        prop_assert_eq!(seen, expected);
    }

    #[test]
    fn windows_of_one_service_never_overlap_across_clusters(facts in facts()) {
        let view = merge(&facts, &BTreeSet::new());
        for (i, a) in view.availability.iter().enumerate() {
            for b in view.availability.iter().skip(i + 1) {
                if a.country != b.country || a.service_id != b.service_id { continue; }
                for x in a.ranked.all() {
                    for y in b.ranked.all() {
                        let (wx, wy) = (window(body(x).unwrap()), window(body(y).unwrap()));
                        prop_assert!(wx.1 < wy.0 || wy.1 < wx.0, "{:?} overlaps {:?}", wx, wy);
                    }
                }
            }
        }
    }

    #[test]
    fn conflicts_cite_only_live_facts_of_at_least_two_sources(facts in facts()) {
        for conflict in detect(show(), &facts, &MergePolicy::default(), day(TODAY)) {
            let sources: BTreeSet<&SourceId> = facts.iter()
                .filter(|f| conflict.fact_ids.contains(&f.id))
                .map(StoredFact::source_id).collect();
            prop_assert!(sources.len() >= 2, "{:?}", conflict);
            prop_assert!(conflict.fact_ids.windows(2).all(|w| w[0] < w[1]));
        }
    }
}
