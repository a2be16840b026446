//! The advice job: after a household member's plan is made again, the rules look at it and the
//! adviser words what they found (DESIGN §7 "Advice jobs run in the worker after re-planning").
//!
//! One job per (tenant, user) is live at a time (its unique key), due at once; the handler
//! frees the key as it starts, so a plan kept while it runs queues the next one.

use crate::jobs::NewJob;
use crate::tenancy::{TenantId, UserId};
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The job kind of an advice run.
pub const ADVISE_JOB: &str = "advise";

/// Attempts an advice job gets before it fails for good (a model's failure is not one: it
/// falls back to the offline wording).
const ADVISE_ATTEMPTS: i32 = 3;

/// What an advice job carries: whose advice (the tenant is the job's own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdvisePayload {
    /// The household member to advise.
    pub user_id: UserId,
}

/// The unique key of `user`'s advice job in `tenant`.
#[must_use]
pub fn advise_key(tenant: TenantId, user: UserId) -> String {
    format!("{ADVISE_JOB}:{tenant}:{user}")
}

/// The job that advises `user` of `tenant`, queued at `now` and due at once.
///
/// # Errors
/// [`Error::Internal`] if the payload cannot be serialised (it always can).
pub fn advise_job(tenant: TenantId, user: UserId, now: DateTime<Utc>) -> Result<NewJob> {
    Ok(NewJob {
        kind: ADVISE_JOB.to_owned(),
        tenant_id: Some(tenant),
        payload: serde_json::to_value(AdvisePayload { user_id: user }).map_err(Error::internal)?,
        run_at: now,
        max_attempts: ADVISE_ATTEMPTS,
        unique_key: Some(advise_key(tenant, user)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_advise_job_carries_the_member_and_is_keyed_per_member() {
        let (tenant, user) = (TenantId::generate(), UserId::generate());
        let now = Utc::now();
        let job = advise_job(tenant, user, now).unwrap();
        assert_eq!((job.kind.as_str(), job.run_at), ("advise", now));
        assert_eq!(
            job.unique_key.as_deref(),
            Some(format!("advise:{tenant}:{user}").as_str())
        );
        let back: AdvisePayload = serde_json::from_value(job.payload).unwrap();
        assert_eq!(back.user_id, user);
    }
}
