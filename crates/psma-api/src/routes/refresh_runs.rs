//! `/api/v1/refresh-runs`: the providers' runs into the shared catalog.

pub(crate) mod list;
