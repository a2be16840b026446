//! One `psma serve` process: spawn it, time it to a 200 from `/ready`, read its
//! memory from `/proc`, and stop it with SIGTERM.
//!
//! HTTP is spoken over a bare [`TcpStream`]: one `GET` (or a JSON `POST`) per connection
//! with `Connection: close`; the status line and the body are read.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// How often `/ready` is polled while the server starts.
const POLL: Duration = Duration::from_millis(2);
/// A server not ready by then has failed to start.
const READY_TIMEOUT: Duration = Duration::from_secs(30);
/// A server not gone by then after SIGTERM has failed to stop (it then gets SIGKILL).
const STOP_TIMEOUT: Duration = Duration::from_secs(10);
/// Per-request socket timeout.
const IO_TIMEOUT: Duration = Duration::from_secs(5);

/// What to start.
pub struct Launch<'a> {
    pub binary: &'a Path,
    /// `PSMA_*` variables set on top of the inherited environment.
    pub env: &'a [(&'a str, String)],
    /// stdout and stderr go here.
    pub log: PathBuf,
}

/// A started server that answered 200 on `/ready`; SIGKILLed on drop unless stopped.
pub struct Server {
    child: Child,
    port: u16,
    log: PathBuf,
    /// From just before the spawn to the first 200 from `/ready`.
    pub ready: Duration,
    stopped: bool,
}

/// From `/proc/PID/status`.
#[derive(Debug, Clone, Copy)]
pub struct Memory {
    /// `VmRSS`, KiB.
    pub rss_kib: u64,
    /// `VmHWM` (peak RSS), KiB.
    pub hwm_kib: u64,
    pub threads: u64,
}

/// How the server stopped after SIGTERM.
#[derive(Debug, Clone, Copy)]
pub struct Stopped {
    /// From just before `kill -TERM` to the observed exit.
    pub took: Duration,
    pub status: ExitStatus,
}

/// Spawns the server on a free port and polls `/ready` every 2 ms until it says 200.
///
/// # Errors
/// When the binary cannot be spawned, exits early, or is not ready within 30 s;
/// the error carries the end of its log.
pub fn start(launch: &Launch<'_>) -> Result<Server> {
    let port = free_port()?;
    let log =
        File::create(&launch.log).with_context(|| format!("creating {}", launch.log.display()))?;
    let mut command = Command::new(launch.binary);
    command
        .arg("serve")
        .env_remove("PSMA_CONFIG")
        .env("PSMA_SERVER__BIND", format!("127.0.0.1:{port}"))
        .env("PSMA_TELEMETRY__LOG_FORMAT", "json")
        .envs(launch.env.iter().map(|(key, value)| (key, value)))
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log);
    let began = Instant::now();
    let child = command
        .spawn()
        .with_context(|| format!("spawning {}", launch.binary.display()))?;
    let mut server = Server {
        child,
        port,
        log: launch.log.clone(),
        ready: Duration::ZERO,
        stopped: false,
    };
    loop {
        if let Ok(200) = get(port, "/ready") {
            server.ready = began.elapsed();
            return Ok(server);
        }
        if let Some(status) = server.child.try_wait()? {
            server.stopped = true;
            bail!(
                "psma serve exited before it was ready ({status}); end of {}:\n{}",
                server.log.display(),
                tail(&server.log)
            );
        }
        if began.elapsed() > READY_TIMEOUT {
            bail!(
                "psma serve was not ready after {READY_TIMEOUT:?}; end of {}:\n{}",
                server.log.display(),
                tail(&server.log)
            );
        }
        thread::sleep(POLL);
    }
}

impl Server {
    /// The port it listens on, on 127.0.0.1.
    pub const fn port(&self) -> u16 {
        self.port
    }

    /// Sends `rounds` requests to each of `/api/v1/me` and `/health`; each must answer 200.
    ///
    /// # Errors
    /// When a request fails or answers something else.
    pub fn exercise(&self, rounds: usize) -> Result<()> {
        for _ in 0..rounds {
            for path in ["/api/v1/me", "/health"] {
                let status = get(self.port, path).with_context(|| format!("GET {path}"))?;
                if status != 200 {
                    bail!("GET {path} answered {status}, expected 200");
                }
            }
        }
        Ok(())
    }

    /// The server's current and peak resident memory.
    ///
    /// # Errors
    /// When `/proc/PID/status` cannot be read or lacks the fields.
    pub fn memory(&self) -> Result<Memory> {
        let path = format!("/proc/{}/status", self.child.id());
        let text = fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
        let field = |name: &str| -> Result<u64> {
            text.lines()
                .find_map(|line| line.strip_prefix(name)?.strip_prefix(':'))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|number| number.parse().ok())
                .with_context(|| format!("no {name} in {path}"))
        };
        Ok(Memory {
            rss_kib: field("VmRSS")?,
            hwm_kib: field("VmHWM")?,
            threads: field("Threads")?,
        })
    }

    /// Sends SIGTERM (`kill -TERM PID`) and waits up to 10 s for the exit.
    ///
    /// # Errors
    /// When `kill` fails, or the server has not exited after 10 s (it is then SIGKILLed).
    pub fn stop(mut self) -> Result<Stopped> {
        let pid = self.child.id().to_string();
        let began = Instant::now();
        let kill = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .context("running kill -TERM")?;
        if !kill.success() {
            bail!("kill -TERM {pid} failed ({kill})");
        }
        loop {
            if let Some(status) = self.child.try_wait()? {
                self.stopped = true;
                return Ok(Stopped {
                    took: began.elapsed(),
                    status,
                });
            }
            if began.elapsed() > STOP_TIMEOUT {
                // Drop sends SIGKILL and reaps the process.
                bail!(
                    "psma serve was still running {STOP_TIMEOUT:?} after SIGTERM; killed; end of {}:\n{}",
                    self.log.display(),
                    tail(&self.log)
                );
            }
            thread::sleep(Duration::from_millis(1));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if !self.stopped {
            // Best effort: the process may have exited already.
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A port that was free a moment ago: bind port 0, note the port, let it go.
fn free_port() -> Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).context("finding a free port")?;
    Ok(listener.local_addr()?.port())
}

/// `GET path` on 127.0.0.1:port over a fresh connection; the response's status code.
///
/// # Errors
/// When the connection or the exchange fails, or the status line is not HTTP.
pub fn get(port: u16, path: &str) -> io::Result<u16> {
    get_body(port, path).map(|(status, _)| status)
}

/// As [`get`], with the response's body (the server sends a `Content-Length`, not chunks).
///
/// # Errors
/// As [`get`].
pub fn get_body(port: u16, path: &str) -> io::Result<(u16, Vec<u8>)> {
    exchange(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
        b"",
    )
}

/// As [`get_body`], with `token` as the bearer (hosted mode).
///
/// # Errors
/// As [`get`].
pub fn get_as(port: u16, path: &str, token: &str) -> io::Result<(u16, Vec<u8>)> {
    exchange(
        port,
        &format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\
             Connection: close\r\n\r\n"
        ),
        b"",
    )
}

/// `POST path` with a JSON body, as [`get_body`].
///
/// # Errors
/// As [`get`].
pub fn post_json(port: u16, path: &str, body: &[u8]) -> io::Result<(u16, Vec<u8>)> {
    send_json(port, "POST", path, body)
}

/// `PUT path` with a JSON body, as [`get_body`].
///
/// # Errors
/// As [`get`].
pub fn put_json(port: u16, path: &str, body: &[u8]) -> io::Result<(u16, Vec<u8>)> {
    send_json(port, "PUT", path, body)
}

fn send_json(port: u16, method: &str, path: &str, body: &[u8]) -> io::Result<(u16, Vec<u8>)> {
    exchange(
        port,
        &format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        ),
        body,
    )
}

/// Sends `head` and `body` over a fresh connection; the status and the body of the answer.
fn exchange(port: u16, head: &str, body: &[u8]) -> io::Result<(u16, Vec<u8>)> {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream = TcpStream::connect_timeout(&address, IO_TIMEOUT)?;
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    stream.set_nodelay(true)?;
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    // Read the whole (small) response so the server closes first and cleanly.
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let status = parse_status(&response)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "no HTTP status line"))?;
    let body = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or_else(Vec::new, |end| response[end + 4..].to_vec());
    Ok((status, body))
}

/// The code in a status line like `HTTP/1.1 200 OK`.
fn parse_status(response: &[u8]) -> Option<u16> {
    let line = response.split(|&byte| byte == b'\n').next()?;
    let line = std::str::from_utf8(line).ok()?;
    let mut words = line.split_whitespace();
    if !words.next()?.starts_with("HTTP/") {
        return None;
    }
    words.next()?.parse().ok()
}

/// The last lines of a log file, for error messages.
fn tail(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::parse_status;

    #[test]
    fn parses_status_lines() {
        assert_eq!(
            parse_status(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"),
            Some(200)
        );
        assert_eq!(
            parse_status(b"HTTP/1.1 503 Service Unavailable\r\n"),
            Some(503)
        );
        assert_eq!(parse_status(b"garbage"), None);
        assert_eq!(parse_status(b""), None);
    }
}
