//! Who may do what: permissions as (resource, action), the roles that grant them, and the
//! grants a [`crate::tenancy::TenantCtx`] carries.
//!
//! Every use case checks the permission it needs on the context it is given
//! ([`crate::tenancy::TenantCtx::require`]), so HTTP, CLI and worker get the same answer. The
//! four system roles grant fixed sets ([`Role::system_grants`]); a household's custom roles grant
//! what their definitions list, resolved by the entry point that establishes the context
//! (`accounts::roles`).

mod grants;
mod permission;
mod role;

pub use grants::Grants;
pub use permission::{Action, Permission, Resource};
pub use role::Role;
