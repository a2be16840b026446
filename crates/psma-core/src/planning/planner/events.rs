//! Segments → subscribe and unsubscribe events, with rationale, reasons, assumptions,
//! conflicts and the alternatives that lost.

use super::cost::{Rules, Segment, Svc, Val, eval};
use super::need::{Day, date};
use super::prepare::Need;
use super::types::{Action, Alternative, LostBecause, Objective, PlanEvent, PlanInput, PlanReason};
use std::collections::BTreeSet;

/// The chosen plan, before it is written out.
pub(super) struct Chosen<'i, 'a> {
    pub input: &'i PlanInput<'a>,
    pub needs: &'i [Need<'a>],
    pub svcs: &'i [Svc],
    pub rules: Rules,
    pub pick: &'i [usize],
    pub moved: &'i BTreeSet<usize>,
}

/// "A", "A and B", "A, B and C".
fn names(list: &[&str]) -> String {
    match list {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

pub(super) fn events(c: &Chosen<'_, '_>, packed: &[Vec<Segment>]) -> Vec<PlanEvent> {
    let today = c.input.today;
    let per = chosen_intervals(c);
    let mut out = Vec::new();
    for (s, segs) in packed.iter().enumerate() {
        let svc = &c.svcs[s];
        let sid = svc.id.as_str();
        for seg in segs {
            let mut members = seg.members.clone();
            members.sort_unstable();
            let opts: Vec<_> = members
                .iter()
                .map(|&i| &c.needs[i].opts[c.pick[i]])
                .collect();
            let assessments: Vec<_> = opts
                .iter()
                .map(|o| &c.input.assessments[o.assessment])
                .collect();
            let mut reasons: BTreeSet<PlanReason> = opts
                .iter()
                .flat_map(|o| o.reasons.iter().copied())
                .collect();
            let assumptions: BTreeSet<String> = opts
                .iter()
                .flat_map(|o| o.assumptions.iter().cloned())
                .collect();
            let conflicts: BTreeSet<_> = assessments
                .iter()
                .flat_map(|a| a.conflict_ids.iter().copied())
                .collect();
            let contested = assessments.iter().any(|a| a.contested);
            if members.len() > 1 {
                reasons.insert(PlanReason::Merged);
            }
            if members.iter().any(|m| c.moved.contains(m)) {
                reasons.insert(PlanReason::CyclePacked);
            }
            if contested {
                reasons.insert(PlanReason::Contested);
            }
            let by_contract = seg.unsub > seg.last + c.rules.buffer;
            if by_contract {
                reasons.insert(PlanReason::MinContract);
            } else if c.rules.buffer > 0 {
                reasons.insert(PlanReason::Buffer);
            }
            let mut show_ids: Vec<_> = members.iter().map(|&i| c.needs[i].sel.show_id).collect();
            show_ids.sort_unstable();
            let titles: Vec<&str> = members.iter().map(|&i| c.needs[i].title.as_str()).collect();
            let (from, last, until) = (
                date(today, seg.start),
                date(today, seg.last),
                date(today, seg.unsub),
            );
            let subscribe = if members.len() > 1 {
                let (all, them) = if titles.len() == 2 {
                    ("both", "both")
                } else {
                    ("all", "them all")
                };
                format!(
                    "{} {all} stream on {sid} between {from} and {last}; one subscription covers \
                     {them}.",
                    names(&titles)
                )
            } else {
                format!(
                    "{} streams on {sid}; it is needed from {from} to {last}.",
                    titles[0]
                )
            };
            let unsubscribe = if by_contract {
                format!(
                    "Nothing on your list needs {sid} after {last}; the minimum contract of {} \
                     days ends on {until}.",
                    svc.min_contract
                )
            } else {
                format!(
                    "Nothing on your list needs {sid} after {last}; cancel on {until} \
                     ({} day buffer).",
                    c.rules.buffer
                )
            };
            let event = |action, date, rationale, alternatives| PlanEvent {
                action,
                service_id: svc.id.clone(),
                date,
                show_ids: show_ids.clone(),
                rationale,
                reason_codes: reasons.iter().copied().collect(),
                assumptions: assumptions.iter().cloned().collect(),
                contested,
                conflict_ids: conflicts.iter().copied().collect(),
                alternatives,
            };
            let alts = alternatives(c, &per, s, &members);
            out.push(event(Action::Subscribe, from, subscribe, alts));
            out.push(event(Action::Unsubscribe, until, unsubscribe, Vec::new()));
        }
    }
    out.sort_by(|a, b| (a.date, &a.service_id, a.action).cmp(&(b.date, &b.service_id, b.action)));
    out
}

type Intervals = Vec<Vec<(Day, Day, usize)>>;

/// The chosen (unpacked) intervals per service.
fn chosen_intervals(c: &Chosen<'_, '_>) -> Intervals {
    let mut per: Intervals = vec![Vec::new(); c.svcs.len()];
    for (i, n) in c.needs.iter().enumerate() {
        let (k, o) = (c.pick[i], &n.opts[c.pick[i]]);
        per[n.svc[k]].push((o.start, o.end, i));
    }
    per
}

/// Each member's other services, and why moving it there alone would not be better.
fn alternatives(
    c: &Chosen<'_, '_>,
    per: &Intervals,
    s: usize,
    members: &[usize],
) -> Vec<Alternative> {
    let rules = c.rules;
    let val = |t: usize, l: &[(Day, Day, usize)]| eval(l, &c.svcs[t], rules);
    let mut out = Vec::new();
    for &i in members {
        let n = &c.needs[i];
        let here = &c.input.assessments[n.opts[c.pick[i]].assessment];
        let mut seen = BTreeSet::from([s]);
        for (k, o) in n.opts.iter().enumerate() {
            let t = n.svc[k];
            if !seen.insert(t) {
                continue;
            }
            let without: Vec<_> = per[s].iter().copied().filter(|x| x.2 != i).collect();
            let mut with = per[t].clone();
            with.push((o.start, o.end, i));
            let before: Val = val(s, &per[s]).add(val(t, &per[t]));
            let after: Val = val(s, &without).add(val(t, &with));
            let there = &c.input.assessments[o.assessment];
            let (lost_because, detail) =
                if rules.objective == Objective::Cost && after.cost > before.cost {
                    let more = super::cost::decimal(after.cost - before.cost)
                        .map_or_else(String::new, |d| d.as_str().to_owned());
                    (
                        LostBecause::HigherCost,
                        format!("it would cost {more} more"),
                    )
                } else if after.days > before.days {
                    (
                        LostBecause::MoreDays,
                        format!("it would add {} subscribed days", after.days - before.days),
                    )
                } else if there.confidence < here.confidence {
                    (
                        LostBecause::LowerConfidence,
                        "its availability is less certain".to_owned(),
                    )
                } else if there.retrieved_at < here.retrieved_at {
                    (LostBecause::OlderData, "its data is older".to_owned())
                } else if c.svcs[t].amount > c.svcs[s].amount && c.svcs[s].amount.is_some() {
                    (LostBecause::HigherPrice, "it is dearer".to_owned())
                } else {
                    (
                        LostBecause::Order,
                        "equal in every way; the other comes first".to_owned(),
                    )
                };
            out.push(Alternative {
                service_id: c.svcs[t].id.clone(),
                show_ids: vec![n.sel.show_id],
                lost_because,
                detail: format!("{} on {}: {detail}", n.title, there.service_id.as_str()),
            });
        }
    }
    out.sort_by(|a, b| (&a.service_id, &a.show_ids).cmp(&(&b.service_id, &b.show_ids)));
    out
}
