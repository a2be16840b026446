//! `psma openapi` and `psma contracts`: the generated contracts, written or checked.

use anyhow::Context;
use std::path::Path;
use std::process::ExitCode;

/// Writes the OpenAPI document to `out` (`-`: stdout), or with `check` compares it.
pub(super) fn openapi(out: &Path, check: bool) -> anyhow::Result<ExitCode> {
    let document = psma_api::openapi::document_json(&crate::catalog::openapi_contracts())?;
    if out == Path::new("-") && !check {
        print!("{document}");
        return Ok(ExitCode::SUCCESS);
    }
    write_or_check(
        &[(out.to_path_buf(), document)],
        check,
        "cargo xtask openapi",
    )
}

/// Writes every contract JSON Schema into `dir`, or with `check` compares them.
pub(super) fn contracts(dir: &Path, check: bool) -> anyhow::Result<ExitCode> {
    let files: Vec<_> = crate::catalog::json_schemas()
        .into_iter()
        .map(|(name, schema)| {
            (
                dir.join(name),
                psma_plugin_sdk::contract::to_committed_text(&schema),
            )
        })
        .collect();
    write_or_check(&files, check, "cargo xtask contracts")
}

fn write_or_check(
    files: &[(std::path::PathBuf, String)],
    check: bool,
    regenerate: &str,
) -> anyhow::Result<ExitCode> {
    let mut stale = 0;
    for (path, text) in files {
        if check {
            let committed = std::fs::read_to_string(path).unwrap_or_default();
            if &committed == text {
                eprintln!("{} is up to date", path.display());
            } else {
                eprintln!(
                    "{} is stale: run `{regenerate}` and commit the result",
                    path.display()
                );
                stale += 1;
            }
            continue;
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(if stale == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
