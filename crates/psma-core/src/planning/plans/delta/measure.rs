//! What a plan measures: its peak of concurrent subscriptions, and costs compared.

use super::CostChange;
use crate::planning::planner::{Action, PlanEvent, minor_units};
use psma_plugin_sdk::text::{CurrencyCode, Decimal, ServiceId};
use std::collections::{BTreeMap, BTreeSet};

/// The largest number of services subscribed on one day. A subscription runs from its
/// subscribe day to the day before its unsubscribe day, so on one day unsubscribes count
/// first. A subscribe to a service already subscribed, or an unsubscribe from one that is not,
/// changes nothing; a subscribe without an unsubscribe runs on.
pub(super) fn peak_concurrent(events: &[PlanEvent]) -> u32 {
    let mut steps: Vec<&PlanEvent> = events.iter().collect();
    // Unsubscribe sorts after subscribe; on one day it must come first.
    steps.sort_by_key(|e| (e.date, e.action == Action::Subscribe, &e.service_id));
    let mut running: BTreeSet<&ServiceId> = BTreeSet::new();
    let mut peak = 0;
    for step in steps {
        match step.action {
            Action::Subscribe => {
                running.insert(&step.service_id);
            }
            Action::Unsubscribe => {
                running.remove(&step.service_id);
            }
        }
        peak = peak.max(running.len());
    }
    u32::try_from(peak).unwrap_or(u32::MAX)
}

/// Ten-thousandths of a currency unit; an amount too large to read counts as zero (a
/// [`Decimal`] has at most nine whole digits, so none is).
fn minor(amount: Option<&Decimal>) -> i128 {
    amount.and_then(minor_units).map_or(0, i128::from)
}

/// `minor` ten-thousandths as a decimal string with a sign when negative and at least two
/// decimals (`-12.99`, `0.00`, `4.125`).
fn signed(minor: i128) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let frac = format!("{:04}", abs % 10_000);
    let frac = frac.trim_end_matches('0');
    format!("{sign}{}.{frac:0<2}", abs / 10_000)
}

/// Cost per currency before and after, over the currencies of either.
pub(super) fn cost_changes(
    before: &BTreeMap<CurrencyCode, Decimal>,
    after: &BTreeMap<CurrencyCode, Decimal>,
) -> BTreeMap<CurrencyCode, CostChange> {
    before
        .keys()
        .chain(after.keys())
        .map(|currency| {
            let old = minor(before.get(currency));
            let new = minor(after.get(currency));
            (
                currency.clone(),
                CostChange {
                    before: before.get(currency).cloned(),
                    after: after.get(currency).cloned(),
                    change: signed(new - old),
                },
            )
        })
        .collect()
}
