//! `/api/v1/admin`: the platform operator's endpoints (the `platform_operator` role).

pub(crate) mod tenants;
