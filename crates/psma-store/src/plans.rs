//! Each user's stored plans (`PlanStore`): the planner's output kept whole as JSON, numbered
//! per user, in the caller's tenant and for the caller's user only, every plan audited in its
//! transaction (ADR 0022).

use crate::audit;
use crate::connect::{Backend, Store};
use crate::entities::{plans, tenants};
use crate::error::to_core;
use crate::tenant_scope::Access;
use async_trait::async_trait;
use psma_core::audit::AuditDraft;
use psma_core::jobs::NewJob;
use psma_core::planning::plans::{PlanId, PlanStore, PlanTrigger, StoredPlan};
use psma_core::tenancy::{TenantCtx, UserId};
use psma_core::{Error, Result};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};

/// The caller's plans, newest first.
fn mine(ctx: &TenantCtx, user: UserId) -> Select<plans::Entity> {
    plans::Entity::find()
        .filter(plans::Column::TenantId.eq(ctx.tenant_id().0))
        .filter(plans::Column::UserId.eq(user.0))
        .order_by_desc(plans::Column::Seq)
}

async fn latest(
    txn: &DatabaseTransaction,
    ctx: &TenantCtx,
    user: UserId,
) -> Result<Option<plans::Model>> {
    mine(ctx, user).limit(1).one(txn).await.map_err(to_core)
}

impl Store {
    async fn insert_plan(
        &self,
        ctx: &TenantCtx,
        plan: &StoredPlan,
        audit: AuditDraft,
        follow_up: Option<NewJob>,
    ) -> Result<()> {
        let user = ctx.require_user()?;
        if plan.user_id != user {
            return Err(Error::Forbidden(
                "a plan is kept only for the user it was made for".to_owned(),
            ));
        }
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        if self.backend() == Backend::Postgres {
            // One writer of the tenant at a time, as the audit append that follows takes anyway:
            // two plans made at once cannot both replace the same current plan. (SQLite's
            // IMMEDIATE write transactions serialise them already.)
            tenants::Entity::find_by_id(ctx.tenant_id().0)
                .lock_exclusive()
                .one(&txn)
                .await
                .map_err(to_core)?;
        }
        let head = latest(&txn, ctx, user).await?;
        if head.as_ref().map(|h| PlanId(h.id)) != plan.previous_id {
            return Err(Error::Conflict(
                "another plan was made meanwhile; the plan no longer replaces the current one"
                    .to_owned(),
            ));
        }
        let body = serde_json::to_string(&plan.plan).map_err(Error::internal)?;
        plans::Entity::insert(plans::ActiveModel {
            id: Set(plan.id.0),
            tenant_id: Set(ctx.tenant_id().0),
            user_id: Set(user.0),
            seq: Set(head.map_or(1, |h| h.seq + 1)),
            today: Set(plan.today),
            generated_at: Set(plan.generated_at),
            trigger: Set(plan.trigger.as_str().to_owned()),
            previous_id: Set(plan.previous_id.map(|p| p.0)),
            body: Set(body),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(to_core)?;
        audit::append(self, &txn, ctx.tenant_id(), audit).await?;
        if let Some(job) = follow_up {
            crate::jobs::enqueue_in(&txn, &[job]).await?;
        }
        txn.commit().await.map_err(to_core)
    }

    async fn read_plan(&self, ctx: &TenantCtx, id: Option<PlanId>) -> Result<Option<StoredPlan>> {
        let user = ctx.require_user()?;
        let txn = self.begin_tenant(ctx, Access::Read).await?;
        let row = match id {
            Some(id) => {
                mine(ctx, user)
                    .filter(plans::Column::Id.eq(id.0))
                    .one(&txn)
                    .await
            }
            None => mine(ctx, user).limit(1).one(&txn).await,
        }
        .map_err(to_core)?;
        txn.commit().await.map_err(to_core)?;
        row.map(stored).transpose()
    }
}

fn stored(row: plans::Model) -> Result<StoredPlan> {
    let bad = |what: &str| Error::internal(format!("plans row {}: bad {what}", row.id));
    Ok(StoredPlan {
        id: PlanId(row.id),
        user_id: UserId(row.user_id),
        today: row.today,
        generated_at: row.generated_at,
        trigger: PlanTrigger::parse(&row.trigger).ok_or_else(|| bad("trigger"))?,
        previous_id: row.previous_id.map(PlanId),
        plan: serde_json::from_str(&row.body).map_err(|e| bad(&format!("body ({e})")))?,
    })
}

#[async_trait]
impl PlanStore for Store {
    async fn save(
        &self,
        ctx: &TenantCtx,
        plan: &StoredPlan,
        audit: AuditDraft,
        follow_up: Option<NewJob>,
    ) -> Result<()> {
        self.insert_plan(ctx, plan, audit, follow_up).await
    }

    async fn current(&self, ctx: &TenantCtx) -> Result<Option<StoredPlan>> {
        self.read_plan(ctx, None).await
    }

    async fn get(&self, ctx: &TenantCtx, id: PlanId) -> Result<Option<StoredPlan>> {
        self.read_plan(ctx, Some(id)).await
    }
}
