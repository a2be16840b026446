//! `/api/v1/providers`: the configured data sources and their runs.

pub(crate) mod list;
pub(crate) mod search;
