//! `cargo xtask bench auth`: hosted mode's access-token verification
//! (`crates/psma-auth/benches/verify.rs`) on one core, held to the bar of issue #9: verifying an
//! access token adds under 0.1 ms per request (with one key, and with three after rotations).
//! Signing is reported for context.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Result;

use super::plan::{Estimate, PlanArgs, bench, mean_ms, target};
use crate::workspace_root;

const BAR_US: f64 = 100.0;
const GROUP: &str = "auth";
const ONE_KEY: &str = "verify access token 1 key";
const ROTATED: &str = "verify access token 3 keys oldest";
const SIGN: &str = "sign access token";

/// Runs the benchmark and prints the markdown section.
///
/// # Errors
/// When cargo bench fails or criterion's estimates cannot be read.
pub fn run(args: &PlanArgs) -> Result<ExitCode> {
    let root = workspace_root();
    if !args.no_run {
        bench(&root, "psma-auth", "verify")?;
    }
    let target = target(&root);
    let one = mean_ms(&target, GROUP, ONE_KEY)?;
    let rotated = mean_ms(&target, GROUP, ROTATED)?;
    let sign = mean_ms(&target, GROUP, SIGN)?;
    let met = one.mean * 1000.0 < BAR_US && rotated.mean * 1000.0 < BAR_US;
    let verdict = if met { "yes" } else { "**no**" };
    let mut out = String::new();
    let _ = writeln!(out, "## Access tokens (`cargo xtask bench auth`)\n");
    let _ = writeln!(
        out,
        "| workload | median | mean | 95% interval | bar | met |\n|---|---|---|---|---|---|"
    );
    let row = |out: &mut String, what: &str, e: &Estimate, bar: &str, verdict: &str| {
        let _ = writeln!(
            out,
            "| {what} | {:.1} µs | {:.1} µs | {:.1}–{:.1} µs | {bar} | {verdict} |",
            e.median * 1000.0,
            e.mean * 1000.0,
            e.low * 1000.0,
            e.high * 1000.0,
        );
    };
    let bar = format!("< {BAR_US} µs");
    row(
        &mut out,
        "verify an access token, 1 key",
        &one,
        &bar,
        verdict,
    );
    row(
        &mut out,
        "verify an access token of the oldest of 3 keys",
        &rotated,
        &bar,
        verdict,
    );
    row(&mut out, "sign an access token", &sign, "—", "—");
    print!("{out}");
    Ok(if met {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
