//! The `[server]` section of the configuration, owned by this adapter.

use serde::{Deserialize, Serialize};

/// `[server]`: where and how the HTTP API listens.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    /// Address to listen on, `host:port` (`127.0.0.1:0` picks a free port).
    pub bind: String,
    /// Largest request body accepted; larger ones get 413.
    pub max_body_bytes: usize,
    /// HTTP worker threads; 0 means one per CPU core.
    pub workers: usize,
    /// How long shutdown waits for in-flight requests.
    pub shutdown_timeout_secs: u64,
    /// The address people reach this server at (`https://psma.example.org`), when it is known:
    /// links handed out (the calendar feed's URL) are absolute then, else relative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
}
