//! `cargo xtask bench facade`: `POST /plan/v1/generate` with the typical request (two
//! assessments, one permanent service, both inputs for the planned service) against the release
//! `psma serve` on SQLite with its defaults — the per-request log line on (JSON, to a file) —
//! offered at 20,000 requests/s by oha on the same machine.
//!
//! Bars (issue #7): at least 20,000 requests/s sustained with p99 under 10 ms, every answer a
//! 200. oha's latency correction counts the time a request waited for its slot, so a server
//! that falls behind the rate shows it in the tail. oha paces in slots and loses a few of them
//! at the start and end of a run, so "sustained" is an achieved rate within 1% of the rate
//! offered (which must be at least 20,000). After the paced run an unpaced one reports the
//! capacity (not a bar).

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::{self, ExitCode};

use anyhow::{Context, Result, bail};

use super::oha::{self, Load, OHA_VERSION, Shot};
use super::probe;
use super::release_binary;
use super::report::{inherited_overrides, machine};
use crate::workspace_root;

const RATE_BAR: u32 = 20_000;
const P99_BAR_MS: f64 = 10.0;
/// The share of the offered rate that counts as sustaining it (oha's pacing, see above).
const SUSTAINED: f64 = 0.99;
const PATH: &str = "/plan/v1/generate";

/// The typical request, as `crates/psma/tests/api/plan_facade.rs` sends it: Max is planned
/// (subscribe now, unsubscribe after 30 days), Netflix is permanent.
const TYPICAL: &str = r#"{"country":"US","horizon_days":90,"permanent_service_ids":["netflix"],"assessments":[{"title_id":"tmdb:tv:1399","country":"US","service_id":"max","provider_category":"svod","availability_now":"true","availability_window":{"start":"2026-01-01","end":null},"confidence":"high","reason_codes":["AVAILABLE_NOW"],"evidence":[{"source_id":"tmdb","retrieved_at":"2026-12-01T06:00:00Z","source_ref":"tv/1399"}]},{"title_id":"tmdb:tv:66732","country":"US","service_id":"netflix","provider_category":"svod","availability_now":"true","confidence":"medium","reason_codes":["AVAILABLE_NOW"],"evidence":[{"source_id":"tvmaze","retrieved_at":"2026-12-01T06:00:00+01:00","details":{"channel":"Netflix"}}]}],"inputs":[{"key":"min_contract_days","value":30,"service_id":"max"},{"key":"estimated_watch_days","value":"12.5","service_id":"max","title_ids":["tmdb:tv:1399"],"source_id":"user","collected_at":"2026-12-02T18:00:00Z","notes":"two episodes a night"}]}"#;

/// `cargo xtask bench facade …`
#[derive(Debug, Clone, clap::Args)]
pub struct FacadeArgs {
    /// Requests per second offered.
    #[arg(long, default_value_t = RATE_BAR)]
    pub rate: u32,
    /// Seconds of load, after 5 s of warm-up at the same rate.
    #[arg(long, default_value_t = 30)]
    pub seconds: u32,
    /// Connections oha keeps open.
    #[arg(long, default_value_t = 50)]
    pub connections: u32,
    /// Seconds of the unpaced run that measures the capacity (0: none).
    #[arg(long, default_value_t = 10)]
    pub capacity_seconds: u32,
    /// Use the existing target/release/psma instead of building it first.
    #[arg(long)]
    pub no_build: bool,
}

/// What the runs gave.
struct Measured {
    load: Load,
    capacity: Option<Load>,
    /// Request log lines of the route in the server's log.
    log_lines: usize,
}

/// Runs the benchmark.
///
/// # Errors
/// When the build, oha, the server or the first request fails.
pub fn run(args: &FacadeArgs) -> Result<ExitCode> {
    let oha = oha::install()?;
    let binary = release_binary(args.no_build)?;
    let dir = env::temp_dir().join(format!("psma-bench-facade-{}", process::id()));
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let result = measure(&oha, &binary, &dir, args);
    fs::remove_dir_all(&dir).ok();
    let measured = result?;

    print!("{}", markdown(&binary, args, &measured));
    let load = &measured.load;
    let sustained = args.rate >= RATE_BAR && load.rps >= SUSTAINED * f64::from(args.rate);
    if !sustained || load.p99_ms >= P99_BAR_MS || load.non_200 > 0 {
        eprintln!(
            "bench: bar missed: {:.0} req/s achieved of {} offered (bar ≥ {RATE_BAR}), p99 {:.2} ms \
             (bar < {P99_BAR_MS} ms), {} non-200 responses",
            load.rps, args.rate, load.p99_ms, load.non_200
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

fn measure(oha: &Path, binary: &Path, dir: &Path, args: &FacadeArgs) -> Result<Measured> {
    let env = [
        (
            "PSMA_DATABASE__URL",
            format!("sqlite://{}?mode=rwc", dir.join("psma.db").display()),
        ),
        ("PSMA_CATALOG__LOAD_DEMO", "false".to_owned()),
    ];
    let log = dir.join("serve.log");
    let server = probe::start(&probe::Launch {
        binary,
        env: &env,
        log: log.clone(),
    })?;
    check_answer(server.port())?;
    let url = format!("http://127.0.0.1:{}{PATH}", server.port());
    let shot = |rate, seconds| Shot {
        url: &url,
        rate,
        connections: args.connections,
        seconds,
        post_json: Some(TYPICAL),
        post_json_lines: None,
        urls_from_file: false,
        headers: &[],
    };
    eprintln!(
        "bench: warming up, then {} s at {} req/s on POST {url}",
        args.seconds, args.rate
    );
    oha::run(oha, &shot(Some(args.rate), 5))?;
    let load = oha::run(oha, &shot(Some(args.rate), args.seconds))?;
    let capacity = if args.capacity_seconds > 0 {
        eprintln!("bench: {} s unpaced", args.capacity_seconds);
        Some(oha::run(oha, &shot(None, args.capacity_seconds))?)
    } else {
        None
    };
    server.stop()?;
    let text = fs::read_to_string(&log).with_context(|| format!("reading {}", log.display()))?;
    let needle = format!(r#""path":"{PATH}""#);
    let log_lines = text
        .lines()
        .filter(|line| line.contains(&needle) && line.contains(r#""message":"request""#))
        .count();
    Ok(Measured {
        load,
        capacity,
        log_lines,
    })
}

/// The typical request must be answered with the plan it stands for, not a problem.
fn check_answer(port: u16) -> Result<()> {
    let (status, body) =
        probe::post_json(port, PATH, TYPICAL.as_bytes()).with_context(|| format!("POST {PATH}"))?;
    let plan: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    let events: Vec<(&str, &str)> = plan["events"]
        .as_array()
        .map(|events| {
            events
                .iter()
                .filter_map(|e| Some((e["action"].as_str()?, e["service_id"].as_str()?)))
                .collect()
        })
        .unwrap_or_default();
    if status != 200 || events != [("subscribe", "max"), ("unsubscribe", "max")] {
        bail!(
            "POST {PATH} answered {status}, not the expected plan: {}",
            String::from_utf8_lossy(&body)
        );
    }
    Ok(())
}

fn markdown(binary: &Path, args: &FacadeArgs, measured: &Measured) -> String {
    let load = &measured.load;
    let mut out = format!("### `POST {PATH}` on SQLite\n\n");
    out.push_str("| measure | value | bar |\n|---|--:|---|\n");
    load.rows(
        &mut out,
        &format!("≥ {RATE_BAR} ({} offered)", args.rate),
        P99_BAR_MS,
    );
    let _ = writeln!(
        out,
        "| request log lines written (all runs) | {} | one per request |",
        measured.log_lines
    );
    if let Some(capacity) = &measured.capacity {
        let _ = writeln!(
            out,
            "| capacity, unpaced {} s (req/s; p99 ms) | {:.0}; {:.2} | |",
            args.capacity_seconds, capacity.rps, capacity.p99_ms
        );
    }
    out.push('\n');
    out.push_str(&machine(&workspace_root(), binary));
    let inherited = inherited_overrides(&["PSMA_DATABASE__URL", "PSMA_CATALOG__LOAD_DEMO"]);
    if !inherited.is_empty() {
        let _ = writeln!(out, "- Inherited overrides: `{}`", inherited.join("`, `"));
    }
    let _ = writeln!(
        out,
        "- Method: `cargo xtask bench facade`: `psma serve` on a new SQLite database with its \
         defaults (one HTTP worker per core, the JSON request log line on, to a file; no demo \
         catalog), the typical request ({} bytes: two assessments, one permanent service, both \
         inputs for the planned one) POSTed at {} req/s by oha {OHA_VERSION} (`-q {} -c {} \
         --latency-correction`) for {} s after a 5 s warm-up, from the same machine; then \
         unpaced (`-c {}`) for {} s.",
        TYPICAL.len(),
        args.rate,
        args.rate,
        args.connections,
        args.seconds,
        args.connections,
        args.capacity_seconds
    );
    out
}
