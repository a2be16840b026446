//! `psma`: see `psma --help`.

use clap::Parser;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    psma::cli::run(psma::cli::Cli::parse()).await
}
