//! `cargo xtask bench refresh`: a show-by-show refresh of 10,000 shows from a local mock
//! TVmaze (no latency, the rate limit lifted with `providers.tvmaze.rate_limit = "none"`),
//! run with `psma refresh --provider tvmaze --wait` into SQLite; then the same refresh held
//! to `rate_limit = "40/s"` for a minute, counting the requests the mock receives.
//!
//! Bars: the refresh completes in under 30 s; the limiter keeps 40 requests/s within 5% over
//! the minute.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{self, Child, Command, ExitCode, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::release_binary;
use super::report::machine;
use super::upstream::Upstream;
use crate::workspace_root;

const REFRESH_BAR_SECS: f64 = 30.0;
const LIMIT_PER_SEC: f64 = 40.0;
const LIMIT_TOLERANCE: f64 = 0.05;

/// `cargo xtask bench refresh …`
#[derive(Debug, Clone, clap::Args)]
pub struct RefreshArgs {
    /// Shows in the catalog, each with a TVmaze id.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub shows: u64,
    /// How long the limiter is watched, in seconds.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(5..))]
    pub limiter_secs: u64,
    /// Use the existing target/release/psma instead of building it first.
    #[arg(long)]
    pub no_build: bool,
}

/// What the unpaced refresh measured.
struct Refresh {
    took: Duration,
    requests: usize,
    outcome: String,
    stages: Vec<(String, f64)>,
}

/// Runs the benchmark.
///
/// # Errors
/// When the build, the mock, the seeding or a `psma` run fails.
pub fn run(args: &RefreshArgs) -> Result<ExitCode> {
    let binary = release_binary(args.no_build)?;
    let dir = env::temp_dir().join(format!("psma-bench-refresh-{}", process::id()));
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let upstream = Upstream::start(&workspace_root())?;
    let result = measure(&binary, &dir, &upstream, args);
    upstream.stop();
    let (refresh, rate) = result?;
    fs::remove_dir_all(&dir).ok();

    print!("{}", markdown(&binary, args, &refresh, rate));
    let mut code = ExitCode::SUCCESS;
    if refresh.took.as_secs_f64() >= REFRESH_BAR_SECS {
        eprintln!(
            "bench: bar missed: the refresh took {:.1} s, the bar is < {REFRESH_BAR_SECS} s",
            refresh.took.as_secs_f64()
        );
        code = ExitCode::FAILURE;
    }
    if (rate - LIMIT_PER_SEC).abs() > LIMIT_PER_SEC * LIMIT_TOLERANCE {
        eprintln!("bench: bar missed: the limiter kept {rate:.2} requests/s, the bar is 40 ± 5%");
        code = ExitCode::FAILURE;
    }
    Ok(code)
}

fn measure(
    binary: &Path,
    dir: &Path,
    upstream: &Upstream,
    args: &RefreshArgs,
) -> Result<(Refresh, f64)> {
    let seed = dir.join("seed.json");
    write_seed(&seed, args.shows)?;
    let config = dir.join("psma.toml");
    fs::write(
        &config,
        format!(
            "[database]\nurl = \"sqlite://{db}?mode=rwc\"\n\n[catalog]\nload_demo = false\n\n\
             [providers.seed]\nplugin = \"manual_import\"\npath = \"{seed}\"\n\n\
             [providers.tvmaze]\nenabled = true\nbase_url = \"{url}\"\nrate_limit = \"none\"\n\
             timeout_secs = 10\n",
            db = dir.join("psma.db").display(),
            seed = seed.display(),
            url = upstream.url(),
        ),
    )?;

    eprintln!("bench: seeding {} shows with TVmaze ids", args.shows);
    let (seeded, _) = psma(binary, &config, &[], "seed")?.wait_output()?;
    eprintln!("bench: {}", seeded.trim());

    eprintln!("bench: refreshing them from the mock, unpaced");
    upstream.take_arrivals();
    let began = Instant::now();
    let (stdout, log) = psma(binary, &config, &[], "tvmaze")?.wait_output()?;
    let took = began.elapsed();
    let requests = upstream.take_arrivals().len();
    let outcome = stdout
        .lines()
        .find(|line| line.starts_with("`tvmaze`"))
        .unwrap_or("no outcome printed")
        .to_owned();
    eprintln!("bench: {outcome} in {:.1} s", took.as_secs_f64());
    let refresh = Refresh {
        took,
        requests,
        outcome,
        stages: stages(&log),
    };

    eprintln!(
        "bench: refreshing again at 40/s for {} s",
        args.limiter_secs
    );
    let mut paced = psma(
        binary,
        &config,
        &[("PSMA_PROVIDERS__TVMAZE__RATE_LIMIT", "40/s")],
        "tvmaze",
    )?;
    let window = Duration::from_secs(args.limiter_secs);
    let first = loop {
        if let Some(first) = upstream.take_arrivals().first().copied() {
            break first;
        }
        if let Some(status) = paced.child.try_wait()? {
            bail!("the paced refresh ended ({status}) before its first request");
        }
        thread::sleep(Duration::from_millis(5));
    };
    thread::sleep(
        (first + window + Duration::from_secs(1)).saturating_duration_since(Instant::now()),
    );
    paced.child.kill().ok();
    paced.child.wait().ok();
    // The first request, then those in the window after it.
    let within = 1 + upstream
        .take_arrivals()
        .iter()
        .filter(|at| **at < first + window)
        .count();
    #[expect(clippy::cast_precision_loss, reason = "a few thousand requests")]
    let rate = within as f64 / window.as_secs_f64();
    eprintln!(
        "bench: {within} requests in {} s: {rate:.2}/s",
        window.as_secs()
    );
    Ok((refresh, rate))
}

/// A `psma refresh --provider PROVIDER --wait` running.
struct Running {
    child: Child,
}

impl Running {
    /// Waits for it; its stdout and stderr, or an error when it failed.
    fn wait_output(mut self) -> Result<(String, String)> {
        let mut stderr = self.child.stderr.take().context("no stderr")?;
        let reader = thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        let mut stdout = String::new();
        if let Some(mut out) = self.child.stdout.take() {
            out.read_to_string(&mut stdout)?;
        }
        let status = self.child.wait()?;
        let log = reader.join().unwrap_or_default();
        if !status.success() {
            bail!("psma refresh failed ({status}):\n{stdout}\n{log}");
        }
        Ok((stdout, log))
    }
}

fn psma(binary: &Path, config: &Path, vars: &[(&str, &str)], provider: &str) -> Result<Running> {
    let child = Command::new(binary)
        .args(["refresh", "--provider", provider, "--wait"])
        .env("PSMA_CONFIG", config)
        .env("PSMA_TELEMETRY__LOG_FORMAT", "json")
        .env(
            "PSMA_TELEMETRY__LOG_LEVEL",
            "info,sqlx=warn,sea_orm_migration=warn",
        )
        .envs(vars.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {}", binary.display()))?;
    Ok(Running { child })
}

/// A `psma-import/v1` catalog of `shows` shows, show `i` with the TVmaze id `i`.
fn write_seed(path: &PathBuf, shows: u64) -> Result<()> {
    let file = fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut out = BufWriter::new(file);
    write!(out, r#"{{"format":"psma-import/v1","shows":["#)?;
    for show in 1..=shows {
        let comma = if show == 1 { "" } else { "," };
        write!(
            out,
            r#"{comma}{{"ref":"s{show}","title":"Bench Show {show}","year":2016,"external_ids":{{"tvmaze":"{show}"}}}}"#
        )?;
    }
    writeln!(out, "]}}")?;
    out.flush()?;
    Ok(())
}

/// The refresh's `stage done` log lines: stage and seconds.
fn stages(log: &str) -> Vec<(String, f64)> {
    log.lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|event| event["message"] == "stage done")
        .filter_map(|event| Some((event["stage"].as_str()?.to_owned(), event["secs"].as_f64()?)))
        .collect()
}

fn markdown(binary: &Path, args: &RefreshArgs, refresh: &Refresh, rate: f64) -> String {
    let mut out = String::from("### `psma refresh` show by show (TVmaze mock) on SQLite\n\n");
    out.push_str("| measure | value | bar |\n|---|--:|---|\n");
    let _ = writeln!(
        out,
        "| {} shows, unpaced: wall time (s) | {:.1} | < {REFRESH_BAR_SECS} |",
        args.shows,
        refresh.took.as_secs_f64()
    );
    let _ = writeln!(out, "| requests to the mock | {} | |", refresh.requests);
    let _ = writeln!(
        out,
        "| limited to 40/s: requests/s over {} s | {rate:.2} | 40 ± 5% (38–42) |",
        args.limiter_secs
    );
    out.push('\n');
    let stages: Vec<String> = refresh
        .stages
        .iter()
        .map(|(stage, secs)| format!("{stage} {secs:.1} s"))
        .collect();
    let _ = writeln!(out, "- Stages: {}", stages.join(", "));
    let _ = writeln!(out, "- Outcome: {}", refresh.outcome);
    out.push_str(&machine(&workspace_root(), binary));
    let _ = writeln!(
        out,
        "- Method: `cargo xtask bench refresh{}`: a SQLite catalog seeded with shows that have \
         TVmaze ids (`psma refresh --provider seed --wait`, a `manual_import` file); a mock \
         TVmaze in the benchmark's process (`std::net`, a thread per connection) answers every \
         `/shows/{{id}}?embed=episodes` with the recorded Stranger Things response renumbered \
         (identity, Netflix availability, episodes); `psma refresh --provider tvmaze --wait` \
         timed from spawn to exit with `rate_limit = \"none\"`; then again with \
         `rate_limit = \"40/s\"`, counting the requests the mock receives in the {} s after \
         the first, the process killed after.",
        if args.shows == 10_000 {
            String::new()
        } else {
            format!(" --shows {}", args.shows)
        },
        args.limiter_secs
    );
    out
}
