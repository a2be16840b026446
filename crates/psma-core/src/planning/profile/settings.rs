//! Planning settings: the configuration's defaults (`[planner]`), and what a user sets for
//! themselves over them.

use psma_plugin_sdk::text::CountryCode;
use serde::{Deserialize, Serialize};

/// The planner's settings in force (`[planner]` in the configuration, each overridable by a
/// user).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlannerSettings {
    /// The country of a user who has not set theirs.
    pub default_country: CountryCode,
    /// Days a binge-watcher needs for a season, when they do not say (My Shows' `binge_days`).
    pub binge_days: u16,
    /// Days a subscription is kept after the last day it is needed.
    pub unsubscribe_buffer_days: u16,
    /// Intervals on one service this close (in days) or overlapping are merged into one.
    pub merge_adjacency_days: u16,
    /// How long a show whose end is unknown is assumed to stay needed.
    pub unknown_end_horizon_days: u16,
    /// A snapshot older than this many days counts as stale (its confidence drops a band).
    pub stale_after_days: u16,
    /// Services below this confidence are not planned for a show (`None`: any).
    #[serde(default)]
    pub min_confidence: Option<f64>,
    /// How far ahead a plan reaches.
    pub horizon_days: u16,
}

impl Default for PlannerSettings {
    /// DESIGN §5's defaults.
    fn default() -> Self {
        Self {
            default_country: CountryCode::parse("US")
                .unwrap_or_else(|_| unreachable!("a valid code")),
            binge_days: 14,
            unsubscribe_buffer_days: 1,
            merge_adjacency_days: 1,
            unknown_end_horizon_days: 30,
            stale_after_days: 14,
            min_confidence: None,
            horizon_days: 365,
        }
    }
}

/// What a user has set over the defaults; `None` keeps the default.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SettingsOverrides {
    /// Their country (default `US`).
    pub country: Option<CountryCode>,
    /// [`PlannerSettings::unsubscribe_buffer_days`]
    pub unsubscribe_buffer_days: Option<u16>,
    /// [`PlannerSettings::merge_adjacency_days`]
    pub merge_adjacency_days: Option<u16>,
    /// [`PlannerSettings::unknown_end_horizon_days`]
    pub unknown_end_horizon_days: Option<u16>,
    /// [`PlannerSettings::stale_after_days`]
    pub stale_after_days: Option<u16>,
    /// [`PlannerSettings::min_confidence`]
    pub min_confidence: Option<f64>,
    /// [`PlannerSettings::horizon_days`]
    pub horizon_days: Option<u16>,
}

/// A user's settings in force: the defaults with their overrides applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UserSettings {
    /// Where they watch.
    pub country: CountryCode,
    /// The planner's settings.
    pub planner: PlannerSettings,
    /// What they set themselves.
    pub overrides: SettingsOverrides,
}

impl UserSettings {
    /// `overrides` applied over `defaults`.
    #[must_use]
    pub fn resolve(defaults: &PlannerSettings, overrides: SettingsOverrides) -> Self {
        let o = &overrides;
        let planner = PlannerSettings {
            default_country: defaults.default_country.clone(),
            binge_days: defaults.binge_days,
            unsubscribe_buffer_days: o
                .unsubscribe_buffer_days
                .unwrap_or(defaults.unsubscribe_buffer_days),
            merge_adjacency_days: o
                .merge_adjacency_days
                .unwrap_or(defaults.merge_adjacency_days),
            unknown_end_horizon_days: o
                .unknown_end_horizon_days
                .unwrap_or(defaults.unknown_end_horizon_days),
            stale_after_days: o.stale_after_days.unwrap_or(defaults.stale_after_days),
            min_confidence: o.min_confidence.or(defaults.min_confidence),
            horizon_days: o.horizon_days.unwrap_or(defaults.horizon_days),
        };
        Self {
            country: o
                .country
                .clone()
                .unwrap_or_else(|| defaults.default_country.clone()),
            planner,
            overrides,
        }
    }
}
