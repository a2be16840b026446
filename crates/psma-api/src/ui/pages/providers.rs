//! Providers (`GET /providers`): the configured data sources, their last and next refresh, the
//! recent runs, and a button asking for a refresh now (`POST /providers/refresh`).

pub(crate) mod get;
pub(crate) mod refresh;
