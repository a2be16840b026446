//! `cargo xtask schemathesis`: property-based tests of the HTTP API against its own OpenAPI
//! document, with every schemathesis check, on a live `psma serve` (SQLite, demo catalog) in
//! hosted mode, as a household's owner with a valid access token (so the checks that a
//! declared security scheme is enforced run too).
//!
//! schemathesis is pinned and installed once into a virtualenv under `target/tools`, so a fresh
//! machine needs only Python 3 with `venv`. The few documented exceptions live in
//! `xtask/schemathesis.toml`.

use std::env;
use std::fs;
use std::path::PathBuf;
use std::process::{self, Command};

use anyhow::{Context, Result, bail};

use crate::bench::hosted::Operator;
use crate::bench::probe;
use crate::workspace_root;

/// The version this configuration was written for.
const VERSION: &str = "4.32.5";

/// Builds `psma`, starts it on a new SQLite database with the demo catalog, and runs
/// schemathesis against `/api/v1/openapi.json`.
///
/// # Errors
/// When Python, the install, the build or the server fails, or schemathesis finds a failure.
pub fn run() -> Result<()> {
    let st = install()?;
    let root = workspace_root();
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(&cargo)
        .args(["build", "--locked", "-p", "psma"])
        .current_dir(&root)
        .status()
        .context("running cargo build")?;
    if !status.success() {
        bail!("cargo build -p psma failed ({status})");
    }
    let target = env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let dir = env::temp_dir().join(format!("psma-schemathesis-{}", process::id()));
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let binary = target.join("debug/psma");
    let keys = dir.join("keys");
    let env = [
        (
            "PSMA_DATABASE__URL",
            format!("sqlite://{}?mode=rwc", dir.join("psma.db").display()),
        ),
        ("PSMA_CATALOG__LOAD_DEMO", "true".to_owned()),
        ("PSMA_TELEMETRY__LOG_LEVEL", "warn".to_owned()),
        ("PSMA_AUTH__MODE", "jwt".to_owned()),
        ("PSMA_AUTH__KEYS_DIR", keys.display().to_string()),
        // One client sends thousands of requests: the limits would answer most with 429.
        ("PSMA_SERVER__RATE_LIMITS__ENABLED", "false".to_owned()),
        // An identity provider, so sign-in's start and callback run for real (the provider
        // itself is a closed port: a callback that got that far would answer 502).
        ("PSMA_SERVER__PUBLIC_URL", "http://127.0.0.1:9".to_owned()),
        (
            "PSMA_AUTH__OAUTH__GITHUB__CLIENT_ID",
            "schemathesis".to_owned(),
        ),
        (
            "PSMA_AUTH__OAUTH__GITHUB__CLIENT_SECRET",
            "schemathesis".to_owned(),
        ),
        (
            "PSMA_AUTH__OAUTH__GITHUB__TOKEN_URL",
            "http://127.0.0.1:9/token".to_owned(),
        ),
        (
            "PSMA_AUTH__OAUTH__GITHUB__API_URL",
            "http://127.0.0.1:9".to_owned(),
        ),
    ];
    let operator = Operator {
        binary: &binary,
        env: &env,
    };
    operator.generate_keys(&keys)?;
    let server = probe::start(&probe::Launch {
        binary: &binary,
        env: &env,
        log: dir.join("serve.log"),
    })?;
    // A household's owner, signed in: the access token lasts 15 minutes, longer than the run.
    let token = operator
        .create_household(
            server.port(),
            "Schemathesis",
            "owner@schemathesis.test",
            "schemathesis owner password",
        )?
        .owner_token;
    let url = format!("http://127.0.0.1:{}/api/v1/openapi.json", server.port());
    let status = Command::new(&st)
        .arg("--config-file")
        .arg(root.join("xtask/schemathesis.toml"))
        .args(["run", &url, "--checks", "all", "--seed", "1"])
        .args(["--max-examples", "50"])
        // The live-update stream never ends by itself (it is an event stream): a test request
        // would wait for its timeout. Its own tests cover it (crates/psma/tests/api/events.rs).
        .args(["--exclude-operation-id", "stream_events"])
        .args(["--header", &format!("Authorization: Bearer {token}")])
        .env("SCHEMATHESIS_HOOKS", "")
        .status()
        .with_context(|| format!("running {}", st.display()))?;
    let stopped = server.stop()?;
    if !status.success() {
        bail!(
            "schemathesis found failures ({status}); server log kept in {}",
            dir.display()
        );
    }
    if !stopped.status.success() {
        bail!("psma serve exited with {} after SIGTERM", stopped.status);
    }
    fs::remove_dir_all(&dir).ok();
    Ok(())
}

/// `st` from `target/tools/schemathesis-VERSION`, created on first use.
fn install() -> Result<PathBuf> {
    let venv = workspace_root().join(format!("target/tools/schemathesis-{VERSION}"));
    let st = venv.join("bin/st");
    if st.is_file() {
        return Ok(st);
    }
    eprintln!("schemathesis: installing {VERSION} into {}", venv.display());
    run_ok(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    run_ok(
        Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .arg(format!("schemathesis=={VERSION}")),
    )?;
    if !st.is_file() {
        bail!("{} is missing after the install", st.display());
    }
    Ok(st)
}

fn run_ok(command: &mut Command) -> Result<()> {
    let shown = format!("{command:?}");
    let status = command
        .status()
        .with_context(|| format!("running {shown}"))?;
    if !status.success() {
        bail!("{shown} failed ({status})");
    }
    Ok(())
}
