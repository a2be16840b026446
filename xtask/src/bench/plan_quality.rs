//! `cargo xtask bench plan-quality`: what PSMA's plan saves on the bundled demo catalog.
//!
//! Bar (issue #7): on the demo catalog with a realistic selection of 20 shows, report subscribed
//! days and cost of PSMA's plan against the naive plan (every show on its first-listed service,
//! no merging). Not a timing: the debug binary will do (`cargo build -p psma` first).
//!
//! The selection is fixed so the figure can be reproduced: the first 20 shows of
//! `GET /api/v1/shows` (by title), alternately watched as aired and binged after the season
//! (14 days), planned as of 2026-12-01 for a US household with no service of its own.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{self, Command, ExitCode};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use super::probe;
use crate::workspace_root;

const TODAY: &str = "2026-12-01";
const SHOWS: usize = 20;

/// `cargo xtask bench plan-quality …`
#[derive(Debug, Clone, clap::Args)]
pub struct PlanQualityArgs {
    /// Use the existing target/debug/psma instead of building it first.
    #[arg(long)]
    pub no_build: bool,
}

/// Plans the selection and prints the markdown section.
///
/// # Errors
/// When the build, the server or a request fails.
pub fn run(args: &PlanQualityArgs) -> Result<ExitCode> {
    let binary = debug_binary(args.no_build)?;
    let dir = env::temp_dir().join(format!("psma-bench-plan-quality-{}", process::id()));
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let result = measure(&binary, &dir);
    fs::remove_dir_all(&dir).ok();
    let (titles, plan) = result?;
    print!("{}", markdown(&titles, &plan));
    Ok(ExitCode::SUCCESS)
}

fn debug_binary(no_build: bool) -> Result<PathBuf> {
    let root = workspace_root();
    if !no_build {
        let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "-p", "psma"])
            .current_dir(&root)
            .status()
            .context("running cargo build")?;
        if !status.success() {
            bail!("cargo build -p psma failed: {status}");
        }
    }
    let target = env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    Ok(target.join("debug/psma"))
}

fn measure(binary: &Path, dir: &Path) -> Result<(Vec<String>, Value)> {
    let env = [
        (
            "PSMA_DATABASE__URL",
            format!("sqlite://{}?mode=rwc", dir.join("psma.db").display()),
        ),
        ("PSMA_CATALOG__LOAD_DEMO", "true".to_owned()),
        // Re-plans after each edit would plan as of the machine's day; this plan is as of TODAY.
        ("PSMA_WORKER__EMBEDDED", "false".to_owned()),
    ];
    let server = probe::start(&probe::Launch {
        binary,
        env: &env,
        log: dir.join("serve.log"),
    })?;
    let port = server.port();
    let list = json_of(probe::get_body(
        port,
        &format!("/api/v1/shows?limit={SHOWS}"),
    ))?;
    let shows: Vec<(String, String)> = list["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|s| {
                    Some((
                        s["id"].as_str()?.to_owned(),
                        s["title"].as_str()?.to_owned(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    if shows.len() < SHOWS {
        bail!(
            "the demo catalog lists {} shows, fewer than {SHOWS}",
            shows.len()
        );
    }
    for (i, (id, _)) in shows.iter().enumerate() {
        let mode = if i % 2 == 0 {
            "as_aired"
        } else {
            "binge_after_season"
        };
        let body = json!({"watch_mode": mode, "binge_days": 14}).to_string();
        let (status, answer) =
            probe::put_json(port, &format!("/api/v1/my-shows/{id}"), body.as_bytes())?;
        if status != 201 {
            bail!(
                "PUT my-shows/{id}: {status} {}",
                String::from_utf8_lossy(&answer)
            );
        }
    }
    let body = json!({ "today": TODAY }).to_string();
    let plan = json_of(probe::post_json(port, "/api/v1/plans", body.as_bytes()))?;
    server.stop()?;
    Ok((shows.into_iter().map(|(_, t)| t).collect(), plan))
}

fn json_of(answer: std::io::Result<(u16, Vec<u8>)>) -> Result<Value> {
    let (status, body) = answer?;
    if !(200..300).contains(&status) {
        bail!("answered {status}: {}", String::from_utf8_lossy(&body));
    }
    Ok(serde_json::from_slice(&body)?)
}

fn markdown(titles: &[String], stored: &Value) -> String {
    let plan = stored;
    let totals = &plan["totals"];
    let days = totals["subscribed_days"].as_u64().unwrap_or(0);
    let naive_days = totals["naive_subscribed_days"].as_u64().unwrap_or(0);
    let cost = |key: &str| totals[key]["USD"].as_str().unwrap_or("—").to_owned();
    let count = |key: &str| plan[key].as_array().map_or(0, Vec::len);
    let mut out = String::new();
    let _ = writeln!(out, "### The demo catalog, 20 shows, as of {TODAY} (US)\n");
    let _ = writeln!(out, "Shows: {}.\n", titles.join(", "));
    let _ = writeln!(out, "| | PSMA | naive | saving |\n|---|--:|--:|--:|");
    let saving = naive_days.saturating_sub(days);
    let share = if naive_days == 0 {
        0.0
    } else {
        100.0 * saving as f64 / naive_days as f64
    };
    let _ = writeln!(
        out,
        "| subscribed days | {days} | {naive_days} | {saving} ({share:.0}%) |"
    );
    let (c, n) = (cost("cost"), cost("naive_cost"));
    let cost_saving = match (c.parse::<f64>(), n.parse::<f64>()) {
        (Ok(c), Ok(n)) => format!(
            "{:.2} ({:.0}%)",
            n - c,
            if n > 0.0 { 100.0 * (n - c) / n } else { 0.0 }
        ),
        _ => "—".to_owned(),
    };
    let _ = writeln!(
        out,
        "| cost (USD, known prices) | {c} | {n} | {cost_saving} |"
    );
    let _ = writeln!(
        out,
        "\n{} events, {} shows covered by no subscription needed, {} left out, {} questions; objective `{}`, optimal `{}`.",
        count("events"),
        count("covered"),
        count("blocked"),
        count("questions"),
        plan["search"]["objective"].as_str().unwrap_or("?"),
        plan["search"]["optimal"]
    );
    out
}
