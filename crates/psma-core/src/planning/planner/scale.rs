//! A plan at the scale of the performance bar (500 selections, 50 services, 20,000
//! assessments): the invariants hold and the search stays within its budget. How fast it is
//! is measured by `cargo xtask bench plan`, not here.

use crate::planning::planner::{Action, DEFAULT_SEARCH_BUDGET};
use crate::testing::plan_world::World;
use std::collections::BTreeSet;

#[test]
fn a_large_plan_accounts_for_every_selection_within_its_budget() {
    let w = World::large(500, 50);
    assert_eq!(w.assessments.len(), 20_000);
    let p = w.plan();

    let mut accounted = BTreeSet::new();
    for e in &p.events {
        accounted.extend(e.show_ids.iter().copied());
    }
    accounted.extend(p.blocked.iter().map(|b| b.show_id));
    accounted.extend(p.covered.iter().map(|c| c.show_id));
    for s in &w.selections {
        assert!(
            accounted.contains(&s.show_id),
            "{} unaccounted",
            s.show_id.0
        );
    }
    assert!(!p.events.is_empty());
    let subscribes = p
        .events
        .iter()
        .filter(|e| e.action == Action::Subscribe)
        .count();
    assert_eq!(
        subscribes * 2,
        p.events.len(),
        "every subscribe has its unsubscribe"
    );
    assert!(p.search.lower_bound <= p.search.value);
    assert!(p.totals.subscribed_days <= p.totals.naive_subscribed_days);
    // A budget of evaluations bounds the nodes the search may visit.
    assert!(p.search.nodes <= DEFAULT_SEARCH_BUDGET);
    assert_eq!(p, w.plan(), "the same world plans the same");
}
