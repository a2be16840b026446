//! Request extractors: the caller's tenant context (API and web page), and JSON bodies with field-level errors.

mod body;
mod caller;
mod feed;
mod json;
mod optional_json;
mod page;
mod query;
mod upload;

pub(crate) use body::Body;
pub(crate) use caller::{Caller, CallerIds};
pub(crate) use feed::FeedOwner;
pub(crate) use json::JsonBody;
pub(crate) use optional_json::OptionalJsonBody;
pub(crate) use page::PageCaller;
pub(crate) use query::QueryParams;
pub(crate) use upload::Upload;
