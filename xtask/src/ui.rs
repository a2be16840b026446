//! `cargo xtask ui`: the web UI's journeys in a real headless Chromium, on a desktop and a
//! phone-sized window, in light and dark, with axe-core checking every step
//! ([ADR 0035](../../docs/adr/0035-browser-tests.md), [docs/ui.md](../../docs/ui.md)).
//!
//! Everything is installed on first use, so a fresh Debian machine needs only Python 3 with
//! `venv` (and root, for the packages):
//! - Chromium from Debian's packages (`/usr/bin/chromium`), apt-installed when missing;
//!   Playwright never downloads a browser of its own;
//! - Playwright and pytest, pinned in `xtask/ui/requirements.txt`, in a virtualenv at
//!   `target/tools/ui`;
//! - axe-core, pinned in `xtask/ui/package.json` and its lock file, by `npm ci` into the same
//!   directory (Node and npm apt-installed when missing).
//!
//! Then `psma` is built and the pytest suite in `xtask/ui` runs; each test starts its own
//! `psma serve` on a new SQLite database with the demo catalog. Screenshots and axe reports go
//! to `target/ui-screenshots/`.

use std::env;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::workspace_root;

/// Debian's Chromium; Playwright drives it through `executable_path`.
const CHROMIUM: &str = "/usr/bin/chromium";
/// The Debian packages for the browser (the driver is for WebDriver clients; the fonts give
/// screenshots readable text).
const CHROMIUM_PACKAGES: &[&str] = &["chromium", "chromium-driver", "fonts-dejavu-core"];
/// Node and npm, for axe-core's install.
const NODE_PACKAGES: &[&str] = &["nodejs", "npm"];

/// Installs what is missing, builds `psma` and runs the browser journeys.
///
/// # Errors
/// When an install, the build or a journey fails, or pytest passes no test at all.
pub fn run() -> Result<()> {
    let root = workspace_root();
    let began = Instant::now();
    let tools = install(&root)?;
    let installed = began.elapsed();

    let built = Instant::now();
    let binary = build(&root)?;
    let built = built.elapsed();

    let screenshots = target_dir(&root).join("ui-screenshots");
    if screenshots.exists() {
        fs::remove_dir_all(&screenshots)
            .with_context(|| format!("clearing {}", screenshots.display()))?;
    }
    fs::create_dir_all(&screenshots)
        .with_context(|| format!("creating {}", screenshots.display()))?;

    let ran = Instant::now();
    let mut pytest = Command::new(tools.python);
    pytest
        .args(["-m", "pytest", "xtask/ui", "-q", "-p", "no:cacheprovider"])
        .current_dir(&root)
        .env("PSMA_BIN", &binary)
        .env("CHROMIUM", CHROMIUM)
        .env("AXE_JS", &tools.axe)
        .env("SCREENSHOTS", &screenshots)
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONUNBUFFERED", "1");
    let summary = run_echoing(&mut pytest)?;
    let ran = ran.elapsed();

    eprintln!(
        "ui: install/check {:.1} s, build {:.1} s, journeys {:.1} s; screenshots in {}",
        installed.as_secs_f64(),
        built.as_secs_f64(),
        ran.as_secs_f64(),
        screenshots.display()
    );
    if !summary.success {
        bail!("the browser journeys failed: {}", summary.last_line);
    }
    if summary.passed == 0 {
        bail!(
            "pytest passed no test ({}): the journeys did not run",
            summary.last_line
        );
    }
    Ok(())
}

/// What the journeys need from the installs.
pub(crate) struct Tools {
    /// The virtualenv's Python, with Playwright and pytest.
    pub(crate) python: PathBuf,
    /// `axe.min.js` from the pinned axe-core.
    pub(crate) axe: PathBuf,
}

/// Chromium, Node and npm, the virtualenv and axe-core: each installed only when missing or
/// out of date.
pub(crate) fn install(root: &Path) -> Result<Tools> {
    chromium()?;
    let dir = target_dir(root).join("tools/ui");
    let python = python_tools(root, &dir)?;
    let axe = axe_core(root, &dir)?;
    Ok(Tools { python, axe })
}

/// Installs Debian's Chromium when `/usr/bin/chromium` is missing, and prints its version.
fn chromium() -> Result<()> {
    if !Path::new(CHROMIUM).is_file() {
        eprintln!("ui: {CHROMIUM} is missing; installing Debian's Chromium");
        apt_install(CHROMIUM_PACKAGES)?;
    }
    let output = Command::new(CHROMIUM)
        .arg("--version")
        .stderr(Stdio::null())
        .output()
        .with_context(|| format!("running {CHROMIUM} --version"))?;
    if !output.status.success() {
        bail!("{CHROMIUM} --version failed ({})", output.status);
    }
    eprintln!("ui: {}", String::from_utf8_lossy(&output.stdout).trim());
    Ok(())
}

/// `apt-get update` then `apt-get install` of `packages`, tried twice; only as root (otherwise
/// the error names the command to run).
fn apt_install(packages: &[&str]) -> Result<()> {
    let shown = format!(
        "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y \
         --no-install-recommends {}",
        packages.join(" ")
    );
    if !is_root()? {
        bail!("not root, so nothing was installed; as root, run:\n  {shown}");
    }
    let attempt = || -> Result<()> {
        run_ok(Command::new("apt-get").arg("update"))?;
        run_ok(
            Command::new("apt-get")
                .args(["install", "-y", "--no-install-recommends"])
                .args(packages)
                .env("DEBIAN_FRONTEND", "noninteractive"),
        )
    };
    attempt().or_else(|first| {
        eprintln!("ui: {first:#}; trying once more");
        attempt()
    })
}

fn is_root() -> Result<bool> {
    let output = Command::new("id")
        .arg("-u")
        .output()
        .context("running id -u")?;
    Ok(String::from_utf8_lossy(&output.stdout).trim() == "0")
}

/// The virtualenv at `dir` with `xtask/ui/requirements.txt` installed; reinstalled when the
/// requirements change (the installed copy is kept beside it as the stamp).
fn python_tools(root: &Path, dir: &Path) -> Result<PathBuf> {
    let requirements = root.join("xtask/ui/requirements.txt");
    let wanted = read(&requirements)?;
    let stamp = dir.join("requirements.txt");
    let python = dir.join("bin/python");
    if python.is_file() && fs::read_to_string(&stamp).is_ok_and(|have| have == wanted) {
        return Ok(python);
    }
    if !python.is_file() {
        eprintln!("ui: creating the virtualenv {}", dir.display());
        run_ok(Command::new("python3").args(["-m", "venv"]).arg(dir))?;
    }
    eprintln!("ui: pip install -r {}", requirements.display());
    run_ok(
        Command::new(dir.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(&requirements)
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
    )?;
    fs::write(&stamp, wanted).with_context(|| format!("writing {}", stamp.display()))?;
    Ok(python)
}

/// axe-core by `npm ci` in `dir` from the committed `package.json` and lock file; skipped when
/// `dir` already holds that lock file and its `axe.min.js`.
fn axe_core(root: &Path, dir: &Path) -> Result<PathBuf> {
    let axe = dir.join("node_modules/axe-core/axe.min.js");
    let lock = read(&root.join("xtask/ui/package-lock.json"))?;
    let manifest = read(&root.join("xtask/ui/package.json"))?;
    let current =
        |name: &str, text: &str| fs::read_to_string(dir.join(name)).is_ok_and(|have| have == text);
    if axe.is_file() && current("package-lock.json", &lock) && current("package.json", &manifest) {
        return Ok(axe);
    }
    if !npm_works() {
        eprintln!("ui: npm is missing; installing Node and npm");
        apt_install(NODE_PACKAGES)?;
    }
    for (name, text) in [("package.json", &manifest), ("package-lock.json", &lock)] {
        let path = dir.join(name);
        fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    eprintln!("ui: npm ci in {}", dir.display());
    run_ok(
        Command::new("npm")
            .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
            .current_dir(dir),
    )?;
    if !axe.is_file() {
        bail!("{} is missing after npm ci", axe.display());
    }
    Ok(axe)
}

fn npm_works() -> bool {
    Command::new("npm")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// `cargo build -p psma --bin psma --locked`; the binary's path.
fn build(root: &Path) -> Result<PathBuf> {
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    run_ok(
        Command::new(cargo)
            .args(["build", "-p", "psma", "--bin", "psma", "--locked"])
            .current_dir(root),
    )?;
    let binary = target_dir(root).join("debug/psma");
    if !binary.is_file() {
        bail!("{} is missing after the build", binary.display());
    }
    Ok(binary)
}

fn target_dir(root: &Path) -> PathBuf {
    env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

/// How pytest ended.
struct Summary {
    success: bool,
    /// From the last summary line (`3 passed, 1 skipped in 9.81s`).
    passed: u32,
    last_line: String,
}

/// Runs `command` with its stdout echoed line by line, and reads pytest's summary line.
fn run_echoing(command: &mut Command) -> Result<Summary> {
    let shown = format!("{command:?}");
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("running {shown}"))?;
    let mut last_line = String::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line.with_context(|| format!("reading the output of {shown}"))?;
            println!("{line}");
            if !line.trim().is_empty() {
                last_line = line;
            }
        }
    }
    let status = child
        .wait()
        .with_context(|| format!("waiting for {shown}"))?;
    Ok(Summary {
        success: status.success(),
        passed: passed(&last_line),
        last_line: last_line.trim().trim_matches('=').trim().to_owned(),
    })
}

/// The number before `passed` in a pytest summary line; 0 when there is none.
fn passed(line: &str) -> u32 {
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|word| !word.is_empty())
        .collect();
    words
        .windows(2)
        .find(|pair| pair[1] == "passed")
        .and_then(|pair| pair[0].parse().ok())
        .unwrap_or(0)
}

fn read(path: &Path) -> Result<String> {
    fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
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

#[cfg(test)]
mod tests {
    use super::passed;

    #[test]
    fn reads_the_passed_count_of_a_pytest_summary() {
        assert_eq!(passed("4 passed in 12.31s"), 4);
        assert_eq!(passed("1 failed, 3 passed, 2 skipped in 9.8s"), 3);
        assert_eq!(passed("===== 2 passed, 1 warning in 1.0s ====="), 2);
        assert_eq!(passed("2 skipped in 0.1s"), 0);
        assert_eq!(passed("no tests ran in 0.01s"), 0);
    }
}
