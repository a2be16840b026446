//! The clock port is the SDK's: engines, use cases and plugins share one notion of "now".

pub use psma_plugin_sdk::{Clock, SystemClock};
