//! The job handlers of the core's background work, one per file.

mod advise;
mod refresh;
mod replan;

pub use advise::AdviseHandler;
pub use refresh::RefreshHandler;
pub use replan::ReplanHandler;
