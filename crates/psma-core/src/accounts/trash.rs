//! The household's trash: soft-deleted members, My Shows and My Services entries, kept for
//! undo until an owner or admin purges them.

use crate::access::Permission;
use crate::audit::AuditDraft;
use crate::ports::Clock;
use crate::tenancy::TenantCtx;
use async_trait::async_trait;
use serde::Serialize;
use std::sync::Arc;

/// How many soft-deleted rows a purge deleted for good.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Purged {
    /// Removed members (with everything that was theirs).
    pub users: u64,
    /// Removed entries of My Shows.
    pub my_shows: u64,
    /// Removed entries of My Services.
    pub my_services: u64,
}

/// Deleting soft-deleted rows for good.
#[async_trait]
pub trait TrashStore: Send + Sync {
    /// Deletes every soft-deleted member (and what was theirs), My Shows entry and My
    /// Services entry of `ctx`'s tenant, and appends `audit` with the counts as its `after`,
    /// in one transaction.
    ///
    /// # Errors
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    async fn purge(&self, ctx: &TenantCtx, audit: AuditDraft) -> crate::Result<Purged>;
}

/// Purging the household's trash.
#[derive(Clone)]
pub struct Trash {
    store: Arc<dyn TrashStore>,
    clock: Arc<dyn Clock>,
}

impl Trash {
    /// Wires the use case to its ports.
    #[must_use]
    pub fn new(store: Arc<dyn TrashStore>, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }

    /// Deletes the household's soft-deleted rows for good (audited `tenant.purge` with the
    /// counts). Owners and admins only (`trash:purge`); nothing purged can be restored.
    ///
    /// # Errors
    /// [`crate::Error::Forbidden`] without `trash:purge`; as [`TrashStore::purge`].
    pub async fn purge(
        &self,
        ctx: &TenantCtx,
        request_id: Option<String>,
    ) -> crate::Result<Purged> {
        ctx.require(Permission::TRASH_PURGE, "purging removed data")?;
        let tenant = ctx.tenant_id();
        let audit = AuditDraft::new(ctx, "tenant.purge", "tenant", tenant, self.clock.now())
            .with_request_id(request_id);
        self.store.purge(ctx, audit).await
    }
}
