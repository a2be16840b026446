//! Appending to and reading the per-tenant audit chain.

use crate::connect::{Backend, Store};
use crate::entities::{audit_log, tenants};
use crate::error::to_core;
use crate::tenant_scope::Access;
use async_trait::async_trait;
use psma_core::audit::AuditLog;
use psma_core::audit::AuditQuery;
use psma_core::audit::{AuditDraft, AuditEntry, GENESIS_HASH};
use psma_core::tenancy::{TenantCtx, TenantId, UserId};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

/// Appends `draft` to `tenant`'s chain inside `txn`, the transaction of the change it describes.
pub(crate) async fn append(
    store: &Store,
    txn: &DatabaseTransaction,
    tenant: TenantId,
    draft: AuditDraft,
) -> psma_core::Result<AuditEntry> {
    if store.backend() == Backend::Postgres {
        // Serialise appends per tenant so two writers never read the same chain head. (On
        // SQLite every writing transaction begins IMMEDIATE, which serialises them already.)
        // `FOR NO KEY UPDATE`, not `FOR UPDATE`: it still excludes another appender, but not
        // the `KEY SHARE` lock a foreign-key check takes on the tenant's row, so a transaction
        // inserting a row that references its tenant never waits for (and deadlocks with) one
        // that is appending to the log.
        tenants::Entity::find_by_id(tenant.0)
            .lock(sea_orm::sea_query::LockType::NoKeyUpdate)
            .one(txn)
            .await
            .map_err(to_core)?;
    }
    let head = audit_log::Entity::find()
        .filter(audit_log::Column::TenantId.eq(tenant.0))
        .order_by_desc(audit_log::Column::Seq)
        .one(txn)
        .await
        .map_err(to_core)?;
    let (seq, prev) = head.map_or((1, GENESIS_HASH.to_owned()), |h| (h.seq + 1, h.hash));
    let entry = AuditEntry::chain(tenant, seq, prev, draft);
    audit_log::Entity::insert(audit_log::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        tenant_id: Set(tenant.0),
        seq: Set(entry.seq),
        actor_user_id: Set(entry.actor.map(|u| u.0)),
        action: Set(entry.action.clone()),
        resource_type: Set(entry.resource_type.clone()),
        resource_id: Set(entry.resource_id.clone()),
        before: Set(entry.before.clone()),
        after: Set(entry.after.clone()),
        request_id: Set(entry.request_id.clone()),
        at: Set(entry.at),
        prev_hash: Set(entry.prev_hash.clone()),
        hash: Set(entry.hash.clone()),
    })
    .exec_without_returning(txn)
    .await
    .map_err(to_core)?;
    Ok(entry)
}

fn to_domain(m: audit_log::Model) -> AuditEntry {
    AuditEntry {
        tenant_id: TenantId(m.tenant_id),
        seq: m.seq,
        actor: m.actor_user_id.map(UserId),
        action: m.action,
        resource_type: m.resource_type,
        resource_id: m.resource_id,
        before: m.before,
        after: m.after,
        request_id: m.request_id,
        at: m.at,
        prev_hash: m.prev_hash,
        hash: m.hash,
    }
}

#[async_trait]
impl AuditLog for Store {
    async fn chain(&self, ctx: &TenantCtx) -> psma_core::Result<Vec<AuditEntry>> {
        let txn = self.begin_tenant(ctx, Access::Read).await?;
        let rows = audit_log::Entity::find()
            .filter(audit_log::Column::TenantId.eq(ctx.tenant_id().0))
            .order_by_asc(audit_log::Column::Seq)
            .all(&txn)
            .await
            .map_err(to_core)?;
        txn.commit().await.map_err(to_core)?;
        Ok(rows.into_iter().map(to_domain).collect())
    }

    async fn entries(
        &self,
        ctx: &TenantCtx,
        query: &AuditQuery,
    ) -> psma_core::Result<Vec<AuditEntry>> {
        let txn = self.begin_tenant(ctx, Access::Read).await?;
        let mut select = audit_log::Entity::find()
            .filter(audit_log::Column::TenantId.eq(ctx.tenant_id().0))
            .order_by_desc(audit_log::Column::Seq);
        if let Some(resource) = &query.resource_type {
            select = select.filter(audit_log::Column::ResourceType.eq(resource.as_str()));
        }
        if let Some(id) = &query.resource_id {
            select = select.filter(audit_log::Column::ResourceId.eq(id.as_str()));
        }
        if let Some(actor) = query.actor {
            select = select.filter(audit_log::Column::ActorUserId.eq(actor.0));
        }
        if let Some(before) = query.before_seq {
            select = select.filter(audit_log::Column::Seq.lt(before));
        }
        let rows = crate::literal_limit::first(select, u64::from(query.limit), &txn)
            .await
            .map_err(to_core)?;
        txn.commit().await.map_err(to_core)?;
        Ok(rows.into_iter().map(to_domain).collect())
    }
}
