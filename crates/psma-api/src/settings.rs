//! The `[server]` section of the configuration, owned by this adapter.

use serde::{Deserialize, Serialize};
use std::net::IpAddr;

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
    /// Largest total size of a request's header names and values; larger ones get 431.
    #[serde(default = "default_max_header_bytes")]
    pub max_header_bytes: usize,
    /// Request rate limits per client address and per household.
    #[serde(default)]
    pub rate_limits: RateLimitSettings,
    /// Origins whose browser pages may call the API (CORS). Empty, the default: none (CORS
    /// closed; same-origin pages and non-browser clients are unaffected).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cors_origins: Vec<String>,
    /// Reverse proxies whose `X-Forwarded-For` is believed: behind one, the client's address
    /// (for rate limits and the audit log) is the nearest address in that header that is not a
    /// trusted proxy. Empty, the default: the peer's address.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trusted_proxies: Vec<IpAddr>,
    /// Host names the server answers to besides IP addresses, `localhost` and `public_url`'s
    /// host (`["psma.home.arpa"]`; `["*"]`: any). Others get 421, which keeps web pages
    /// elsewhere from reaching a login-free local server through DNS rebinding.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_hosts: Vec<String>,
}

/// 16 KiB: far above what browsers and API clients send (a few hundred bytes, a 4 KiB bearer
/// at most), far below what would let one request hold much memory.
fn default_max_header_bytes() -> usize {
    16 * 1024
}

/// `[server.rate_limits]`: GCRA limits (`governor`), answered with 429 problem+json and
/// `Retry-After`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimitSettings {
    /// `true`: on; `false`: off; unset: on in hosted mode (`auth.mode = "jwt"`), off in local
    /// mode, where the one household is the machine's owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Requests per minute from one client address, sustained.
    pub per_ip_per_minute: u32,
    /// Requests one client address may send at once above that.
    pub per_ip_burst: u32,
    /// Requests per minute from one household (every member together), sustained.
    pub per_tenant_per_minute: u32,
    /// Requests one household may send at once above that.
    pub per_tenant_burst: u32,
}

impl Default for RateLimitSettings {
    fn default() -> Self {
        Self {
            enabled: None,
            per_ip_per_minute: 600,
            per_ip_burst: 120,
            per_tenant_per_minute: 1200,
            per_tenant_burst: 240,
        }
    }
}
