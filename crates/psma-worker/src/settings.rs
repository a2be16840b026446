use serde::{Deserialize, Serialize};

/// `[worker]`: the background job runner.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WorkerSettings {
    /// Run a worker inside `psma serve` (the single-machine default). Hosted deployments set
    /// this to false and run `psma worker` processes instead.
    pub embedded: bool,
    /// Where a `psma worker` process serves `/health`, `/ready` and `/metrics` (the embedded
    /// worker of `psma serve` uses the API server's).
    pub bind: String,
    /// How long an idle worker waits before looking for due jobs again.
    pub poll_interval_ms: u64,
    /// How long a claimed job stays reserved; a worker that dies loses its jobs after this.
    pub lease_secs: u64,
    /// First retry delay; each further attempt doubles it, up to a day.
    pub retry_base_secs: u64,
}
