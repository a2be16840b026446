//! Cross-cutting request handling: request ids, the request log line, metrics, and turning
//! every error response into problem+json.

pub(crate) mod edge;
pub mod metrics;
pub(crate) mod problems;
pub(crate) mod telemetry;
