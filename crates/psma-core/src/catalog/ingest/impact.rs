//! The run's impact (DESIGN §6.1 "impact: which users' selections are affected → re-plan those
//! users"): the members who selected a show whose facts the run changed get a re-plan, queued
//! in the run's transaction so that a committed change never misses its re-plans.

use crate::catalog::ShowId;
use crate::catalog::ports::IngestSession;
use crate::planning::plans::PlanTrigger;
use crate::planning::replan::ReplanFanOut;
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;

/// Queues one `catalog_refresh` re-plan per member whose live selections include one of
/// `changed`.
///
/// # Errors
/// As the session's methods.
pub(super) async fn queue_replans(
    session: &mut dyn IngestSession,
    changed: &BTreeSet<ShowId>,
    now: DateTime<Utc>,
) -> crate::Result<()> {
    if changed.is_empty() {
        return Ok(());
    }
    let fan_out = ReplanFanOut {
        shows: changed.iter().copied().collect(),
        trigger: PlanTrigger::CatalogRefresh,
        at: now,
    };
    let members = session.members_selecting(&fan_out.shows).await?;
    session.enqueue(&fan_out.jobs(&members)?).await
}
