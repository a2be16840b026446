//! Properties of the planner over generated worlds, and its choice checked against an
//! exhaustive search of every assignment.

use super::prepare::prepare;
use super::search::{Problem, solve, total};
use super::*;
use crate::planning::profile::WatchMode;
use crate::testing::plan_world::*;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

const SERVICES: [&str; 5] = ["apple-tv-plus", "hulu", "max", "netflix", "peacock"];

/// One service's offer of a show: window start and length (days from today), confidence in
/// tenths, contested.
type Offer = Option<(Option<i64>, Option<i64>, u8, bool)>;

fn offer() -> impl Strategy<Value = Offer> {
    proptest::option::weighted(
        0.75,
        (
            proptest::option::weighted(0.7, -20_i64..40),
            proptest::option::weighted(0.7, 1_i64..60),
            3_u8..=10,
            proptest::bool::weighted(0.1),
        ),
    )
}

/// A show's schedule: first air day, episodes, days between them, whether the last is undated.
type Sched = Option<(i64, u32, i64, bool)>;

/// A show's wish (binge, binge days, start after, end date), its schedule and its offers.
type ShowWish = ((bool, u16, Option<i64>, Option<i64>), Sched, Vec<Offer>);

fn show_wish() -> impl Strategy<Value = ShowWish> {
    (
        (
            any::<bool>(),
            1_u16..20,
            proptest::option::weighted(0.2, 0_i64..30),
            proptest::option::weighted(0.2, -10_i64..120),
        ),
        proptest::option::weighted(0.4, (-30_i64..40, 1_u32..6, 1_i64..8, any::<bool>())),
        proptest::collection::vec(offer(), SERVICES.len()),
    )
}

fn world(max_shows: usize) -> impl Strategy<Value = World> {
    (
        proptest::collection::vec(show_wish(), 1..=max_shows),
        proptest::collection::vec(proptest::bool::weighted(0.1), SERVICES.len()),
        proptest::collection::vec(proptest::option::weighted(0.2, 0_u16..40), SERVICES.len()),
        (
            0_u8..3,
            proptest::collection::vec(1_u16..25, SERVICES.len()),
        ),
        (0_u16..3, 0_u16..3, 60_u16..200, 10_u16..40),
    )
        .prop_map(|(shows, permanent, contracts, (pricing, amounts), s)| {
            let mut w = World::default();
            (
                w.settings.unsubscribe_buffer_days,
                w.settings.merge_adjacency_days,
                w.settings.horizon_days,
                w.settings.unknown_end_horizon_days,
            ) = s;
            for (k, name) in SERVICES.iter().enumerate() {
                w.services.push(my(name, permanent[k], contracts[k]));
                if pricing == 1 || (pricing == 2 && k % 2 == 0) {
                    let amount = format!("{}.99", amounts[k]);
                    w.prices.insert(sid(name), price(&amount, Some(30)));
                }
            }
            for (i, ((binge, days, after, end), sched, offers)) in shows.into_iter().enumerate() {
                let n = i as u128 + 1;
                let mode = if binge {
                    WatchMode::BingeAfterSeason
                } else {
                    WatchMode::AsAired
                };
                let mut s = sel(n, mode, days);
                s.wish.start_after = after.map(d);
                s.wish.end_date = end.map(d);
                w.selections.push(s);
                if let Some((first, count, gap, undated)) = sched {
                    for e in 0..count {
                        let day = (undated && e + 1 == count)
                            .then_some(())
                            .map_or(Some(first + i64::from(e) * gap), |()| None);
                        w.episodes.push(ep(n, 1, e + 1, day));
                    }
                }
                for (k, o) in offers.into_iter().enumerate() {
                    let Some((from, len, tenths, disputed)) = o else {
                        continue;
                    };
                    let until = len.map(|l| from.unwrap_or(-5) + l);
                    let mut a = av(n, SERVICES[k], from, until);
                    a.confidence = f64::from(tenths) / 10.0;
                    if tenths < 5 {
                        a = unsure(a);
                    }
                    if disputed {
                        a = contested(a, n * 10 + k as u128);
                    }
                    w.assessments.push(a);
                }
            }
            w
        })
}

/// The best key over every assignment.
fn exhaustive(p: &Problem<'_>) -> Option<(u64, u64)> {
    let objective = p.rules.objective;
    let mut pick = vec![0; p.choices.len()];
    let mut best = None;
    loop {
        let key = total(p, &pick).key(objective);
        if best.is_none_or(|b| key < b) {
            best = Some(key);
        }
        let mut i = 0;
        loop {
            let Some(k) = pick.get_mut(i) else {
                return best;
            };
            *k += 1;
            if *k < p.choices[i].len() {
                break;
            }
            *k = 0;
            i += 1;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn plans_are_deterministic_covering_and_well_formed(w in world(8)) {
        let p = w.plan();
        let again = w.plan();
        prop_assert_eq!(serde_json::to_string(&p).unwrap(), serde_json::to_string(&again).unwrap());

        let permanent: BTreeSet<_> = w.services.iter().filter(|s| s.terms.permanent)
            .map(|s| s.service_id.clone()).collect();
        prop_assert!(p.events.iter().all(|e| !permanent.contains(&e.service_id)));

        let explained: BTreeSet<_> = p.events.iter().flat_map(|e| e.show_ids.iter().copied())
            .chain(p.blocked.iter().map(|b| b.show_id))
            .chain(p.covered.iter().map(|c| c.show_id))
            .collect();
        for s in &w.selections {
            prop_assert!(explained.contains(&s.show_id), "{} unexplained", s.show_id);
        }
        for b in &p.blocked {
            if let Some(q) = &b.question_id {
                prop_assert!(p.questions.iter().any(|x| &x.id == q));
            }
        }

        let mut per: BTreeMap<_, Vec<_>> = BTreeMap::new();
        for e in &p.events {
            prop_assert!(e.show_ids.windows(2).all(|x| x[0] < x[1]));
            prop_assert!(e.reason_codes.windows(2).all(|x| x[0] < x[1]));
            prop_assert!(e.conflict_ids.windows(2).all(|x| x[0] < x[1]));
            prop_assert_eq!(e.contested, !e.conflict_ids.is_empty());
            per.entry(e.service_id.clone()).or_default().push(e);
            prop_assert!(e.date >= w.input().today);
        }
        for events in per.values() {
            let mut last_unsub = None;
            for pair in events.chunks(2) {
                prop_assert_eq!(pair.len(), 2);
                prop_assert_eq!(pair[0].action, Action::Subscribe);
                prop_assert_eq!(pair[1].action, Action::Unsubscribe);
                prop_assert!(pair[0].date < pair[1].date, "unsubscribe after subscribe");
                prop_assert!(last_unsub.is_none_or(|u| u < pair[0].date), "segments overlap");
                last_unsub = Some(pair[1].date);
            }
        }
        prop_assert!(p.search.lower_bound <= p.search.value);

        for s in w.selections.iter().filter(|s| s.wish.end_date.is_some()) {
            let asked = format!("show:{}:end_date", s.show_id);
            prop_assert!(p.questions.iter().all(|q| q.id != asked), "{} answered", asked);
        }
    }

    #[test]
    fn a_search_cut_short_is_never_worse_than_naive_and_bounds_the_optimum(
        w in world(8), budget in 0_u64..30,
    ) {
        let input = w.input();
        let prepared = prepare(&input);
        let problem = prepared.problem();
        let objective = problem.rules.objective;
        let sol = solve(&problem, budget);
        let value = total(&problem, &sol.pick).key(objective);
        let naive = total(&problem, &problem.naive).key(objective);
        prop_assert!(value <= naive);
        if let Some(best) = exhaustive(&problem) {
            prop_assert!(sol.lower_bound <= best.0);
            prop_assert!(best <= value);
            if sol.optimal {
                prop_assert_eq!(value, best);
            }
        }
        let mut small = w.clone();
        small.budget = budget;
        let p = small.plan();
        prop_assert!(p.search.optimal || p.search.lower_bound <= p.search.value);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn the_choice_equals_the_exhaustive_optimum(w in world(8)) {
        let input = w.input();
        let prepared = prepare(&input);
        let problem = prepared.problem();
        let sol = solve(&problem, u64::MAX);
        prop_assert!(sol.optimal);
        let key = total(&problem, &sol.pick).key(problem.rules.objective);
        if let Some(best) = exhaustive(&problem) {
            prop_assert_eq!(key, best);
            prop_assert_eq!(sol.lower_bound, best.0);
            let mut unbounded = w.clone();
            unbounded.budget = u64::MAX;
            let p = unbounded.plan();
            prop_assert!(p.search.optimal);
            prop_assert_eq!(p.search.value, best.0);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// The search's bounds rest on this: adding an interval to a service never lowers its
    /// floors, and the floors never exceed the value.
    #[test]
    fn floors_never_fall_as_intervals_are_added_and_one_pass_agrees(
        intervals in proptest::collection::vec((0_i64..60, 0_i64..20), 1..8),
        extra in (0_i64..60, 0_i64..20),
        contract in 0_u16..40,
        buffer in 0_i64..3,
        adjacency in 0_i64..3,
        cost in any::<bool>(),
    ) {
        use super::cost::{Rules, Svc, eval};
        let svc = Svc::new(sid("netflix"), Some(contract), Some(&price("9.99", Some(30))));
        let objective = if cost { Objective::Cost } else { Objective::Days };
        let rules = Rules { buffer, adjacency, objective };
        let list: Vec<_> = intervals.iter().enumerate().map(|(i, (a, l))| (*a, a + l, i)).collect();
        let mut more = list.clone();
        more.push((extra.0, extra.0 + extra.1, list.len()));
        let (v, w) = (eval(&list, &svc, rules), eval(&more, &svc, rules));
        prop_assert!(w.floor(objective) >= v.floor(objective), "{v:?} -> {w:?}");
        prop_assert!(w.key(objective) >= w.floor(objective));
        prop_assert!(v.key(objective) >= v.floor(objective));
        let segs = super::cost::segments(&more, &svc, rules);
        let days: i64 = segs.iter().map(super::cost::Segment::days).sum();
        prop_assert_eq!(w.days, u64::try_from(days).unwrap(), "one pass agrees with the segments");
    }
}
