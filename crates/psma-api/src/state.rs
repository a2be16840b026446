//! What every handler can reach: the use cases and ports, wired by the binary.

use psma_core::accounts::Accounts;
use psma_core::ports::{Authenticator, Readiness};
use std::sync::Arc;

/// Shared, cheaply cloned application state.
#[derive(Clone)]
pub struct ApiState {
    /// Tenants, users, the caller's profile.
    pub accounts: Accounts,
    /// Who the caller is.
    pub authenticator: Arc<dyn Authenticator>,
    /// Whether the database is usable.
    pub readiness: Arc<dyn Readiness>,
    /// Largest request body accepted.
    pub max_body_bytes: usize,
}
