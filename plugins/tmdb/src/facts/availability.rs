//! TMDB's watch providers (JustWatch's data) as availability facts: one per service, country
//! and monetization bucket.

use super::{Context, SITE};
use crate::api::{CountryOffers, Offer, WatchProviders};
use psma_plugin_sdk::text::{ServiceId, ShowKey, SourceRef};
use psma_plugin_sdk::{Availability, Fact, Monetization, ServiceRegistry};
use std::collections::BTreeSet;

/// A watch-provider listing: JustWatch's "available now" snapshot, refreshed about daily, so it
/// can lag a title leaving a service, and an add-on channel can stand for the service itself.
/// Good enough to plan on, weaker than a catalogue fact.
const WATCH_CONFIDENCE: f64 = 0.7;

/// The service id of a TMDB provider the registry does not know: kept (PSMA can show it, and
/// a curator can add it to the registry), but never a canonical service, so never planned.
pub(crate) const UNKNOWN_PREFIX: &str = "unknown-tmdb-provider-";

/// The availability facts in `providers` for the configured countries, in their order, each
/// bucket in TMDB's order. Two TMDB providers that are one service (Netflix and "Netflix basic
/// with Ads") give one fact per bucket.
pub(crate) fn facts(
    show_id: u64,
    providers: &WatchProviders,
    key: &ShowKey,
    ctx: &Context<'_>,
) -> Vec<Fact> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for country in ctx.countries {
        let Some(offers) = providers.results.get(country.as_str()) else {
            continue;
        };
        let source_ref = link(show_id, offers);
        for (monetization, bucket) in buckets(offers) {
            for offer in bucket {
                let Some(service_id) = service_of(offer, ctx.services) else {
                    continue;
                };
                if !seen.insert((service_id.clone(), country.clone(), monetization)) {
                    continue;
                }
                out.push(Fact::Availability(Availability {
                    provenance: ctx.provenance(WATCH_CONFIDENCE, source_ref.clone()),
                    show: key.clone(),
                    service_id,
                    country: country.clone(),
                    monetization,
                    // A snapshot of now: TMDB says neither since when nor until when.
                    available_from: None,
                    available_until: None,
                }));
            }
        }
    }
    out
}

/// TMDB's buckets are the SDK's monetizations, word for word.
fn buckets(offers: &CountryOffers) -> [(Monetization, &[Offer]); 5] {
    [
        (Monetization::Flatrate, &offers.flatrate[..]),
        (Monetization::Free, &offers.free[..]),
        (Monetization::Ads, &offers.ads[..]),
        (Monetization::Rent, &offers.rent[..]),
        (Monetization::Buy, &offers.buy[..]),
    ]
}

/// The registry's service for a TMDB provider id, else `unknown-tmdb-provider-<id>`.
pub(crate) fn service_of(offer: &Offer, services: &ServiceRegistry) -> Option<ServiceId> {
    let id = offer.provider_id.to_string();
    match services.by_external_id("tmdb", &id) {
        Some(entry) => Some(entry.service_id.clone()),
        // Digits after a fixed prefix always make a service id; `None` is unreachable.
        None => ServiceId::parse(&format!("{UNKNOWN_PREFIX}{id}")).ok(),
    }
}

/// TMDB's watch page for the country (where people see the offers and their links), else the
/// show's page.
fn link(show_id: u64, offers: &CountryOffers) -> Option<SourceRef> {
    offers
        .link
        .as_deref()
        .filter(|l| l.starts_with("https://") || l.starts_with("http://"))
        .and_then(|l| SourceRef::parse(l).ok())
        .or_else(|| SourceRef::parse(&format!("{SITE}/tv/{show_id}")).ok())
}
