//! `/api/v1/audit`: the household's audit log, read.

pub(crate) mod list;
