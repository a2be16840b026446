//! `/api/v1/plans`: the caller's stored plans — make one, read the current one or any earlier
//! one by id, and what changed since the one before.

pub(crate) mod create;
pub(crate) mod current;
pub(crate) mod delta;
mod delta_view;
pub(crate) mod get;
mod view;

pub(crate) use delta_view::PlanDeltaView;
// Public: `psma plan --format json` prints a plan as the API shows it.
pub(crate) use view::ActionView;
pub use view::PlanView;
