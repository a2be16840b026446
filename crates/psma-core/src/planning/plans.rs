//! Stored plans: the planner run for one household member over the catalog as they see it,
//! kept so each new plan can be compared with the one before (DESIGN §2 "Plan", §3.2.5), and
//! the reminders and calendar feed made from the current one.
//!
//! [`Plans::generate`] gathers the planner's input — the user's selections, services and
//! settings, the availability engine's assessments of the selected shows in the catalog as the
//! household sees it (its own facts and decisions included), their episode air days, and a
//! price per service (the user's own terms, else the registry's cheapest typical price in the
//! country) — runs [`crate::planning::planner::plan`], and stores the result with the plan it
//! replaces. The previous plan stays readable by its id, and [`Plans::delta`] compares the
//! current plan with it ([`delta`]).

pub mod delta;
mod inputs;
mod ports;
mod types;
mod usecases;

pub use delta::{PlanDelta, delta};
pub use inputs::PlanningInputs;
pub use ports::PlanStore;
pub use types::{PlanId, PlanTrigger, StoredDelta, StoredPlan};
pub use usecases::{FollowUp, Plans};
