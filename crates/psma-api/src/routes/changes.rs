//! `/api/v1/changes`: what refreshes and imports changed.

pub(crate) mod list;
