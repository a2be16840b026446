//! Each user's planning profile (`ProfileStore`): My Shows, My Services and settings, in the
//! caller's tenant and for the caller's user only, every write audited in its transaction.

mod selections;
mod services;
mod settings;

use crate::audit;
use crate::connect::Store;
use crate::error::to_core;
use psma_core::planning::profile::ProfileWrite;
use psma_core::tenancy::{TenantCtx, UserId};
use psma_core::{Error, Result};
use sea_orm::DatabaseTransaction;
use serde::Serialize;

/// The caller's user: a profile belongs to a person.
fn user_of(ctx: &TenantCtx) -> Result<UserId> {
    ctx.require_user()
}

/// `write`'s audit entry with the record before and after, appended in `txn`, and its job
/// queued there; then `txn` commits.
async fn audit_and_commit<T: Serialize>(
    store: &Store,
    ctx: &TenantCtx,
    txn: DatabaseTransaction,
    write: ProfileWrite,
    before: Option<&T>,
    after: Option<&T>,
) -> Result<()> {
    let json = |v: Option<&T>| {
        v.map(serde_json::to_value)
            .transpose()
            .map_err(Error::internal)
    };
    let draft = write.audit.with_change(json(before)?, json(after)?);
    audit::append(store, &txn, ctx.tenant_id(), draft).await?;
    crate::jobs::enqueue_in(&txn, std::slice::from_ref(&write.job)).await?;
    txn.commit().await.map_err(to_core)
}
