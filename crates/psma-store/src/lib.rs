//! # psma-store — the persistence adapter
//!
//! Implements the core's persistence ports (`TenantProvisioning`, `UserRepo`, `AuditLog`,
//! `JobQueue`, `Readiness`) with sea-orm, on SQLite and PostgreSQL from the same code.
//!
//! **Invariants:**
//! - sea-orm entities are private to this crate; callers see only domain types.
//! - Tenant data is read and written only inside [`tenant_scope`] transactions, which on
//!   PostgreSQL set `app.current_tenant_id` for that transaction alone, so row-level security
//!   confines every statement to the caller's tenant and a pooled connection never carries the
//!   setting over.
//! - Every mutation writes its audit entry in the same transaction.

mod account_tokens;
mod accounts;
mod advice;
mod audit;
mod calendar_tokens;
mod catalog;
mod connect;
mod entities;
mod error;
mod identities;
mod jobs;
mod literal_limit;
mod oauth_flows;
mod plan_events;
mod plans;
mod profile;
mod readiness;
mod roles;
mod sessions;
mod settings;
mod tenant_scope;
mod trash;

pub use connect::{Backend, Store};
pub use error::StoreError;
pub use settings::{DatabaseSettings, DatabaseUrl};
