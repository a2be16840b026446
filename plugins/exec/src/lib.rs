//! # psma-plugin-exec — providers written in any language
//!
//! Runs an external program that speaks the exec protocol (`docs/plugins.md`, "Exec plugins"):
//! for each request PSMA starts the program, writes one JSON line to its stdin (`spec`,
//! `check` or `read`) and closes it, and reads JSON lines from its stdout until it exits. A
//! `read` answer is facts, one per line, each checked against the fact contract; a line that
//! is not a valid fact is an item error and the rest still count. Each `providers.<id>`
//! section with an `exec = ["program", "args"…]` command is a provider of its own, whose id is
//! the section's.
//!
//! Whatever the program does, PSMA stays safe: a line is read up to 1 MiB, stderr only its
//! last 8 KiB; a program that exits non-zero, is killed by a signal or does not finish within
//! its timeout (`timeout_secs`, default 60 s; 10 s at most for `spec` and `check`) is killed,
//! reaped and reported with the end of its stderr.
//!
//! **Invariant:** depends on `psma-plugin-sdk` alone among PSMA's crates.

mod config;
mod lines;
mod process;
mod protocol;
mod provider;

pub use lines::{MAX_LINE_BYTES, STDERR_TAIL_BYTES};
pub use protocol::{PROTOCOL_VERSION, scope_json};
pub use provider::ExecFactory;

use lines::LineSplitter;
use psma_plugin_sdk::chrono::{DateTime, Utc};
use psma_plugin_sdk::text::SourceId;
use psma_plugin_sdk::{Fact, FactKind, ProviderError, ServiceRegistry};
use std::collections::VecDeque;

/// The items a `read` yields when the program prints `output` and exits with status 0, exactly
/// as the provider makes them (the fuzz target feeds it arbitrary bytes): each fact checked
/// (its source must be `source_id`, filled in when left out, as is `retrieved_at` with
/// `now`; it must keep the contract and name only services `services` knows), an item error
/// of kind `Malformed` for each line that is not a valid fact, blank and `log` lines skipped.
/// An `error` line of another kind is the last item, as it ends a fetch. Every kind of fact is
/// allowed.
#[must_use]
pub fn facts_from_output(
    output: &[u8],
    source_id: &SourceId,
    now: DateTime<Utc>,
    services: &ServiceRegistry,
) -> Vec<Result<Fact, ProviderError>> {
    let rules = protocol::FactRules {
        source_id,
        now,
        services,
        kinds: &FactKind::ALL,
    };
    let mut splitter = LineSplitter::new(MAX_LINE_BYTES);
    let mut lines = VecDeque::new();
    splitter.feed(output, &mut lines);
    lines.extend(splitter.finish());
    let mut items = Vec::new();
    for (number, line) in lines {
        if let Some(item) = protocol::read_item(&rules, number, &line) {
            let ends = matches!(&item, Err(e) if !e.is_record_level());
            items.push(item);
            if ends {
                break;
            }
        }
    }
    items
}
