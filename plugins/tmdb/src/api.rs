//! TMDB's responses, as documented at <https://developer.themoviedb.org/reference>, and their
//! parsers.
//!
//! Only the fields PSMA uses are read; TMDB adds fields over time and they are ignored. TMDB
//! sends `null` for many lists and strings it has no value for, so every list tolerates `null`.
//! The parsers take raw bytes so that the fuzz target exercises exactly what a response goes
//! through.

use psma_plugin_sdk::ProviderError;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;

/// A TV show's details (`/tv/{id}?append_to_response=external_ids,watch/providers`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Details {
    /// TMDB's id (TV ids and movie ids are separate sequences).
    pub id: u64,
    /// Its name in TMDB's default language (English).
    pub name: String,
    /// Its name in its original language.
    #[serde(default)]
    pub original_name: Option<String>,
    /// The first episode's air date (`2011-04-17`; empty or absent when unknown).
    #[serde(default)]
    pub first_air_date: Option<String>,
    /// The latest aired episode's date.
    #[serde(default)]
    pub last_air_date: Option<String>,
    /// `Returning Series`, `Planned`, `In Production`, `Ended`, `Canceled`, `Pilot`.
    #[serde(default)]
    pub status: Option<String>,
    /// Its genres.
    #[serde(default, deserialize_with = "list")]
    pub genres: Vec<Genre>,
    /// A plain-text summary.
    #[serde(default)]
    pub overview: Option<String>,
    /// How many seasons it has.
    #[serde(default)]
    pub number_of_seasons: Option<u32>,
    /// The latest aired episode.
    #[serde(default)]
    pub last_episode_to_air: Option<EpisodeRef>,
    /// The next scheduled episode, when TMDB knows one.
    #[serde(default)]
    pub next_episode_to_air: Option<EpisodeRef>,
    /// The networks it airs on.
    #[serde(default, deserialize_with = "list")]
    pub networks: Vec<Network>,
    /// What `append_to_response=external_ids` adds.
    #[serde(default)]
    pub external_ids: Option<ExternalIds>,
    /// What `append_to_response=watch/providers` adds.
    #[serde(default, rename = "watch/providers")]
    pub watch_providers: Option<WatchProviders>,
}

/// A genre.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Genre {
    /// TMDB's id.
    pub id: u64,
    /// Its name (`Drama`, `Sci-Fi & Fantasy`).
    pub name: String,
}

/// A network.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Network {
    /// TMDB's id.
    pub id: u64,
    /// Its name (`HBO`).
    pub name: String,
}

/// An episode as the details name it (`last_episode_to_air`, `next_episode_to_air`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EpisodeRef {
    /// TMDB's id.
    #[serde(default)]
    pub id: Option<u64>,
    /// Its title.
    #[serde(default)]
    pub name: Option<String>,
    /// The day it airs (`2019-05-19`).
    #[serde(default)]
    pub air_date: Option<String>,
    /// Its season (0 for specials).
    pub season_number: u64,
    /// Its number in the season.
    pub episode_number: u64,
}

/// A show's ids in other catalogues.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ExternalIds {
    /// IMDb's id (`tt0944947`).
    #[serde(default)]
    pub imdb_id: Option<String>,
    /// TheTVDB's id.
    #[serde(default)]
    pub tvdb_id: Option<u64>,
}

/// Where a show can be watched, per country (data from JustWatch).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct WatchProviders {
    /// By ISO 3166-1 alpha-2 country code.
    #[serde(default, deserialize_with = "map")]
    pub results: BTreeMap<String, CountryOffers>,
}

/// The offers in one country, by monetization bucket.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct CountryOffers {
    /// TMDB's page listing them (`https://www.themoviedb.org/tv/1399-…/watch?locale=US`).
    #[serde(default)]
    pub link: Option<String>,
    /// Included in a subscription.
    #[serde(default, deserialize_with = "list")]
    pub flatrate: Vec<Offer>,
    /// Free.
    #[serde(default, deserialize_with = "list")]
    pub free: Vec<Offer>,
    /// Free with ads.
    #[serde(default, deserialize_with = "list")]
    pub ads: Vec<Offer>,
    /// Rent per title.
    #[serde(default, deserialize_with = "list")]
    pub rent: Vec<Offer>,
    /// Buy per title.
    #[serde(default, deserialize_with = "list")]
    pub buy: Vec<Offer>,
}

/// One watch provider in one bucket.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Offer {
    /// TMDB's provider id (`8` is Netflix); the registry's `external_ids.tmdb` maps it.
    pub provider_id: u64,
    /// Its name (`Netflix`).
    #[serde(default)]
    pub provider_name: Option<String>,
    /// Where JustWatch ranks it in its country (lower first).
    #[serde(default)]
    pub display_priority: Option<i64>,
}

/// A TV show in search and find results.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TvHit {
    /// TMDB's id.
    pub id: u64,
    /// Its name.
    pub name: String,
    /// Its name in its original language.
    #[serde(default)]
    pub original_name: Option<String>,
    /// The first episode's air date (empty when unknown).
    #[serde(default)]
    pub first_air_date: Option<String>,
    /// A plain-text summary.
    #[serde(default)]
    pub overview: Option<String>,
    /// TMDB's TV genre ids.
    #[serde(default, deserialize_with = "list")]
    pub genre_ids: Vec<u64>,
}

/// A page of `/search/tv`, best matches first.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SearchPage {
    /// The hits.
    #[serde(default, deserialize_with = "list")]
    pub results: Vec<TvHit>,
}

/// The answer of `/find/{external_id}`; only its TV shows matter here.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FindResults {
    /// The TV shows with that external id.
    #[serde(default, deserialize_with = "list")]
    pub tv_results: Vec<TvHit>,
}

/// Reads a show's details.
///
/// # Errors
/// [`ProviderError::Malformed`] naming the field when the body is not TMDB's TV details.
pub fn parse_details(body: &[u8]) -> Result<Details, ProviderError> {
    parse(body, "TV details")
}

/// Reads a search page.
///
/// # Errors
/// [`ProviderError::Malformed`] naming the field when the body is not a TMDB search page.
pub fn parse_search(body: &[u8]) -> Result<SearchPage, ProviderError> {
    parse(body, "TV search results")
}

/// Reads find results.
///
/// # Errors
/// [`ProviderError::Malformed`] naming the field when the body is not TMDB's find results.
pub fn parse_find(body: &[u8]) -> Result<FindResults, ProviderError> {
    parse(body, "find results")
}

fn parse<T: DeserializeOwned>(body: &[u8], what: &str) -> Result<T, ProviderError> {
    let malformed = |field: Option<String>, message: String| ProviderError::Malformed {
        location: Some(format!("TMDB {what}")),
        field,
        message,
    };
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        malformed((path != ".").then_some(path), e.inner().to_string())
    })?;
    // Trailing bytes after the JSON are not a TMDB answer either.
    deserializer
        .end()
        .map_err(|e| malformed(None, e.to_string()))?;
    Ok(value)
}

/// A list that TMDB may send as `null`.
fn list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// A map that TMDB may send as `null`.
fn map<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<BTreeMap<String, T>, D::Error> {
    Ok(Option::<BTreeMap<String, T>>::deserialize(d)?.unwrap_or_default())
}
