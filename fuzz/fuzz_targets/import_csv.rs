//! Arbitrary bytes as a CSV import. `parse` takes bytes, so they go in as they are: invalid
//! UTF-8 must be refused with a problem, not a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use psma_fuzz::{Expect, check_import, now, registry};
use psma_plugin_manual_import::{DEFAULT_SOURCE, FileFormat, parse};

fuzz_target!(|data: &[u8]| {
    let result = parse(data, FileFormat::Csv, None, now(), registry());
    // CSV names no source and no time: the defaults apply to every fact.
    check_import(
        &result,
        Expect {
            source_id: Some(DEFAULT_SOURCE),
            retrieved_at: Some(now()),
        },
    );
});
