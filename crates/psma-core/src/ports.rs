//! Cross-cutting ports: the clock, readiness and authentication. Each capability keeps its own
//! ports beside its types (`accounts`, `audit`, `jobs`, `catalog`).
//!
//! Adapters (`psma-store`, …) implement them; the binary wires concrete ones in as
//! `Arc<dyn …>`. Tests of the core use the fakes in `psma_core::testing`.

mod authenticator;
mod clock;
mod entropy;
mod readiness;

pub use authenticator::{Authenticator, Credentials};
pub use clock::{Clock, SystemClock};
pub use entropy::{Entropy, OsEntropy};
pub use readiness::{Readiness, ReadinessReport};
