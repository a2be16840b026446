//! sea-orm entities: private to the store, mapped to domain types at its edge.

pub(crate) mod audit_log;
pub(crate) mod jobs;
pub(crate) mod tenants;
pub(crate) mod user_roles;
pub(crate) mod users;
