use super::AuditEntry;
use super::trail::AuditQuery;
use crate::tenancy::TenantCtx;
use async_trait::async_trait;

/// Reading a tenant's audit log. Entries are appended by the mutating repository methods, in
/// the same transaction as the change they describe, so there is no separate `append` here.
#[async_trait]
pub trait AuditLog: Send + Sync {
    /// The tenant's whole chain in sequence order, for verification.
    ///
    /// # Errors
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    async fn chain(&self, ctx: &TenantCtx) -> crate::Result<Vec<AuditEntry>>;

    /// The tenant's entries `query` selects, newest first (by sequence), at most `query.limit`.
    ///
    /// # Errors
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    async fn entries(&self, ctx: &TenantCtx, query: &AuditQuery) -> crate::Result<Vec<AuditEntry>>;
}
