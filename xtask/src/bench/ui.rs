//! `cargo xtask bench ui`: the web UI's bars on the demo catalog, release build, SQLite.
//!
//! - **Server time p95 < 20 ms on every page**: each page is requested serially for a few
//!   seconds (oha, one connection, `Accept: text/html`); the figure is the server's own
//!   `latency_ms` from its request log lines of that run (oha's client-side p95 beside it).
//! - **The plan page's HTML + CSS + JS < 150 KB uncompressed**: the bytes of `/plan` and of
//!   the stylesheet and script it names, for a member following 20 shows.
//! - **First contentful paint < 500 ms** in headless Chromium: each page loaded 20 times, each
//!   in a new browser context (a cold cache), FCP from the Paint Timing API
//!   (`xtask/ui/bench_fcp.py`, with the Playwright `cargo xtask ui` installs).
//!
//! The household: 20 demo shows (a mix of watch modes), Netflix kept permanently and Max with
//! a price, a plan made, and the advice the worker raises after it.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::{self, Command, ExitCode};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::oha::{self, OHA_VERSION, Shot};
use super::probe;
use super::release_binary;
use super::report::{Summary, machine};
use crate::workspace_root;

const SERVER_P95_BAR_MS: f64 = 20.0;
const WEIGHT_BAR_BYTES: usize = 150 * 1024;
const FCP_BAR_MS: f64 = 500.0;

/// `cargo xtask bench ui …`
#[derive(Debug, Clone, clap::Args)]
pub struct UiArgs {
    /// Seconds of serial requests per page.
    #[arg(long, default_value_t = 5)]
    pub seconds: u32,
    /// Cold page loads per page for first contentful paint.
    #[arg(long, default_value_t = 20)]
    pub loads: u32,
    /// Use the existing target/release/psma instead of building it first.
    #[arg(long)]
    pub no_build: bool,
}

/// One page's figures.
struct PageRow {
    path: String,
    server: Summary,
    client_p95_ms: f64,
    requests: u64,
    non_200: u64,
}

/// Runs the benchmark.
///
/// # Errors
/// When the build, the tools, the server or a load run fails.
pub fn run(args: &UiArgs) -> Result<ExitCode> {
    let root = workspace_root();
    let oha = oha::install()?;
    let tools = crate::ui::install(&root)?;
    let binary = release_binary(args.no_build)?;
    let dir = env::temp_dir().join(format!("psma-bench-ui-{}", process::id()));
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let log = dir.join("serve.log");
    let env = vec![
        (
            "PSMA_DATABASE__URL",
            format!("sqlite://{}", dir.join("psma.db").display()),
        ),
        ("PSMA_CATALOG__LOAD_DEMO", "true".to_owned()),
        ("PSMA_TELEMETRY__LOG_LEVEL", "info".to_owned()),
        ("PSMA_WORKER__POLL_INTERVAL_MS", "100".to_owned()),
    ];
    let server = probe::start(&probe::Launch {
        binary: &binary,
        env: &env,
        log: log.clone(),
    })?;
    let port = server.port();
    let household = seed(port)?;
    let pages = pages(&household);

    let mut rows = Vec::new();
    for path in &pages {
        rows.push(measure_page(&oha, port, path, &log, args.seconds)?);
    }
    let weight = plan_weight(port)?;
    let fcp = first_paint(
        &tools.python,
        port,
        &["/", "/catalog", "/plan", "/advice"],
        args.loads,
    )?;
    server.stop()?;
    fs::remove_dir_all(&dir).ok();

    print!("{}", markdown(&root, &binary, args, &rows, &weight, &fcp));
    let slowest = rows.iter().map(|r| r.server.p95).fold(0.0_f64, f64::max);
    let fcp_worst = fcp.iter().map(|(_, s)| s.p95).fold(0.0_f64, f64::max);
    let errors: u64 = rows.iter().map(|r| r.non_200).sum();
    if slowest >= SERVER_P95_BAR_MS
        || weight.total() >= WEIGHT_BAR_BYTES
        || fcp_worst >= FCP_BAR_MS
        || errors > 0
    {
        eprintln!(
            "bench: bar missed: slowest page p95 {slowest:.1} ms (< {SERVER_P95_BAR_MS}), plan page {} bytes (< {WEIGHT_BAR_BYTES}), FCP p95 {fcp_worst:.0} ms (< {FCP_BAR_MS}), {errors} non-200",
            weight.total()
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// Ids the pages are opened with.
struct Household {
    show: String,
    followed: String,
    conflict: Option<String>,
}

fn json(port: u16, path: &str) -> Result<serde_json::Value> {
    let (status, body) = probe::get_body(port, path).with_context(|| format!("GET {path}"))?;
    if status != 200 {
        bail!(
            "GET {path} answered {status}: {}",
            String::from_utf8_lossy(&body)
        );
    }
    serde_json::from_slice(&body).with_context(|| format!("GET {path}: not JSON"))
}

/// 20 shows followed, two services, a plan, and the worker's advice.
fn seed(port: u16) -> Result<Household> {
    let shows = json(port, "/api/v1/shows?limit=20")?;
    let ids: Vec<String> = shows["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["id"].as_str().map(str::to_owned))
        .collect();
    if ids.len() < 20 {
        bail!(
            "the demo catalog has {} shows, expected 20 or more",
            ids.len()
        );
    }
    for (i, id) in ids.iter().enumerate() {
        let mode = if i % 3 == 0 {
            "binge_after_season"
        } else {
            "as_aired"
        };
        let body = format!(r#"{{"watch_mode": "{mode}"}}"#);
        let (status, text) =
            probe::put_json(port, &format!("/api/v1/my-shows/{id}"), body.as_bytes())?;
        if status >= 300 {
            bail!(
                "adding a show answered {status}: {}",
                String::from_utf8_lossy(&text)
            );
        }
    }
    for (service, body) in [
        (
            "netflix",
            r#"{"permanent": true, "monthly_price": "17.99", "currency": "USD", "billing_cycle_days": 30}"#,
        ),
        (
            "max",
            r#"{"permanent": false, "monthly_price": "16.99", "currency": "USD", "billing_cycle_days": 30}"#,
        ),
    ] {
        let (status, text) = probe::put_json(
            port,
            &format!("/api/v1/my-services/{service}"),
            body.as_bytes(),
        )?;
        if status >= 300 {
            bail!(
                "adding {service} answered {status}: {}",
                String::from_utf8_lossy(&text)
            );
        }
    }
    let (status, text) = probe::post_json(port, "/api/v1/plans", b"{}")?;
    if status >= 300 {
        bail!(
            "planning answered {status}: {}",
            String::from_utf8_lossy(&text)
        );
    }
    // The worker raises advice after the plan; wait for it (and for its re-plans to settle).
    let began = Instant::now();
    while json(port, "/api/v1/advice?status=pending")?["items"]
        .as_array()
        .is_none_or(Vec::is_empty)
    {
        if began.elapsed() > Duration::from_secs(60) {
            bail!("no advice after 60 s");
        }
        thread::sleep(Duration::from_millis(200));
    }
    thread::sleep(Duration::from_secs(2));
    let conflicts = json(port, "/api/v1/conflicts?status=open")?;
    Ok(Household {
        show: ids[1].clone(),
        followed: ids[0].clone(),
        conflict: conflicts["items"][0]["id"].as_str().map(str::to_owned),
    })
}

fn pages(h: &Household) -> Vec<String> {
    let mut pages: Vec<String> = [
        "/",
        "/catalog",
        "/catalog?q=the",
        "/catalog?service_id=netflix&country=US&status=available",
        "/my-shows",
        "/my-services",
        "/plan",
        "/plan/delta",
        "/advice",
        "/conflicts",
        "/import",
        "/providers",
        "/settings",
    ]
    .iter()
    .map(|p| (*p).to_owned())
    .collect();
    pages.insert(2, format!("/shows/{}", h.show));
    pages.insert(5, format!("/my-shows/{}", h.followed));
    if let Some(c) = &h.conflict {
        pages.push(format!("/conflicts/{c}"));
    }
    pages
}

fn measure_page(
    oha_bin: &Path,
    port: u16,
    path: &str,
    log: &Path,
    seconds: u32,
) -> Result<PageRow> {
    let url = format!("http://127.0.0.1:{port}{path}");
    let headers = vec!["Accept: text/html".to_owned()];
    let shot = |seconds| Shot {
        url: &url,
        rate: None,
        connections: 1,
        seconds,
        post_json: None,
        post_json_lines: None,
        urls_from_file: false,
        headers: &headers,
    };
    oha::run(oha_bin, &shot(1))?;
    let from = fs::metadata(log).map(|m| m.len()).unwrap_or(0);
    eprintln!("bench: {seconds} s of GET {path}");
    let load = oha::run(oha_bin, &shot(seconds))?;
    // Let the last lines reach the file.
    thread::sleep(Duration::from_millis(300));
    let text = fs::read(log).with_context(|| format!("reading {}", log.display()))?;
    let start = usize::try_from(from).unwrap_or(0).min(text.len());
    let only_path = path.split('?').next().unwrap_or(path);
    let latencies: Vec<f64> = String::from_utf8_lossy(&text[start..])
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|l| l["fields"]["message"] == "request" || l["message"] == "request")
        .filter(|l| field(l, "path").as_deref() == Some(only_path))
        .filter_map(|l| field(&l, "latency_ms").and_then(|v| v.parse().ok()))
        .collect();
    let server = Summary::of(&latencies)
        .with_context(|| format!("no request lines for {path} in the server log"))?;
    Ok(PageRow {
        path: path.to_owned(),
        server,
        client_p95_ms: load.p95_ms,
        requests: load.requests,
        non_200: load.non_200,
    })
}

/// A field of a JSON log line, at the top or under `fields`, as text.
fn field(line: &serde_json::Value, name: &str) -> Option<String> {
    let value = line.get(name).or_else(|| line["fields"].get(name))?;
    Some(match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

/// The plan page's bytes.
struct Weight {
    html: usize,
    css: usize,
    js: usize,
}

impl Weight {
    fn total(&self) -> usize {
        self.html + self.css + self.js
    }
}

fn plan_weight(port: u16) -> Result<Weight> {
    let (status, html) = probe::get_body(port, "/plan")?;
    if status != 200 {
        bail!("GET /plan answered {status}");
    }
    let text = String::from_utf8_lossy(&html).into_owned();
    let asset = |ext: &str| -> Result<usize> {
        let url = text
            .split('"')
            .find(|p| p.starts_with("/assets/app.") && p.ends_with(ext))
            .with_context(|| format!("/plan names no app{ext}"))?;
        let (status, body) = probe::get_body(port, url)?;
        if status != 200 {
            bail!("GET {url} answered {status}");
        }
        Ok(body.len())
    };
    Ok(Weight {
        html: html.len(),
        css: asset(".css")?,
        js: asset(".js")?,
    })
}

/// First contentful paint per page: median, p95, max over cold loads.
fn first_paint(
    python: &Path,
    port: u16,
    pages: &[&str],
    loads: u32,
) -> Result<Vec<(String, Summary)>> {
    let script = workspace_root().join("xtask/ui/bench_fcp.py");
    let output = Command::new(python)
        .arg(&script)
        .arg(format!("http://127.0.0.1:{port}"))
        .arg(loads.to_string())
        .args(pages)
        .env("CHROMIUM", "/usr/bin/chromium")
        .output()
        .with_context(|| format!("running {}", script.display()))?;
    if !output.status.success() {
        bail!(
            "{} failed: {}",
            script.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .with_context(|| format!("FCP report: {}", String::from_utf8_lossy(&output.stdout)))?;
    pages
        .iter()
        .map(|page| {
            let values: Vec<f64> = report[page]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(serde_json::Value::as_f64)
                .collect();
            let summary = Summary::of(&values).with_context(|| format!("no FCP for {page}"))?;
            Ok(((*page).to_owned(), summary))
        })
        .collect()
}

fn markdown(
    root: &Path,
    binary: &Path,
    args: &UiArgs,
    rows: &[PageRow],
    weight: &Weight,
    fcp: &[(String, Summary)],
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### Web UI (`cargo xtask bench ui`)\n");
    let _ = writeln!(out, "{}", machine(root, binary));
    let _ = writeln!(
        out,
        "Demo catalog on SQLite; a member following 20 shows, two services, a plan and its advice. Each page requested serially for {} s (oha {OHA_VERSION}, one connection); server time is the server's own `latency_ms` per request.\n",
        args.seconds
    );
    let _ = writeln!(
        out,
        "| page | requests | server p50 (ms) | server p95 (ms) | server max (ms) | client p95 (ms) | non-200 |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|");
    for r in rows {
        let _ = writeln!(
            out,
            "| `{}` | {} | {:.2} | **{:.2}** | {:.1} | {:.2} | {} |",
            r.path,
            r.requests,
            r.server.median,
            r.server.p95,
            r.server.max,
            r.client_p95_ms,
            r.non_200
        );
    }
    let _ = writeln!(
        out,
        "\nBar: every page's server p95 < {SERVER_P95_BAR_MS} ms.\n"
    );
    let _ = writeln!(out, "| plan page, uncompressed | bytes |");
    let _ = writeln!(out, "|---|---|");
    let _ = writeln!(out, "| HTML (`/plan`) | {} |", weight.html);
    let _ = writeln!(out, "| CSS | {} |", weight.css);
    let _ = writeln!(out, "| JS | {} |", weight.js);
    let _ = writeln!(
        out,
        "| **total** | **{}** (bar < {WEIGHT_BAR_BYTES}) |\n",
        weight.total()
    );
    let _ = writeln!(
        out,
        "First contentful paint, headless Chromium (Debian's), {} cold loads per page, each in a new browser context:\n",
        args.loads
    );
    let _ = writeln!(out, "| page | median (ms) | p95 (ms) | max (ms) |");
    let _ = writeln!(out, "|---|---|---|---|");
    for (page, s) in fcp {
        let _ = writeln!(
            out,
            "| `{page}` | {:.0} | **{:.0}** | {:.0} |",
            s.median, s.p95, s.max
        );
    }
    let _ = writeln!(out, "\nBar: FCP p95 < {FCP_BAR_MS} ms.");
    out
}
