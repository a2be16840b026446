//! The job handlers of the core's background work, one per file.

mod refresh;
mod replan;

pub use refresh::RefreshHandler;
pub use replan::ReplanHandler;
