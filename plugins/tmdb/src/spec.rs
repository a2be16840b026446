//! What TMDB is to PSMA: its id, capabilities, attribution and limits.

use crate::config;
use psma_plugin_sdk::text::{InvalidText, Label, LongText, SourceId, SourceRef, Title};
use psma_plugin_sdk::{
    Attribution, Capabilities, FactKind, ProviderError, ProviderSpec, RateLimit, ScopeKind,
};

/// The plugin's id and the source id of its facts.
pub(crate) const ID: &str = "tmdb";

/// TMDB's required notice, word for word, and JustWatch's, whose data the watch providers are
/// (TMDB's terms ask for both wherever the data is shown).
const ATTRIBUTION: &str = "This product uses the TMDB API but is not endorsed or certified by TMDB. \
     Where-to-watch data provided by JustWatch.";

/// TMDB's watch providers follow JustWatch's daily snapshot and its catalogue changes slowly;
/// refreshing more than hourly only spends the rate limit.
const MIN_REFRESH_SECS: u64 = 3600;

/// The spec, built from constants that satisfy their rules (the conformance test checks it).
///
/// # Errors
/// [`ProviderError::Config`] naming the part that breaks its rule; unreachable in practice.
pub(crate) fn spec() -> Result<ProviderSpec, ProviderError> {
    let bad = |field: &'static str| move |e: InvalidText| ProviderError::config(field, e.0);
    Ok(ProviderSpec {
        id: SourceId::parse(ID).map_err(bad("source_id"))?,
        display_name: Title::parse("TMDB").map_err(bad("display_name"))?,
        version: Label::parse(env!("CARGO_PKG_VERSION")).map_err(bad("version"))?,
        capabilities: Capabilities {
            scopes: vec![ScopeKind::Show],
            fact_kinds: vec![
                FactKind::ShowIdentity,
                FactKind::Availability,
                FactKind::Episode,
            ],
            // Any country TMDB lists; a built provider names the ones it is configured for.
            countries: Vec::new(),
            needs_credentials: true,
            search: true,
        },
        config_schema: config::schema(),
        attribution: Attribution {
            text: LongText::parse(ATTRIBUTION).map_err(bad("attribution"))?,
            url: Some(SourceRef::parse("https://www.themoviedb.org").map_err(bad("attribution"))?),
            license: None,
        },
        min_refresh_interval_secs: MIN_REFRESH_SECS,
        // TMDB's documented ceiling is "around 40 requests per second" per IP.
        rate_limit: Some(RateLimit {
            requests: 40,
            per_secs: 1,
        }),
    })
}
