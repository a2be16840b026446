//! Subscriptions per service: merging intervals into segments (DESIGN §5.3–5.5) and what they
//! cost in days and money.

use super::need::Day;
use super::types::{Objective, Price};
use psma_plugin_sdk::text::{CurrencyCode, Decimal, ServiceId};
use std::collections::BTreeMap;

/// Ten-thousandths of a currency unit (a [`Decimal`] has at most four decimals).
pub(super) type Minor = u64;

/// A planned service's terms, as the planner reads them.
#[derive(Debug, Clone)]
pub(super) struct Svc {
    pub id: ServiceId,
    pub min_contract: Day,
    /// The user told PSMA the minimum contract (possibly none).
    pub contract_known: bool,
    /// Price per cycle, with its currency and cycle, when all three are known.
    pub price: Option<(Minor, CurrencyCode, Day)>,
    /// A price is known but not its cycle.
    pub unpriced: bool,
    /// Price per cycle, for ties (unknown sorts last).
    pub amount: Option<Minor>,
}

impl Svc {
    pub fn new(id: ServiceId, min_contract: Option<u16>, price: Option<&Price>) -> Self {
        let amount = price.and_then(|p| minor(&p.amount));
        let priced = price.and_then(|p| {
            let cycle = Day::from(p.billing_cycle_days.filter(|c| *c > 0)?);
            Some((amount?, p.currency.clone(), cycle))
        });
        Self {
            id,
            min_contract: Day::from(min_contract.unwrap_or(0)),
            contract_known: min_contract.is_some(),
            unpriced: priced.is_none(),
            price: priced,
            amount,
        }
    }
}

/// The merging rules in force.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rules {
    pub buffer: Day,
    pub adjacency: Day,
    pub objective: Objective,
}

/// One subscription: from `start` to the unsubscribe day `unsub` (exclusive), needed until
/// `last`; `members` index the intervals it serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Segment {
    pub start: Day,
    pub last: Day,
    pub unsub: Day,
    pub members: Vec<usize>,
}

impl Segment {
    pub fn days(&self) -> Day {
        self.unsub - self.start
    }
}

/// Merges the intervals `(start, end, member)` of one service into segments: an interval
/// joins the current segment when it starts on or before its unsubscribe day or within
/// `adjacency` days of its last needed day. Segments never overlap or touch.
pub(super) fn segments(intervals: &[(Day, Day, usize)], svc: &Svc, rules: Rules) -> Vec<Segment> {
    let min_contract = svc.min_contract;
    let mut sorted = intervals.to_vec();
    sorted.sort_unstable();
    let mut out: Vec<Segment> = Vec::new();
    for (start, end, member) in sorted {
        if let Some(cur) = out.last_mut()
            && (start <= cur.unsub || start <= cur.last + 1 + rules.adjacency)
        {
            cur.last = cur.last.max(end);
            cur.members.push(member);
            cur.unsub = unsub(cur.start, cur.last, min_contract, rules).max(cur.unsub);
            continue;
        }
        out.push(Segment {
            start,
            last: end,
            unsub: unsub(start, end, min_contract, rules),
            members: vec![member],
        });
    }
    out
}

fn unsub(start: Day, last: Day, min_contract: Day, rules: Rules) -> Day {
    (last + rules.buffer)
        .max(start + min_contract)
        .max(start + 1)
}

/// Days, cost (of priced services), and bounds no superset of the intervals goes below: the
/// days without minimum contracts (a contract pads each segment, so merging two padded
/// segments can lower the days; without the padding, adding an interval never does) and the
/// whole cycles those days need.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Val {
    pub days: u64,
    pub cost: u64,
    pub days_floor: u64,
    pub cost_floor: u64,
}

impl Val {
    pub fn add(self, o: Self) -> Self {
        Self {
            days: self.days + o.days,
            cost: self.cost + o.cost,
            days_floor: self.days_floor + o.days_floor,
            cost_floor: self.cost_floor + o.cost_floor,
        }
    }

    /// `self` less a part of it.
    pub fn sub(self, o: Self) -> Self {
        Self {
            days: self.days - o.days,
            cost: self.cost - o.cost,
            days_floor: self.days_floor - o.days_floor,
            cost_floor: self.cost_floor - o.cost_floor,
        }
    }

    /// The objective as a comparable key.
    pub fn key(self, objective: Objective) -> (u64, u64) {
        match objective {
            Objective::Days => (self.days, 0),
            Objective::Cost => (self.cost, self.days),
        }
    }

    /// A bound on the key of any superset of these intervals.
    pub fn floor(self, objective: Objective) -> (u64, u64) {
        match objective {
            Objective::Days => (self.days_floor, 0),
            Objective::Cost => (self.cost_floor, self.days_floor),
        }
    }
}

fn whole_cycles(days: Day, cycle: Day) -> u64 {
    u64::try_from((days + cycle - 1) / cycle).unwrap_or(0)
}

/// The value of one service's intervals, in any order.
pub(super) fn eval(intervals: &[(Day, Day, usize)], svc: &Svc, rules: Rules) -> Val {
    let mut sorted = intervals.to_vec();
    sorted.sort_unstable();
    measure(sorted.iter().map(|x| (x.0, x.1)), svc, rules)
}

/// One pass of [`segments`]' merging that only sums days and cycles.
#[derive(Debug, Clone, Copy)]
struct Acc {
    contract: Day,
    cur: Option<(Day, Day, Day)>,
    days: Day,
    cycles_cost: u64,
}

impl Acc {
    fn new(contract: Day) -> Self {
        Self {
            contract,
            cur: None,
            days: 0,
            cycles_cost: 0,
        }
    }

    fn push(&mut self, start: Day, end: Day, svc: &Svc, rules: Rules) {
        if let Some((from, last, until)) = &mut self.cur
            && (start <= *until || start <= *last + 1 + rules.adjacency)
        {
            *last = (*last).max(end);
            *until = unsub(*from, *last, self.contract, rules).max(*until);
            return;
        }
        self.close(svc);
        self.cur = Some((start, end, unsub(start, end, self.contract, rules)));
    }

    fn close(&mut self, svc: &Svc) {
        if let Some((from, _, until)) = self.cur.take() {
            self.days += until - from;
            if let Some((amount, _, cycle)) = &svc.price {
                self.cycles_cost += whole_cycles(until - from, *cycle) * amount;
            }
        }
    }
}

/// The value of intervals sorted by start (then end), without building segments.
pub(super) fn measure(sorted: impl Iterator<Item = (Day, Day)>, svc: &Svc, rules: Rules) -> Val {
    let mut with = Acc::new(svc.min_contract);
    let mut without = Acc::new(0);
    let padded = svc.min_contract > 0;
    for (start, end) in sorted {
        with.push(start, end, svc, rules);
        if padded {
            without.push(start, end, svc, rules);
        }
    }
    with.close(svc);
    without.close(svc);
    let floor = if padded { without.days } else { with.days };
    let cost_floor = svc
        .price
        .as_ref()
        .map_or(0, |(amount, _, cycle)| whole_cycles(floor, *cycle) * amount);
    Val {
        days: u64::try_from(with.days).unwrap_or(0),
        cost: with.cycles_cost,
        days_floor: u64::try_from(floor).unwrap_or(0),
        cost_floor,
    }
}

/// A decimal amount in ten-thousandths.
pub(crate) fn minor(amount: &Decimal) -> Option<Minor> {
    let (whole, frac) = amount
        .as_str()
        .split_once('.')
        .unwrap_or((amount.as_str(), ""));
    let digits = format!("{frac:0<4}");
    Some(whole.parse::<Minor>().ok()? * 10_000 + digits.parse::<Minor>().ok()?)
}

/// Ten-thousandths as a decimal, with at least two decimals.
pub(super) fn decimal(minor: Minor) -> Option<Decimal> {
    let frac = format!("{:04}", minor % 10_000);
    let frac = frac.trim_end_matches('0');
    let frac = format!("{frac:0<2}");
    Decimal::parse(&format!("{}.{frac}", minor / 10_000)).ok()
}

/// Costs per currency of segments on services, as decimals.
pub(super) fn costs<'a>(
    items: impl Iterator<Item = (&'a Svc, Day)>,
) -> BTreeMap<CurrencyCode, Decimal> {
    let mut sums: BTreeMap<CurrencyCode, Minor> = BTreeMap::new();
    for (svc, days) in items {
        if let Some((amount, currency, cycle)) = &svc.price {
            *sums.entry(currency.clone()).or_default() += whole_cycles(days, *cycle) * amount;
        }
    }
    sums.into_iter()
        .filter_map(|(c, m)| Some((c, decimal(m)?)))
        .collect()
}
