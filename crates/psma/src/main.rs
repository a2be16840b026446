//! `psma`: see `psma --help`.

use clap::Parser;
use std::process::ExitCode;

// A large import allocates and frees millions of small values across threads; the system
// allocator spent a tenth of an import in its own bookkeeping and in page faults on memory it
// had returned (ADR 0038).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    psma::cli::run(psma::cli::Cli::parse()).await
}
