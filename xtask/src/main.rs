//! `cargo xtask <command>`: PSMA developer tasks.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xtask::{pg, tidy, workspace_root};

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
        Command::Pg { command } => pg::run(command),
        Command::Tidy => tidy::run(&workspace_root()),
    };
    outcome.unwrap_or_else(|error| {
        eprintln!("error: {error:#}");
        ExitCode::FAILURE
    })
}
