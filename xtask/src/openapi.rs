//! `cargo xtask openapi`: regenerates `contracts/openapi/psma.v1.json` from the code.

use crate::workspace_root;
use anyhow::{Context, Result, bail};
use std::process::Command;

/// Writes the document (or, with `check`, fails when the committed one is stale).
///
/// # Errors
/// When the binary cannot be built or run, or the check finds a stale file.
pub fn run(check: bool) -> Result<()> {
    let root = workspace_root();
    let out = root.join("contracts/openapi/psma.v1.json");
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    cmd.args(["run", "--quiet", "-p", "psma", "--", "openapi", "--out"])
        .arg(&out)
        .current_dir(&root);
    if check {
        cmd.arg("--check");
    }
    let status = cmd.status().context("running `psma openapi`")?;
    if !status.success() {
        bail!("`psma openapi` failed ({status})");
    }
    Ok(())
}
