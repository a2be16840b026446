//! oha, the HTTP load generator behind the load benchmarks: installed once into
//! `target/tools` (pinned), run with its JSON output, and that output read.

use std::env;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::workspace_root;

/// oha, pinned: the version whose flags and JSON this reads.
pub const OHA_VERSION: &str = "1.16.0";

/// oha's name for a request abandoned when `-z` is up: not an answer of the server.
const CUT_OFF: &str = "aborted due to deadline";

/// One run of oha.
pub struct Shot<'a> {
    pub url: &'a str,
    /// Requests per second offered (`-q`, with `--latency-correction`); `None`: as fast as the
    /// connections go.
    pub rate: Option<u32>,
    /// Connections (`-c`).
    pub connections: u32,
    pub seconds: u32,
    /// A JSON body to POST (`-m POST -T application/json -d …`); `None`: GET.
    pub post_json: Option<&'a str>,
    /// A file of JSON bodies, one a line, each request POSTing one of them at random
    /// (`-m POST -T application/json -Z …`); instead of `post_json`.
    pub post_json_lines: Option<&'a Path>,
    /// `url` is a file of URLs, one a line, each request taking one of them at random
    /// (`--urls-from-file`).
    pub urls_from_file: bool,
    /// Headers sent with every request (`-H "name: value"`).
    pub headers: &'a [String],
}

/// What oha reported.
pub struct Load {
    pub requests: u64,
    pub rps: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// Answers other than 200, and requests that failed for another reason than the end of
    /// the run.
    pub non_200: u64,
    /// Requests still in flight when the run's time was up, which oha abandons.
    pub cut_off: u64,
}

impl Load {
    /// The rows every load table has, from requests to the requests cut off; `rate_bar` is
    /// what the achieved rate is held to (or the rate offered).
    pub fn rows(&self, out: &mut String, rate_bar: &str, p99_bar_ms: f64) {
        let _ = writeln!(out, "| requests | {} | |", self.requests);
        let _ = writeln!(
            out,
            "| achieved rate (req/s) | {:.0} | {rate_bar} |",
            self.rps
        );
        let _ = writeln!(out, "| p50 (ms) | {:.2} | |", self.p50_ms);
        let _ = writeln!(out, "| p99 (ms) | {:.2} | < {p99_bar_ms} |", self.p99_ms);
        let _ = writeln!(out, "| slowest (ms) | {:.1} | |", self.max_ms);
        let _ = writeln!(out, "| non-200 responses | {} | 0 |", self.non_200);
        let _ = writeln!(
            out,
            "| in flight when the run ended (abandoned by oha) | {} | |",
            self.cut_off
        );
    }
}

/// Runs `shot` and reads oha's JSON report.
///
/// # Errors
/// When oha cannot be run, fails, or prints something else than its JSON.
pub fn run(oha: &Path, shot: &Shot<'_>) -> Result<Load> {
    let mut command = Command::new(oha);
    command.args(["--no-tui", "--output-format", "json"]);
    if let Some(rate) = shot.rate {
        command.args(["--latency-correction", "-q", &rate.to_string()]);
    }
    if let Some(body) = shot.post_json {
        command.args(["-m", "POST", "-T", "application/json", "-d", body]);
    }
    if let Some(lines) = shot.post_json_lines {
        command.args(["-m", "POST", "-T", "application/json", "-Z"]);
        command.arg(lines);
    }
    if shot.urls_from_file {
        command.arg("--urls-from-file");
    }
    for header in shot.headers {
        command.args(["-H", header]);
    }
    let output = command
        .args(["-z", &format!("{}s", shot.seconds)])
        .args(["-c", &shot.connections.to_string(), shot.url])
        .output()
        .with_context(|| format!("running {}", oha.display()))?;
    if !output.status.success() {
        bail!("oha failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .with_context(|| format!("oha's JSON: {}", String::from_utf8_lossy(&output.stdout)))?;
    let secs = |v: &serde_json::Value| v.as_f64().unwrap_or(f64::NAN) * 1000.0;
    let codes = report["statusCodeDistribution"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let total: u64 = codes.values().filter_map(serde_json::Value::as_u64).sum();
    let ok = codes
        .get("200")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0);
    let errors = report["errorDistribution"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    Ok(Load {
        requests: total,
        rps: report["summary"]["requestsPerSec"]
            .as_f64()
            .unwrap_or(f64::NAN),
        p50_ms: secs(&report["latencyPercentiles"]["p50"]),
        p95_ms: secs(&report["latencyPercentiles"]["p95"]),
        p99_ms: secs(&report["latencyPercentiles"]["p99"]),
        max_ms: secs(&report["summary"]["slowest"]),
        non_200: total - ok
            + errors
                .iter()
                .filter(|(name, _)| name.as_str() != CUT_OFF)
                .filter_map(|(_, n)| n.as_u64())
                .sum::<u64>(),
        cut_off: errors
            .get(CUT_OFF)
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0),
    })
}

/// oha on the PATH, or installed once into `target/tools` with `cargo install`.
///
/// # Errors
/// When `cargo install` fails.
pub fn install() -> Result<PathBuf> {
    if Command::new("oha")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return Ok(PathBuf::from("oha"));
    }
    let root = workspace_root().join("target/tools");
    let binary = root.join("bin/oha");
    if binary.is_file() {
        return Ok(binary);
    }
    eprintln!(
        "bench: installing oha {OHA_VERSION} into {}",
        root.display()
    );
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args([
            "install",
            "oha",
            "--locked",
            "--version",
            OHA_VERSION,
            "--root",
        ])
        .arg(&root)
        .status()
        .context("running cargo install oha")?;
    if !status.success() {
        bail!("cargo install oha failed ({status})");
    }
    Ok(binary)
}
