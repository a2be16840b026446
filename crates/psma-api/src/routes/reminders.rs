//! `/api/v1/reminders`: the next events of the caller's current plan.

pub(crate) mod upcoming;
