//! `cargo xtask ci`: everything CI checks, in the order a developer wants to hear about it.
//!
//! fmt → clippy (warnings denied) → a throwaway PostgreSQL → the whole test suite, whose
//! API and storage tests run on SQLite and on that PostgreSQL → the OpenAPI freshness check.
//! The PostgreSQL server is stopped afterwards if this run started it, pass or fail.

use crate::{pg, workspace_root};
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

    step(
        &mut timings,
        "openapi freshness",
        cargo(&[
            "run", "--quiet", "--locked", "-p", "psma", "--", "openapi", "--check",
        ]),
    )?;

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
