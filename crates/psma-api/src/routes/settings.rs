//! `/api/v1/settings`: the caller's country and planner settings.

pub(crate) mod get;
pub(crate) mod put;

use psma_core::planning::profile::UserSettings;
use serde::Serialize;
use utoipa::ToSchema;

/// The caller's settings in force.
#[derive(Debug, Serialize, ToSchema)]
pub struct SettingsView {
    /// Where the caller watches (ISO 3166-1 alpha-2).
    pub country: String,
    /// The planner's settings.
    pub planner: PlannerView,
    /// The settings the caller set themselves (`country`, `planner.horizon_days`, …); the
    /// others are the server's defaults.
    pub overridden: Vec<String>,
}

/// The planner's settings in force for the caller.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlannerView {
    /// Days a subscription is kept after the last day it is needed.
    pub unsubscribe_buffer_days: u16,
    /// Intervals on one service this close (in days) or overlapping are merged.
    pub merge_adjacency_days: u16,
    /// How long a show whose end is unknown is assumed to stay needed.
    pub unknown_end_horizon_days: u16,
    /// A snapshot older than this many days is stale.
    pub stale_after_days: u16,
    /// Services below this confidence are not planned (null: any).
    pub min_confidence: Option<f64>,
    /// How far ahead a plan reaches, in days.
    pub horizon_days: u16,
    /// The default of My Shows' `binge_days` (the server's; not set per user).
    pub binge_days: u16,
}

impl From<&UserSettings> for SettingsView {
    fn from(s: &UserSettings) -> Self {
        let p = &s.planner;
        let o = &s.overrides;
        let overridden = [
            ("country", o.country.is_some()),
            (
                "planner.unsubscribe_buffer_days",
                o.unsubscribe_buffer_days.is_some(),
            ),
            (
                "planner.merge_adjacency_days",
                o.merge_adjacency_days.is_some(),
            ),
            (
                "planner.unknown_end_horizon_days",
                o.unknown_end_horizon_days.is_some(),
            ),
            ("planner.stale_after_days", o.stale_after_days.is_some()),
            ("planner.min_confidence", o.min_confidence.is_some()),
            ("planner.horizon_days", o.horizon_days.is_some()),
        ]
        .into_iter()
        .filter(|(_, set)| *set)
        .map(|(name, _)| name.to_owned())
        .collect();
        Self {
            country: s.country.to_string(),
            planner: PlannerView {
                unsubscribe_buffer_days: p.unsubscribe_buffer_days,
                merge_adjacency_days: p.merge_adjacency_days,
                unknown_end_horizon_days: p.unknown_end_horizon_days,
                stale_after_days: p.stale_after_days,
                min_confidence: p.min_confidence,
                horizon_days: p.horizon_days,
                binge_days: p.binge_days,
            },
            overridden,
        }
    }
}
