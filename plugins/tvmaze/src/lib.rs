//! # psma-plugin-tvmaze — shows and episodes from TVmaze
//!
//! Looks a show up on [TVmaze](https://www.tvmaze.com/api) — by its TVmaze id, its IMDb or
//! TheTVDB id, else by title (and year) — and yields its identity (title, premiere year, genres,
//! summary, external ids), its episodes with air dates and air stamps, and, when it premiered
//! on a streaming service's web channel that the service registry knows, that service's
//! availability. TVmaze has no TMDB ids: a show known only by its TMDB id is looked up by
//! title. The data is CC BY-SA 4.0; the spec carries the attribution TVmaze asks for.
//!
//! The public API allows 20 calls per 10 seconds per IP: the spec declares it, PSMA's refresh
//! pipeline keeps to it. A 429 is a typed `RateLimited` error with TVmaze's `Retry-After`.
//!
//! **Invariant:** depends on `psma-plugin-sdk` alone among PSMA's crates.

pub mod api;
mod client;
mod config;
mod facts;
mod provider;

pub use provider::TvmazeFactory;

use psma_plugin_sdk::chrono::{DateTime, Utc};
use psma_plugin_sdk::text::{CountryCode, SourceId};
use psma_plugin_sdk::{Fact, ProviderError, ServiceRegistry};

/// The facts in the body of `/shows/{id}?embed=episodes`, exactly as the provider makes them
/// (the fuzz target feeds it arbitrary bytes). `countries` are where a show on a web channel
/// without a country counts as available.
///
/// # Errors
/// [`ProviderError::Malformed`] when the body is not a TVmaze show; an item error for a record
/// that cannot be a fact (the others still count).
pub fn facts_from_show_body(
    body: &[u8],
    source_id: &SourceId,
    retrieved_at: DateTime<Utc>,
    services: &ServiceRegistry,
    countries: &[CountryCode],
) -> Result<Vec<Result<Fact, ProviderError>>, ProviderError> {
    let show = api::parse_show(body)?;
    Ok(facts::of_show(
        &show,
        &facts::Context {
            source_id,
            retrieved_at,
            services,
            countries,
        },
    ))
}
