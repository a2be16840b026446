//! Arbitrary bytes as TMDB's answer to
//! `/tv/{id}?append_to_response=external_ids,watch/providers`: refused as malformed, or read
//! into facts PSMA would store, never a panic.
//!
//! Not `psma_fuzz::check_fact`: TMDB keeps providers the registry does not know as
//! `unknown-tmdb-provider-<id>`, which that check refuses. The same rules are checked here,
//! with that one allowance.
#![no_main]

use libfuzzer_sys::fuzz_target;
use psma_fuzz::{now, registry};
use psma_plugin_sdk::contract::FactValidator;
use psma_plugin_sdk::text::{CountryCode, ShowKey, SourceId};
use psma_plugin_sdk::{Fact, serde_json};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

static VALIDATOR: LazyLock<FactValidator> = LazyLock::new(|| match FactValidator::new() {
    Ok(validator) => validator,
    Err(e) => panic!("the fact schema does not compile: {e}"),
});

fuzz_target!(|data: &[u8]| {
    let (Ok(source), Ok(us), Ok(gb)) = (
        SourceId::parse("tmdb"),
        CountryCode::parse("US"),
        CountryCode::parse("GB"),
    ) else {
        return;
    };
    let countries = [us, gb];
    let Ok(items) =
        psma_plugin_tmdb::facts_from_details_body(data, &source, now(), registry(), &countries)
    else {
        return;
    };
    let facts: Vec<&Fact> = items.iter().filter_map(|item| item.as_ref().ok()).collect();
    let shows: BTreeSet<&ShowKey> = facts
        .iter()
        .filter_map(|f| match f {
            Fact::ShowIdentity(identity) => Some(&identity.show),
            _ => None,
        })
        .collect();
    assert!(shows.len() <= 1, "one show per details body: {shows:?}");
    let mut keys = BTreeMap::new();
    for (i, fact) in facts.iter().enumerate() {
        assert_eq!(fact.provenance().source_id, source, "fact {i}'s source");
        assert_eq!(
            fact.provenance().retrieved_at,
            now(),
            "fact {i}'s retrieved_at"
        );
        if let Err(errors) = fact.validate() {
            panic!("fact {i} breaks the fact rules: {errors:?}\n{fact:?}");
        }
        let document = match serde_json::to_value(fact) {
            Ok(document) => document,
            Err(e) => panic!("fact {i} does not serialise: {e}\n{fact:?}"),
        };
        if let Err(errors) = VALIDATOR.validate(&document) {
            panic!("fact {i} breaks the fact schema: {errors:?}\n{document}");
        }
        if let Some(service) = fact.service_id() {
            let service = service.as_str();
            let unknown = service
                .strip_prefix("unknown-tmdb-provider-")
                .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()));
            assert!(
                registry().contains(service) != unknown,
                "fact {i} names neither a registry service nor an unknown TMDB provider: {fact:?}"
            );
        }
        if let Some(country) = fact.country() {
            assert!(countries.contains(country), "fact {i} is about {country}");
        }
        if let Some(show) = fact.show() {
            assert!(
                shows.contains(show),
                "fact {i} names a show without identity: {fact:?}"
            );
            assert!(
                show.as_str().starts_with("tv:"),
                "fact {i}'s show key: {show}"
            );
        }
        if let Some(first) = keys.insert(fact.key(), i) {
            panic!(
                "facts {first} and {i} share a key: {:?}\n{fact:?}",
                facts[first]
            );
        }
    }
});
