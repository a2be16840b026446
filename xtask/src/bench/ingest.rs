//! `cargo xtask bench ingest`: a 1,000,000-fact import through `psma import` (the pipeline
//! the API's imports use: parse, validate, match shows, store, find conflicts), then a
//! re-import of the same catalog with 1% of its facts modified.
//!
//! Bars: at least 100,000 facts/s into SQLite and 50,000 facts/s into PostgreSQL, validation
//! included; the re-import computes and stores its changes in under 10 s. Each import is timed
//! from spawn to exit, so process start, migrations and the final commit count too.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::{self, Command, ExitCode, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::dataset::{self, MODIFIED_EVERY, Spec};
use super::release_binary;
use super::report::{machine, mib};
use super::scratch::Backend;
use crate::workspace_root;

const SQLITE_BAR: f64 = 100_000.0;
const POSTGRES_BAR: f64 = 50_000.0;
const REIMPORT_BAR_SECS: f64 = 10.0;

/// `cargo xtask bench ingest …`
#[derive(Debug, Clone, clap::Args)]
pub struct IngestArgs {
    /// Facts in the import (a tenth of them shows, each with 5 availability and 4 episode facts).
    #[arg(long, default_value_t = 1_000_000, value_parser = clap::value_parser!(u64).range(10..))]
    pub facts: u64,
    /// Import into a new database on the `cargo xtask pg` server instead of a SQLite file.
    #[arg(long)]
    pub postgres: bool,
    /// Use the existing target/release/psma instead of building it first.
    #[arg(long)]
    pub no_build: bool,
}

/// One `psma import`.
struct Import {
    took: Duration,
    peak_rss_kib: u64,
    /// `(stage, seconds)` from the import's log.
    stages: Vec<(String, f64)>,
    summary: String,
}

/// Runs the benchmark.
///
/// # Errors
/// When the build, the data, the database or an import fails.
pub fn run(args: &IngestArgs) -> Result<ExitCode> {
    let binary = release_binary(args.no_build)?;
    let backend = Backend::choose(args.postgres)?;
    let dir = env::temp_dir().join(format!("psma-bench-ingest-{}", process::id()));
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let result = measure(&binary, &backend, &dir, args.facts);
    let name = backend.name();
    backend.finish()?;
    let (first, second, facts) = result?;
    fs::remove_dir_all(&dir).ok();

    let rate = rate(facts, first.took);
    let bar = if args.postgres {
        POSTGRES_BAR
    } else {
        SQLITE_BAR
    };
    print!(
        "{}",
        markdown(&binary, name, args, facts, &first, &second, bar)
    );
    let mut code = ExitCode::SUCCESS;
    if rate < bar {
        eprintln!("bench: bar missed: {rate:.0} facts/s, the bar is ≥ {bar:.0}");
        code = ExitCode::FAILURE;
    }
    if second.took.as_secs_f64() >= REIMPORT_BAR_SECS {
        eprintln!(
            "bench: bar missed: re-import took {:.1} s, the bar is < {REIMPORT_BAR_SECS} s",
            second.took.as_secs_f64()
        );
        code = ExitCode::FAILURE;
    }
    Ok(code)
}

fn measure(
    binary: &Path,
    backend: &Backend,
    dir: &Path,
    facts: u64,
) -> Result<(Import, Import, u64)> {
    let services = dataset::registry_services()?;
    let base = Spec {
        shows: (facts / 10).max(1),
        availability: 5,
        episodes: 4,
        modified: false,
    };
    let modified = Spec {
        modified: true,
        ..base
    };
    let (first_file, second_file) = (dir.join("catalog.json"), dir.join("catalog-1pct.json"));
    eprintln!(
        "bench: writing {} facts twice into {}",
        base.facts(),
        dir.display()
    );
    dataset::write(&first_file, base, &services)?;
    dataset::write(&second_file, modified, &services)?;

    let scratch = backend.database(dir, 1)?;
    eprintln!("bench: importing {}", first_file.display());
    let first = import(binary, &scratch.env, &first_file)?;
    eprintln!(
        "bench: {} in {:.1} s",
        first.summary,
        first.took.as_secs_f64()
    );
    eprintln!("bench: re-importing with 1% modified");
    let second = import(binary, &scratch.env, &second_file)?;
    eprintln!(
        "bench: {} in {:.1} s",
        second.summary,
        second.took.as_secs_f64()
    );
    Ok((first, second, base.facts()))
}

/// Runs `psma import FILE`, polling its peak RSS until it exits.
fn import(binary: &Path, vars: &[(&str, String)], file: &Path) -> Result<Import> {
    let began = Instant::now();
    let mut child = Command::new(binary)
        .arg("import")
        .arg(file)
        .envs(vars.iter().map(|(k, v)| (*k, v.as_str())))
        .env("PSMA_CATALOG__LOAD_DEMO", "false")
        .env("PSMA_TELEMETRY__LOG_FORMAT", "json")
        .env(
            "PSMA_TELEMETRY__LOG_LEVEL",
            "info,sqlx=warn,sea_orm_migration=warn",
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {}", binary.display()))?;
    let status_file = format!("/proc/{}/status", child.id());
    let mut stderr = child.stderr.take().context("no stderr")?;
    let reader = thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let mut peak = 0;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        peak = peak.max(hwm_kib(&status_file).unwrap_or(0));
        thread::sleep(Duration::from_millis(20));
    };
    let took = began.elapsed();
    let mut stdout = String::new();
    if let Some(mut out) = child.stdout.take() {
        out.read_to_string(&mut stdout)?;
    }
    let log = reader.join().unwrap_or_default();
    if !status.success() {
        bail!(
            "psma import {} failed ({status}):\n{stdout}\n{log}",
            file.display()
        );
    }
    Ok(Import {
        took,
        peak_rss_kib: peak,
        stages: stages(&log),
        summary: stdout.trim().to_owned(),
    })
}

fn hwm_kib(status_file: &str) -> Option<u64> {
    let text = fs::read_to_string(status_file).ok()?;
    text.lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// The `stage done` log lines: stage and seconds.
fn stages(log: &str) -> Vec<(String, f64)> {
    log.lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|event| event["message"] == "stage done")
        .filter_map(|event| Some((event["stage"].as_str()?.to_owned(), event["secs"].as_f64()?)))
        .collect()
}

#[expect(clippy::cast_precision_loss, reason = "fact counts are far below 2^52")]
fn rate(facts: u64, took: Duration) -> f64 {
    facts as f64 / took.as_secs_f64()
}

fn markdown(
    binary: &Path,
    backend: &str,
    args: &IngestArgs,
    facts: u64,
    first: &Import,
    second: &Import,
    bar: f64,
) -> String {
    let mut out = format!("### `psma import` on {backend}\n\n");
    out.push_str("| measure | value | bar |\n|---|--:|---|\n");
    let _ = writeln!(
        out,
        "| {facts} facts, new database: wall time (s) | {:.1} | |",
        first.took.as_secs_f64()
    );
    let _ = writeln!(
        out,
        "| facts/s | {:.0} | ≥ {bar:.0} |",
        rate(facts, first.took)
    );
    let _ = writeln!(out, "| peak RSS (MiB) | {:.0} | |", mib(first.peak_rss_kib));
    let _ = writeln!(
        out,
        "| re-import, 1 fact in {MODIFIED_EVERY} modified: wall time (s) | {:.1} | < {REIMPORT_BAR_SECS} |",
        second.took.as_secs_f64()
    );
    let _ = writeln!(
        out,
        "| re-import peak RSS (MiB) | {:.0} | |",
        mib(second.peak_rss_kib)
    );
    out.push('\n');
    for (label, import) in [("import", first), ("re-import", second)] {
        let stages: Vec<String> = import
            .stages
            .iter()
            .map(|(stage, secs)| format!("{stage} {secs:.1} s"))
            .collect();
        let _ = writeln!(out, "- Stages, {label}: {}", stages.join(", "));
        let _ = writeln!(out, "- Summary, {label}: {}", import.summary);
    }
    out.push_str(&machine(&workspace_root(), binary));
    let _ = writeln!(
        out,
        "- Method: `cargo xtask bench ingest{}{}`: a synthetic `psma-import/v1` document \
         (a tenth of the facts are shows with a TMDB id, each with 5 availability windows on \
         registry services and 4 episodes), imported with `psma import` into a new {backend} \
         database, timed from spawn to exit; then the same catalog with one fact in \
         {MODIFIED_EVERY} changed (end dates, air dates, titles) imported again.{}",
        if args.facts == 1_000_000 {
            String::new()
        } else {
            format!(" --facts {}", args.facts)
        },
        if args.postgres { " --postgres" } else { "" },
        if args.postgres {
            " PostgreSQL is the `cargo xtask pg` server on the same machine (fsync off), \
             migrated by its superuser, `psma` connected as the app role `psma_bench_app` \
             (no `BYPASSRLS`)."
        } else {
            ""
        }
    );
    out
}
