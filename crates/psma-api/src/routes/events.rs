//! `/api/v1/events`: live updates for UIs (server-sent events).

pub(crate) mod stream;
