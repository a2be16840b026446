//! `as_aired` on a service that releases whole seasons at once: binge instead, when the
//! planner says it saves something.

use super::sbkb::{SbkbEntry, release_pattern};
use super::{AdviceInputs, Finding, FindingDetail, fingerprint, plan_event_ref, title_of};
use crate::catalog::ShowId;
use crate::planning::planner::{Action, Plan, PlanInput, plan};
use crate::planning::plans::delta;
use crate::planning::profile::{Selection, WatchMode, Wish};
use chrono::NaiveDate;
use psma_plugin_sdk::ReleasePattern;
use psma_plugin_sdk::text::{CurrencyCode, Decimal, ServiceId};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Binging a show after its season is out would save days or money.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BingeSaves {
    /// The show.
    pub show_id: ShowId,
    /// Its title.
    pub title: String,
    /// How it is watched now.
    pub wish: Wish,
    /// The binge days the proposal keeps (the selection's; the settings' when it has none).
    pub binge_days: u16,
    /// What the SBKB says of the services the plan uses for it that release all at once,
    /// by service.
    pub services: Vec<SbkbEntry>,
    /// The plan's events for the show now, as `based_on` references.
    pub event_refs: Vec<String>,
    /// Subscribed days of the plan now.
    pub days_before: u32,
    /// Subscribed days of the plan with the show binged.
    pub days_after: u32,
    /// Days saved (`days_before − days_after`, never negative).
    pub days_saved: u32,
    /// Money saved per currency (only currencies whose cost goes down).
    pub cost_saved: BTreeMap<CurrencyCode, Decimal>,
}

/// What the fingerprint covers: the wish and the SBKB entries, not the computed savings (so a
/// declined proposal stays declined while only the calendar moves).
#[derive(Serialize)]
struct Inputs<'a> {
    show_id: ShowId,
    wish: &'a Wish,
    services: Vec<(&'a ServiceId, &'a str, ReleasePattern)>,
}

pub(super) fn find(inputs: &AdviceInputs<'_>, today: NaiveDate) -> Vec<Finding> {
    let planning = inputs.planning;
    let baseline_owned;
    let baseline: &Plan = if inputs.plan.today == today {
        inputs.plan
    } else {
        baseline_owned = plan(&PlanInput {
            today,
            ..planning.input()
        });
        &baseline_owned
    };
    let mut found = Vec::new();
    for (index, selection) in planning.selections.iter().enumerate() {
        if selection.wish.watch_mode != WatchMode::AsAired {
            continue;
        }
        let show = selection.show_id;
        let used: BTreeSet<&ServiceId> = inputs
            .plan
            .events
            .iter()
            .filter(|e| e.action == Action::Subscribe && e.show_ids.contains(&show))
            .map(|e| &e.service_id)
            .collect();
        let services: Vec<SbkbEntry> = used
            .into_iter()
            .filter_map(|s| release_pattern(inputs, s))
            .filter(|e| e.release_pattern == ReleasePattern::AllAtOnce)
            .collect();
        if services.is_empty() {
            continue;
        }
        let binge_days = match selection.wish.binge_days {
            0 => planning.settings.planner.binge_days.max(1),
            days => days,
        };
        let mut selections: Vec<Selection> = planning.selections.clone();
        if let Some(changed) = selections.get_mut(index) {
            changed.wish.watch_mode = WatchMode::BingeAfterSeason;
            changed.wish.binge_days = binge_days;
        }
        let what_if = plan(&PlanInput {
            today,
            selections: &selections,
            ..planning.input()
        });
        let change = delta(Some(baseline), &what_if);
        let mut cost_saved = BTreeMap::new();
        let mut costs_more = false;
        for (currency, c) in &change.cost {
            match c.change.strip_prefix('-') {
                Some(saved) => {
                    if let Ok(saved) = Decimal::parse(saved) {
                        cost_saved.insert(currency.clone(), saved);
                    }
                }
                None => costs_more |= c.change.chars().any(|ch| ch.is_ascii_digit() && ch != '0'),
            }
        }
        let days_change = change.subscribed_days.change;
        let saves = days_change <= 0 && !costs_more && (days_change < 0 || !cost_saved.is_empty());
        if !saves {
            continue;
        }
        let event_refs = inputs
            .plan
            .events
            .iter()
            .filter(|e| e.show_ids.contains(&show))
            .map(plan_event_ref)
            .collect();
        let key = Inputs {
            show_id: show,
            wish: &selection.wish,
            services: services
                .iter()
                .map(|e| (&e.service_id, e.reference.as_str(), e.release_pattern))
                .collect(),
        };
        let fingerprint = fingerprint("binge_saves", &key);
        found.push(Finding {
            fingerprint,
            detail: FindingDetail::BingeSaves(BingeSaves {
                show_id: show,
                title: title_of(inputs, show),
                wish: selection.wish.clone(),
                binge_days,
                services,
                event_refs,
                days_before: change.subscribed_days.before,
                days_after: change.subscribed_days.after,
                days_saved: u32::try_from(-days_change).unwrap_or(0),
                cost_saved,
            }),
        });
    }
    found
}
