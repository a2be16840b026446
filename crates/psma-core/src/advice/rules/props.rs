//! Properties: the same inputs give byte-identical findings and advice, in order.

use super::fixtures::{Scene, behavior, claim, conflict};
use super::*;
use crate::advice::offline::advise;
use crate::catalog::conflict::ConflictStatus;
use crate::planning::profile::WatchMode;
use crate::testing::plan_world::{World, av, ep, price, sel, sid, today};
use proptest::prelude::*;
use psma_plugin_sdk::ReleasePattern;

const SERVICES: [&str; 4] = ["hulu", "netflix", "max", "peacock"];

/// A random household: up to five shows on random services and schedules.
fn world() -> impl Strategy<Value = World> {
    prop::collection::vec(
        (
            any::<bool>(),
            0..4_usize,
            1..20_u16,
            prop::option::of(0..60_i64),
            0..5_u32,
            -10..30_i64,
        ),
        1..6,
    )
    .prop_map(|shows| {
        let mut w = World::default();
        for (k, (as_aired, service, binge, until, episodes, first)) in shows.into_iter().enumerate()
        {
            let n = u128::try_from(k).unwrap_or(0) + 1;
            let mode = if as_aired {
                WatchMode::AsAired
            } else {
                WatchMode::BingeAfterSeason
            };
            w.selections.push(sel(n, mode, binge));
            w.assessments
                .push(av(n, SERVICES[service], Some(-5), until));
            for e in 0..episodes {
                w.episodes
                    .push(ep(n, 1, e + 1, Some(first + 7 * i64::from(e))));
            }
        }
        for s in SERVICES {
            w.prices.insert(sid(s), price("9.99", Some(30)));
        }
        w
    })
}

fn scene(w: &World, before: &World) -> Scene {
    let mut scene = Scene::of(w).after(before);
    scene.behaviors = vec![behavior(50, "hulu", ReleasePattern::AllAtOnce)];
    scene.conflicts = vec![conflict(
        7,
        ConflictStatus::Open,
        vec![
            claim(11, "tvmaze", 0.6, 28, "2027-01-10"),
            claim(12, "tmdb", 0.8, 25, "2027-03-01"),
        ],
    )];
    scene
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn findings_and_advice_are_byte_identical_for_the_same_input_and_sorted(
        w in world(), before in world()
    ) {
        let a = findings(&scene(&w, &before).inputs(), today());
        let b = findings(&scene(&w, &before).inputs(), today());
        let json = |f: &Vec<Finding>| serde_json::to_string(f).unwrap_or_default();
        prop_assert_eq!(json(&a), json(&b));
        let advice = |f: &Vec<Finding>| serde_json::to_string(&advise(f)).unwrap_or_default();
        prop_assert_eq!(advice(&a), advice(&b));
        let keys: Vec<_> = a.iter().map(|f| (f.detail.order(), f.detail.subject(), f.fingerprint.clone())).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        prop_assert_eq!(keys, sorted);
        for f in &a {
            if let FindingDetail::BingeSaves(b) = &f.detail {
                prop_assert!(b.days_saved > 0 || !b.cost_saved.is_empty());
                prop_assert!(b.days_after <= b.days_before);
            }
        }
    }
}
