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

mod probe;
mod report;

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{self, Command, ExitCode};
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::{pg, workspace_root};
use report::{Summary, mib};

/// The bars, held to the medians.
const READY_BAR_MS: f64 = 1000.0;
const RSS_BAR_MIB: f64 = 30.0;
/// Idle time before exercising the server, and again before reading its memory.
const SETTLE: Duration = Duration::from_secs(2);
const SETTLE_AFTER_REQUESTS: Duration = Duration::from_secs(1);
/// Requests to each of `/api/v1/me` and `/health` per start.
const REQUESTS: usize = 20;
const PSQL: &str = "/usr/bin/psql";

/// `cargo xtask bench …`
#[derive(Debug, Clone, clap::Subcommand)]
pub enum BenchCommand {
    /// `psma serve`: cold and warm time to ready, idle and peak RSS, shutdown time.
    Serve(ServeArgs),
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

/// Runs one `cargo xtask bench` subcommand.
///
/// # Errors
/// When the build, the database setup or every run fails. A bar that is missed
/// is not an error: it gives [`ExitCode::FAILURE`].
pub fn run(command: BenchCommand) -> Result<ExitCode> {
    match command {
        BenchCommand::Serve(args) => serve(&args),
    }
}

/// What one run measured.
struct Sample {
    cold_ready: Duration,
    warm_ready: Duration,
    cold_memory: probe::Memory,
    warm_memory: probe::Memory,
    shutdowns: [Duration; 2],
}

/// Where each run's database comes from.
enum Database {
    Sqlite,
    /// The `cargo xtask pg` server's superuser URL, and whether we started it.
    Postgres {
        admin_url: String,
        started: bool,
    },
}

fn serve(args: &ServeArgs) -> Result<ExitCode> {
    let root = workspace_root();
    if !args.no_build {
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
    let database = if args.postgres {
        let started = pg::running()?.is_none();
        let server = pg::start()?;
        Database::Postgres {
            admin_url: server.url,
            started,
        }
    } else {
        Database::Sqlite
    };

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
    if let Database::Postgres { started: true, .. } = database {
        pg::stop()?;
    }
    if samples.is_empty() {
        bail!("every run failed");
    }

    let backend = if args.postgres {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    print!(
        "{}",
        report::markdown(&root, &binary, backend, &samples, &failures)
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

/// A cold and a warm start on a fresh database; its temp dir is kept when it fails.
fn one_run(binary: &Path, database: &Database, run: u32) -> Result<Sample> {
    let dir = env::temp_dir().join(format!("psma-bench-{}-{run}", process::id()));
    if dir.exists() {
        fs::remove_dir_all(&dir)?;
    }
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut vars: Vec<(&str, String)> = Vec::new();
    let mut scratch_db = None;
    match database {
        Database::Sqlite => {
            let file = dir.join("psma.db");
            vars.push((
                "PSMA_DATABASE__URL",
                format!("sqlite://{}?mode=rwc", file.display()),
            ));
        }
        Database::Postgres { admin_url, .. } => {
            let name = format!("psma_bench_{}_{run}", process::id());
            psql(admin_url, &format!("CREATE DATABASE {name}"))?;
            let base = admin_url
                .rsplit_once('/')
                .map_or(admin_url.as_str(), |(base, _)| base);
            vars.push(("PSMA_DATABASE__URL", format!("{base}/{name}")));
            vars.push(("PSMA_DATABASE__MIGRATE_ON_START", "true".to_owned()));
            scratch_db = Some((admin_url, name));
        }
    }
    let result = measure(binary, &dir, &vars);
    if let Some((admin_url, name)) = scratch_db
        && let Err(error) = psql(admin_url, &format!("DROP DATABASE {name} WITH (FORCE)"))
    {
        eprintln!("bench: could not drop database {name}: {error:#}");
    }
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

fn psql(url: &str, sql: &str) -> Result<()> {
    let output = Command::new(PSQL)
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql])
        .output()
        .with_context(|| format!("running {PSQL}"))?;
    if !output.status.success() {
        bail!(
            "psql `{sql}` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
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

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
