//! The canonical facts: one assertion by one provider, with its provenance.
//!
//! A fact is a JSON object tagged by `kind`. Its *natural key* (the show, service, country … it
//! is about) gives it a [`FactKey`] that is stable across refreshes, so a fact seen again is
//! recognised, a changed one is reported as modified, and a vanished one ends. Its
//! [`ContentHash`] covers everything but `retrieved_at`, so seeing the same fact again is not a
//! change.

mod identity;
mod validate;

pub use identity::{ContentHash, FactKey, identity_fact_key};
pub use validate::FieldError;

/// A calendar date as upstream APIs write it and the contract accepts it: exactly
/// `YYYY-MM-DD`, in a year from 1870 to 2200. `None` for anything else (a blank, a typo such
/// as `-020-01-01` or `20201-01-01`, a date out of range): a plugin drops such a date rather
/// than the fact.
#[must_use]
pub fn calendar_date(text: &str) -> Option<NaiveDate> {
    use chrono::Datelike;
    let shape = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shape {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|d| validate::YEARS.contains(&d.year()))
}

use crate::text::{
    CountryCode, CurrencyCode, Decimal, ExternalNamespace, ExternalValue, Label, LongText,
    ServiceId, ShowKey, SourceId, SourceRef, Title,
};
use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Who asserted a fact, when, and how sure they are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// The source that asserts it.
    pub source_id: SourceId,
    /// When the source was read.
    pub retrieved_at: DateTime<Utc>,
    /// How sure the source is, from 0 (a guess) to 1 (certain).
    #[schemars(range(min = 0.0, max = 1.0))]
    pub confidence: f64,
    /// Where in the source it was found (a URL, a file and line), for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_ref: Option<SourceRef>,
}

/// One assertion by one provider. Serialised with a `kind` tag:
/// `{"kind": "availability", "provenance": {…}, "show": "tv:1399", …}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fact {
    /// What a show is: title, year, type and its ids elsewhere.
    ShowIdentity(ShowIdentity),
    /// Where and when a show can be watched.
    Availability(Availability),
    /// When an episode airs.
    Episode(Episode),
    /// How a service releases shows (the service behaviour knowledge base).
    ServiceBehavior(ServiceBehavior),
    /// What a service costs.
    Price(Price),
}

/// The kinds of fact, as named in the `kind` tag.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FactKind {
    /// [`ShowIdentity`]
    ShowIdentity,
    /// [`Availability`]
    Availability,
    /// [`Episode`]
    Episode,
    /// [`ServiceBehavior`]
    ServiceBehavior,
    /// [`Price`]
    Price,
}

impl FactKind {
    /// Every kind, in a stable order.
    pub const ALL: [Self; 5] = [
        Self::ShowIdentity,
        Self::Availability,
        Self::Episode,
        Self::ServiceBehavior,
        Self::Price,
    ];

    /// The tag, as serialised.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ShowIdentity => "show_identity",
            Self::Availability => "availability",
            Self::Episode => "episode",
            Self::ServiceBehavior => "service_behavior",
            Self::Price => "price",
        }
    }

    /// Parses a tag.
    #[must_use]
    pub fn parse(tag: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == tag)
    }
}

/// Whether a title is a series or a film.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ShowType {
    /// A series, in seasons and episodes.
    Tv,
    /// A film.
    Movie,
}

impl ShowType {
    /// The name, as serialised.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Tv => "tv",
            Self::Movie => "movie",
        }
    }
}

/// What a show is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShowIdentity {
    /// Who says so.
    pub provenance: Provenance,
    /// The source's key for the show; the other facts about it use the same key.
    pub show: ShowKey,
    /// Its title.
    pub title: Title,
    /// The year it first aired or was released.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1870, max = 2200))]
    pub year: Option<i32>,
    /// Series or film.
    pub show_type: ShowType,
    /// Its ids in other catalogues: `{"tmdb": "tv:1399", "imdb": "tt0944947"}`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(extend("maxProperties" = 16))]
    pub external_ids: BTreeMap<ExternalNamespace, ExternalValue>,
    /// A short description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overview: Option<LongText>,
    /// Its genres.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 20))]
    pub genres: Vec<Label>,
}

/// How a service offers a show, in the words of TMDB's watch-provider buckets.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Monetization {
    /// Included in a subscription.
    Flatrate,
    /// Free.
    Free,
    /// Free with advertising.
    Ads,
    /// Rent per title.
    Rent,
    /// Buy per title.
    Buy,
}

impl Monetization {
    /// The name, as serialised.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Flatrate => "flatrate",
            Self::Free => "free",
            Self::Ads => "ads",
            Self::Rent => "rent",
            Self::Buy => "buy",
        }
    }

    /// Whether it needs a subscription to the service (the case the planner plans for).
    #[must_use]
    pub fn is_subscription(self) -> bool {
        self == Self::Flatrate
    }
}

/// A show can be watched on a service in a country, within a window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Availability {
    /// Who says so.
    pub provenance: Provenance,
    /// The source's key for the show.
    pub show: ShowKey,
    /// The service.
    pub service_id: ServiceId,
    /// Where.
    pub country: CountryCode,
    /// On what terms.
    pub monetization: Monetization,
    /// From when (inclusive); absent means "available now, start unknown".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_from: Option<NaiveDate>,
    /// Until when (inclusive); absent or null means no known end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_until: Option<NaiveDate>,
}

/// An episode and when it airs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Episode {
    /// Who says so.
    pub provenance: Provenance,
    /// The source's key for the show.
    pub show: ShowKey,
    /// Season number (0 for specials).
    #[schemars(range(max = 9999))]
    pub season: u16,
    /// Episode number within the season.
    #[schemars(range(max = 99999))]
    pub number: u32,
    /// Its title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Title>,
    /// The day it airs (in the show's home time zone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub air_date: Option<NaiveDate>,
    /// The instant it airs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub airstamp: Option<DateTime<Utc>>,
}

impl Episode {
    /// The day it airs: `air_date`, else the UTC day of `airstamp`.
    #[must_use]
    pub fn day(&self) -> Option<NaiveDate> {
        self.air_date
            .or_else(|| self.airstamp.map(|s| s.date_naive()))
    }
}

/// How a service releases seasons.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ReleasePattern {
    /// Whole seasons at once.
    AllAtOnce,
    /// One episode a week.
    Weekly,
    /// Some shows one way, some the other.
    Mixed,
    /// Not known.
    Unknown,
}

impl ReleasePattern {
    /// The name, as serialised.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AllAtOnce => "all_at_once",
            Self::Weekly => "weekly",
            Self::Mixed => "mixed",
            Self::Unknown => "unknown",
        }
    }
}

/// How a service behaves (service behaviour knowledge base).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceBehavior {
    /// Who says so.
    pub provenance: Provenance,
    /// The service.
    pub service_id: ServiceId,
    /// How it releases seasons.
    pub release_pattern: ReleasePattern,
}

/// What a service costs in a country, for one tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Price {
    /// Who says so.
    pub provenance: Provenance,
    /// The service.
    pub service_id: ServiceId,
    /// Where.
    pub country: CountryCode,
    /// The plan (`standard`, `with ads`).
    pub tier: Label,
    /// The price per billing cycle.
    pub amount: Decimal,
    /// Its currency.
    pub currency: CurrencyCode,
    /// How many days one payment covers (30 for monthly, 365 for yearly).
    #[schemars(range(min = 1, max = 366))]
    pub billing_cycle_days: u16,
}

impl Fact {
    /// Its kind.
    #[must_use]
    pub fn kind(&self) -> FactKind {
        match self {
            Self::ShowIdentity(_) => FactKind::ShowIdentity,
            Self::Availability(_) => FactKind::Availability,
            Self::Episode(_) => FactKind::Episode,
            Self::ServiceBehavior(_) => FactKind::ServiceBehavior,
            Self::Price(_) => FactKind::Price,
        }
    }

    /// Who asserts it.
    #[must_use]
    pub fn provenance(&self) -> &Provenance {
        match self {
            Self::ShowIdentity(f) => &f.provenance,
            Self::Availability(f) => &f.provenance,
            Self::Episode(f) => &f.provenance,
            Self::ServiceBehavior(f) => &f.provenance,
            Self::Price(f) => &f.provenance,
        }
    }

    /// Who asserts it, to change (a pipeline stamping `retrieved_at`, say).
    pub fn provenance_mut(&mut self) -> &mut Provenance {
        match self {
            Self::ShowIdentity(f) => &mut f.provenance,
            Self::Availability(f) => &mut f.provenance,
            Self::Episode(f) => &mut f.provenance,
            Self::ServiceBehavior(f) => &mut f.provenance,
            Self::Price(f) => &mut f.provenance,
        }
    }

    /// The source's key of the show it is about, if it is about a show.
    #[must_use]
    pub fn show(&self) -> Option<&ShowKey> {
        match self {
            Self::ShowIdentity(f) => Some(&f.show),
            Self::Availability(f) => Some(&f.show),
            Self::Episode(f) => Some(&f.show),
            Self::ServiceBehavior(_) | Self::Price(_) => None,
        }
    }

    /// The service it is about, if any.
    #[must_use]
    pub fn service_id(&self) -> Option<&ServiceId> {
        match self {
            Self::Availability(f) => Some(&f.service_id),
            Self::ServiceBehavior(f) => Some(&f.service_id),
            Self::Price(f) => Some(&f.service_id),
            Self::ShowIdentity(_) | Self::Episode(_) => None,
        }
    }

    /// The country it is about, if any.
    #[must_use]
    pub fn country(&self) -> Option<&CountryCode> {
        match self {
            Self::Availability(f) => Some(&f.country),
            Self::Price(f) => Some(&f.country),
            Self::ShowIdentity(_) | Self::Episode(_) | Self::ServiceBehavior(_) => None,
        }
    }
}
