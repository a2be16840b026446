//! TVmaze's responses, as documented at <https://www.tvmaze.com/api>, and their parsers.
//!
//! Only the fields PSMA uses are read; TVmaze adds fields over time and they are ignored. The
//! parsers take raw bytes so that the fuzz targets exercise exactly what a response goes
//! through.

use psma_plugin_sdk::ProviderError;
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// A show (`/shows/{id}`, `/lookup/shows`, `/singlesearch/shows`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Show {
    /// TVmaze's id.
    pub id: u64,
    /// Its page on tvmaze.com.
    #[serde(default)]
    pub url: Option<String>,
    /// Its name.
    pub name: String,
    /// `Scripted`, `Reality`, `Animation`, `Documentary`, …
    #[serde(default, rename = "type")]
    pub show_type: Option<String>,
    /// Its genres.
    #[serde(default)]
    pub genres: Vec<String>,
    /// `Running`, `Ended`, `To Be Determined`, `In Development`.
    #[serde(default)]
    pub status: Option<String>,
    /// The first episode's air date (`2011-04-17`).
    #[serde(default)]
    pub premiered: Option<String>,
    /// The last episode's air date, once it has ended.
    #[serde(default)]
    pub ended: Option<String>,
    /// The broadcast or cable network it airs on.
    #[serde(default)]
    pub network: Option<Channel>,
    /// The streaming service it premieres on.
    #[serde(default, rename = "webChannel")]
    pub web_channel: Option<Channel>,
    /// Its ids elsewhere.
    #[serde(default)]
    pub externals: Externals,
    /// A summary, in HTML.
    #[serde(default)]
    pub summary: Option<String>,
    /// What `?embed=episodes` adds.
    #[serde(default, rename = "_embedded")]
    pub embedded: Option<Embedded>,
}

/// A network or web channel.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Channel {
    /// TVmaze's id.
    pub id: u64,
    /// Its name (`Netflix`, `HBO`).
    pub name: String,
    /// Its country; web channels that stream worldwide have none.
    #[serde(default)]
    pub country: Option<Country>,
}

/// A country.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Country {
    /// ISO 3166-1 alpha-2 (`US`).
    #[serde(default)]
    pub code: Option<String>,
}

/// A show's ids in other catalogues.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Externals {
    /// TheTVDB's id.
    #[serde(default)]
    pub thetvdb: Option<u64>,
    /// IMDb's id (`tt0944947`).
    #[serde(default)]
    pub imdb: Option<String>,
}

/// Embedded resources.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Embedded {
    /// The show's episodes, in order.
    #[serde(default)]
    pub episodes: Vec<Episode>,
}

/// An episode.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Episode {
    /// TVmaze's id.
    pub id: u64,
    /// Its page on tvmaze.com.
    #[serde(default)]
    pub url: Option<String>,
    /// Its title.
    #[serde(default)]
    pub name: Option<String>,
    /// Its season.
    #[serde(default)]
    pub season: Option<u32>,
    /// Its number in the season; none for specials.
    #[serde(default)]
    pub number: Option<u32>,
    /// The day it airs in the show's time zone (`2011-04-17`; empty when unknown).
    #[serde(default)]
    pub airdate: Option<String>,
    /// The instant it airs (`2011-04-18T01:00:00+00:00`).
    #[serde(default)]
    pub airstamp: Option<String>,
}

/// One hit of `/search/shows`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SearchHit {
    /// How well it matches.
    pub score: f64,
    /// The show.
    pub show: Show,
}

/// Reads a show.
///
/// # Errors
/// [`ProviderError::Malformed`] naming the field when the body is not a TVmaze show.
pub fn parse_show(body: &[u8]) -> Result<Show, ProviderError> {
    parse(body, "show")
}

/// Reads a list of episodes (`/shows/{id}/episodes`).
///
/// # Errors
/// [`ProviderError::Malformed`] naming the field when the body is not a list of episodes.
pub fn parse_episodes(body: &[u8]) -> Result<Vec<Episode>, ProviderError> {
    parse(body, "episodes")
}

/// Reads search results (`/search/shows`).
///
/// # Errors
/// [`ProviderError::Malformed`] naming the field when the body is not a list of hits.
pub fn parse_search(body: &[u8]) -> Result<Vec<SearchHit>, ProviderError> {
    parse(body, "search results")
}

fn parse<T: DeserializeOwned>(body: &[u8], what: &str) -> Result<T, ProviderError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        ProviderError::Malformed {
            location: Some(format!("TVmaze {what}")),
            field: (path != ".").then_some(path),
            message: e.inner().to_string(),
        }
    })
}
