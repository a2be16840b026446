//! One exchange with the program: start it, write the request to its stdin and close it, read
//! its stdout line by line and the end of its stderr, all under one deadline, and say how it
//! ended. The program is killed when the deadline passes, when the exchange is dropped, and
//! when the caller stops early.

use crate::config::Config;
use crate::lines::{LineSplitter, MAX_LINE_BYTES, RawLine, STDERR_TAIL_BYTES, Tail};
use crate::protocol::{PROTOCOL_VERSION, RequestKind};
use std::collections::VecDeque;
use std::io;
use std::process::{ExitStatus, Stdio};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::process::{Child, ChildStderr, ChildStdin, ChildStdout, Command};
use tokio::time::{Instant, sleep_until, timeout, timeout_at};

/// Once the program has exited, its pipes are read until they have been quiet this long:
/// whatever still holds them open is a process it left behind, not the program.
const QUIET_AFTER_EXIT: Duration = Duration::from_millis(500);

/// How long a killed program may take to be reaped.
const REAP: Duration = Duration::from_secs(5);

/// How much is read from a pipe at a time.
const CHUNK: usize = 64 * 1024;

/// What the exchange has to say next.
#[derive(Debug)]
pub(crate) enum Event {
    /// Line `number` of stdout.
    Line(usize, RawLine),
    /// The program is gone: `Ok` when it exited with status 0, else why not (a sentence
    /// naming the program, with the end of its stderr).
    Finished(Result<(), String>),
}

/// What one step of waiting brought.
enum Step {
    Deadline,
    Quiet,
    Wrote(io::Result<usize>),
    Stdout(io::Result<usize>),
    Stderr(io::Result<usize>),
    Exited(io::Result<ExitStatus>),
}

/// A running exchange.
pub(crate) struct Exchange {
    program: String,
    source_id: String,
    kind: RequestKind,
    child: Child,
    stdin: Option<ChildStdin>,
    request: Vec<u8>,
    written: usize,
    stdout: Option<ChildStdout>,
    stderr: Option<ChildStderr>,
    splitter: LineSplitter,
    pending: VecDeque<(usize, RawLine)>,
    stderr_tail: Tail,
    exited: Option<io::Result<ExitStatus>>,
    timeout: Duration,
    deadline: Instant,
    out_buf: Box<[u8]>,
    err_buf: Box<[u8]>,
    finished: bool,
}

/// Whether PSMA keeps a variable of its own environment from the program: its own
/// configuration (`PSMA_…`, which holds its secrets) is not the program's business.
pub(crate) fn is_withheld(name: &str) -> bool {
    name.starts_with("PSMA_")
}

impl Exchange {
    /// Starts the program for a `kind` request (the line `request`), with `limit` for the
    /// whole exchange.
    ///
    /// Must be called within a Tokio runtime.
    pub(crate) fn start(
        config: &Config,
        kind: RequestKind,
        request: Vec<u8>,
        limit: Duration,
    ) -> Result<Self, String> {
        let mut command = Command::new(&config.program);
        command
            .args(&config.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        for (name, _) in std::env::vars_os() {
            if name.to_str().is_some_and(is_withheld) {
                command.env_remove(name);
            }
        }
        command
            .envs(&config.env)
            .env("PSMA_EXEC_PROTOCOL", PROTOCOL_VERSION.to_string())
            .env("PSMA_EXEC_REQUEST", kind.as_str())
            .env("PSMA_SOURCE_ID", config.source_id.as_str());
        let mut child = command
            .spawn()
            .map_err(|e| cannot_start(&config.program, &e))?;
        Ok(Self {
            program: config.program.clone(),
            source_id: config.source_id.to_string(),
            kind,
            stdin: child.stdin.take(),
            stdout: child.stdout.take(),
            stderr: child.stderr.take(),
            child,
            request,
            written: 0,
            splitter: LineSplitter::new(MAX_LINE_BYTES),
            pending: VecDeque::new(),
            stderr_tail: Tail::new(STDERR_TAIL_BYTES),
            exited: None,
            timeout: limit,
            deadline: Instant::now() + limit,
            out_buf: vec![0; CHUNK].into_boxed_slice(),
            err_buf: vec![0; CHUNK].into_boxed_slice(),
            finished: false,
        })
    }

    /// The next line of output, or how the program ended (after its last line). Not to be
    /// called again after [`Event::Finished`].
    pub(crate) async fn next(&mut self) -> Event {
        loop {
            if let Some((number, line)) = self.pending.pop_front() {
                return Event::Line(number, line);
            }
            if self.finished {
                return Event::Finished(Err(format!("`{}` has already ended", self.program)));
            }
            if self.stdout.is_none() && self.stderr.is_none() {
                self.finished = true;
                return Event::Finished(self.conclude().await);
            }
            // Checked here too: a program that floods its output keeps every pipe ready.
            let step = if Instant::now() >= self.deadline {
                Step::Deadline
            } else {
                self.step().await
            };
            match step {
                Step::Deadline => {
                    self.finished = true;
                    return Event::Finished(Err(self.time_out().await));
                }
                Step::Quiet => {
                    tracing::debug!(
                        provider = %self.source_id,
                        "the exec program has exited but something it started holds its output open; no longer reading it"
                    );
                    self.close_stdout();
                    self.stderr = None;
                }
                Step::Wrote(Ok(n)) => {
                    self.written += n;
                    if self.written >= self.request.len() {
                        // Closing stdin tells the program the request is complete.
                        self.stdin = None;
                    }
                }
                // A program may exit without reading its request: that is its business.
                Step::Wrote(Err(_)) => self.stdin = None,
                Step::Stdout(Ok(0) | Err(_)) => self.close_stdout(),
                Step::Stdout(Ok(n)) => self.splitter.feed(&self.out_buf[..n], &mut self.pending),
                Step::Stderr(Ok(0) | Err(_)) => self.stderr = None,
                Step::Stderr(Ok(n)) => self.stderr_tail.push(&self.err_buf[..n]),
                Step::Exited(status) => self.exited = Some(status),
            }
        }
    }

    /// Waits for whichever comes first: the deadline, quiet pipes after the exit, room in
    /// stdin, output, the exit.
    async fn step(&mut self) -> Step {
        let quiet = self
            .exited
            .as_ref()
            .map(|_| (Instant::now() + QUIET_AFTER_EXIT).min(self.deadline));
        let deadline = self.deadline;
        let Self {
            child,
            stdin,
            request,
            written,
            stdout,
            stderr,
            out_buf,
            err_buf,
            exited,
            ..
        } = self;
        let unwritten = request.get(*written..).unwrap_or_default();
        tokio::select! {
            () = sleep_until(deadline) => Step::Deadline,
            () = sleep_until(quiet.unwrap_or(deadline)), if quiet.is_some() => Step::Quiet,
            status = child.wait(), if exited.is_none() => Step::Exited(status),
            result = write_some(stdin.as_mut(), unwritten) => Step::Wrote(result),
            result = read_some(stdout.as_mut(), out_buf) => Step::Stdout(result),
            result = read_some(stderr.as_mut(), err_buf) => Step::Stderr(result),
        }
    }

    fn close_stdout(&mut self) {
        self.stdout = None;
        self.pending.extend(self.splitter.finish());
    }

    /// Stdout and stderr are closed: waits for the exit (within the deadline) and says how
    /// it went.
    async fn conclude(&mut self) -> Result<(), String> {
        let status = match self.exited.take() {
            Some(status) => status,
            None => match timeout_at(self.deadline, self.child.wait()).await {
                Ok(status) => status,
                Err(_) => return Err(self.time_out().await),
            },
        };
        match status {
            Ok(status) if status.success() => {
                let stderr = self.stderr_tail.text();
                if !stderr.is_empty() {
                    tracing::info!(
                        provider = %self.source_id,
                        request = self.kind.as_str(),
                        %stderr,
                        "the exec program wrote to stderr"
                    );
                }
                Ok(())
            }
            Ok(status) => Err(format!("{}{}", self.describe(status), self.stderr_quote())),
            Err(e) => Err(format!("waiting for `{}` failed: {e}", self.program)),
        }
    }

    /// Kills the program (the deadline passed) and says so.
    async fn time_out(&mut self) -> String {
        self.kill().await;
        format!(
            "`{}` did not answer `{}` within {} s and was killed{}",
            self.program,
            self.kind.as_str(),
            self.timeout.as_secs(),
            self.stderr_quote()
        )
    }

    /// Stops reading and kills the program, and reaps it (so no zombie is left behind).
    pub(crate) async fn kill(&mut self) {
        self.stdin = None;
        self.stdout = None;
        self.stderr = None;
        self.pending.clear();
        self.finished = true;
        if self.exited.is_none() {
            // Fails only when it has exited already, which `wait` then collects.
            let _ = self.child.start_kill();
            if let Ok(status) = timeout(REAP, self.child.wait()).await {
                self.exited = Some(status);
            }
        }
    }

    fn describe(&self, status: ExitStatus) -> String {
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt;
            if let Some(signal) = status.signal() {
                return format!(
                    "`{}` was killed by signal {signal}{} while answering `{}`",
                    self.program,
                    signal_name(signal)
                        .map(|n| format!(" ({n})"))
                        .unwrap_or_default(),
                    self.kind.as_str()
                );
            }
        }
        match status.code() {
            Some(code) => format!(
                "`{}` exited with status {code} while answering `{}`",
                self.program,
                self.kind.as_str()
            ),
            None => format!("`{}` ended abnormally ({status})", self.program),
        }
    }

    fn stderr_quote(&self) -> String {
        let quote = self.stderr_tail.quote();
        if quote.is_empty() {
            "; it wrote nothing to stderr".to_owned()
        } else {
            format!("; its stderr ends with: {quote}")
        }
    }
}

fn cannot_start(program: &str, error: &io::Error) -> String {
    let hint = match error.kind() {
        io::ErrorKind::NotFound if program.contains('/') => {
            let cwd = std::env::current_dir()
                .map(|d| d.display().to_string())
                .unwrap_or_else(|_| "?".to_owned());
            format!(" (a relative path is resolved against PSMA's working directory, {cwd})")
        }
        io::ErrorKind::NotFound => " (a name without `/` is looked up on PATH)".to_owned(),
        io::ErrorKind::PermissionDenied => {
            r#" (is it executable? `chmod +x` it, or name its interpreter first: ["python3", "plugin.py"])"#
                .to_owned()
        }
        _ => String::new(),
    };
    format!("cannot start `{program}`: {error}{hint}")
}

#[cfg(unix)]
fn signal_name(signal: i32) -> Option<&'static str> {
    Some(match signal {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        4 => "SIGILL",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        14 => "SIGALRM",
        15 => "SIGTERM",
        _ => return None,
    })
}

async fn read_some<R: AsyncRead + Unpin>(
    pipe: Option<&mut R>,
    buf: &mut [u8],
) -> io::Result<usize> {
    match pipe {
        Some(pipe) => pipe.read(buf).await,
        None => std::future::pending().await,
    }
}

async fn write_some<W: AsyncWrite + Unpin>(
    pipe: Option<&mut W>,
    bytes: &[u8],
) -> io::Result<usize> {
    match pipe {
        Some(pipe) => pipe.write(bytes).await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn psmas_own_configuration_is_withheld() {
        assert!(is_withheld("PSMA_DATABASE__URL"));
        assert!(is_withheld("PSMA_PROVIDERS__TMDB__API_KEY"));
        assert!(!is_withheld("PATH"));
        assert!(!is_withheld("MY_PSMA_TOKEN"));
    }

    #[test]
    fn a_program_that_cannot_start_is_explained() {
        let message = cannot_start("./nope.py", &io::Error::from(io::ErrorKind::NotFound));
        assert!(message.contains("working directory"), "{message}");
        let message = cannot_start("nope", &io::Error::from(io::ErrorKind::NotFound));
        assert!(message.contains("PATH"), "{message}");
        let message = cannot_start(
            "./plugin.py",
            &io::Error::from(io::ErrorKind::PermissionDenied),
        );
        assert!(message.contains("chmod +x"), "{message}");
    }
}
