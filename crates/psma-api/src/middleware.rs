//! Cross-cutting request handling: request ids, the request log line, metrics, the names the
//! server answers to, and turning every error response into problem+json (or, for a browser
//! outside the API, an HTML page).

pub(crate) mod edge;
pub(crate) mod hosts;
pub mod metrics;
pub(crate) mod problems;
pub(crate) mod telemetry;
