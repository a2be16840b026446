//! The job handlers of the core's background work, one per file.

mod refresh;

pub use refresh::RefreshHandler;
