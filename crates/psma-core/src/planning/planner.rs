//! The planner (DESIGN §5; `docs/adr/0020-planner.md`): selections, the service profile,
//! availability assessments, episode air days, prices and settings in, a dated plan of
//! subscribe and unsubscribe events out. [`plan`] is a pure function of its [`PlanInput`]:
//! the same input gives the same plan, byte for byte once serialised.
//!
//! 1. **Required interval per selection and candidate window** (§5.1): `as_aired` follows the
//!    wanted season's air days (from max(today, first air day) to the last); with no schedule
//!    it is the availability window from max(today, available_from), and an unknown end is
//!    `unknown_end_horizon_days` with an assumption and the question `show:<id>:end_date`,
//!    unless the selection's `end_date` answers it (then needed until that day; an incomplete
//!    season to binge is complete on it).
//!    `binge_after_season` starts when the season's last episode has aired and the show is
//!    available, and lasts `binge_days`; a complete season already available (or no schedule)
//!    starts at max(today, available_from, start_after). A window ending early cuts the
//!    interval; everything is cut at `horizon_days`.
//! 2. **Candidates**: assessments in the country that are subscription candidates and meet
//!    `min_confidence`, whose window serves the interval. A permanent service among them covers
//!    the show (no events, [`Covered`]); no candidate blocks it ([`BlockedShow`], question
//!    `show:<id>:service`): the plan is partial.
//! 3. **Service choice across the whole plan** (§5.2): minimise total subscribed days after
//!    merging, or total cost (then days) when every candidate service has a known price in one
//!    currency and a known billing cycle. Groups of selections sharing no service are solved
//!    apart; each starts from the better of the naive and the preferred choice improved by local
//!    search (so never worse than naive), then branch and bound within `search_budget` service
//!    evaluations.
//!    Options are tried in preference order (higher confidence, more recent `retrieved_at`,
//!    lower price, service id), and only a strictly better plan replaces the one found first.
//!    When the budget runs out the plan says so: `optimal: false` and a proven lower bound.
//! 4. **Merging** (§5.3–5.4): per service, an interval starting before the unsubscribe day or
//!    within `merge_adjacency_days` of the last needed day joins the subscription; the
//!    unsubscribe day is the last needed day + `unsubscribe_buffer_days` (at least the minimum
//!    contract; an interval never outlasts its window, so never later than `available_until` +
//!    buffer).
//! 5. **Billing cycles** (§5.5): on services with a known cycle, flexible binge windows move
//!    later (by at most `binge_days`) when that lowers the days paid in whole cycles; totals
//!    are given with and without.
//! 6. **Contested** (§5.6): an event resting on a contested assessment is marked with its
//!    conflicts.
//! 7. **Questions** (§5.7), stable ids: `show:<id>:end_date` (an assumed end),
//!    `show:<id>:service` (a blocked show), `service:<id>:min_contract_days` (a planned service
//!    whose minimum contract the user has not given; the plan assumes none).
//!
//! Subscribed days are unsubscribe day − subscribe day. Costs are whole cycles × price.

mod build;
mod cost;
mod events;
mod need;
mod pack;
mod prepare;
mod search;
mod types;

pub use types::{
    Action, Alternative, BlockReason, BlockedShow, Covered, DEFAULT_SEARCH_BUDGET, EpisodeAir,
    LostBecause, Objective, Plan, PlanEvent, PlanInput, PlanReason, Price, Question, Search,
    Totals,
};

/// An amount in ten-thousandths of its currency (`None` when it does not fit).
pub(crate) use cost::minor as minor_units;

/// Plans `input` (module docs).
#[must_use]
pub fn plan(input: &PlanInput<'_>) -> Plan {
    build::plan(input)
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod props;

#[cfg(test)]
mod scale;
