//! `cargo xtask <command>`: PSMA developer tasks.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xtask::{ci, contracts, new_plugin, pg, schemathesis, tidy, ui, workspace_root};

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
    /// Everything CI checks: fmt, clippy, all tests on SQLite and PostgreSQL, contract
    /// freshness, schemathesis, the browser journeys, the plugin scaffold and the fuzz targets'
    /// build.
    Ci,
    /// Regenerate the JSON Schemas and the OpenAPI document in contracts/ (or `--check`).
    Contracts {
        /// Only check; fail when a committed file is stale.
        #[arg(long)]
        check: bool,
    },
    /// Regenerate contracts/openapi/psma.v1.json (or `--check` that it is current).
    Openapi {
        /// Only check; fail when the committed document is stale.
        #[arg(long)]
        check: bool,
    },
    /// Scaffold a provider plugin crate that passes the SDK conformance kit.
    NewPlugin {
        /// The plugin's name, lowercase kebab-case (`my-source`): package `psma-plugin-NAME`,
        /// provider id NAME with `-` as `_`.
        #[arg(required_unless_present = "check")]
        name: Option<String>,
        /// Where to create the crate (default `plugins/NAME`).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Instead, check that a scaffold passes fmt, clippy and its tests (what CI runs).
        #[arg(long, conflicts_with_all = ["name", "dir"])]
        check: bool,
    },
    /// A throwaway PostgreSQL + pgvector server, without Docker.
    Pg {
        #[command(subcommand)]
        command: pg::PgCommand,
    },
    /// Property-based API tests against the OpenAPI document on a live `psma serve`.
    Schemathesis,
    /// Check the hexagonal dependency rules and the workspace conventions.
    Tidy,
    /// The web UI's journeys in headless Chromium (Playwright, axe-core), installed when
    /// missing; screenshots in target/ui-screenshots.
    Ui,
}

fn main() -> ExitCode {
    let outcome = match Cli::parse().command {
        Command::Bench { command } => xtask::bench::run(command),
        Command::Pg { command } => pg::run(command),
        Command::Ci => ci::run().map(|()| ExitCode::SUCCESS),
        Command::NewPlugin { check: true, .. } => new_plugin::check().map(|()| ExitCode::SUCCESS),
        Command::NewPlugin { name, dir, .. } => {
            new_plugin::run(name.as_deref().unwrap_or_default(), dir.as_deref())
                .map(|()| ExitCode::SUCCESS)
        }
        Command::Contracts { check } => contracts::run(check).map(|()| ExitCode::SUCCESS),
        Command::Openapi { check } => contracts::openapi(check).map(|()| ExitCode::SUCCESS),
        Command::Schemathesis => schemathesis::run().map(|()| ExitCode::SUCCESS),
        Command::Tidy => tidy::run(&workspace_root()),
        Command::Ui => ui::run().map(|()| ExitCode::SUCCESS),
    };
    outcome.unwrap_or_else(|error| {
        eprintln!("error: {error:#}");
        ExitCode::FAILURE
    })
}
