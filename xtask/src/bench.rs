//! `cargo xtask bench …`: the measurements behind `docs/benchmarks.md`.
//!
//! Not timed tests: each subcommand runs the release binary the way a user would, prints a
//! markdown section to paste into `docs/benchmarks.md`, and exits non-zero when a bar is
//! missed.

mod auth;
mod catalog;
mod dataset;
mod facade;
pub(crate) mod hosted;
mod ingest;
mod login;
mod oha;
mod plan;
mod plan_quality;
pub(crate) mod probe;
mod refresh;
mod report;
mod scratch;
mod serve;
mod serve_report;
mod ui;
mod upstream;

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::workspace_root;

/// `cargo xtask bench …`
#[derive(Debug, Clone, clap::Subcommand)]
pub enum BenchCommand {
    /// `psma serve`: cold and warm time to ready, idle and peak RSS, shutdown time.
    Serve(serve::ServeArgs),
    /// `psma import`: facts per second for a 1M-fact import, then a re-import with 1% changed.
    Ingest(ingest::IngestArgs),
    /// `GET /api/v1/shows?limit=50` with a filter on a 100k-show catalog, at a fixed rate.
    Catalog(catalog::CatalogArgs),
    /// `psma refresh`: 10,000 shows from a mock TVmaze unpaced, then the limiter at 40/s.
    Refresh(refresh::RefreshArgs),
    /// `POST /plan/v1/generate` with the typical request at 20,000 req/s, log line on.
    Facade(facade::FacadeArgs),
    /// The planner: 500 selections × 50 services × 20,000 assessments, criterion, one core.
    Plan(plan::PlanArgs),
    /// The advice job for one member with 50 selections, offline: criterion, one core.
    Advice(plan::PlanArgs),
    /// Hosted mode: verifying an access token (1 key, 3 keys) and signing one, criterion, one core.
    Auth(plan::PlanArgs),
    /// Hosted mode: sign-ins, 10 in flight, beside other API requests at 50 req/s, PostgreSQL.
    Login(login::LoginArgs),
    /// PSMA's plan against the naive plan on the demo catalog with 20 shows.
    PlanQuality(plan_quality::PlanQualityArgs),
    /// The web UI: every page's server time, the plan page's weight, first contentful paint.
    Ui(ui::UiArgs),
}

/// Runs one `cargo xtask bench` subcommand.
///
/// # Errors
/// When the build, the database setup or every run fails. A bar that is missed
/// is not an error: it gives [`ExitCode::FAILURE`].
pub fn run(command: BenchCommand) -> Result<ExitCode> {
    match command {
        BenchCommand::Serve(args) => serve::run(&args),
        BenchCommand::Ingest(args) => ingest::run(&args),
        BenchCommand::Catalog(args) => catalog::run(&args),
        BenchCommand::Refresh(args) => refresh::run(&args),
        BenchCommand::Facade(args) => facade::run(&args),
        BenchCommand::Plan(args) => plan::run(&args),
        BenchCommand::Advice(args) => plan::run_advice(&args),
        BenchCommand::Auth(args) => auth::run(&args),
        BenchCommand::Login(args) => login::run(&args),
        BenchCommand::PlanQuality(args) => plan_quality::run(&args),
        BenchCommand::Ui(args) => ui::run(&args),
    }
}

/// `target/release/psma`, built first unless `no_build`.
fn release_binary(no_build: bool) -> Result<PathBuf> {
    let root = workspace_root();
    if !no_build {
        build(&root)?;
    }
    let target = env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let binary = target.join("release/psma");
    if !binary.is_file() {
        bail!(
            "{} does not exist; run without --no-build",
            binary.display()
        );
    }
    Ok(binary)
}

fn build(root: &Path) -> Result<()> {
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--release", "-p", "psma"])
        .current_dir(root)
        .status()
        .context("running cargo build")?;
    if !status.success() {
        bail!("cargo build --release -p psma failed ({status})");
    }
    Ok(())
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
