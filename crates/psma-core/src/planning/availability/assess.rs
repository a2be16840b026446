//! The rules, window by window (the module docs of `availability` state them).

use super::{
    Assessment, AvailabilitySettings, AvailableNow, ConfidenceBand, Evidence, ReasonCode,
    ShowInput, Window,
};
use crate::catalog::conflict::{Conflict, ConflictId, ConflictStatus};
use crate::catalog::merge::{MergedAvailability, USER_CONFIRMATION, body, covers};
use crate::catalog::records::{FactId, StoredFact};
use chrono::NaiveDate;
use psma_plugin_sdk::{Monetization, ServiceCategory, ServiceRegistry};
use std::cmp::Ordering;
use std::collections::BTreeSet;

/// The engine's order: show, country, service, window start (unknown first), end, winner.
pub(super) fn order(a: &Assessment, b: &Assessment) -> Ordering {
    let key = |x: &Assessment| {
        (
            x.window.and_then(|w| w.from).unwrap_or(NaiveDate::MIN),
            x.window.and_then(|w| w.until).unwrap_or(NaiveDate::MAX),
        )
    };
    a.show_id
        .cmp(&b.show_id)
        .then_with(|| a.country.cmp(&b.country))
        .then_with(|| a.service_id.cmp(&b.service_id))
        .then_with(|| key(a).cmp(&key(b)))
        .then_with(|| a.winning_fact.cmp(&b.winning_fact))
}

/// Every window of one show, unordered.
pub(super) fn show(
    input: &ShowInput<'_>,
    registry: &ServiceRegistry,
    settings: &AvailabilitySettings,
    today: NaiveDate,
) -> Vec<Assessment> {
    let scheduled = !input.view.upcoming_episodes(today).is_empty();
    let unresolved: Vec<&Conflict> = input
        .conflicts
        .iter()
        .filter(|c| c.status != ConflictStatus::Resolved && c.conflict.cleared_at.is_none())
        .map(|c| &c.conflict)
        .collect();
    let context = Context {
        registry,
        settings,
        today,
        scheduled,
        unresolved: &unresolved,
    };
    input
        .view
        .availability
        .iter()
        .map(|merged| context.window(input, merged))
        .collect()
}

struct Context<'a> {
    registry: &'a ServiceRegistry,
    settings: &'a AvailabilitySettings,
    today: NaiveDate,
    /// Whether the show has an episode with a known air day from today on.
    scheduled: bool,
    unresolved: &'a [&'a Conflict],
}

impl Context<'_> {
    fn window(&self, input: &ShowInput<'_>, merged: &MergedAvailability<'_>) -> Assessment {
        let today = self.today;
        let winner = merged.ranked.winner;
        let won = merged.winner;
        let facts: BTreeSet<FactId> = merged.ranked.all().map(|f| f.id).collect();
        let disputing: Vec<&Conflict> = self
            .unresolved
            .iter()
            .copied()
            .filter(|c| c.fact_ids.iter().any(|id| facts.contains(id)))
            .collect();
        let mut conflict_ids: Vec<ConflictId> = disputing.iter().map(|c| c.id).collect();
        conflict_ids.sort_unstable();
        conflict_ids.dedup();
        let disputed: BTreeSet<FactId> = disputing
            .iter()
            .flat_map(|c| c.fact_ids.iter().copied())
            .collect();

        let entry = self.registry.get(merged.service_id.as_str());
        let category = entry.map_or(ServiceCategory::Unknown, |e| e.category);
        let confirmed = winner.source_id().as_str() == USER_CONFIRMATION;
        let age = (today - winner.retrieved_at().date_naive()).num_days();
        let stale = !confirmed && age > i64::from(self.settings.stale_after_days);
        let confidence = winner.confidence();

        let mut codes = BTreeSet::new();
        let covered = covers(won, today);
        let disagree = merged
            .ranked
            .all()
            .filter(|f| disputed.contains(&f.id))
            .filter_map(|f| body(f))
            .any(|a| covers(a, today) != covered);
        let (available_now, verdict) = if disagree {
            (AvailableNow::Unknown, ReasonCode::SourcesDisagreeOnNow)
        } else if won.available_from.is_some_and(|from| today < from) {
            (AvailableNow::False, ReasonCode::WindowNotStarted)
        } else if won.available_until.is_some_and(|until| until < today) {
            (AvailableNow::False, ReasonCode::WindowEnded)
        } else if stale && won.available_from.is_none() && won.available_until.is_none() {
            (AvailableNow::Unknown, ReasonCode::StaleWithoutDates)
        } else {
            (AvailableNow::True, ReasonCode::AvailableNow)
        };
        codes.insert(verdict);

        let mut band = ConfidenceBand::of(confidence);
        if stale {
            band = band.lowered();
            codes.insert(ReasonCode::StaleSnapshot);
        }
        if category == ServiceCategory::LiveBundle && !self.scheduled {
            band = ConfidenceBand::Low;
            codes.insert(ReasonCode::LiveBundleNoSchedule);
        }
        let flags = [
            (won.available_from.is_none(), ReasonCode::NoStartDate),
            (won.available_until.is_none(), ReasonCode::NoEndDate),
            (entry.is_none(), ReasonCode::ServiceIdUnknown),
            (
                matches!(won.monetization, Monetization::Rent | Monetization::Buy)
                    || category == ServiceCategory::Tvod,
                ReasonCode::PurchaseOnly,
            ),
            (
                matches!(won.monetization, Monetization::Free | Monetization::Ads)
                    || category == ServiceCategory::Avod,
                ReasonCode::FreeOffer,
            ),
            (
                self.settings
                    .min_confidence
                    .is_some_and(|min| confidence < min),
                ReasonCode::LowConfidence,
            ),
            (!conflict_ids.is_empty(), ReasonCode::Contested),
            (confirmed, ReasonCode::UserConfirmed),
            (
                conflict_ids.is_empty() && sources(merged) >= 2,
                ReasonCode::SeveralSourcesAgree,
            ),
        ];
        codes.extend(flags.into_iter().filter(|(on, _)| *on).map(|(_, c)| c));

        let mut evidence: Vec<Evidence> = merged.ranked.all().map(evidence).collect();
        evidence.sort_by_key(|e| e.fact_id);
        Assessment {
            show_id: input.show_id,
            country: merged.country.clone(),
            service_id: merged.service_id.clone(),
            registry_service: entry.is_some(),
            category,
            monetization: won.monetization,
            available_now,
            window: Window::of(won.available_from, won.available_until),
            band,
            confidence,
            retrieved_at: winner.retrieved_at(),
            winning_fact: winner.id,
            reason_codes: codes.into_iter().collect(),
            evidence,
            contested: !conflict_ids.is_empty(),
            conflict_ids,
        }
    }
}

/// How many sources have a fact in the window.
fn sources(merged: &MergedAvailability<'_>) -> usize {
    merged
        .ranked
        .all()
        .map(StoredFact::source_id)
        .collect::<BTreeSet<_>>()
        .len()
}

fn evidence(fact: &StoredFact) -> Evidence {
    let provenance = fact.fact.provenance();
    Evidence {
        fact_id: fact.id,
        source_id: provenance.source_id.clone(),
        retrieved_at: provenance.retrieved_at,
        confidence: provenance.confidence,
        source_ref: provenance.source_ref.clone(),
    }
}
