//! `cargo xtask bench catalog`: `GET /api/v1/shows?limit=50` with a filter on a catalog of
//! 100,000 shows, offered at a fixed 2,000 requests/s by oha, on SQLite or PostgreSQL.
//!
//! Bar: p99 latency under 20 ms at 2,000 req/s. oha's latency correction counts the time a
//! request waited for its slot, so a server that falls behind the rate shows it in the tail
//! (coordinated omission); every response must be a 200.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::{self, Command, ExitCode};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use super::dataset::{self, Spec};
use super::oha::{self, Load, OHA_VERSION, Shot};
use super::probe;
use super::release_binary;
use super::report::machine;
use super::scratch::Backend;
use crate::workspace_root;

const P99_BAR_MS: f64 = 20.0;

/// `cargo xtask bench catalog …`
#[derive(Debug, Clone, clap::Args)]
pub struct CatalogArgs {
    /// Shows in the catalog (each with 2 availability windows).
    #[arg(long, default_value_t = 100_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub shows: u64,
    /// Requests per second offered.
    #[arg(long, default_value_t = 2000)]
    pub rate: u32,
    /// Seconds of load, after 5 s of warm-up at the same rate.
    #[arg(long, default_value_t = 30)]
    pub seconds: u32,
    /// The filter, as a query string added to `limit=50`.
    #[arg(long, default_value = "service_id=netflix&country=US")]
    pub filter: String,
    /// Use a new database on the `cargo xtask pg` server instead of a SQLite file.
    #[arg(long)]
    pub postgres: bool,
    /// Use the existing target/release/psma instead of building it first.
    #[arg(long)]
    pub no_build: bool,
    /// Keep the catalog (SQLite file or PostgreSQL database) afterwards, to profile it.
    #[arg(long)]
    pub keep: bool,
}

/// Runs the benchmark.
///
/// # Errors
/// When the build, oha, the data, the database or the server fails.
pub fn run(args: &CatalogArgs) -> Result<ExitCode> {
    let oha = oha::install()?;
    let binary = release_binary(args.no_build)?;
    let backend = Backend::choose(args.postgres)?;
    let dir = env::temp_dir().join(format!("psma-bench-catalog-{}", process::id()));
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let result = measure(&oha, &binary, &backend, &dir, args);
    let name = backend.name();
    backend.finish()?;
    let (load, items, import_secs) = result?;
    if !args.keep {
        fs::remove_dir_all(&dir).ok();
    }

    print!(
        "{}",
        markdown(&binary, name, args, &load, items, import_secs)
    );
    let mut code = ExitCode::SUCCESS;
    if load.p99_ms >= P99_BAR_MS || load.non_200 > 0 || items == 0 {
        eprintln!(
            "bench: bar missed: p99 {:.1} ms (bar < {P99_BAR_MS} ms), {} non-200 responses, {} items on the first page",
            load.p99_ms, load.non_200, items
        );
        code = ExitCode::FAILURE;
    }
    Ok(code)
}

fn measure(
    oha: &Path,
    binary: &Path,
    backend: &Backend,
    dir: &Path,
    args: &CatalogArgs,
) -> Result<(Load, usize, f64)> {
    let spec = Spec {
        shows: args.shows,
        availability: 2,
        episodes: 0,
        modified: false,
    };
    let file = dir.join("catalog.json");
    dataset::write(&file, spec, &dataset::registry_services()?)?;
    let mut scratch = backend.database(dir, 1)?;
    if args.keep {
        scratch.keep();
    }
    eprintln!("bench: importing {} shows", args.shows);
    let began = Instant::now();
    let output = Command::new(binary)
        .arg("import")
        .arg(&file)
        .envs(scratch.env.iter().map(|(k, v)| (*k, v.as_str())))
        .env("PSMA_CATALOG__LOAD_DEMO", "false")
        .env("PSMA_TELEMETRY__LOG_LEVEL", "warn")
        .output()
        .context("running psma import")?;
    if !output.status.success() {
        bail!(
            "psma import failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let import_secs = began.elapsed().as_secs_f64();
    scratch.settle()?;

    let mut env = scratch.env.clone();
    env.push(("PSMA_CATALOG__LOAD_DEMO", "false".to_owned()));
    env.push(("PSMA_TELEMETRY__LOG_LEVEL", "warn".to_owned()));
    let server = probe::start(&probe::Launch {
        binary,
        env: &env,
        log: dir.join("serve.log"),
    })?;
    let url = format!(
        "http://127.0.0.1:{}/api/v1/shows?limit=50&{}",
        server.port(),
        args.filter
    );
    let items = first_page_items(server.port(), &url)?;
    eprintln!(
        "bench: warming up, then {} s at {} req/s on {url}",
        args.seconds, args.rate
    );
    let shot = |seconds| Shot {
        url: &url,
        rate: Some(args.rate),
        connections: 50,
        seconds,
        post_json: None,
        post_json_lines: None,
        urls_from_file: false,
        headers: &[],
    };
    oha::run(oha, &shot(5))?;
    let load = oha::run(oha, &shot(args.seconds))?;
    server.stop()?;
    Ok((load, items, import_secs))
}

/// How many shows the first page holds: the filter must select something.
fn first_page_items(port: u16, url: &str) -> Result<usize> {
    let path = url
        .split_once(&format!(":{port}"))
        .map_or(url, |(_, path)| path);
    let (status, body) = probe::get_body(port, path).with_context(|| format!("GET {path}"))?;
    if status != 200 {
        bail!(
            "GET {path} answered {status}: {}",
            String::from_utf8_lossy(&body)
        );
    }
    let page: serde_json::Value = serde_json::from_slice(&body)?;
    Ok(page["items"].as_array().map_or(0, Vec::len))
}

fn markdown(
    binary: &Path,
    backend: &str,
    args: &CatalogArgs,
    load: &Load,
    items: usize,
    import_secs: f64,
) -> String {
    let mut out = format!("### `GET /api/v1/shows` on {backend}\n\n");
    out.push_str("| measure | value | bar |\n|---|--:|---|\n");
    load.rows(&mut out, &format!("{} offered", args.rate), P99_BAR_MS);
    out.push('\n');
    out.push_str(&machine(&workspace_root(), binary));
    let _ = writeln!(
        out,
        "- Method: `cargo xtask bench catalog{}`: {} shows (2 availability windows each, \
         imported with `psma import` in {import_secs:.0} s; on PostgreSQL then `VACUUM (ANALYZE)`), `psma serve` with its defaults, \
         `GET /api/v1/shows?limit=50&{}` ({} items on the page) offered at {} req/s by oha \
         {OHA_VERSION} (`-q {} -c 50 --latency-correction`) for {} s after a 5 s warm-up, \
         from the same machine.",
        if args.postgres { " --postgres" } else { "" },
        args.shows,
        args.filter,
        items,
        args.rate,
        args.rate,
        args.seconds
    );
    out
}
