//! Service choice across the whole plan (DESIGN §5.2): independent groups of selections (those
//! sharing no candidate service), each improved by local search from the naive and the
//! preferred choice, then branch and bound within a budget of service evaluations.

mod state;

use super::cost::{Rules, Svc, Val, eval};
use super::need::Day;
use state::State;

/// The choice problem: for each selection, its options `(service, start, end)` in order of
/// preference.
#[derive(Debug, Clone)]
pub(super) struct Problem<'a> {
    pub svcs: &'a [Svc],
    pub rules: Rules,
    pub choices: Vec<Vec<(usize, Day, Day)>>,
    /// Each selection's first-listed option (the naive plan's).
    pub naive: Vec<usize>,
}

/// The chosen option of each selection, and what the search proved.
#[derive(Debug, Clone)]
pub(super) struct Solution {
    pub pick: Vec<usize>,
    pub optimal: bool,
    pub lower_bound: u64,
    pub nodes: u64,
}

/// The value of a choice.
pub(super) fn total(p: &Problem<'_>, pick: &[usize]) -> Val {
    let mut per: Vec<Vec<(Day, Day, usize)>> = vec![Vec::new(); p.svcs.len()];
    for (i, &k) in pick.iter().enumerate() {
        let (s, a, b) = p.choices[i][k];
        per[s].push((a, b, i));
    }
    per.iter().enumerate().fold(Val::default(), |v, (s, l)| {
        v.add(eval(l, &p.svcs[s], p.rules))
    })
}

/// Chooses an option for every selection, spending at most `budget` service evaluations
/// (local search included) before settling for the best choice found.
pub(super) fn solve(p: &Problem<'_>, budget: u64) -> Solution {
    let mut pick = vec![0; p.choices.len()];
    let mut sol = Solution {
        pick: Vec::new(),
        optimal: true,
        lower_bound: 0,
        nodes: 0,
    };
    let preferred = vec![0; p.choices.len()];
    let mut state = State::new(p);
    for group in groups(p) {
        let mut best: Option<(Vec<usize>, (u64, u64))> = None;
        for start in [&preferred, &p.naive] {
            for &i in &group {
                state.set(i, Some(start[i]));
            }
            state.improve(&group, 16);
            let key = state.key();
            if best.as_ref().is_none_or(|(_, k)| key < *k) {
                best = Some((
                    group.iter().map(|&i| state.pick[i].unwrap_or(0)).collect(),
                    key,
                ));
            }
            for &i in &group {
                state.set(i, None);
            }
        }
        let Some((incumbent, key)) = best else {
            continue;
        };
        let mut order = group.clone();
        order.sort_by_key(|&i| (p.choices[i].len(), p.choices[i][0].1, i));
        let mut bb = Bnb {
            state: &mut state,
            group: &group,
            order,
            best: incumbent,
            best_key: key,
            nodes: 0,
            budget,
            exhausted: false,
        };
        let root = bb.root();
        bb.dfs(0);
        sol.nodes += bb.nodes;
        sol.optimal &= !bb.exhausted;
        sol.lower_bound += if bb.exhausted {
            root.min(bb.best_key.0)
        } else {
            bb.best_key.0
        };
        for (&i, &k) in group.iter().zip(&bb.best) {
            pick[i] = k;
        }
    }
    sol.pick = pick;
    sol
}

/// Selections linked by a shared candidate service, each group sorted, groups by first member.
fn groups(p: &Problem<'_>) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..p.svcs.len()).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for opts in &p.choices {
        for w in opts.windows(2) {
            let (a, b) = (root(&mut parent, w[0].0), root(&mut parent, w[1].0));
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut by_root: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (i, opts) in p.choices.iter().enumerate() {
        if let Some(first) = opts.first() {
            by_root
                .entry(root(&mut parent, first.0))
                .or_default()
                .push(i);
        }
    }
    let mut out: Vec<Vec<usize>> = by_root.into_values().collect();
    out.sort();
    out
}

struct Bnb<'s, 'p, 'a> {
    state: &'s mut State<'p, 'a>,
    /// The group's selections; `best` is parallel to it.
    group: &'s [usize],
    order: Vec<usize>,
    best: Vec<usize>,
    best_key: (u64, u64),
    nodes: u64,
    budget: u64,
    exhausted: bool,
}

impl Bnb<'_, '_, '_> {
    /// A bound on any completion of the first `depth` choices: the floor of what is assigned,
    /// plus the largest unavoidable rise of one of the next `look` unassigned selections.
    fn bound(&mut self, depth: usize, look: usize) -> (u64, u64) {
        let (floor, second) = self.state.sum().floor(self.state.p.rules.objective);
        let mut rise = 0;
        for &i in self.order[depth..].iter().take(look) {
            let least = (0..self.state.p.choices[i].len())
                .map(|k| self.state.rise(i, k))
                .min()
                .unwrap_or(0);
            rise = rise.max(least);
        }
        (floor + rise, second)
    }

    /// A bound on the whole group: its forced selections (one option) assigned, plus the
    /// unavoidable rises of other selections whose candidate services are pairwise disjoint
    /// (each lands on a different service, so their rises add up), largest first.
    fn root(&mut self) -> u64 {
        let forced = self
            .order
            .iter()
            .take_while(|&&i| self.state.p.choices[i].len() == 1)
            .count();
        for &i in &self.order[..forced] {
            self.state.set(i, Some(0));
        }
        let objective = self.state.p.rules.objective;
        let mut rises: Vec<(u64, usize)> = Vec::new();
        for &i in &self.order[forced..] {
            let least = (0..self.state.p.choices[i].len())
                .map(|k| self.state.rise(i, k))
                .min()
                .unwrap_or(0);
            rises.push((least, i));
        }
        rises.sort_unstable_by(|a, b| b.cmp(a));
        let mut used = vec![false; self.state.p.svcs.len()];
        let mut bound = self.state.sum().floor(objective).0;
        for (rise, i) in rises {
            let opts = &self.state.p.choices[i];
            if opts.iter().all(|o| !used[o.0]) {
                bound += rise;
                for o in opts {
                    used[o.0] = true;
                }
            }
        }
        for &i in &self.order[..forced] {
            self.state.set(i, None);
        }
        bound
    }

    fn dfs(&mut self, depth: usize) {
        if self.state.work >= self.budget {
            self.exhausted = true;
            return;
        }
        self.nodes += 1;
        let Some(&i) = self.order.get(depth) else {
            let key = self.state.key();
            if key < self.best_key {
                self.best_key = key;
                self.best = self
                    .group
                    .iter()
                    .map(|&i| self.state.pick[i].unwrap_or(0))
                    .collect();
            }
            return;
        };
        if self.bound(depth, 8) >= self.best_key {
            return;
        }
        for k in 0..self.state.p.choices[i].len() {
            self.state.set(i, Some(k));
            self.dfs(depth + 1);
            if self.exhausted {
                break;
            }
        }
        self.state.set(i, None);
    }
}
