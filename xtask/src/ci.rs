//! `cargo xtask ci`: everything CI checks, in the order a developer wants to hear about it.
//!
//! fmt → clippy (warnings denied) → a throwaway PostgreSQL → the whole test suite, whose
//! API and storage tests run on SQLite and on that PostgreSQL → the contracts' freshness
//! (JSON Schemas and OpenAPI) → schemathesis against a live server → the web UI's journeys
//! in headless Chromium (`cargo xtask ui`, which installs the browser when it is missing) →
//! a scaffolded plugin passing the conformance kit → the fuzz targets built and replayed over
//! their seeds.
//! The PostgreSQL server is stopped afterwards if this run started it, pass or fail.

use crate::{contracts, fuzz, new_plugin, pg, schemathesis, ui, workspace_root};
use anyhow::{Context, Result, bail};
use std::process::Command;
use std::time::Instant;

/// Runs every step; fails on the first failing one.
///
/// # Errors
/// Names the failing step.
pub fn run() -> Result<()> {
    let started = Instant::now();
    let mut timings = Vec::new();
    step(
        &mut timings,
        "fmt",
        cargo(&["fmt", "--all", "--", "--check"]),
    )?;
    step(
        &mut timings,
        "clippy",
        cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ]),
    )?;

    let already_running = pg::running()?.is_some();
    let server = pg::start().context("starting the throwaway PostgreSQL")?;
    let tests = {
        let mut cmd = cargo(&["test", "--workspace", "--locked"]);
        cmd.env("PSMA_TEST_DATABASE_URL", &server.url)
            .env("PSMA_TEST_REQUIRE_POSTGRES", "1");
        step(&mut timings, "test (SQLite + PostgreSQL)", cmd)
    };
    if !already_running {
        pg::stop()?;
    }
    tests?;

    task(&mut timings, "contracts freshness", || contracts::run(true))?;
    task(&mut timings, "schemathesis", schemathesis::run)?;
    task(&mut timings, "ui (browser journeys)", ui::run)?;
    task(&mut timings, "new-plugin scaffold", new_plugin::check)?;
    task(&mut timings, "fuzz targets", || {
        fuzz::build()?;
        fuzz::replay_seeds()
    })?;

    eprintln!("\nci: all steps passed in {:.0?}", started.elapsed());
    for (name, secs) in timings {
        eprintln!("  {name:<28} {secs:>7.1} s");
    }
    Ok(())
}

fn cargo(args: &[&str]) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    cmd.args(args).current_dir(workspace_root());
    cmd
}

/// A step done in-process.
fn task(
    timings: &mut Vec<(&'static str, f64)>,
    name: &'static str,
    work: impl FnOnce() -> Result<()>,
) -> Result<()> {
    eprintln!("\n== ci: {name}");
    let began = Instant::now();
    let outcome = work();
    timings.push((name, began.elapsed().as_secs_f64()));
    outcome.with_context(|| format!("ci step `{name}` failed"))
}

fn step(
    timings: &mut Vec<(&'static str, f64)>,
    name: &'static str,
    mut cmd: Command,
) -> Result<()> {
    eprintln!("\n== ci: {name}");
    let began = Instant::now();
    let status = cmd.status().with_context(|| format!("running {name}"))?;
    timings.push((name, began.elapsed().as_secs_f64()));
    if !status.success() {
        bail!("ci step `{name}` failed ({status})");
    }
    Ok(())
}
