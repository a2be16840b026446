//! `cargo xtask contracts` / `cargo xtask openapi`: regenerate the contracts in `contracts/`
//! from the Rust types (JSON Schemas and the OpenAPI document), or check they are current.

use crate::workspace_root;
use anyhow::{Context, Result, bail};
use std::process::Command;

/// Writes the JSON Schemas and the OpenAPI document (or, with `check`, fails when a committed
/// one is stale).
///
/// # Errors
/// When the binary cannot be built or run, or the check finds a stale file.
pub fn run(check: bool) -> Result<()> {
    psma(&["contracts", "--out", "contracts/jsonschema"], check)?;
    openapi(check)
}

/// Writes `contracts/openapi/psma.v1.json` (or, with `check`, fails when it is stale).
///
/// # Errors
/// As [`run`].
pub fn openapi(check: bool) -> Result<()> {
    psma(
        &["openapi", "--out", "contracts/openapi/psma.v1.json"],
        check,
    )
}

fn psma(args: &[&str], check: bool) -> Result<()> {
    let root = workspace_root();
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    cmd.args(["run", "--quiet", "--locked", "-p", "psma", "--"])
        .args(args)
        .current_dir(&root);
    if check {
        cmd.arg("--check");
    }
    let status = cmd
        .status()
        .with_context(|| format!("running `psma {}`", args[0]))?;
    if !status.success() {
        bail!("`psma {}` failed ({status})", args[0]);
    }
    Ok(())
}
