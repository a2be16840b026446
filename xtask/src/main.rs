//! `cargo xtask <command>`: PSMA developer tasks.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xtask::{ci, openapi, pg, tidy, workspace_root};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "PSMA developer tasks"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Measure `psma serve`: time to ready, idle memory, shutdown.
    Bench {
        #[command(subcommand)]
        command: xtask::bench::BenchCommand,
    },
    /// Everything CI checks: fmt, clippy, all tests on SQLite and PostgreSQL, OpenAPI freshness.
    Ci,
    /// Regenerate contracts/openapi/psma.v1.json (or `--check` that it is current).
    Openapi {
        /// Only check; fail when the committed document is stale.
        #[arg(long)]
        check: bool,
    },
    /// A throwaway PostgreSQL + pgvector server, without Docker.
    Pg {
        #[command(subcommand)]
        command: pg::PgCommand,
    },
    /// Check the hexagonal dependency rules and the workspace conventions.
    Tidy,
}

fn main() -> ExitCode {
    let outcome = match Cli::parse().command {
        Command::Bench { command } => xtask::bench::run(command),
        Command::Pg { command } => pg::run(command),
        Command::Ci => ci::run().map(|()| ExitCode::SUCCESS),
        Command::Openapi { check } => openapi::run(check).map(|()| ExitCode::SUCCESS),
        Command::Tidy => tidy::run(&workspace_root()),
    };
    outcome.unwrap_or_else(|error| {
        eprintln!("error: {error:#}");
        ExitCode::FAILURE
    })
}
