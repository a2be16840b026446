//! The `psma-import/v1` document, as JSON. Its JSON Schema
//! (`contracts/jsonschema/import.v1.schema.json`) is generated from these types.

use psma_plugin_sdk::chrono::{DateTime, NaiveDate, Utc};
use psma_plugin_sdk::text::{
    CountryCode, CurrencyCode, Decimal, ExternalNamespace, ExternalValue, Label, LongText,
    ServiceId, ShowKey, SourceId, SourceRef, Title,
};
use psma_plugin_sdk::{Monetization, ReleasePattern, ShowType};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The format marker every document starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Format {
    /// Version 1.
    #[serde(rename = "psma-import/v1")]
    V1,
}

/// A catalog to import: shows, where to watch them, episodes, how services release shows, and
/// prices. Everything in one document belongs to one source, and the document is a snapshot of
/// it: facts of that source missing from a later import of it end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportDocument {
    /// Always `psma-import/v1`.
    pub format: Format,
    /// The source these facts belong to (default `manual_import`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<SourceId>,
    /// When the data was gathered (default: the time of the import).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retrieved_at: Option<DateTime<Utc>>,
    /// The shows; the other records refer to them by `ref`.
    #[serde(default)]
    pub shows: Vec<ShowRecord>,
    /// Where and when shows can be watched.
    #[serde(default)]
    pub availability: Vec<AvailabilityRecord>,
    /// Episodes and when they air.
    #[serde(default)]
    pub episodes: Vec<EpisodeRecord>,
    /// How services release seasons.
    #[serde(default)]
    pub service_behavior: Vec<ServiceBehaviorRecord>,
    /// What services cost.
    #[serde(default)]
    pub prices: Vec<PriceRecord>,
}

/// A show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShowRecord {
    /// This document's name for the show, used by the other records' `show`.
    #[serde(rename = "ref")]
    pub reference: ShowKey,
    /// Its title.
    pub title: Title,
    /// The year it first aired or was released.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1870, max = 2200))]
    pub year: Option<i32>,
    /// `tv` (default) or `movie`.
    #[serde(default = "default_kind")]
    pub kind: ShowType,
    /// Its ids elsewhere: `{"tmdb": "tv:1399", "tvmaze": "82", "imdb": "tt0944947"}`.
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
    /// How sure the source is (0 to 1, default 0.9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub confidence: Option<f64>,
    /// Where the record comes from, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_ref: Option<SourceRef>,
}

fn default_kind() -> ShowType {
    ShowType::Tv
}

/// A show can be watched on a service in a country, within a window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AvailabilityRecord {
    /// The show's `ref`.
    pub show: ShowKey,
    /// A service id from the service registry.
    pub service_id: ServiceId,
    /// Where.
    pub country: CountryCode,
    /// From when (inclusive); absent or null: available now, start unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_from: Option<NaiveDate>,
    /// Until when (inclusive); absent or null: no known end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_until: Option<NaiveDate>,
    /// `flatrate` (default), `free`, `ads`, `rent` or `buy`.
    #[serde(default = "default_monetization")]
    pub monetization: Monetization,
    /// How sure the source is (0 to 1, default 0.9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub confidence: Option<f64>,
    /// Where the record comes from, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_ref: Option<SourceRef>,
}

fn default_monetization() -> Monetization {
    Monetization::Flatrate
}

/// An episode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EpisodeRecord {
    /// The show's `ref`.
    pub show: ShowKey,
    /// Season number (0 for specials).
    #[schemars(range(max = 9999))]
    pub season: u16,
    /// Episode number.
    #[schemars(range(max = 99999))]
    pub number: u32,
    /// Its title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Title>,
    /// The day it airs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub air_date: Option<NaiveDate>,
    /// The instant it airs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub airstamp: Option<DateTime<Utc>>,
    /// How sure the source is (0 to 1, default 0.9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub confidence: Option<f64>,
    /// Where the record comes from, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_ref: Option<SourceRef>,
}

/// How a service releases seasons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceBehaviorRecord {
    /// A service id from the service registry.
    pub service_id: ServiceId,
    /// `all_at_once`, `weekly`, `mixed` or `unknown`.
    pub release_pattern: ReleasePattern,
    /// How sure the source is (0 to 1, default 0.9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub confidence: Option<f64>,
    /// Where the record comes from, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_ref: Option<SourceRef>,
}

/// What a service costs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceRecord {
    /// A service id from the service registry.
    pub service_id: ServiceId,
    /// Where.
    pub country: CountryCode,
    /// The plan (default `standard`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<Label>,
    /// The price per billing cycle, as a decimal string (`17.99`).
    pub amount: Decimal,
    /// Its currency (`USD`).
    pub currency: CurrencyCode,
    /// Days one payment covers (default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 366))]
    pub billing_cycle_days: Option<u16>,
    /// How sure the source is (0 to 1, default 0.9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub confidence: Option<f64>,
    /// Where the record comes from, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_ref: Option<SourceRef>,
}
