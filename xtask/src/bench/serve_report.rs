//! The markdown that `cargo xtask bench serve` prints.

use std::path::Path;

use super::ms;
use super::report::{Row, inherited_overrides, machine, mib, table};
use super::serve::{REQUESTS, Sample};

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
             one new database per run, migrated by its superuser at start, `psma` connected as \
             the app role `psma_bench_app` (no `BYPASSRLS`)."
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
