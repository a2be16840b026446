//! `cargo xtask bench serve`: measures the bars for `psma serve` on SQLite —
//! ready in under 1 s after the binary starts, idle memory under 30 MB RSS.
//!
//! Not a timed test: a measurement whose markdown output can be pasted into
//! `docs/benchmarks.md`. Each run starts the release binary cold (a database
//! that does not exist yet, so the time includes creating it and running every
//! migration), polls `/ready` every 2 ms until it answers 200, lets it idle,
//! exercises it, reads its memory from `/proc`, stops it with SIGTERM, and
//! then does the same again warm (the same, already migrated database).
//!
//! Variables such as `PSMA_SERVER__WORKERS=1` or `MALLOC_ARENA_MAX=2` in the
//! environment are passed on to the server and listed in the output.

use std::env;
use std::fs;
use std::path::Path;
use std::process::{self, ExitCode};
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use super::report::{Summary, mib};
use super::scratch::Backend;
use super::{ms, probe, release_binary, serve_report};
use crate::workspace_root;

/// The bars, held to the medians.
const READY_BAR_MS: f64 = 1000.0;
const RSS_BAR_MIB: f64 = 30.0;
/// Idle time before exercising the server, and again before reading its memory.
const SETTLE: Duration = Duration::from_secs(2);
const SETTLE_AFTER_REQUESTS: Duration = Duration::from_secs(1);
/// Requests to each of `/api/v1/me` and `/health` per start.
pub(super) const REQUESTS: usize = 20;

/// What one run measured.
pub(super) struct Sample {
    pub cold_ready: Duration,
    pub warm_ready: Duration,
    pub cold_memory: probe::Memory,
    pub warm_memory: probe::Memory,
    pub shutdowns: [Duration; 2],
}

/// `cargo xtask bench serve …`
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Cold + warm starts to measure.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
    pub runs: u32,
    /// A fresh database per run on the `cargo xtask pg` server instead of a SQLite file.
    #[arg(long)]
    pub postgres: bool,
    /// Use the existing target/release/psma instead of building it first.
    #[arg(long)]
    pub no_build: bool,
}

/// Measures `psma serve` `runs` times.
///
/// # Errors
/// When the build, the database set-up or every run fails.
pub fn run(args: &ServeArgs) -> Result<ExitCode> {
    let root = workspace_root();
    let binary = release_binary(args.no_build)?;
    let database = Backend::choose(args.postgres)?;

    let mut samples = Vec::new();
    let mut failures = Vec::new();
    for run in 1..=args.runs {
        match one_run(&binary, &database, run) {
            Ok(sample) => {
                eprintln!(
                    "bench: run {run}/{}: cold {:.0} ms, warm {:.0} ms, idle {:.1} MiB (peak {:.1}), shutdown {:.0}/{:.0} ms",
                    args.runs,
                    ms(sample.cold_ready),
                    ms(sample.warm_ready),
                    mib(sample.cold_memory.rss_kib),
                    mib(sample.cold_memory.hwm_kib),
                    ms(sample.shutdowns[0]),
                    ms(sample.shutdowns[1]),
                );
                samples.push(sample);
            }
            Err(error) => {
                eprintln!("bench: run {run}/{} failed: {error:#}", args.runs);
                failures.push(run);
            }
        }
    }
    let backend = database.name();
    database.finish()?;
    if samples.is_empty() {
        bail!("every run failed");
    }

    print!(
        "{}",
        serve_report::markdown(&root, &binary, backend, &samples, &failures)
    );
    let mut code = ExitCode::SUCCESS;
    if !failures.is_empty() {
        eprintln!("bench: FAILED runs: {failures:?}");
        code = ExitCode::FAILURE;
    }
    for missed in missed_bars(&samples) {
        eprintln!("bench: bar missed: {missed}");
        code = ExitCode::FAILURE;
    }
    Ok(code)
}

/// A cold and a warm start on a fresh database; its temp dir is kept when it fails.
fn one_run(binary: &Path, database: &Backend, run: u32) -> Result<Sample> {
    let dir = env::temp_dir().join(format!("psma-bench-{}-{run}", process::id()));
    if dir.exists() {
        fs::remove_dir_all(&dir)?;
    }
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let scratch = database.database(&dir, run)?;
    let result = measure(binary, &dir, &scratch.env);
    drop(scratch);
    match result {
        Ok(sample) => {
            fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
            Ok(sample)
        }
        Err(error) => Err(error.context(format!("logs kept in {}", dir.display()))),
    }
}

fn measure(binary: &Path, dir: &Path, vars: &[(&str, String)]) -> Result<Sample> {
    let (cold_ready, cold_memory, cold_stop) =
        start_idle_stop(binary, vars, &dir.join("cold.log")).context("cold start")?;
    let (warm_ready, warm_memory, warm_stop) =
        start_idle_stop(binary, vars, &dir.join("warm.log")).context("warm start")?;
    Ok(Sample {
        cold_ready,
        warm_ready,
        cold_memory,
        warm_memory,
        shutdowns: [cold_stop, warm_stop],
    })
}

/// Start, wait until ready, idle 2 s, 2×20 requests, idle 1 s, read memory, SIGTERM.
fn start_idle_stop(
    binary: &Path,
    vars: &[(&str, String)],
    log: &Path,
) -> Result<(Duration, probe::Memory, Duration)> {
    let server = probe::start(&probe::Launch {
        binary,
        env: vars,
        log: log.to_path_buf(),
    })?;
    let ready = server.ready;
    thread::sleep(SETTLE);
    server.exercise(REQUESTS)?;
    thread::sleep(SETTLE_AFTER_REQUESTS);
    let memory = server.memory()?;
    let stopped = server.stop()?;
    if !stopped.status.success() {
        bail!(
            "psma serve exited with {} after SIGTERM; see {}",
            stopped.status,
            log.display()
        );
    }
    Ok((ready, memory, stopped.took))
}

/// The bars whose medians were missed, described.
fn missed_bars(samples: &[Sample]) -> Vec<String> {
    let median = |values: Vec<f64>| Summary::of(&values).map_or(f64::NAN, |s| s.median);
    let ready = median(samples.iter().map(|s| ms(s.cold_ready)).collect());
    let rss = median(samples.iter().map(|s| mib(s.cold_memory.rss_kib)).collect());
    let mut missed = Vec::new();
    if ready.is_nan() || ready >= READY_BAR_MS {
        missed.push(format!(
            "median cold start to ready {ready:.0} ms, the bar is < {READY_BAR_MS:.0} ms"
        ));
    }
    if rss.is_nan() || rss >= RSS_BAR_MIB {
        missed.push(format!(
            "median idle RSS {rss:.1} MiB, the bar is < {RSS_BAR_MIB:.0} MiB"
        ));
    }
    missed
}
