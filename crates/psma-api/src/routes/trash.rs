//! `/api/v1/trash`: what the household removed and can still restore, until purged.

pub(crate) mod purge;
