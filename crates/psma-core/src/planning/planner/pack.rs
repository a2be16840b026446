//! Billing-cycle packing (DESIGN §5.5): on a service with a known cycle, flexible binge
//! windows move later (within their allowed range) when that lets them share paid cycles.

use super::cost::{Rules, Svc, segments};
use super::need::Day;

/// One interval on a service: needed `start..=end`, movable up to `latest` (its `start` on the
/// way in is its earliest), serving `member`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Slot {
    pub start: Day,
    pub end: Day,
    pub latest: Day,
    pub member: usize,
}

/// Days paid for in whole cycles, then days subscribed.
fn paid(slots: &[Slot], svc: &Svc, rules: Rules, cycle: Day) -> (Day, Day) {
    let list: Vec<(Day, Day, usize)> = slots.iter().map(|s| (s.start, s.end, s.member)).collect();
    segments(&list, svc, rules)
        .iter()
        .fold((0, 0), |(p, d), s| {
            (p + (s.days() + cycle - 1) / cycle * cycle, d + s.days())
        })
}

/// Moves flexible slots to lower the days paid for; returns the members moved. A slot moves
/// only when that strictly lowers the paid days.
pub(super) fn pack(slots: &mut [Slot], svc: &Svc, rules: Rules) -> Vec<usize> {
    let Some((_, _, cycle)) = svc.price else {
        return Vec::new();
    };
    let earliest: Vec<Day> = slots.iter().map(|s| s.start).collect();
    for _ in 0..4 {
        let mut changed = false;
        for i in 0..slots.len() {
            if slots[i].latest <= earliest[i] {
                continue;
            }
            let len = slots[i].end - slots[i].start;
            let mut starts = vec![earliest[i], slots[i].latest];
            let list: Vec<(Day, Day, usize)> =
                slots.iter().map(|s| (s.start, s.end, s.member)).collect();
            for seg in segments(&list, svc, rules) {
                let cycles = (seg.days() + cycle - 1) / cycle;
                for k in 1..=cycles.min(12) {
                    starts.push(seg.start + k * cycle - rules.buffer - len);
                }
                starts.push(seg.start);
                starts.push(seg.last - len);
            }
            let here = slots[i].start;
            let mut best = (paid(slots, svc, rules, cycle), here - earliest[i], here);
            for s in starts {
                let s = s.clamp(earliest[i], slots[i].latest);
                slots[i].start = s;
                slots[i].end = s + len;
                let key = (paid(slots, svc, rules, cycle), s - earliest[i], s);
                if key.0.0 < best.0.0 || (key.0.0 == best.0.0 && key < best) {
                    best = key;
                }
            }
            slots[i].start = best.2;
            slots[i].end = best.2 + len;
            changed |= best.2 != here;
        }
        if !changed {
            break;
        }
    }
    let mut moved: Vec<usize> = slots
        .iter()
        .zip(&earliest)
        .filter(|(s, e)| s.start != **e)
        .map(|(s, _)| s.member)
        .collect();
    moved.sort_unstable();
    moved
}
