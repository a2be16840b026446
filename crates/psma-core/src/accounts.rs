//! Accounts: tenants (households), their users and roles, and the caller's own profile.

pub mod identities;
pub mod invitations;
mod platform;
mod ports;
pub mod roles;
pub mod sessions;
mod trash;
mod types;
mod usecases;

pub use platform::{NewHousehold, Platform};
pub use ports::{ProfileChange, TenantProvisioning, UserRepo};
pub use trash::{Purged, Trash, TrashStore};
pub use types::{DisplayName, LOCAL_TENANT_ID, LOCAL_USER_ID, NewTenant, NewUser, Tenant, User};
pub use usecases::{Accounts, Me, MePatch};
