//! Arbitrary bytes as a `psma-import/v1` JSON document. `parse` takes bytes, so they go in as
//! they are: invalid UTF-8 must be refused with a problem, not a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use psma_fuzz::{Expect, check_import, now, registry};
use psma_plugin_manual_import::{FileFormat, parse};

fuzz_target!(|data: &[u8]| {
    let result = parse(data, FileFormat::Json, None, now(), registry());
    // The document may name its own source and time, so only their consistency is checked.
    check_import(
        &result,
        Expect {
            source_id: None,
            retrieved_at: None,
        },
    );
});
