use super::{Job, JobId, JobQueue};
use crate::access::Permission;
use crate::tenancy::TenantCtx;
use std::sync::Arc;

/// Jobs as a caller may see them: its own tenant's, and the shared catalog's (refreshes).
#[derive(Clone)]
pub struct Jobs {
    queue: Arc<dyn JobQueue>,
}

impl Jobs {
    /// Wires the use case to its port.
    #[must_use]
    pub fn new(queue: Arc<dyn JobQueue>) -> Self {
        Self { queue }
    }

    /// One job, if the caller may see it.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] when there is no such job or it is another tenant's (the two
    /// are indistinguishable on purpose).
    pub async fn get(&self, ctx: &TenantCtx, id: JobId) -> crate::Result<Job> {
        ctx.require(Permission::JOBS_READ, "reading a job")?;
        let job = self.queue.get(id).await?;
        match job.tenant_id {
            Some(tenant) if tenant != ctx.tenant_id() => Err(crate::Error::NotFound {
                resource: "job",
                id: id.to_string(),
            }),
            _ => Ok(job),
        }
    }
}
