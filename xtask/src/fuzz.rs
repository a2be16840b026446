//! The fuzz targets in `fuzz/` on the stable toolchain: built, and replayed over their seeds.
//!
//! Real fuzzing needs nightly and cargo-fuzz (`cargo +nightly fuzz run import_json`, see
//! `fuzz/Cargo.toml`). CI has neither, so it proves less but still something: that the targets
//! compile against the current parsers, and that every seed keeps the targets' invariants.
//! `fuzz/` is a workspace of its own; it builds into `target/fuzz` so it never waits for the
//! main build's lock (and is cached with `target/`).

use crate::workspace_root;
use anyhow::{Context, Result, bail};
use std::path::PathBuf;
use std::process::Command;

/// The fuzz targets: each is a binary of `fuzz/` with a seed corpus in `fuzz/corpus/<name>/`.
pub const TARGETS: [&str; 5] = [
    "import_json",
    "import_csv",
    "tvmaze_show",
    "tmdb_details",
    "exec_protocol",
];

/// Builds every fuzz target on the current (stable) toolchain, without cargo-fuzz or a sanitizer,
/// with `--locked` against the committed `fuzz/Cargo.lock`.
///
/// libfuzzer-sys compiles libFuzzer itself, so this needs a C++ compiler (`c++`, or whatever
/// `CXX` names) besides Rust.
///
/// # Errors
/// When cargo cannot be run or the build fails (a target no longer compiles, `fuzz/Cargo.lock`
/// is stale, or there is no C++ compiler).
pub fn build() -> Result<()> {
    let root = workspace_root();
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args([
            "build",
            "--manifest-path",
            "fuzz/Cargo.toml",
            "--locked",
            "--bins",
        ])
        .arg("--target-dir")
        .arg(target_dir())
        .current_dir(&root)
        .status()
        .context("running cargo build for the fuzz targets")?;
    if !status.success() {
        bail!("building the fuzz targets failed ({status})");
    }
    Ok(())
}

/// Runs each target built by [`build`] once over every file of its seed corpus (libFuzzer's
/// `-runs=0`: no mutation, nothing written), so a seed that breaks an invariant fails CI.
///
/// # Errors
/// When a target has not been built, cannot be run, or panics on a seed.
pub fn replay_seeds() -> Result<()> {
    let root = workspace_root();
    for target in TARGETS {
        let binary = target_dir()
            .join("debug")
            .join(format!("{target}{}", std::env::consts::EXE_SUFFIX));
        let corpus = root.join("fuzz/corpus").join(target);
        let status = Command::new(&binary)
            .arg("-runs=0")
            .arg(&corpus)
            .current_dir(&root)
            .status()
            .with_context(|| format!("running {} (built?)", binary.display()))?;
        if !status.success() {
            bail!(
                "fuzz target `{target}` fails on a seed in {}",
                corpus.display()
            );
        }
    }
    Ok(())
}

/// Where [`build`] puts the targets: `target/fuzz` under the workspace root.
#[must_use]
pub fn target_dir() -> PathBuf {
    workspace_root().join("target").join("fuzz")
}
