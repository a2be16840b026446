//! Ports: the capabilities the core needs from outside, as small object-safe traits.
//!
//! Adapters (`psma-store`, …) implement them; the binary wires concrete ones in as
//! `Arc<dyn …>`. Tests of the core use the fakes in `psma_core::testing`.

mod accounts;
mod audit;
mod authenticator;
mod clock;
mod jobs;
mod readiness;

pub use accounts::{ProfileChange, TenantProvisioning, UserRepo};
pub use audit::AuditLog;
pub use authenticator::{Authenticator, Credentials};
pub use clock::{Clock, SystemClock};
pub use jobs::JobQueue;
pub use readiness::{Readiness, ReadinessReport};
