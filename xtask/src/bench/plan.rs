//! `cargo xtask bench plan` and `cargo xtask bench advice`: the core's criterion benchmarks
//! (`crates/psma-core/benches/{plan,advice}.rs`) on one core, then their means read from
//! criterion's `estimates.json` and held to the bars.
//!
//! Bars: a plan of 500 selections, 50 services and 20,000 assessments in under 50 ms on one
//! core (issue #7); the advice job for one member with 50 selections, offline, in under 20 ms
//! (issue #8). The engines are single-threaded; `taskset` pins the run to one CPU when it is
//! installed so another core's idle time cannot help them.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};

use crate::workspace_root;

const BAR_MS: f64 = 50.0;
const GROUP: &str = "planner";
const LARGE: &str = "plan 500 selections x 50 services x 20k assessments";
const HOUSEHOLD: &str = "plan 20 selections x 50 services";
const ADVICE_BAR_MS: f64 = 20.0;
const ADVICE: &str = "advice job 50 selections offline";

/// `cargo xtask bench plan …`
#[derive(Debug, Clone, clap::Args)]
pub struct PlanArgs {
    /// Read the last run's estimates instead of running the benchmark again.
    #[arg(long)]
    pub no_run: bool,
}

/// Runs the benchmark and prints the markdown section.
///
/// # Errors
/// When cargo bench fails or criterion's estimates cannot be read.
pub fn run(args: &PlanArgs) -> Result<ExitCode> {
    let root = workspace_root();
    if !args.no_run {
        bench(&root, "psma-core", "plan")?;
    }
    let target = target(&root);
    let large = mean_ms(&target, GROUP, LARGE)?;
    let household = mean_ms(&target, GROUP, HOUSEHOLD)?;
    let met = large.mean < BAR_MS;
    let mut out = String::new();
    let _ = writeln!(out, "## Planner (`cargo xtask bench plan`)\n");
    let _ = writeln!(
        out,
        "| workload | mean | 95% interval | bar | met |\n|---|---|---|---|---|"
    );
    let _ = writeln!(
        out,
        "| 500 selections × 50 services × 20,000 assessments | {:.1} ms | {:.1}–{:.1} ms | < {BAR_MS} ms | {} |",
        large.mean,
        large.low,
        large.high,
        if met { "yes" } else { "**no**" }
    );
    let _ = writeln!(
        out,
        "| 20 selections × 50 services (a household) | {:.2} ms | {:.2}–{:.2} ms | — | — |",
        household.mean, household.low, household.high
    );
    print!("{out}");
    Ok(if met {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Runs the advice benchmark and prints its markdown section.
///
/// # Errors
/// As [`run`].
pub fn run_advice(args: &PlanArgs) -> Result<ExitCode> {
    let root = workspace_root();
    if !args.no_run {
        bench(&root, "psma-core", "advice")?;
    }
    let job = mean_ms(&target(&root), "advice", ADVICE)?;
    let met = job.mean < ADVICE_BAR_MS;
    println!("## The advice job (`cargo xtask bench advice`)\n");
    println!("| workload | mean | 95% interval | bar | met |\n|---|---|---|---|---|");
    println!(
        "| one member, 50 selections, offline adviser | {:.2} ms | {:.2}–{:.2} ms | < {ADVICE_BAR_MS} ms | {} |",
        job.mean,
        job.low,
        job.high,
        if met { "yes" } else { "**no**" }
    );
    Ok(if met {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

pub(super) fn target(root: &Path) -> PathBuf {
    env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

/// `cargo bench -p <package> --bench <name>`, pinned to CPU 0 when `taskset` is installed.
pub(super) fn bench(root: &Path, package: &str, name: &str) -> Result<()> {
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let pinned = Command::new("taskset").arg("--version").output().is_ok();
    let mut command = if pinned {
        let mut c = Command::new("taskset");
        c.args(["--cpu-list", "0"]).arg(cargo);
        c
    } else {
        Command::new(cargo)
    };
    let status = command
        .args(["bench", "-p", package, "--bench", name])
        .current_dir(root)
        .status()
        .context("running cargo bench")?;
    if !status.success() {
        bail!("cargo bench -p {package} --bench {name} failed: {status}");
    }
    Ok(())
}

/// A mean, its confidence interval and the median, in milliseconds.
pub(super) struct Estimate {
    pub(super) mean: f64,
    pub(super) low: f64,
    pub(super) high: f64,
    pub(super) median: f64,
}

/// Criterion writes `target/criterion/<group>/<id>/new/estimates.json`, in nanoseconds.
pub(super) fn mean_ms(target: &Path, group: &str, id: &str) -> Result<Estimate> {
    let path = target
        .join("criterion")
        .join(group)
        .join(id)
        .join("new/estimates.json");
    let text = fs::read_to_string(&path)
        .with_context(|| format!("reading {} (run without --no-run)", path.display()))?;
    let json: serde_json::Value = serde_json::from_str(&text)?;
    let mean = &json["mean"];
    let ns = |v: &serde_json::Value| v.as_f64().map(|ns| ns / 1e6);
    match (
        ns(&mean["point_estimate"]),
        ns(&mean["confidence_interval"]["lower_bound"]),
        ns(&mean["confidence_interval"]["upper_bound"]),
        ns(&json["median"]["point_estimate"]),
    ) {
        (Some(mean), Some(low), Some(high), Some(median)) => Ok(Estimate {
            mean,
            low,
            high,
            median,
        }),
        _ => bail!("{} has no mean estimate", path.display()),
    }
}
