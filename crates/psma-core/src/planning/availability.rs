//! The availability engine: a show's canonical view → one [`Assessment`] per show, country,
//! service and window, saying whether the show can be watched there today, how sure PSMA is,
//! why, and on which facts that rests (DESIGN §3.2.3; `docs/adr/0018-availability-engine.md`).
//!
//! It is a pure function of its arguments ([`assess`]): the merged view and the conflicts of
//! each show ([`ShowInput`]), the service registry, the [`AvailabilitySettings`] and `today`.
//! Same inputs, same output, in the order show, country, service, window start.
//!
//! **One assessment per window.** The merge keeps one window per group of overlapping facts
//! about a service in a country; almost always there is one, but a show that leaves a service
//! and comes back has two, and the planner needs both. Each window's winning fact (the merge
//! policy's working assumption) gives the window, the terms and the confidence; every fact of
//! the window is evidence.
//!
//! **`available_now`** is decided by the first rule that applies:
//! 1. an unresolved conflict (open or deferred) disputes the window and the disputing facts
//!    disagree with the winner on whether the window covers `today` → `unknown`
//!    ([`ReasonCode::SourcesDisagreeOnNow`]);
//! 2. the winning window starts after `today` → `false` ([`ReasonCode::WindowNotStarted`]);
//! 3. it ended before `today` → `false` ([`ReasonCode::WindowEnded`]);
//! 4. it has neither a start nor an end (a bare "available now") and its snapshot is stale →
//!    `unknown` ([`ReasonCode::StaleWithoutDates`]): the source said so once, too long ago;
//! 5. otherwise → `true` ([`ReasonCode::AvailableNow`]).
//!
//! Exactly one of those five codes is on every assessment.
//!
//! **Confidence band**, from the winning fact's confidence: `high` at 0.8 and above, `medium`
//! at 0.5 and above, else `low` ([`ConfidenceBand::of`]). Then:
//! - a **stale** snapshot drops one band, never below `low` ([`ReasonCode::StaleSnapshot`]):
//!   the winner was retrieved more than `stale_after_days` days before `today`. A user's
//!   confirmation (source `user_confirmation`) is not a snapshot and never goes stale;
//! - a **live bundle** (registry category `live_bundle`) without schedule data is `low`
//!   whatever its confidence ([`ReasonCode::LiveBundleNoSchedule`]). Schedule data means at
//!   least one of the show's episodes has a known air day on or after `today`: a live bundle
//!   only has the show when it airs.
//!
//! **Marks for the planner**, which plans subscriptions to registry services:
//! - a service id the registry does not know (`unknown-tmdb-provider-8`) is assessed like any
//!   other but flagged ([`ReasonCode::ServiceIdUnknown`], `registry_service: false`,
//!   category `unknown`); it must never be planned;
//! - rent or buy (monetization `rent`/`buy`, or a `tvod` service) is kept as information and
//!   marked [`ReasonCode::PurchaseOnly`]; free (monetization `free`/`ads`, or an `avod`
//!   service) is marked [`ReasonCode::FreeOffer`]: neither needs a subscription;
//!   [`Assessment::is_subscription_candidate`] is what is left;
//! - `contested` with the ids of the unresolved conflicts that name any fact of the window
//!   ([`ReasonCode::Contested`]), the same rule as the show page's;
//! - [`ReasonCode::LowConfidence`] when the winner's confidence is below the configured
//!   `min_confidence` (staleness lowers the band, not the number compared).
//!
//! Informational codes: [`ReasonCode::NoStartDate`], [`ReasonCode::NoEndDate`],
//! [`ReasonCode::UserConfirmed`], [`ReasonCode::SeveralSourcesAgree`] (two or more sources in
//! the window and no conflict about it). Codes and conflict ids are sorted and unique; the
//! evidence is sorted by fact id.

mod assess;
mod assessment;
mod reason;

pub use assessment::{Assessment, AvailableNow, ConfidenceBand, Evidence, Window};
pub use reason::ReasonCode;

use crate::catalog::conflict::ConflictView;
use crate::catalog::merge::{ShowView, merge};
use crate::catalog::ports::ShowRecord;
use crate::catalog::show::ShowId;
use chrono::NaiveDate;
use psma_plugin_sdk::ServiceRegistry;

/// The settings the engine reads (the binary fills them from `[planner]`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AvailabilitySettings {
    /// A snapshot retrieved more than this many days before `today` is stale (default 14).
    pub stale_after_days: u16,
    /// Below this confidence (0 to 1) an assessment is marked [`ReasonCode::LowConfidence`];
    /// `None`: no minimum.
    pub min_confidence: Option<f64>,
}

impl AvailabilitySettings {
    /// The default staleness horizon, in days.
    pub const DEFAULT_STALE_AFTER_DAYS: u16 = 14;

    /// Checked settings.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] when `min_confidence` is not a number from 0 to 1.
    pub fn new(stale_after_days: u16, min_confidence: Option<f64>) -> crate::Result<Self> {
        if let Some(min) = min_confidence
            && !(0.0..=1.0).contains(&min)
        {
            return Err(crate::Error::validation(
                "min_confidence",
                format!("must be from 0 to 1, got {min}"),
            ));
        }
        Ok(Self {
            stale_after_days,
            min_confidence,
        })
    }
}

impl Default for AvailabilitySettings {
    fn default() -> Self {
        Self {
            stale_after_days: Self::DEFAULT_STALE_AFTER_DAYS,
            min_confidence: None,
        }
    }
}

/// What the engine needs of one show: its id, its canonical view and its conflicts (with their
/// status for the household).
#[derive(Debug, Clone)]
pub struct ShowInput<'a> {
    /// The show.
    pub show_id: ShowId,
    /// Its canonical view (the household's overruled facts left out).
    pub view: ShowView<'a>,
    /// The conflicts on it that still apply; resolved ones are ignored.
    pub conflicts: &'a [ConflictView],
}

impl<'a> ShowInput<'a> {
    /// The input of a show as the catalog reads it for a household (what
    /// [`crate::catalog::ShowDetail::view`] shows).
    #[must_use]
    pub fn of(record: &'a ShowRecord) -> Self {
        Self {
            show_id: record.show.id,
            view: merge(&record.facts, &record.overruled),
            conflicts: &record.conflicts,
        }
    }
}

/// Assesses every window of every show, ordered by show, country, service and window start.
#[must_use]
pub fn assess(
    shows: &[ShowInput<'_>],
    registry: &ServiceRegistry,
    settings: &AvailabilitySettings,
    today: NaiveDate,
) -> Vec<Assessment> {
    let mut all: Vec<Assessment> = shows
        .iter()
        .flat_map(|show| assess::show(show, registry, settings, today))
        .collect();
    all.sort_by(assess::order);
    all
}

/// Assesses every window of one show, in the order of [`assess`].
#[must_use]
pub fn assess_show(
    show: &ShowInput<'_>,
    registry: &ServiceRegistry,
    settings: &AvailabilitySettings,
    today: NaiveDate,
) -> Vec<Assessment> {
    let mut all = assess::show(show, registry, settings, today);
    all.sort_by(assess::order);
    all
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod props;
