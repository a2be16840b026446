//! Arbitrary bytes as TVmaze's answer to `/shows/{id}?embed=episodes`: refused as malformed, or
//! read into facts PSMA would store, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use psma_fuzz::{check_fact, now, registry};
use psma_plugin_sdk::text::{CountryCode, SourceId};

fuzz_target!(|data: &[u8]| {
    let (Ok(source), Ok(country)) = (SourceId::parse("tvmaze"), CountryCode::parse("US")) else {
        return;
    };
    let Ok(items) =
        psma_plugin_tvmaze::facts_from_show_body(data, &source, now(), registry(), &[country])
    else {
        return;
    };
    for (i, item) in items.iter().enumerate() {
        if let Ok(fact) = item {
            assert_eq!(fact.provenance().source_id, source, "fact {i}'s source");
            assert_eq!(fact.provenance().retrieved_at, now(), "fact {i}'s retrieved_at");
            check_fact(i, fact);
        }
    }
});
