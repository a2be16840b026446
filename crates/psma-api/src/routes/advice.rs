//! `/api/v1/advice`: the caller's advice inbox — what the rules found, worded by the adviser —
//! and their decisions on it: confirm, decline, answer.

pub(crate) mod answer;
pub(crate) mod confirm;
pub(crate) mod decline;
pub(crate) mod list;
mod view;
