//! # psma-api — the HTTP adapter
//!
//! actix-web routes under `/api/v1` (and the first API's compatibility façade,
//! `POST /plan/v1/generate`), the request extractors that turn an authenticated caller
//! into a `TenantCtx`, problem+json errors (RFC 9457), the OpenAPI document and its interactive
//! docs (a vendored Swagger UI: nothing is fetched at build or run time), request telemetry and
//! Prometheus metrics — and the web UI ([`ui`]): server-rendered pages over the same use cases.
//!
//! **Invariants:** calls the core's use cases and ports only, never the store or another
//! adapter directly; maps errors to HTTP in exactly one place ([`problem`]); every error body
//! under `/api/` is `application/problem+json`, and a browser elsewhere gets the same problem
//! as an HTML page.

pub mod error;
mod extract;
mod live;
mod middleware;
pub mod openapi;
mod params;
pub mod problem;
pub mod rate_limits;
mod responses;
mod routes;
mod server;
mod settings;
mod state;
mod ui;
mod views;

pub use error::ApiError;
pub use middleware::metrics::install_metrics_recorder;
pub use rate_limits::RateLimits;
pub use routes::plans::PlanView;
pub use server::{Server, bind, serve, serve_operations};
pub use settings::{RateLimitSettings, ServerSettings};
pub use state::ApiState;
