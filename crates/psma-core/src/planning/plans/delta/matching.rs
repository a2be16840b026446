//! Pairing the events of two plans (the rule is in the parent module's docs).

use super::{EventRef, MovedEvent};
use crate::planning::planner::{Action, PlanEvent};
use psma_plugin_sdk::text::ServiceId;
use std::collections::BTreeMap;

/// Every event of both plans, each in exactly one list.
#[derive(Debug, Default)]
pub(super) struct Matched {
    pub added: Vec<PlanEvent>,
    pub removed: Vec<PlanEvent>,
    pub moved: Vec<MovedEvent>,
    pub unchanged: Vec<EventRef>,
}

/// Old and new events of one (service, action).
type Groups<'a> = BTreeMap<(&'a ServiceId, Action), (Vec<&'a PlanEvent>, Vec<&'a PlanEvent>)>;

pub(super) fn match_events(old: &[PlanEvent], new: &[PlanEvent]) -> Matched {
    let mut groups: Groups<'_> = BTreeMap::new();
    for event in old {
        groups
            .entry((&event.service_id, event.action))
            .or_default()
            .0
            .push(event);
    }
    for event in new {
        groups
            .entry((&event.service_id, event.action))
            .or_default()
            .1
            .push(event);
    }
    let mut matched = Matched::default();
    for (olds, news) in groups.into_values() {
        match_group(olds, news, &mut matched);
    }
    matched
        .added
        .sort_by(|a, b| plan_order(a).cmp(&plan_order(b)));
    matched
        .removed
        .sort_by(|a, b| plan_order(a).cmp(&plan_order(b)));
    matched.moved.sort_by(|a, b| {
        (a.to, &a.service_id, a.action, a.from, &a.show_ids).cmp(&(
            b.to,
            &b.service_id,
            b.action,
            b.from,
            &b.show_ids,
        ))
    });
    matched.unchanged.sort();
    matched
}

/// Events in the order a plan lists them, shows breaking what is left of a tie.
fn plan_order(e: &PlanEvent) -> impl Ord + '_ {
    (e.date, &e.service_id, e.action, &e.show_ids)
}

fn by_day(events: &mut [&PlanEvent]) {
    events.sort_by(|a, b| (a.date, &a.show_ids).cmp(&(b.date, &b.show_ids)));
}

/// Whether two sorted show lists share a show.
fn share_a_show(a: &PlanEvent, b: &PlanEvent) -> bool {
    let (mut i, mut j) = (0, 0);
    while let (Some(x), Some(y)) = (a.show_ids.get(i), b.show_ids.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

fn match_group(mut olds: Vec<&PlanEvent>, mut news: Vec<&PlanEvent>, out: &mut Matched) {
    by_day(&mut olds);
    by_day(&mut news);
    let mut taken = vec![false; news.len()];
    let mut left = Vec::with_capacity(olds.len());
    // 1. The same day: the same step.
    for old in olds {
        let same = news
            .iter()
            .enumerate()
            .position(|(i, new)| !taken[i] && new.date == old.date);
        match same {
            Some(i) => {
                taken[i] = true;
                out.unchanged.push(EventRef {
                    date: old.date,
                    service_id: old.service_id.clone(),
                    action: old.action,
                });
            }
            None => left.push(old),
        }
    }
    // 2. The same subscription (a shared show), on another day: moved, to the nearest day.
    for old in left {
        let nearest = news
            .iter()
            .enumerate()
            .filter(|(i, new)| !taken[*i] && share_a_show(old, new))
            .min_by_key(|(_, new)| ((new.date - old.date).num_days().abs(), new.date));
        match nearest {
            Some((i, new)) => {
                taken[i] = true;
                out.moved.push(MovedEvent {
                    action: new.action,
                    service_id: new.service_id.clone(),
                    from: old.date,
                    to: new.date,
                    days: (new.date - old.date).num_days(),
                    show_ids: new.show_ids.clone(),
                    previous_show_ids: old.show_ids.clone(),
                });
            }
            None => out.removed.push(old.clone()),
        }
    }
    // 3. The rest is new.
    out.added.extend(
        news.into_iter()
            .zip(taken)
            .filter(|(_, taken)| !taken)
            .map(|(new, _)| new.clone()),
    );
}
