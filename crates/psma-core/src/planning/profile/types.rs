//! What a user wants to watch and which services they keep.

use crate::catalog::ShowId;
use chrono::{DateTime, NaiveDate, Utc};
use psma_plugin_sdk::text::{CurrencyCode, Decimal, ServiceId};
use serde::{Deserialize, Serialize};

/// How a user watches a show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WatchMode {
    /// Each episode as it airs.
    AsAired,
    /// The whole season once its last episode has aired, within `binge_days`.
    BingeAfterSeason,
}

impl WatchMode {
    /// The stored and serialised name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AsAired => "as_aired",
            Self::BingeAfterSeason => "binge_after_season",
        }
    }

    /// The mode of a stored name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        [Self::AsAired, Self::BingeAfterSeason]
            .into_iter()
            .find(|mode| mode.as_str() == name)
    }
}

/// How a user wants to watch one show, as they set it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Wish {
    /// How.
    pub watch_mode: WatchMode,
    /// Days the user needs to watch a season once they start.
    pub binge_days: u16,
    /// Only this season (`None`: the current or next one).
    pub season: Option<u16>,
    /// Not before this day.
    pub start_after: Option<NaiveDate>,
    /// The last day the member needs the show (their answer to the plan's
    /// `show:<id>:end_date` question); only used where the schedule and the availability
    /// window leave the end unknown.
    pub end_date: Option<NaiveDate>,
}

/// A show on a user's list (My Shows).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Selection {
    /// The show.
    pub show_id: ShowId,
    /// How the user wants to watch it.
    #[serde(flatten)]
    pub wish: Wish,
    /// When it was first added.
    pub created_at: DateTime<Utc>,
    /// When it was last changed.
    pub updated_at: DateTime<Utc>,
}

/// What a user pays for a service, or that they keep it anyway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceTerms {
    /// Kept whatever the plan says (no subscribe or cancel events for it).
    pub permanent: bool,
    /// The price per month, when known (a decimal string, `12.99`).
    pub monthly_price: Option<Decimal>,
    /// The price's currency.
    pub currency: Option<CurrencyCode>,
    /// Days paid for at once (`30` for monthly).
    pub billing_cycle_days: Option<u16>,
    /// Days a subscription must last once started.
    pub min_contract_days: Option<u16>,
}

/// A service on a user's profile (My Services).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MyService {
    /// The service.
    pub service_id: ServiceId,
    /// What the user pays and whether they keep it.
    #[serde(flatten)]
    pub terms: ServiceTerms,
    /// When it was first added.
    pub created_at: DateTime<Utc>,
    /// When it was last changed.
    pub updated_at: DateTime<Utc>,
}
