//! Roles (issue 9, ADR 0030): the four system roles every household has, whose permissions
//! are fixed in code, and the household's custom roles, whose permissions it chooses. Roles
//! are assigned to members; what a member may do is the union of what their roles grant.

mod assign;
mod ports;
mod types;
mod usecases;

pub use assign::{MAX_ROLES, parse_roles};
pub use ports::RoleStore;
pub use types::{NewRole, RoleChange, RoleDefinition, RoleDescription};
pub use usecases::Roles;
