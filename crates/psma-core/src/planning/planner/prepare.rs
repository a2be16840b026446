//! The first step: each selection's options, or why it has none, and the services in play.

use super::cost::{Rules, Svc};
use super::need::{Day, Opt, option, title_of};
use super::search::Problem;
use super::types::{BlockReason, BlockedShow, Covered, EpisodeAir, Objective, PlanInput, Question};
use crate::catalog::show::ShowId;
use crate::planning::availability::Assessment;
use crate::planning::profile::Selection;
use psma_plugin_sdk::text::ServiceId;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// A selection with at least one option, options in preference order.
pub(super) struct Need<'a> {
    pub sel: &'a Selection,
    pub title: String,
    pub opts: Vec<Opt>,
    /// Each option's service (index into the services).
    pub svc: Vec<usize>,
}

fn prefer(a: &Assessment, b: &Assessment, prices: &BTreeMap<ServiceId, Svc>) -> Ordering {
    let amount = |x: &Assessment| prices.get(&x.service_id).and_then(|s| s.amount);
    b.confidence
        .total_cmp(&a.confidence)
        .then(b.retrieved_at.cmp(&a.retrieved_at))
        .then(match (amount(a), amount(b)) {
            (Some(x), Some(y)) => x.cmp(&y),
            (x, y) => x.is_none().cmp(&y.is_none()),
        })
        .then(a.service_id.cmp(&b.service_id))
        .then(a.window.cmp(&b.window))
}

/// Selections sorted into planned, blocked and covered, with the services in play.
pub(super) struct Prepared<'a> {
    pub needs: Vec<Need<'a>>,
    pub blocked: Vec<BlockedShow>,
    pub covered: Vec<Covered>,
    pub questions: BTreeSet<Question>,
    pub svcs: Vec<Svc>,
    pub rules: Rules,
}

/// Options per selection (preference order), blocked and covered shows, the services in play
/// and the objective.
pub(super) fn prepare<'a>(input: &PlanInput<'a>) -> Prepared<'a> {
    let (today, settings) = (input.today, input.settings);
    let mut episodes: BTreeMap<ShowId, Vec<&EpisodeAir>> = BTreeMap::new();
    for e in input.episodes {
        episodes.entry(e.show_id).or_default().push(e);
    }
    let mut by_show: BTreeMap<ShowId, Vec<(usize, &Assessment)>> = BTreeMap::new();
    for (i, a) in input.assessments.iter().enumerate() {
        if &a.country == input.country {
            by_show.entry(a.show_id).or_default().push((i, a));
        }
    }
    let permanent: BTreeSet<&ServiceId> = input
        .services
        .iter()
        .filter(|s| s.terms.permanent)
        .map(|s| &s.service_id)
        .collect();
    let contract: BTreeMap<&ServiceId, Option<u16>> = input
        .services
        .iter()
        .map(|s| (&s.service_id, s.terms.min_contract_days))
        .collect();
    let terms = |id: &ServiceId| {
        Svc::new(
            id.clone(),
            contract.get(id).copied().flatten(),
            input.prices.get(id),
        )
    };
    let all_svcs: BTreeMap<ServiceId, Svc> = by_show
        .values()
        .flatten()
        .map(|(_, a)| (a.service_id.clone(), terms(&a.service_id)))
        .collect();

    let mut sels: Vec<&Selection> = input.selections.iter().collect();
    sels.sort_by_key(|s| s.show_id);
    sels.dedup_by_key(|s| s.show_id);
    let (mut blocked, mut covered, mut questions) = (Vec::new(), Vec::new(), BTreeSet::new());
    let mut needs: Vec<Need<'_>> = Vec::new();
    for sel in sels {
        let title = title_of(input.titles, sel.show_id);
        let eps = episodes.get(&sel.show_id).map_or(&[][..], Vec::as_slice);
        let mut cands: Vec<(usize, &Assessment)> = by_show
            .get(&sel.show_id)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .copied()
            .filter(|(_, a)| a.is_subscription_candidate())
            .collect();
        cands.sort_by(|x, y| prefer(x.1, y.1, &all_svcs));
        let confident: Vec<(usize, &Assessment)> = cands
            .iter()
            .copied()
            .filter(|(_, a)| a.meets_min_confidence())
            .collect();
        let mut why = if cands.is_empty() {
            BlockReason::NoCandidate
        } else {
            BlockReason::BelowMinConfidence
        };
        let mut opts = Vec::new();
        for c in confident {
            match option(sel, &title, eps, c, settings, today) {
                Ok(o) => opts.push(o),
                Err(e) => why = why.max(e),
            }
        }
        if opts.is_empty() {
            let question_id = matches!(
                why,
                BlockReason::NoCandidate | BlockReason::BelowMinConfidence
            )
            .then(|| {
                let id = format!("show:{}:service", sel.show_id);
                questions.insert(Question {
                    id: id.clone(),
                    show_id: Some(sel.show_id),
                    service_id: None,
                    text: format!(
                        "On which service do you watch {title}? No service PSMA can plan on \
                         offers it by subscription in {} with enough confidence.",
                        input.country.as_str()
                    ),
                });
                id
            });
            blocked.push(BlockedShow {
                show_id: sel.show_id,
                reason: why,
                question_id,
            });
            continue;
        }
        let kept = opts
            .iter()
            .map(|o| &input.assessments[o.assessment])
            .find(|a| permanent.contains(&a.service_id));
        if let Some(a) = kept {
            covered.push(Covered {
                show_id: sel.show_id,
                service_id: a.service_id.clone(),
                rationale: format!(
                    "{title} streams on {}, which you keep anyway: no subscription to plan.",
                    a.service_id.as_str()
                ),
            });
            continue;
        }
        needs.push(Need {
            sel,
            title,
            opts,
            svc: Vec::new(),
        });
    }

    let ids: BTreeSet<&ServiceId> = needs
        .iter()
        .flat_map(|n| {
            n.opts
                .iter()
                .map(|o| &input.assessments[o.assessment].service_id)
        })
        .collect();
    let svcs: Vec<Svc> = ids.iter().map(|id| terms(id)).collect();
    let index: BTreeMap<&ServiceId, usize> =
        ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    for n in &mut needs {
        n.svc = n
            .opts
            .iter()
            .map(|o| index[&input.assessments[o.assessment].service_id])
            .collect();
    }
    let currencies: BTreeSet<_> = svcs
        .iter()
        .filter_map(|s| s.price.as_ref().map(|p| &p.1))
        .collect();
    let objective =
        if !svcs.is_empty() && svcs.iter().all(|s| s.price.is_some()) && currencies.len() == 1 {
            Objective::Cost
        } else {
            Objective::Days
        };
    let rules = Rules {
        buffer: Day::from(settings.unsubscribe_buffer_days),
        adjacency: Day::from(settings.merge_adjacency_days),
        objective,
    };
    Prepared {
        needs,
        blocked,
        covered,
        questions,
        svcs,
        rules,
    }
}

impl Prepared<'_> {
    /// The choice problem.
    pub fn problem(&self) -> Problem<'_> {
        let needs = &self.needs;
        Problem {
            svcs: &self.svcs,
            rules: self.rules,
            choices: needs
                .iter()
                .map(|n| {
                    n.opts
                        .iter()
                        .zip(&n.svc)
                        .map(|(o, s)| (*s, o.start, o.end))
                        .collect()
                })
                .collect(),
            naive: needs
                .iter()
                .map(|n| {
                    (0..n.opts.len())
                        .min_by_key(|&k| n.opts[k].assessment)
                        .unwrap_or(0)
                })
                .collect(),
        }
    }
}
