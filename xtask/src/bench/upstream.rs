//! A mock TVmaze for `cargo xtask bench refresh`: answers `/shows/{id}?embed=episodes` for any
//! id with the recorded Stranger Things response (`plugins/tvmaze/tests/fixtures`), renumbered
//! and retitled for that id, with no artificial latency. It notes when each request arrived,
//! so the benchmark can read the rate a limiter kept.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::Instant;

use anyhow::{Context, Result};
use serde_json::Value;

/// The running mock: a thread accepting connections, a thread per connection.
///
/// Hand-written on `std::net` rather than a server crate: each response must leave in one
/// write on a `TCP_NODELAY` socket. A server that writes the head and the body apart meets
/// Nagle's algorithm and the client's delayed ACK, and every response then waits 40 ms,
/// which would measure the mock instead of PSMA.
pub struct Upstream {
    address: std::net::SocketAddr,
    arrivals: Arc<Mutex<Vec<Instant>>>,
    stopping: Arc<AtomicBool>,
    acceptor: thread::JoinHandle<()>,
}

impl Upstream {
    /// Starts it on a free port of 127.0.0.1.
    pub fn start(root: &Path) -> Result<Self> {
        let path = root.join("plugins/tvmaze/tests/fixtures/show-2993-embed-episodes.json");
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let template: Arc<Value> = Arc::new(serde_json::from_str(&text)?);
        let listener = TcpListener::bind("127.0.0.1:0").context("starting the mock upstream")?;
        let address = listener.local_addr()?;
        let arrivals = Arc::new(Mutex::new(Vec::new()));
        let stopping = Arc::new(AtomicBool::new(false));
        let acceptor = {
            let arrivals = Arc::clone(&arrivals);
            let stopping = Arc::clone(&stopping);
            thread::spawn(move || {
                for stream in listener.incoming() {
                    if stopping.load(Ordering::Relaxed) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let arrivals = Arc::clone(&arrivals);
                    let template = Arc::clone(&template);
                    thread::spawn(move || {
                        let _ = serve(stream, &arrivals, &template);
                    });
                }
            })
        };
        Ok(Self {
            address,
            arrivals,
            stopping,
            acceptor,
        })
    }

    /// Its base URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// When each request so far arrived, and forgets them.
    pub fn take_arrivals(&self) -> Vec<Instant> {
        std::mem::take(&mut *self.arrivals.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Stops accepting connections.
    pub fn stop(self) {
        self.stopping.store(true, Ordering::Relaxed);
        // Wake the acceptor.
        let _ = TcpStream::connect(self.address);
        let _ = self.acceptor.join();
    }
}

/// Answers the requests of one keep-alive connection until the client closes it.
fn serve(
    stream: TcpStream,
    arrivals: &Mutex<Vec<Instant>>,
    template: &Value,
) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let target = line.split_whitespace().nth(1).unwrap_or("").to_owned();
        // The rest of the head; a GET has no body.
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            if line == "\r\n" || line == "\n" {
                break;
            }
        }
        arrivals
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Instant::now());
        let id = target
            .strip_prefix("/shows/")
            .and_then(|rest| rest.split('?').next())
            .and_then(|id| id.parse::<u64>().ok());
        let (status, body) = match id {
            Some(id) => ("200 OK", show(template, id).to_string()),
            None => (
                "404 Not Found",
                r#"{"name":"Not Found","status":404}"#.to_owned(),
            ),
        };
        let response = format!(
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        writer.write_all(response.as_bytes())?;
    }
}

/// The template as show `id`: its own id, title and episode ids.
fn show(template: &Value, id: u64) -> Value {
    let mut show = template.clone();
    show["id"] = id.into();
    show["name"] = format!("Bench Show {id}").into();
    show["url"] = format!("https://www.tvmaze.com/shows/{id}/bench-show-{id}").into();
    show["externals"] = serde_json::json!({"tvrage": null, "thetvdb": null, "imdb": null});
    if let Some(episodes) = show["_embedded"]["episodes"].as_array_mut() {
        for (n, episode) in episodes.iter_mut().enumerate() {
            episode["id"] = (id * 1000 + n as u64).into();
        }
    }
    show
}
