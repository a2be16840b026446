//! Request extractors: the caller's tenant context, and JSON bodies with field-level errors.

mod body;
mod caller;
mod json;
mod query;
mod upload;

pub(crate) use caller::{Caller, CallerIds};
pub(crate) use json::JsonBody;
pub(crate) use query::QueryParams;
pub(crate) use upload::Upload;
