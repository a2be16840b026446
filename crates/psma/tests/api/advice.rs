//! The advice loop end to end (issue 8): the worker raises advice after each plan, the member
//! confirms, declines or answers it over HTTP, and every step is in the audit log.

mod flow;
mod llm;
pub mod support;
