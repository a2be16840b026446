//! PSMA developer tasks, as a library so that subcommands and tests can share them.

use std::path::PathBuf;

pub mod bench;
pub mod ci;
pub mod contracts;
pub mod fuzz;
pub mod new_plugin;
pub mod pg;
pub mod schemathesis;
pub mod tidy;
pub mod ui;

/// The workspace root: the parent of the `xtask` crate's directory.
#[must_use]
pub fn workspace_root() -> PathBuf {
    let xtask_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    xtask_dir
        .parent()
        .map_or_else(|| xtask_dir.clone(), PathBuf::from)
}
