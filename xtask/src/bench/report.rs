//! Summaries of samples, markdown tables and the machine facts every benchmark prints.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;

/// min / median / p90 / p95 / max of a series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub min: f64,
    pub median: f64,
    /// Nearest-rank 90th percentile.
    pub p90: f64,
    /// Nearest-rank 95th percentile.
    pub p95: f64,
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
        let rank95 = (n * 19).div_ceil(20).max(1);
        Some(Self {
            min,
            median,
            p90: sorted[rank - 1],
            p95: sorted[rank95 - 1],
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
