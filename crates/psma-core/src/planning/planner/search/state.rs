//! The search's working state: the intervals assigned to each service, kept sorted, each
//! service's value cached, and the work done (service evaluations) counted.

use super::Problem;
use crate::planning::planner::cost::{Val, measure};
use crate::planning::planner::need::Day;

/// One assigned interval: start, end, selection.
type Item = (Day, Day, usize);

pub(super) struct State<'p, 'a> {
    pub p: &'p Problem<'a>,
    pub pick: Vec<Option<usize>>,
    per: Vec<Vec<Item>>,
    vals: Vec<Val>,
    sum: Val,
    /// Service evaluations so far.
    pub work: u64,
}

impl<'p, 'a> State<'p, 'a> {
    pub fn new(p: &'p Problem<'a>) -> Self {
        Self {
            p,
            pick: vec![None; p.choices.len()],
            per: vec![Vec::new(); p.svcs.len()],
            vals: vec![Val::default(); p.svcs.len()],
            sum: Val::default(),
            work: 0,
        }
    }

    fn item(&self, i: usize, k: usize) -> (usize, Item) {
        let (s, a, b) = self.p.choices[i][k];
        (s, (a, b, i))
    }

    /// The value of service `s` with `skip` left out and `add` put in.
    fn value(&mut self, s: usize, skip: Option<usize>, add: Option<Item>) -> Val {
        self.work += 1;
        let list = &self.per[s];
        let pos = add.map_or(list.len(), |x| list.partition_point(|y| *y < x));
        let head = list[..pos].iter().filter(|x| Some(x.2) != skip);
        let tail = list[pos..].iter().filter(|x| Some(x.2) != skip);
        let items = head
            .map(|x| (x.0, x.1))
            .chain(add.map(|x| (x.0, x.1)))
            .chain(tail.map(|x| (x.0, x.1)));
        measure(items, &self.p.svcs[s], self.p.rules)
    }

    fn refresh(&mut self, s: usize) {
        let v = self.value(s, None, None);
        self.sum = self.sum.sub(self.vals[s]).add(v);
        self.vals[s] = v;
    }

    /// Gives selection `i` option `k` (`None`: none).
    pub fn set(&mut self, i: usize, k: Option<usize>) {
        if let Some(old) = self.pick[i] {
            let (s, x) = self.item(i, old);
            if let Ok(pos) = self.per[s].binary_search(&x) {
                self.per[s].remove(pos);
            }
            self.refresh(s);
        }
        if let Some(k) = k {
            let (s, x) = self.item(i, k);
            let pos = self.per[s].partition_point(|y| *y < x);
            self.per[s].insert(pos, x);
            self.refresh(s);
        }
        self.pick[i] = k;
    }

    pub fn sum(&self) -> Val {
        self.sum
    }

    pub fn key(&self) -> (u64, u64) {
        self.sum.key(self.p.rules.objective)
    }

    /// How much the floor of its service rises if selection `i` (unassigned) takes option `k`.
    pub fn rise(&mut self, i: usize, k: usize) -> u64 {
        let (s, x) = self.item(i, k);
        let o = self.p.rules.objective;
        let after = self.value(s, None, Some(x)).floor(o).0;
        after.saturating_sub(self.vals[s].floor(o).0)
    }

    /// Moves single selections to better options until none helps (at most `rounds` passes).
    pub fn improve(&mut self, group: &[usize], rounds: usize) {
        let o = self.p.rules.objective;
        for _ in 0..rounds {
            let mut moved = false;
            for &i in group {
                let Some(cur) = self.pick[i] else { continue };
                let (s0, x0) = self.item(i, cur);
                let without = self.value(s0, Some(i), None);
                let base = self.sum.sub(self.vals[s0]).add(without);
                let mut best = (self.key(), cur);
                for k in 0..self.p.choices[i].len() {
                    let (t, x) = self.item(i, k);
                    if k == cur || (t == s0 && x == x0) {
                        continue;
                    }
                    let key = if t == s0 {
                        let v = self.value(s0, Some(i), Some(x));
                        base.sub(without).add(v)
                    } else {
                        let v = self.value(t, None, Some(x));
                        base.sub(self.vals[t]).add(v)
                    }
                    .key(o);
                    if key < best.0 {
                        best = (key, k);
                    }
                }
                if best.1 != cur {
                    self.set(i, Some(best.1));
                    moved = true;
                }
            }
            if !moved {
                break;
            }
        }
    }
}
