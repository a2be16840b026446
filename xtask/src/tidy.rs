//! `cargo xtask tidy`: the dependency rule of the hexagonal architecture and
//! the workspace conventions, checked from the manifests and the sources.
//!
//! The checks are pure functions over parsed manifests and file text; only
//! [`check_workspace`] touches the file system.

use std::fmt;
use std::fs;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use toml::{Table, Value};

const CORE: &str = "psma-core";
const SDK: &str = "psma-plugin-sdk";
const BINARY: &str = "psma";
const MIGRATIONS: &str = "psma-migrations";
const ADAPTERS: [&str; 5] = [
    "psma-store",
    "psma-api",
    "psma-auth",
    "psma-llm",
    "psma-worker",
];
/// HTTP, SQL and runtime frameworks that belong in adapters, never in the core or the SDK.
const FRAMEWORKS: [&str; 7] = [
    "actix-web",
    "sea-orm",
    "sea-query",
    "sqlx",
    "reqwest",
    "hyper",
    "axum",
];
/// Crate families: `actix-*`, and the parts of the frameworks above (`sqlx-postgres`, …).
const FRAMEWORK_FAMILIES: [&str; 6] = [
    "actix-",
    "sea-orm-",
    "sea-query-",
    "sqlx-",
    "hyper-",
    "axum-",
];
/// The constructors of the contexts that cross the trust boundary: a tenant's, and the system
/// context that writes the shared catalog.
const ESTABLISH: [&str; 2] = ["TenantCtx::establish(", "SystemCtx::establish("];

/// One broken rule, printed as `path: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// A path relative to the workspace root, with `:line` for source files.
    pub path: String,
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// What [`check_workspace`] found.
#[derive(Debug, Default)]
pub struct Report {
    pub crates_checked: usize,
    pub violations: Vec<Violation>,
}

/// A parsed member or plugin manifest.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// Relative to the workspace root, e.g. `crates/psma-core/Cargo.toml`.
    pub path: String,
    pub name: String,
    /// Whether it lives at `plugins/*/Cargo.toml`.
    pub is_plugin: bool,
    pub toml: Table,
}

impl Manifest {
    /// Parses a manifest's text.
    ///
    /// # Errors
    /// When the text is not TOML or has no `package.name`.
    pub fn parse(path: &str, text: &str) -> Result<Self> {
        let toml: Table = text.parse().with_context(|| format!("parsing {path}"))?;
        let Some(name) = toml
            .get("package")
            .and_then(|p| p.get("name"))
            .and_then(Value::as_str)
        else {
            bail!("{path}: no package.name");
        };
        let is_plugin = path.starts_with("plugins/");
        Ok(Self {
            path: path.to_owned(),
            name: name.to_owned(),
            is_plugin,
            toml,
        })
    }
}

/// Which table a dependency is declared in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Normal,
    Dev,
    Build,
}

impl Kind {
    fn table(self) -> &'static str {
        match self {
            Self::Normal => "dependencies",
            Self::Dev => "dev-dependencies",
            Self::Build => "build-dependencies",
        }
    }
}

/// One declared dependency.
#[derive(Debug, Clone)]
pub struct Dep {
    /// The key in the manifest.
    pub key: String,
    /// The package it names (differs from `key` when renamed with `package = …`).
    pub package: String,
    pub kind: Kind,
    /// `[dependencies]`, or `[target.'cfg(…)'.dependencies]`, for messages.
    pub table: String,
    pub spec: Value,
}

/// The workspace-wide facts the per-manifest checks need.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    /// `[workspace.dependencies]` of the root manifest, to resolve renames.
    pub dependencies: Table,
    /// The package names of the crates under `plugins/`.
    pub plugins: Vec<String>,
}

/// Every dependency of a manifest, in all tables, target-specific ones included.
#[must_use]
pub fn dependencies(manifest: &Table, workspace: &Workspace) -> Vec<Dep> {
    let mut tables: Vec<(String, Kind, &Table)> = Vec::new();
    for kind in [Kind::Normal, Kind::Dev, Kind::Build] {
        if let Some(table) = manifest.get(kind.table()).and_then(Value::as_table) {
            tables.push((format!("[{}]", kind.table()), kind, table));
        }
    }
    let targets = manifest
        .get("target")
        .and_then(Value::as_table)
        .into_iter()
        .flatten();
    for (cfg, target) in targets {
        for kind in [Kind::Normal, Kind::Dev, Kind::Build] {
            if let Some(table) = target.get(kind.table()).and_then(Value::as_table) {
                tables.push((format!("[target.'{cfg}'.{}]", kind.table()), kind, table));
            }
        }
    }
    let mut deps = Vec::new();
    for (table_name, kind, table) in tables {
        for (key, spec) in table {
            let renamed = |spec: &Value| {
                spec.get("package")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            };
            let package = renamed(spec)
                .or_else(|| workspace.dependencies.get(key).and_then(renamed))
                .unwrap_or_else(|| key.clone());
            deps.push(Dep {
                key: key.clone(),
                package,
                kind,
                table: table_name.clone(),
                spec: spec.clone(),
            });
        }
    }
    deps
}

/// All the manifest rules for one crate.
#[must_use]
pub fn check_manifest(manifest: &Manifest, workspace: &Workspace) -> Vec<Violation> {
    let deps = dependencies(&manifest.toml, workspace);
    let mut messages = Vec::new();
    messages.extend(check_lints(&manifest.toml));
    messages.extend(check_workspace_versions(manifest, &deps));
    messages.extend(check_layering(manifest, &deps, workspace));
    messages
        .into_iter()
        .map(|message| Violation {
            path: manifest.path.clone(),
            message,
        })
        .collect()
}

/// `[lints] workspace = true` must be there.
fn check_lints(manifest: &Table) -> Option<String> {
    let inherits = manifest
        .get("lints")
        .and_then(|lints| lints.get("workspace"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    (!inherits).then(|| "missing `[lints] workspace = true`".to_owned())
}

/// Versions come from `[workspace.dependencies]`; xtask alone may use `path = …`.
fn check_workspace_versions(manifest: &Manifest, deps: &[Dep]) -> Vec<String> {
    deps.iter()
        .filter_map(|dep| {
            let from_workspace = dep.spec.get("workspace").and_then(Value::as_bool) == Some(true);
            let xtask_path = manifest.name == "xtask" && dep.spec.get("path").is_some();
            if from_workspace || xtask_path {
                return None;
            }
            let what = match &dep.spec {
                Value::String(version) => format!("version \"{version}\""),
                Value::Table(table) if table.contains_key("version") => "a literal version".to_owned(),
                Value::Table(table) if table.contains_key("path") => "a path".to_owned(),
                Value::Table(table) if table.contains_key("git") => "a git source".to_owned(),
                _ => "its own spec".to_owned(),
            };
            Some(format!(
                "{} `{}` declares {what}; declare it in the root [workspace.dependencies] and use `{}.workspace = true`",
                dep.table, dep.key, dep.key
            ))
        })
        .collect()
}

/// The hexagonal dependency rule: who may depend on whom.
fn check_layering(manifest: &Manifest, deps: &[Dep], workspace: &Workspace) -> Vec<String> {
    let name = manifest.name.as_str();
    let is_plugin = |package: &str| workspace.plugins.iter().any(|plugin| plugin == package);
    let mut messages = Vec::new();
    for dep in deps.iter().filter(|dep| dep.package != name) {
        let package = dep.package.as_str();
        let why = if name == CORE || name == SDK {
            let adapter = ADAPTERS.contains(&package)
                || package == BINARY
                || package == MIGRATIONS
                || is_plugin(package);
            let runtime = name == CORE && dep.kind != Kind::Dev && is_runtime(package);
            if adapter {
                Some(format!(
                    "{name} must not depend on the adapter crate {package}"
                ))
            } else if is_framework(package) {
                Some(format!(
                    "{name} must not depend on the framework crate {package}"
                ))
            } else if runtime {
                Some(format!(
                    "{name} must not depend on the async runtime {package} (dev-dependencies may)"
                ))
            } else {
                None
            }
        } else if manifest.is_plugin {
            let forbidden =
                (package.starts_with("psma-") || package == BINARY || is_plugin(package))
                    && package != SDK;
            forbidden.then(|| format!("plugin {name} may depend on {SDK} only, not on {package}"))
        } else if ADAPTERS.contains(&name) {
            let forbidden = ADAPTERS.contains(&package)
                || package == BINARY
                || (package == MIGRATIONS && name != "psma-store")
                || is_plugin(package);
            forbidden.then(|| {
                format!("adapter {name} must not depend on {package}; only the binary {BINARY} wires adapters together")
            })
        } else {
            None
        };
        if let Some(why) = why {
            messages.push(format!("{why} ({} `{}`)", dep.table, dep.key));
        }
    }
    messages
}

fn is_framework(package: &str) -> bool {
    FRAMEWORKS.contains(&package)
        || FRAMEWORK_FAMILIES
            .iter()
            .any(|family| package.starts_with(family))
}

fn is_runtime(package: &str) -> bool {
    package == "tokio"
        || package.starts_with("tokio-")
        || package == "async-std"
        || package == "smol"
}

/// Whether `path` (relative, `/`-separated) may establish a tenant or system context: the
/// core's own definitions and fakes, tests, and the entry points — the API's extractors, the
/// worker's job context, the CLI's commands and the binary's start-up load of the demo catalog.
#[must_use]
pub fn may_establish_tenant(path: &str) -> bool {
    let in_tests_dir = path.split('/').rev().skip(1).any(|dir| dir == "tests");
    let file_name = path.rsplit('/').next().unwrap_or(path);
    path == "crates/psma-core/src/tenancy.rs"
        || path == "crates/psma-core/src/testing.rs"
        || path.starts_with("crates/psma-core/src/testing/")
        // Authentication is where a caller's tenant becomes known (sessions.rs says how).
        || path.starts_with("crates/psma-core/src/accounts/sessions/")
        // So is signing in through an identity provider (identities.rs says how).
        || path.starts_with("crates/psma-core/src/accounts/identities/")
        // The platform operator, after its `tenants:write` check, acts once as a new
        // household's owner to hand them a way in (platform.rs says why).
        || path == "crates/psma-core/src/accounts/platform.rs"
        || in_tests_dir
        || path.starts_with("crates/psma-api/src/extract/")
        || (path.starts_with("crates/psma-worker/src/")
            && (file_name == "job_context.rs" || file_name == "schedule.rs"))
        || path.starts_with("crates/psma/src/cli/")
        || path == "crates/psma/src/catalog.rs"
}

/// Calls of `TenantCtx::establish(` or `SystemCtx::establish(` outside the places allowed to
/// make a context.
#[must_use]
pub fn check_establish_calls(path: &str, text: &str) -> Vec<Violation> {
    if may_establish_tenant(path) {
        return Vec::new();
    }
    text.lines()
        .enumerate()
        .filter_map(|(index, line)| {
            ESTABLISH
                .iter()
                .find(|marker| line.contains(*marker))
                .map(|marker| (index, *marker))
        })
        .map(|(index, marker)| Violation {
            path: format!("{path}:{}", index + 1),
            message: format!(
                "{marker}…) outside the trust boundary; only psma-core tenancy.rs/testing.rs and \
                 accounts/sessions/, accounts/identities/ and accounts/platform.rs, \
                 tests/, psma-api src/extract/, psma-worker job_context.rs and schedule.rs, the CLI's commands \
                 (psma src/cli/) and the demo catalog's load (psma src/catalog.rs) may establish \
                 a context"
            ),
        })
        .collect()
}

/// Runs every check on the workspace at `root`.
///
/// # Errors
/// When a manifest or a source file cannot be read or parsed.
pub fn check_workspace(root: &Path) -> Result<Report> {
    let read = |rel: &str| {
        fs::read_to_string(root.join(rel))
            .with_context(|| format!("reading {}", root.join(rel).display()))
    };
    let root_manifest: Table = read("Cargo.toml")?.parse().context("parsing Cargo.toml")?;
    let ws = root_manifest.get("workspace").and_then(Value::as_table);
    let strings = |key: &str| -> Vec<String> {
        ws.and_then(|ws| ws.get(key))
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    let excluded = strings("exclude");
    let mut crate_dirs = Vec::new();
    for member in strings("members")
        .iter()
        .map(String::as_str)
        .chain(["plugins/*"])
    {
        for dir in expand_member(root, member)? {
            if !excluded.contains(&dir) && !crate_dirs.contains(&dir) {
                crate_dirs.push(dir);
            }
        }
    }

    let mut manifests = Vec::new();
    for dir in &crate_dirs {
        let path = format!("{dir}/Cargo.toml");
        manifests.push(Manifest::parse(&path, &read(&path)?)?);
    }
    let workspace = Workspace {
        dependencies: ws
            .and_then(|ws| ws.get("dependencies"))
            .and_then(Value::as_table)
            .cloned()
            .unwrap_or_default(),
        plugins: manifests
            .iter()
            .filter(|m| m.is_plugin)
            .map(|m| m.name.clone())
            .collect(),
    };

    let mut report = Report {
        crates_checked: manifests.len(),
        violations: Vec::new(),
    };
    for manifest in &manifests {
        report
            .violations
            .extend(check_manifest(manifest, &workspace));
    }
    let mut sources = Vec::new();
    for top in ["crates", "plugins"] {
        rust_files(root, top, &mut sources)?;
    }
    sources.sort();
    for path in sources {
        report
            .violations
            .extend(check_establish_calls(&path, &read(&path)?));
    }
    Ok(report)
}

/// Prints the violations; the exit code says whether there were any.
///
/// # Errors
/// See [`check_workspace`].
pub fn run(root: &Path) -> Result<ExitCode> {
    let report = check_workspace(root)?;
    if report.violations.is_empty() {
        println!("tidy: ok ({} crates checked)", report.crates_checked);
        return Ok(ExitCode::SUCCESS);
    }
    for violation in &report.violations {
        println!("{violation}");
    }
    eprintln!(
        "tidy: {} violation(s) in {} crates",
        report.violations.len(),
        report.crates_checked
    );
    Ok(ExitCode::FAILURE)
}

/// A `members` entry: a crate directory, or `dir/*` for every crate in `dir`.
fn expand_member(root: &Path, member: &str) -> Result<Vec<String>> {
    let member = member.trim_end_matches('/');
    let Some(parent) = member.strip_suffix("/*") else {
        if member.contains(['*', '?', '[']) {
            bail!("workspace member glob `{member}` is not supported by tidy (only `dir/*`)");
        }
        return Ok(vec![member.to_owned()]);
    };
    let entries = match fs::read_dir(root.join(parent)) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(error).with_context(|| format!("listing {parent}")),
    };
    let mut dirs = Vec::new();
    for entry in entries {
        let entry = entry?;
        if entry.path().join("Cargo.toml").is_file() {
            dirs.push(format!("{parent}/{}", entry.file_name().to_string_lossy()));
        }
    }
    dirs.sort();
    Ok(dirs)
}

/// The `.rs` files under `root/rel`, as `/`-separated relative paths.
fn rust_files(root: &Path, rel: &str, out: &mut Vec<String>) -> Result<()> {
    let entries = match fs::read_dir(root.join(rel)) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(error).with_context(|| format!("listing {rel}")),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = format!("{rel}/{name}");
        let file_type = entry.file_type()?;
        if file_type.is_dir() && !name.starts_with('.') && name != "target" {
            rust_files(root, &path, out)?;
        } else if file_type.is_file() && name.ends_with(".rs") {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
