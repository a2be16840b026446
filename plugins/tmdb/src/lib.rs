//! # psma-plugin-tmdb — shows and where to watch them, from TMDB
//!
//! Looks a TV show up on [TMDB](https://developer.themoviedb.org/) — by its TMDB id (`tv:1399`),
//! its IMDb or TheTVDB id (`/find`), else by title and year (`/search/tv`) — and yields, from
//! one details call with `append_to_response=external_ids,watch/providers`: its identity
//! (title, first-air year, genres, overview, its TMDB, IMDb and TheTVDB ids), its latest and
//! next episodes with their air dates, and its watch providers in each configured country as
//! availability facts. TMDB's monetization buckets (`flatrate`, `free`, `ads`, `rent`, `buy`)
//! are the SDK's [`Monetization`](psma_plugin_sdk::Monetization) values; TMDB provider ids map
//! to canonical services through the registry's `external_ids.tmdb`, and a provider the
//! registry does not know keeps the service id `unknown-tmdb-provider-<id>` (never a registry
//! service, so never planned). It also answers [`search`](psma_plugin_sdk::Provider::search).
//!
//! TMDB needs a key: a v3 API key goes in the `api_key` query parameter, a v4 API read access
//! token (a JWT) in an `Authorization: Bearer` header. The key never appears in `Debug` output
//! or error messages. TMDB allows about 40 requests a second: the spec declares it; a 429 is a
//! typed `RateLimited` error with TMDB's `Retry-After`. The spec carries TMDB's required notice
//! and JustWatch's credit.
//!
//! **Invariant:** depends on `psma-plugin-sdk` alone among PSMA's crates.

pub mod api;
mod client;
mod config;
mod facts;
mod key;
mod provider;
mod spec;

pub use provider::TmdbFactory;

use psma_plugin_sdk::chrono::{DateTime, Utc};
use psma_plugin_sdk::text::{CountryCode, SourceId};
use psma_plugin_sdk::{Fact, ProviderError, ServiceRegistry};

/// The facts in the body of `/tv/{id}?append_to_response=external_ids,watch/providers`,
/// exactly as the provider makes them (the fuzz target feeds it arbitrary bytes). `countries`
/// are the ones whose watch providers become availability facts.
///
/// # Errors
/// [`ProviderError::Malformed`] when the body is not TMDB's TV details; an item error for a
/// record that cannot be a fact (the others still count).
pub fn facts_from_details_body(
    body: &[u8],
    source_id: &SourceId,
    retrieved_at: DateTime<Utc>,
    services: &ServiceRegistry,
    countries: &[CountryCode],
) -> Result<Vec<Result<Fact, ProviderError>>, ProviderError> {
    let details = api::parse_details(body)?;
    Ok(facts::of_details(
        &details,
        &facts::Context {
            source_id,
            retrieved_at,
            services,
            countries,
        },
    ))
}
