//! The run's impact (DESIGN §6.1 "impact: which users' selections are affected → re-plan those
//! users"): the members who selected a show whose facts the run changed get a re-plan, queued
//! in the run's transaction so that a committed change never misses its re-plans.

use crate::catalog::ShowId;
use crate::catalog::ports::IngestSession;
use crate::planning::plans::PlanTrigger;
use crate::planning::replan::replan_job;
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
    let shows: Vec<ShowId> = changed.iter().copied().collect();
    let members = session.members_selecting(&shows).await?;
    // In key order, so that two runs queuing for the same members lock their keys in the same
    // order (no deadlock on PostgreSQL's unique index).
    let mut jobs = members
        .iter()
        .map(|&(tenant, user)| replan_job(tenant, user, PlanTrigger::CatalogRefresh, now))
        .collect::<crate::Result<Vec<_>>>()?;
    jobs.sort_by(|a, b| a.unique_key.cmp(&b.unique_key));
    session.enqueue(&jobs).await
}
