//! `cargo xtask new-plugin NAME`: scaffolds a provider plugin crate that builds and passes the
//! SDK's conformance kit as generated.
//!
//! The templates live in `xtask/templates/new-plugin/` with `{{placeholders}}`. [`check`] is
//! what CI runs: it scaffolds a plugin into a scratch workspace of its own, next to this repo's
//! SDK, and runs fmt, clippy and the tests on it, so a template that stops compiling (or an SDK
//! change that breaks it) fails the build.

use crate::workspace_root;
use anyhow::{Context, Result, bail, ensure};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;
use toml::{Table, Value};

/// The longest name: a source id has at most 64 characters.
pub const MAX_NAME_CHARS: usize = 64;

/// Names that would collide with what the SDK already calls itself.
const RESERVED: [(&str, &str); 2] = [
    ("sdk", "`psma-plugin-sdk` is the SDK itself"),
    (
        "provider",
        "its factory would be `ProviderFactory`, the SDK's trait",
    ),
];

/// The plugin [`check`] scaffolds (two words, so the `-` → `_` mapping is exercised).
const CHECK_NAME: &str = "scaffold-check";

/// The templates: where each one goes in the new crate, and its text.
const TEMPLATES: [(&str, &str); 4] = [
    (
        "Cargo.toml",
        include_str!("../templates/new-plugin/Cargo.toml.tmpl"),
    ),
    (
        "README.md",
        include_str!("../templates/new-plugin/README.md.tmpl"),
    ),
    (
        "src/lib.rs",
        include_str!("../templates/new-plugin/lib.rs.tmpl"),
    ),
    (
        "tests/conformance.rs",
        include_str!("../templates/new-plugin/conformance.rs.tmpl"),
    ),
];

/// Checks that `name` is lowercase kebab-case (`my-source`) and usable as a plugin name.
///
/// # Errors
/// Says what is wrong and what a valid name looks like.
pub fn validate_name(name: &str) -> Result<()> {
    let rule = "a plugin name is lowercase kebab-case: letters a-z and digits in words joined \
                by single hyphens, starting with a letter (`my-source`)";
    if let Some(rest) = name.strip_prefix("psma-plugin-") {
        bail!("give the name without the `psma-plugin-` prefix: `{rest}`");
    }
    let kebab = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.split('-').all(|word| {
            !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    ensure!(kebab, "`{name}` is not a valid plugin name: {rule}");
    ensure!(
        name.len() <= MAX_NAME_CHARS,
        "`{name}` is too long: a plugin name has at most {MAX_NAME_CHARS} characters"
    );
    if let Some((_, why)) = RESERVED.iter().find(|(reserved, _)| *reserved == name) {
        bail!("`{name}` cannot be a plugin name: {why}");
    }
    Ok(())
}

/// The files of a plugin called `name`: paths relative to the crate, and their text.
///
/// # Errors
/// When `name` is not valid ([`validate_name`]).
pub fn render(name: &str) -> Result<Vec<(&'static str, String)>> {
    validate_name(name)?;
    let id = name.replace('-', "_");
    let words: Vec<String> = name.split('-').map(capitalised).collect();
    let substitutions = [
        ("{{name}}", name.to_owned()),
        ("{{id}}", id.clone()),
        ("{{crate}}", id),
        ("{{Type}}", words.concat()),
        ("{{title}}", words.join(" ")),
    ];
    Ok(TEMPLATES
        .iter()
        .map(|(path, template)| {
            let text = substitutions
                .iter()
                .fold((*template).to_owned(), |text, (from, to)| {
                    text.replace(from, to)
                });
            (*path, text)
        })
        .collect())
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_ascii_uppercase().to_string() + chars.as_str()
    })
}

/// Scaffolds the plugin `name` into `dir` (default `plugins/NAME` in this workspace).
///
/// # Errors
/// When `name` is not valid, when `dir` exists and is not an empty directory (nothing is
/// overwritten), or when a file cannot be written.
pub fn run(name: &str, dir: Option<&Path>) -> Result<()> {
    let files = render(name)?;
    let dir = dir.map_or_else(
        || workspace_root().join("plugins").join(name),
        PathBuf::from,
    );
    let occupied = match fs::read_dir(&dir) {
        Ok(mut entries) => entries.next().is_some(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(_) => true,
    };
    ensure!(
        !occupied,
        "{} already exists; refusing to overwrite it (choose another name or --dir)",
        dir.display()
    );
    for (path, text) in &files {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    format(&dir, &files);
    eprintln!(
        "created {} (package psma-plugin-{name}, provider id `{}`):",
        dir.display(),
        name.replace('-', "_")
    );
    for (path, _) in &files {
        eprintln!("  {path}");
    }
    let plugins = workspace_root().join("plugins");
    let in_plugins = dir
        .canonicalize()
        .is_ok_and(|dir| plugins.canonicalize().is_ok_and(|p| dir.starts_with(p)));
    if in_plugins {
        eprintln!("next: cargo test -p psma-plugin-{name}");
    } else {
        eprintln!(
            "next: it inherits [workspace.*] settings, so make it a member of a workspace \
             like this one (plugins/* here)"
        );
    }
    eprintln!("then replace what src/lib.rs marks REPLACE (see its README.md)");
    Ok(())
}

/// Runs rustfmt on the new Rust files: the templates are formatted for names of usual length,
/// and a long name can move a line break. Without rustfmt the files are kept as they are.
fn format(dir: &Path, files: &[(&str, String)]) {
    let sources = files
        .iter()
        .filter(|(path, _)| path.ends_with(".rs"))
        .map(|(path, _)| dir.join(path));
    let formatted = Command::new("rustfmt")
        .args(["--edition", "2024"])
        .args(sources)
        .status()
        .is_ok_and(|status| status.success());
    if !formatted {
        eprintln!("note: rustfmt did not run; format src/lib.rs and tests/ before committing");
    }
}

/// What CI runs: scaffolds a plugin into `target/new-plugin-check/workspace`, a cargo workspace
/// of its own whose `[workspace.*]` tables are the root manifest's with absolute paths (so the
/// plugin builds against this repo's SDK) and whose `Cargo.lock` is a copy of the root one
/// (the same dependency versions, no network), then runs `cargo fmt --check`, `cargo clippy
/// --all-targets -- -D warnings` and `cargo test` there with `CARGO_TARGET_DIR` =
/// `target/new-plugin-check`, which is kept between runs. The scratch workspace is removed when
/// everything passes and left for inspection when something fails.
///
/// # Errors
/// When scaffolding fails or a cargo step fails, naming the step.
pub fn check() -> Result<()> {
    let started = Instant::now();
    let repo = workspace_root();
    let target = repo.join("target").join("new-plugin-check");
    let scratch = target.join("workspace");
    if scratch.exists() {
        fs::remove_dir_all(&scratch).with_context(|| format!("clearing {}", scratch.display()))?;
    }
    fs::create_dir_all(&scratch).with_context(|| format!("creating {}", scratch.display()))?;

    let root_manifest =
        fs::read_to_string(repo.join("Cargo.toml")).context("reading Cargo.toml")?;
    fs::write(
        scratch.join("Cargo.toml"),
        scratch_manifest(&root_manifest, &repo)?,
    )
    .context("writing the scratch workspace's Cargo.toml")?;
    for file in ["Cargo.lock", "rustfmt.toml", "clippy.toml"] {
        if repo.join(file).exists() {
            fs::copy(repo.join(file), scratch.join(file))
                .with_context(|| format!("copying {file}"))?;
        }
    }
    run(CHECK_NAME, Some(&scratch.join("plugins").join(CHECK_NAME)))?;

    let package = format!("psma-plugin-{CHECK_NAME}");
    let steps: [(&str, &[&str]); 3] = [
        // `-p`, not `--all`: `--all` would also check this repo's crates, through the paths.
        ("fmt", &["fmt", "-p", &package, "--", "--check"]),
        (
            "clippy",
            &["clippy", "--all-targets", "--", "-D", "warnings"],
        ),
        ("test", &["test"]),
    ];
    for (name, args) in steps {
        eprintln!("\n== new-plugin check: cargo {}", args.join(" "));
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .args(args)
            .current_dir(&scratch)
            .env("CARGO_TARGET_DIR", &target)
            .status()
            .with_context(|| format!("running cargo {name}"))?;
        ensure!(
            status.success(),
            "the scaffolded plugin fails `cargo {}` (scratch workspace left at {})",
            args.join(" "),
            scratch.display()
        );
    }
    fs::remove_dir_all(&scratch).with_context(|| format!("removing {}", scratch.display()))?;
    eprintln!(
        "\nnew-plugin check: the scaffold passes fmt, clippy and its tests ({:.0?})",
        started.elapsed()
    );
    Ok(())
}

/// The scratch workspace's manifest, made from the root one: its `[workspace]` (package
/// fields, dependencies, lints) and `[profile]`/`[patch]` tables, with `members = ["plugins/*"]`
/// and every relative `path` made absolute against `repo`.
///
/// # Errors
/// When the root manifest is not TOML or has no `[workspace]`.
pub fn scratch_manifest(root_manifest: &str, repo: &Path) -> Result<String> {
    let mut manifest: Table = root_manifest
        .parse()
        .context("parsing the root Cargo.toml")?;
    manifest.retain(|key, _| matches!(key, "workspace" | "profile" | "patch"));
    let workspace = manifest
        .get_mut("workspace")
        .and_then(Value::as_table_mut)
        .context("the root Cargo.toml has no [workspace]")?;
    workspace.retain(|key, _| {
        matches!(
            key,
            "resolver" | "package" | "dependencies" | "lints" | "metadata"
        )
    });
    workspace.insert(
        "members".to_owned(),
        Value::Array(vec![Value::String("plugins/*".to_owned())]),
    );
    if let Some(deps) = workspace
        .get_mut("dependencies")
        .and_then(Value::as_table_mut)
    {
        absolutise(deps, repo);
    }
    if let Some(patches) = manifest.get_mut("patch").and_then(Value::as_table_mut) {
        for deps in patches
            .iter_mut()
            .filter_map(|(_, deps)| deps.as_table_mut())
        {
            absolutise(deps, repo);
        }
    }
    let text = toml::to_string(&manifest).context("writing the scratch Cargo.toml")?;
    Ok(format!(
        "# Generated by `cargo xtask new-plugin --check` from {}.\n\n{text}",
        repo.join("Cargo.toml").display()
    ))
}

fn absolutise(deps: &mut Table, repo: &Path) {
    for spec in deps.iter_mut().filter_map(|(_, spec)| spec.as_table_mut()) {
        if let Some(Value::String(path)) = spec.get_mut("path")
            && Path::new(path.as_str()).is_relative()
        {
            *path = repo.join(path.as_str()).display().to_string();
        }
    }
}
