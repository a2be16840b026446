//! The planner's steps after [`prepare`]: the choice, packing, totals and the plan.

use super::cost::{Segment, Svc, costs, segments};
use super::events::{self, Chosen};
use super::need::Day;
use super::pack::{Slot, pack};
use super::prepare::prepare;
use super::search::{solve, total};
use super::types::{Plan, PlanInput, Question, Search, Totals};
use std::collections::BTreeSet;

pub(super) fn plan(input: &PlanInput<'_>) -> Plan {
    let today = input.today;
    let prepared = prepare(input);
    let problem = prepared.problem();
    let (needs, svcs, rules) = (&prepared.needs, &prepared.svcs, prepared.rules);
    let objective = rules.objective;
    let mut questions = prepared.questions.clone();
    let sol = solve(&problem, input.search_budget);
    let value = total(&problem, &sol.pick).key(objective).0;

    // Per service: the chosen intervals, before and after packing.
    let mut slots: Vec<Vec<Slot>> = vec![Vec::new(); svcs.len()];
    for (i, n) in needs.iter().enumerate() {
        let (k, o) = (sol.pick[i], &n.opts[sol.pick[i]]);
        slots[n.svc[k]].push(Slot {
            start: o.start,
            end: o.end,
            latest: o.latest_start,
            member: i,
        });
    }
    let seg_of = |svc: &Svc, list: &[Slot]| -> Vec<Segment> {
        let l: Vec<(Day, Day, usize)> = list.iter().map(|s| (s.start, s.end, s.member)).collect();
        segments(&l, svc, rules)
    };
    let unpacked: Vec<Vec<Segment>> = svcs.iter().zip(&slots).map(|(s, l)| seg_of(s, l)).collect();
    let mut moved = BTreeSet::new();
    for (svc, list) in svcs.iter().zip(&mut slots) {
        moved.extend(pack(list, svc, rules));
    }
    let packed: Vec<Vec<Segment>> = svcs.iter().zip(&slots).map(|(s, l)| seg_of(s, l)).collect();

    let days = |segs: &[Vec<Segment>]| -> u32 {
        let d: Day = segs.iter().flatten().map(Segment::days).sum();
        u32::try_from(d).unwrap_or(u32::MAX)
    };
    let cost_of = |segs: &[Vec<Segment>]| {
        costs(
            svcs.iter()
                .zip(segs)
                .flat_map(|(s, l)| l.iter().map(move |g| (s, g.days()))),
        )
    };
    let naive: Vec<Vec<Segment>> = needs
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let k = problem.naive[i];
            segments(
                &[(n.opts[k].start, n.opts[k].end, i)],
                &svcs[n.svc[k]],
                rules,
            )
        })
        .collect();
    let naive_svcs: Vec<&Svc> = needs
        .iter()
        .enumerate()
        .map(|(i, n)| &svcs[n.svc[problem.naive[i]]])
        .collect();
    let naive_cost = costs(
        naive_svcs
            .iter()
            .zip(&naive)
            .flat_map(|(s, l)| l.iter().map(move |g| (*s, g.days()))),
    );
    let used: Vec<bool> = packed.iter().map(|l| !l.is_empty()).collect();
    let totals = Totals {
        subscribed_days: days(&packed),
        cost: cost_of(&packed),
        unpacked_subscribed_days: days(&unpacked),
        unpacked_cost: cost_of(&unpacked),
        naive_subscribed_days: days(&naive),
        naive_cost,
        unpriced_services: svcs
            .iter()
            .zip(&used)
            .filter(|(s, u)| **u && s.unpriced)
            .map(|(s, _)| s.id.clone())
            .collect(),
    };
    for (svc, segs) in svcs.iter().zip(&packed) {
        if !segs.is_empty() && !svc.contract_known {
            questions.insert(Question {
                id: format!("service:{}:min_contract_days", svc.id.as_str()),
                show_id: None,
                service_id: Some(svc.id.clone()),
                text: format!(
                    "Does {} have a minimum contract? The plan assumes you can cancel at any \
                     time.",
                    svc.id.as_str()
                ),
            });
        }
    }
    for (i, n) in needs.iter().enumerate() {
        if n.opts[sol.pick[i]].unknown_end {
            questions.insert(Question {
                id: format!("show:{}:end_date", n.sel.show_id),
                show_id: Some(n.sel.show_id),
                service_id: None,
                text: format!(
                    "When does {} end? The plan assumes it is needed until {}.",
                    n.title,
                    super::need::date(today, n.opts[sol.pick[i]].end)
                ),
            });
        }
    }
    let chosen = Chosen {
        input,
        needs,
        svcs,
        rules,
        pick: &sol.pick,
        moved: &moved,
    };
    Plan {
        today,
        events: events::events(&chosen, &packed),
        questions: questions.into_iter().collect(),
        blocked: prepared.blocked.clone(),
        covered: prepared.covered.clone(),
        totals,
        search: Search {
            objective,
            optimal: sol.optimal,
            lower_bound: sol.lower_bound.min(value),
            value,
            nodes: sol.nodes,
        },
    }
}
