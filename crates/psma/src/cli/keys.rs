//! `psma keys generate|rotate`: hosted mode's signing keys, as files in `auth.keys_dir`.

use anyhow::Context;
use clap::Subcommand;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `psma keys …`
#[derive(Debug, Subcommand)]
pub enum KeysAction {
    /// Write a new Ed25519 signing key (`<UTC time>.pem`, owner-only) into the key directory
    /// and print its `kid`. Being the newest, it signs from the next start.
    Generate {
        /// The key directory (default: `auth.keys_dir`).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Write a new signing key and remove all but the newest `--keep` keys. Keep the previous
    /// key until the tokens it signed have expired (the refresh lifetime, 7 days by default),
    /// so nobody is signed out: rotate with the default `--keep 2` at most once per refresh
    /// lifetime. Restart the servers afterwards.
    Rotate {
        /// The key directory (default: `auth.keys_dir`).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// How many keys to keep, the new one included.
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..))]
        keep: u16,
    },
}

/// Runs `action` with the configured key directory as the default.
///
/// # Errors
/// When no directory is given or configured, or a key cannot be written or removed.
pub(super) fn run(settings: &crate::Settings, action: KeysAction) -> anyhow::Result<ExitCode> {
    let dir = |given: Option<PathBuf>| {
        given
            .or_else(|| settings.auth.keys_dir.clone())
            .context("no key directory: pass --dir or set auth.keys_dir")
    };
    match action {
        KeysAction::Generate { dir: given } => {
            let dir = dir(given)?;
            let (path, kid) = psma_auth::generate_key_file(&dir)?;
            println!("wrote {} (kid {kid})", path.display());
        }
        KeysAction::Rotate { dir: given, keep } => {
            let dir = dir(given)?;
            let (path, kid) = psma_auth::generate_key_file(&dir)?;
            println!(
                "wrote {} (kid {kid}); it signs from the next start",
                path.display()
            );
            for old in retired(&dir, usize::from(keep))? {
                std::fs::remove_file(&old)
                    .with_context(|| format!("cannot remove {}", old.display()))?;
                println!("removed {}", old.display());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The key files of `dir` beyond the newest `keep`, by name (names are UTC times).
fn retired(dir: &Path, keep: usize) -> anyhow::Result<Vec<PathBuf>> {
    let mut keys: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "pem"))
        .collect();
    keys.sort();
    let drop = keys.len().saturating_sub(keep);
    keys.truncate(drop);
    Ok(keys)
}
