//! Request extractors: the caller's tenant context, and JSON bodies with field-level errors.

mod caller;
mod json;

pub(crate) use caller::{Caller, CallerIds};
pub(crate) use json::JsonBody;
