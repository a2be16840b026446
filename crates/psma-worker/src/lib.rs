//! # psma-worker — the job runner
//!
//! Claims durable jobs from the core's `JobQueue` port, runs the handler registered for each
//! job's kind with a [`JobContext`], and settles the job: succeeded, retried later with
//! exponential backoff, or failed for good. `psma serve` runs one embedded; `psma worker` runs
//! it alone, and many such processes can share one PostgreSQL queue.
//!
//! **Invariants:** depends on the core (and the plugin SDK's types) only among PSMA crates; handlers register by kind, the
//! runner never matches on a closed list of kinds; the job context is the worker's one place
//! that builds a `TenantCtx`, from the tenant recorded on the job.

mod error;
mod handler;
mod handlers;
mod job_context;
mod pace;
mod runner;
mod schedule;
mod settings;

pub use error::JobError;
pub use handler::{HandlerRegistry, JobHandler};
pub use handlers::{AdviseHandler, RefreshHandler, ReplanHandler};
pub use job_context::JobContext;
pub use pace::GovernorPace;
pub use runner::{Outcome, Worker};
pub use schedule::{RefreshSchedule, SCHEDULE_TICK};
pub use settings::WorkerSettings;
