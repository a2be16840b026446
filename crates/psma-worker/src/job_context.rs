use psma_core::access::Grants;
use psma_core::jobs::{Job, JobId};
use psma_core::tenancy::{SystemCtx, TenantCtx, UserId};

/// What a handler knows about the job it runs. The worker's one place that builds a
/// `TenantCtx` (from the tenant recorded on the job, as system work: no user) or, for a job of
/// no tenant, a `SystemCtx` for work on the shared catalog.
#[derive(Debug, Clone)]
pub struct JobContext {
    /// The job.
    pub job_id: JobId,
    /// Which attempt this is, from 1.
    pub attempt: i32,
    /// The tenant the job acts for; `None` for global work.
    pub tenant: Option<TenantCtx>,
    /// For global work (a job with no tenant): the context of system work on the shared
    /// catalog. `None` for a tenant's job.
    pub system: Option<SystemCtx>,
}

impl JobContext {
    pub(crate) fn for_job(job: &Job) -> Self {
        Self {
            job_id: job.id,
            attempt: job.attempts,
            tenant: job.tenant_id.map(|tenant| {
                TenantCtx::establish(tenant, None, Vec::new(), Grants::household_reads())
            }),
            system: job
                .tenant_id
                .is_none()
                .then(|| SystemCtx::establish("background job")),
        }
    }
}

impl JobContext {
    /// The context of a tenant's job acting as `user` of that tenant, for work a member's own
    /// data drives (a re-plan): the job's tenant, the user its payload names, and no role, so
    /// it can read and plan for that member but not change their data. `None` for a job of no
    /// tenant. Rows of a user id that is not the tenant's are not found: every read and write
    /// stays confined to the job's tenant.
    #[must_use]
    pub fn as_user(&self, user: UserId) -> Option<TenantCtx> {
        self.tenant.as_ref().map(|tenant| {
            TenantCtx::establish(
                tenant.tenant_id(),
                Some(user),
                Vec::new(),
                Grants::household_reads(),
            )
        })
    }
}
