//! Planning: what a household wants to watch and which services it keeps (its profile), how
//! available each show is, and the dated subscribe/cancel plan that costs least (DESIGN §5).

// Submodules, one per capability: each adds its own line below.
pub mod availability;
pub mod facade;
pub mod planner;
pub mod plans;
pub mod profile;
pub mod reminders;
pub mod replan;
