//! Plan-changed events (`PlanEvents`): the worker's note that a member's plan was re-made,
//! one row each, in the member's tenant (row-level security) and read by that member only.

use crate::connect::Store;
use crate::entities::plan_events;
use crate::error::to_core;
use crate::literal_limit::first;
use crate::tenant_scope::Access;
use async_trait::async_trait;
use psma_core::planning::plans::{PlanId, PlanTrigger};
use psma_core::planning::replan::{PlanChanged, PlanEventId, PlanEvents};
use psma_core::tenancy::{TenantCtx, UserId};
use psma_core::{Error, Result};
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

#[async_trait]
impl PlanEvents for Store {
    async fn record(&self, ctx: &TenantCtx, event: &PlanChanged) -> Result<()> {
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        plan_events::Entity::insert(plan_events::ActiveModel {
            id: Set(event.id.0),
            tenant_id: Set(ctx.tenant_id().0),
            user_id: Set(event.user_id.0),
            plan_id: Set(event.plan_id.0),
            previous_id: Set(event.previous_id.map(|p| p.0)),
            trigger: Set(event.trigger.as_str().to_owned()),
            changed: Set(event.changed),
            at: Set(event.at),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(to_core)?;
        txn.commit().await.map_err(to_core)
    }

    async fn since(
        &self,
        ctx: &TenantCtx,
        after: Option<PlanEventId>,
        limit: u32,
    ) -> Result<Vec<PlanChanged>> {
        let user = ctx.require_user()?;
        let txn = self.begin_tenant(ctx, Access::Read).await?;
        let mut query = plan_events::Entity::find()
            .filter(plan_events::Column::TenantId.eq(ctx.tenant_id().0))
            .filter(plan_events::Column::UserId.eq(user.0));
        if let Some(after) = after {
            query = query.filter(plan_events::Column::Id.gt(after.0));
        }
        let rows = first(
            query.order_by_asc(plan_events::Column::Id),
            u64::from(limit),
            &txn,
        )
        .await
        .map_err(to_core)?;
        txn.commit().await.map_err(to_core)?;
        rows.into_iter().map(event).collect()
    }
}

fn event(row: plan_events::Model) -> Result<PlanChanged> {
    Ok(PlanChanged {
        id: PlanEventId(row.id),
        user_id: UserId(row.user_id),
        plan_id: PlanId(row.plan_id),
        previous_id: row.previous_id.map(PlanId),
        trigger: PlanTrigger::parse(&row.trigger)
            .ok_or_else(|| Error::internal(format!("plan_events {}: bad trigger", row.id)))?,
        changed: row.changed,
        at: row.at,
    })
}
