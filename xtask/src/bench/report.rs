//! Summaries of the samples and the markdown that `cargo xtask bench serve` prints.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;

use super::{REQUESTS, Sample, ms};

/// min / median / p90 / max of a series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub min: f64,
    pub median: f64,
    /// Nearest-rank 90th percentile.
    pub p90: f64,
    pub max: f64,
}

impl Summary {
    /// `None` for an empty series.
    #[must_use]
    pub fn of(values: &[f64]) -> Option<Self> {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let (&min, &max) = (sorted.first()?, sorted.last()?);
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            f64::midpoint(sorted[n / 2 - 1], sorted[n / 2])
        };
        // Nearest rank: the smallest value with at least 90 % of the series at or below it.
        let rank = (n * 9).div_ceil(10).max(1);
        Some(Self {
            min,
            median,
            p90: sorted[rank - 1],
            max,
        })
    }
}

/// One table row: a label and its series.
pub struct Row {
    pub label: String,
    pub values: Vec<f64>,
    /// Digits after the decimal point.
    pub decimals: usize,
    /// The bar the median is held to, as shown in the last column.
    pub bar: &'static str,
}

/// The markdown table: one row per series.
#[must_use]
pub fn table(rows: &[Row]) -> String {
    let mut out = String::from("| measure | n | min | median | p90 | max | bar (median) |\n");
    out.push_str("|---|--:|--:|--:|--:|--:|---|\n");
    for row in rows {
        let cells = Summary::of(&row.values).map_or_else(
            || "– | – | – | –".to_owned(),
            |s| {
                let d = row.decimals;
                format!(
                    "{:.d$} | {:.d$} | {:.d$} | {:.d$}",
                    s.min, s.median, s.p90, s.max
                )
            },
        );
        let _ = writeln!(
            out,
            "| {} | {} | {cells} | {} |",
            row.label,
            row.values.len(),
            row.bar
        );
    }
    out
}

/// The markdown section for one backend: the table, the machine, the method.
pub(super) fn markdown(
    root: &Path,
    binary: &Path,
    backend: &str,
    samples: &[Sample],
    failures: &[u32],
) -> String {
    let collect = |f: &dyn Fn(&Sample) -> f64| samples.iter().map(f).collect::<Vec<f64>>();
    let rows = [
        Row {
            label: "cold start → `/ready` 200 (ms)".to_owned(),
            values: collect(&|s| ms(s.cold_ready)),
            decimals: 0,
            bar: "< 1000",
        },
        Row {
            label: "warm start → `/ready` 200 (ms)".to_owned(),
            values: collect(&|s| ms(s.warm_ready)),
            decimals: 0,
            bar: "",
        },
        Row {
            label: "idle RSS after cold start (MiB)".to_owned(),
            values: collect(&|s| mib(s.cold_memory.rss_kib)),
            decimals: 1,
            bar: "< 30",
        },
        Row {
            label: "idle RSS after warm start (MiB)".to_owned(),
            values: collect(&|s| mib(s.warm_memory.rss_kib)),
            decimals: 1,
            bar: "",
        },
        Row {
            label: "peak RSS, `VmHWM`, cold start (MiB)".to_owned(),
            values: collect(&|s| mib(s.cold_memory.hwm_kib)),
            decimals: 1,
            bar: "",
        },
        Row {
            label: "threads (idle)".to_owned(),
            values: collect(&|s| count(s.cold_memory.threads)),
            decimals: 0,
            bar: "",
        },
        Row {
            label: "SIGTERM → exit (ms)".to_owned(),
            values: samples.iter().flat_map(|s| s.shutdowns.map(ms)).collect(),
            decimals: 0,
            bar: "",
        },
    ];
    let mut vars = vec![
        "PSMA_DATABASE__URL",
        "PSMA_SERVER__BIND",
        "PSMA_TELEMETRY__LOG_FORMAT",
    ];
    if backend == "PostgreSQL" {
        vars.push("PSMA_DATABASE__MIGRATE_ON_START");
    }
    let inherited = inherited_overrides(&vars);
    let overrides = if inherited.is_empty() {
        "none (the defaults of `config/default.toml`)".to_owned()
    } else {
        inherited
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "### `psma serve` on {backend}\n\n{}\n{}\
         - Runs: {}\n\
         - Method: `cargo xtask bench serve{}`; each run starts the release binary on a new \
         database (cold: created and migrated at start) and again on the same one (warm), \
         polls `GET /ready` every 2 ms from just before the spawn, idles 2 s, sends {REQUESTS} \
         requests each to `/api/v1/me` and `/health`, idles 1 s, reads `VmRSS`/`VmHWM` from \
         `/proc/PID/status`, then sends SIGTERM. MiB = 1024 × 1024 bytes.{}\n\
         - Server settings beyond the benchmark's own: {overrides}\n",
        table(&rows),
        machine(root, binary),
        runs_line(samples.len(), failures),
        if backend == "PostgreSQL" {
            " --postgres"
        } else {
            ""
        },
        if backend == "PostgreSQL" {
            " PostgreSQL is the `cargo xtask pg` server on the same machine (fsync off), \
             one new database per run, `migrate_on_start = true`, connected as its superuser."
        } else {
            ""
        },
    )
}

/// How many runs completed; every completed one stopped on SIGTERM with exit status 0.
fn runs_line(completed: usize, failures: &[u32]) -> String {
    let total = completed + failures.len();
    let failed = if failures.is_empty() {
        String::new()
    } else {
        format!("; runs {failures:?} FAILED and are not in the table")
    };
    format!(
        "{completed} of {total} completed; each of their {} stops exited with status 0 \
         within 10 s of SIGTERM{failed}",
        completed * 2
    )
}

#[expect(clippy::cast_precision_loss, reason = "thread counts are small")]
fn count(n: u64) -> f64 {
    n as f64
}

/// Machine, toolchain and build facts, as markdown list items.
#[must_use]
pub fn machine(root: &Path, binary: &Path) -> String {
    let mut out = String::new();
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|line| line.strip_prefix("model name"))
                .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let memory = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|line| line.strip_prefix("MemTotal:"))
                .and_then(|rest| rest.split_whitespace().next()?.parse::<f64>().ok())
        })
        .map_or_else(String::new, |kib| {
            format!(", {:.1} GiB RAM", kib / 1024.0 / 1024.0)
        });
    let _ = writeln!(
        out,
        "- Machine: {} cores (`nproc`), {cpu}{memory}, Linux {} (`uname -r`)",
        output("nproc", &[]),
        output("uname", &["-r"])
    );
    let _ = writeln!(out, "- Toolchain: {}", output("rustc", &["--version"]));
    let size = fs::metadata(binary).map_or_else(
        |_| "?".to_owned(),
        |meta| format!("{:.1}", mib(meta.len() / 1024)),
    );
    let dirty = Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=no"])
        .current_dir(root)
        .output()
        .is_ok_and(|out| !out.stdout.is_empty());
    let _ = writeln!(
        out,
        "- Build: `cargo build --release -p psma` at commit {}{}, binary {size} MiB",
        output_in(root, "git", &["rev-parse", "--short", "HEAD"]),
        if dirty {
            " (with uncommitted changes)"
        } else {
            ""
        }
    );
    let _ = writeln!(
        out,
        "- Date: {}",
        output("date", &["-u", "+%Y-%m-%d %H:%M UTC"])
    );
    out
}

/// `PSMA_*__*`, `MALLOC_*`, `GLIBC_TUNABLES` and `TOKIO_WORKER_THREADS` variables inherited by the server
/// (besides the ones the benchmark sets), values of secret-looking keys masked.
#[must_use]
pub fn inherited_overrides(set_by_bench: &[&str]) -> Vec<String> {
    let mut found: Vec<String> = env::vars()
        .filter(|(key, _)| {
            let psma = key.starts_with("PSMA_") && key.contains("__");
            (psma
                || key.starts_with("MALLOC_")
                || key == "GLIBC_TUNABLES"
                || key == "TOKIO_WORKER_THREADS")
                && !set_by_bench.contains(&key.as_str())
        })
        .map(|(key, value)| {
            let secret = ["PASSWORD", "SECRET", "TOKEN", "KEY", "URL"]
                .iter()
                .any(|word| key.contains(word));
            if secret {
                format!("{key}=***")
            } else {
                format!("{key}={value}")
            }
        })
        .collect();
    found.sort();
    found
}

/// KiB to MiB.
#[expect(
    clippy::cast_precision_loss,
    reason = "memory sizes in KiB are far below 2^52"
)]
#[must_use]
pub fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn output(program: &str, args: &[&str]) -> String {
    output_in(Path::new("."), program, args)
}

fn output_in(dir: &Path, program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .filter(|text| !text.is_empty())
        .unwrap_or_else(|| "?".to_owned())
}

#[cfg(test)]
mod tests {
    use super::Summary;

    #[test]
    fn summarises_odd_and_even_series() {
        let odd = Summary::of(&[5.0, 1.0, 3.0]).unwrap();
        assert_eq!(
            (odd.min, odd.median, odd.p90, odd.max),
            (1.0, 3.0, 5.0, 5.0)
        );
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        let even = Summary::of(&ten).unwrap();
        assert_eq!((even.median, even.p90), (5.5, 9.0));
        assert_eq!(Summary::of(&[]), None);
        assert_eq!(Summary::of(&[7.0]).unwrap().p90, 7.0);
    }
}
