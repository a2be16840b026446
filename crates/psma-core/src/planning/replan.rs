//! Re-planning in the background (issue 7, item 4; DESIGN §6.1 "impact → re-plan those
//! users"): a change to what a household member plans from — their My Shows, My Services or
//! settings, or the catalog's facts about a show they selected — queues one durable `replan`
//! job for that member; the worker runs it as them ([`Replans::run`]), keeps the new plan as
//! their current one (the previous stays readable) and records a [`PlanChanged`] event in the
//! database, where any process (the web UI's) can read it.
//!
//! Jobs carry ids only (the tenant on the job, the user and the trigger in the payload). One
//! job per (tenant, user) is live at a time: its unique key coalesces a burst of edits, and it
//! runs [`REPLAN_DELAY`] after the first, so the burst has time to arrive. The handler frees
//! the key as it starts ([`crate::jobs::JobQueue::release_unique_key`]), so an edit made while
//! a re-plan runs queues the next one instead of being folded into a run that may already
//! have read the profile. See ADR 0024.

mod events;
mod usecases;

pub use events::{PlanChanged, PlanEventId, PlanEvents};
pub use usecases::Replans;

use super::plans::PlanTrigger;
use crate::jobs::NewJob;
use crate::tenancy::{TenantId, UserId};
use crate::{Error, Result};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// The job kind of a re-plan.
pub const REPLAN_JOB: &str = "replan";

/// How long after the change that queues it a re-plan runs: edits in a burst (a user ticking
/// several shows) join the one queued job instead of each starting a run.
pub const REPLAN_DELAY: Duration = Duration::seconds(2);

/// Attempts a re-plan job gets before it fails for good.
const REPLAN_ATTEMPTS: i32 = 3;

/// What a re-plan job carries: whose plan (the tenant is the job's own) and why. Ids, never
/// copies of the household's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplanPayload {
    /// The household member to plan for.
    pub user_id: UserId,
    /// What changed (the first change of a coalesced burst).
    pub trigger: PlanTrigger,
}

/// The unique key of `user`'s re-plan in `tenant`: one live job per member.
#[must_use]
pub fn replan_key(tenant: TenantId, user: UserId) -> String {
    format!("{REPLAN_JOB}:{tenant}:{user}")
}

/// The job that re-plans `user` of `tenant` because of `trigger`, queued at `now` to run
/// [`REPLAN_DELAY`] later.
///
/// # Errors
/// [`Error::Internal`] if the payload cannot be serialised (it always can).
pub fn replan_job(
    tenant: TenantId,
    user: UserId,
    trigger: PlanTrigger,
    now: DateTime<Utc>,
) -> Result<NewJob> {
    Ok(NewJob {
        kind: REPLAN_JOB.to_owned(),
        tenant_id: Some(tenant),
        payload: serde_json::to_value(ReplanPayload {
            user_id: user,
            trigger,
        })
        .map_err(Error::internal)?,
        run_at: now + REPLAN_DELAY,
        max_attempts: REPLAN_ATTEMPTS,
        unique_key: Some(replan_key(tenant, user)),
    })
}

/// Re-plans to queue with a change of the catalog's data that a store writes itself (a
/// conflict decision): every live member of the tenant whose selections include one of
/// `shows` gets [`replan_job`] for `trigger`, in the change's own transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplanFanOut {
    /// The shows the change is about.
    pub shows: Vec<crate::catalog::ShowId>,
    /// Why the re-plans run.
    pub trigger: PlanTrigger,
    /// When the change happened (the jobs run [`REPLAN_DELAY`] later).
    pub at: DateTime<Utc>,
}

impl ReplanFanOut {
    /// The jobs for `members`, as (tenant, user) pairs, in unique-key order so that two
    /// transactions queuing for the same members lock their keys in the same order.
    ///
    /// # Errors
    /// As [`replan_job`].
    pub fn jobs(&self, members: &[(TenantId, UserId)]) -> Result<Vec<NewJob>> {
        let mut jobs = members
            .iter()
            .map(|&(tenant, user)| replan_job(tenant, user, self.trigger, self.at))
            .collect::<Result<Vec<_>>>()?;
        jobs.sort_by(|a, b| a.unique_key.cmp(&b.unique_key));
        Ok(jobs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replan_job_carries_ids_and_is_keyed_per_member() {
        let (tenant, user) = (TenantId::generate(), UserId::generate());
        let now = Utc::now();
        let job = replan_job(tenant, user, PlanTrigger::ProfileChange, now).unwrap();
        assert_eq!(job.tenant_id, Some(tenant));
        assert_eq!(job.run_at, now + REPLAN_DELAY);
        assert_eq!(
            job.unique_key.as_deref(),
            Some(format!("replan:{tenant}:{user}").as_str())
        );
        assert_eq!(
            job.payload,
            serde_json::json!({"user_id": user, "trigger": "profile_change"})
        );
        let back: ReplanPayload = serde_json::from_value(job.payload).unwrap();
        assert_eq!(back.user_id, user);
    }
}
