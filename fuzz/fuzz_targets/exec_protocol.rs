//! Arbitrary bytes as an exec program's answer to `read`: every line a checked fact PSMA would
//! store, an item error saying where and what, or nothing (blank and `log` lines) — never a
//! panic, and never more than one item per line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use psma_fuzz::{check_fact, now, registry};
use psma_plugin_sdk::ProviderError;
use psma_plugin_sdk::text::SourceId;

/// The longest error message an item may carry: a program's text is quoted only in part.
const MAX_MESSAGE_BYTES: usize = 16 * 1024;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = SourceId::parse("scripted") else {
        return;
    };
    let items = psma_plugin_exec::facts_from_output(data, &source, now(), registry());
    let lines = data.split(|&b| b == b'\n').count();
    assert!(
        items.len() <= lines,
        "{} items from {lines} lines",
        items.len()
    );
    for (i, item) in items.iter().enumerate() {
        match item {
            Ok(fact) => {
                assert_eq!(fact.provenance().source_id, source, "fact {i}'s source");
                check_fact(i, fact);
            }
            Err(error) => {
                let text = error.to_string();
                assert!(
                    text.len() <= MAX_MESSAGE_BYTES,
                    "item {i}'s error is {} bytes long",
                    text.len()
                );
                if let ProviderError::Malformed { location, .. } = error {
                    assert!(
                        location.as_deref().is_some_and(|l| !l.is_empty()),
                        "item {i} does not say where: {error:?}"
                    );
                } else {
                    assert_eq!(i + 1, items.len(), "item {i} ends the read but is not last");
                }
            }
        }
    }
});
