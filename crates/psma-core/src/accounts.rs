//! Accounts: tenants (households), their users and roles, and the caller's own profile.

pub mod identities;
pub mod invitations;
mod ports;
pub mod sessions;
mod types;
mod usecases;

pub use ports::{ProfileChange, TenantProvisioning, UserRepo};
pub use types::{DisplayName, LOCAL_TENANT_ID, LOCAL_USER_ID, NewTenant, NewUser, Tenant, User};
pub use usecases::{Accounts, Me, MePatch};
