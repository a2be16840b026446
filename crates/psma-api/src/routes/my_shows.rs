//! `/api/v1/my-shows`: the shows the caller wants to watch, and how.

pub(crate) mod delete;
pub(crate) mod list;
pub(crate) mod put;
pub(crate) mod restore;

use chrono::{DateTime, NaiveDate, Utc};
use psma_core::planning::profile::{Selection, WatchMode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// How the caller watches a show.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WatchModeView {
    /// Each episode as it airs.
    AsAired,
    /// The whole season once its last episode has aired, within `binge_days`.
    BingeAfterSeason,
}

impl From<WatchModeView> for WatchMode {
    fn from(mode: WatchModeView) -> Self {
        match mode {
            WatchModeView::AsAired => Self::AsAired,
            WatchModeView::BingeAfterSeason => Self::BingeAfterSeason,
        }
    }
}

impl From<WatchMode> for WatchModeView {
    fn from(mode: WatchMode) -> Self {
        match mode {
            WatchMode::AsAired => Self::AsAired,
            WatchMode::BingeAfterSeason => Self::BingeAfterSeason,
        }
    }
}

/// A show on the caller's list.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyShowView {
    /// The show (`GET /api/v1/shows/{id}`).
    pub show_id: Uuid,
    /// How the caller watches it.
    pub watch_mode: WatchModeView,
    /// Days to watch a season in, once started.
    pub binge_days: u16,
    /// Only this season (null: the current or next one).
    pub season: Option<u16>,
    /// Not before this day.
    pub start_after: Option<NaiveDate>,
    /// The last day you need the show; answers the plan's question `show:<id>:end_date`
    /// (null: the plan goes by the schedule and the availability window).
    pub end_date: Option<NaiveDate>,
    /// When it was added.
    pub created_at: DateTime<Utc>,
    /// When it was last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<&Selection> for MyShowView {
    fn from(s: &Selection) -> Self {
        Self {
            show_id: s.show_id.0,
            watch_mode: s.wish.watch_mode.into(),
            binge_days: s.wish.binge_days,
            season: s.wish.season,
            start_after: s.wish.start_after,
            end_date: s.wish.end_date,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}
