//! `/api/v1/jobs`: background jobs the caller may see.

pub(crate) mod get;
