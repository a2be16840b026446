//! Providers: the configured data sources and what they have done.
//!
//! The composition root builds them from the `[providers.<id>]` sections through the plugins'
//! factories. The core sees only [`Provider`](psma_plugin_sdk::Provider)s and their specs,
//! never a list of plugins.

mod add_show;
mod configured;
mod directory;
mod refresh;

pub use add_show::AddedShow;
pub use configured::{ConfiguredProvider, Providers, backoff};
pub use directory::{LatestRun, ProviderDirectory, ProviderStatus, RunHistory, RunStreak};
pub use refresh::{
    QueuedRefresh, REFRESH_JOB, RefreshPayload, RefreshPorts, RefreshTargets, Refreshes,
};

#[cfg(test)]
mod tests;
