//! Each member's advice (`AdviceStore`): one row per raised finding, in the caller's tenant and
//! for the caller's user only; every change is written with its audit entries in one
//! transaction (ADR 0027).

use crate::audit;
use crate::connect::Store;
use crate::entities::advice;
use crate::error::to_core;
use crate::literal_limit::first;
use crate::tenant_scope::Access;
use async_trait::async_trait;
use psma_core::advice::ports::{AdviceChanges, AdviceDecision, AdviceStore};
use psma_core::advice::records::{AdviceId, AdviceStatus, StoredAdvice};
use psma_core::audit::AuditDraft;
use psma_core::planning::plans::PlanId;
use psma_core::tenancy::{TenantCtx, UserId};
use psma_core::{Error, Result};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Select, TransactionTrait,
};

/// The caller's items, newest first (ids are time-ordered; rank orders a run's items).
fn mine(ctx: &TenantCtx, user: UserId) -> Select<advice::Entity> {
    advice::Entity::find()
        .filter(advice::Column::TenantId.eq(ctx.tenant_id().0))
        .filter(advice::Column::UserId.eq(user.0))
        .order_by_desc(advice::Column::CreatedAt)
        .order_by_asc(advice::Column::Rank)
        .order_by_asc(advice::Column::Id)
}

#[async_trait]
impl AdviceStore for Store {
    async fn list(
        &self,
        ctx: &TenantCtx,
        status: Option<AdviceStatus>,
        limit: u32,
    ) -> Result<Vec<StoredAdvice>> {
        let user = ctx.require_user()?;
        let txn = self.begin_tenant(ctx, Access::Read).await?;
        let mut query = mine(ctx, user);
        if let Some(status) = status {
            query = query.filter(advice::Column::Status.eq(status.as_str()));
        }
        let rows = first(query, u64::from(limit), &txn)
            .await
            .map_err(to_core)?;
        txn.commit().await.map_err(to_core)?;
        rows.into_iter().map(stored).collect()
    }

    async fn standing(&self, ctx: &TenantCtx) -> Result<Vec<StoredAdvice>> {
        let user = ctx.require_user()?;
        let txn = self.begin_tenant(ctx, Access::Read).await?;
        let rows = mine(ctx, user)
            .filter(advice::Column::Status.ne(AdviceStatus::Expired.as_str()))
            .all(&txn)
            .await
            .map_err(to_core)?;
        txn.commit().await.map_err(to_core)?;
        rows.into_iter().map(stored).collect()
    }

    async fn get(&self, ctx: &TenantCtx, id: AdviceId) -> Result<Option<StoredAdvice>> {
        let user = ctx.require_user()?;
        let txn = self.begin_tenant(ctx, Access::Read).await?;
        let row = mine(ctx, user)
            .filter(advice::Column::Id.eq(id.0))
            .one(&txn)
            .await
            .map_err(to_core)?;
        txn.commit().await.map_err(to_core)?;
        row.map(stored).transpose()
    }

    async fn apply(
        &self,
        ctx: &TenantCtx,
        changes: &AdviceChanges,
        audits: Vec<AuditDraft>,
    ) -> Result<()> {
        let user = ctx.require_user()?;
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        for id in &changes.expire {
            set_status(
                &txn,
                ctx,
                user,
                *id,
                AdviceStatus::Expired,
                changes.at,
                None,
                None,
            )
            .await?;
        }
        for item in &changes.raise {
            if item.user_id != user {
                return Err(Error::Forbidden(
                    "advice is kept only for the member it was raised for".to_owned(),
                ));
            }
            // The one-job-per-member key keeps runs apart; this keeps a stray second run from
            // raising the same situation twice all the same.
            let standing = mine(ctx, user)
                .filter(advice::Column::Fingerprint.eq(item.fingerprint.as_str()))
                .filter(advice::Column::Status.ne(AdviceStatus::Expired.as_str()))
                .one(&txn)
                .await
                .map_err(to_core)?;
            if standing.is_none() {
                advice::Entity::insert(row(ctx, item)?)
                    .exec_without_returning(&txn)
                    .await
                    .map_err(to_core)?;
            }
        }
        for draft in audits {
            audit::append(self, &txn, ctx.tenant_id(), draft).await?;
        }
        txn.commit().await.map_err(to_core)
    }

    async fn decide(
        &self,
        ctx: &TenantCtx,
        decision: &AdviceDecision,
        audit: AuditDraft,
    ) -> Result<()> {
        let user = ctx.require_user()?;
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        let answer = decision
            .answer
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(Error::internal)?;
        let changed = set_status(
            &txn,
            ctx,
            user,
            decision.id,
            decision.status,
            decision.at,
            decision.decided_by,
            answer,
        )
        .await?;
        if !changed {
            let now = mine(ctx, user)
                .filter(advice::Column::Id.eq(decision.id.0))
                .one(&txn)
                .await
                .map_err(to_core)?;
            return Err(match now {
                None => Error::NotFound {
                    resource: "advice",
                    id: decision.id.to_string(),
                },
                Some(row) => Error::Conflict(format!(
                    "advice {} is {}; only pending advice can be decided",
                    decision.id, row.status
                )),
            });
        }
        audit::append(self, &txn, ctx.tenant_id(), audit).await?;
        txn.commit().await.map_err(to_core)
    }
}

/// Moves a pending item of `user` to `status`; whether it was pending (and so moved).
#[expect(clippy::too_many_arguments, reason = "one UPDATE's columns")]
async fn set_status<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    ctx: &TenantCtx,
    user: UserId,
    id: AdviceId,
    status: AdviceStatus,
    at: chrono::DateTime<chrono::Utc>,
    by: Option<UserId>,
    answer: Option<String>,
) -> Result<bool> {
    let result = advice::Entity::update_many()
        .col_expr(advice::Column::Status, Expr::value(status.as_str()))
        .col_expr(advice::Column::DecidedAt, Expr::value(at))
        .col_expr(advice::Column::DecidedBy, Expr::value(by.map(|u| u.0)))
        .col_expr(advice::Column::Answer, Expr::value(answer))
        .filter(advice::Column::TenantId.eq(ctx.tenant_id().0))
        .filter(advice::Column::UserId.eq(user.0))
        .filter(advice::Column::Id.eq(id.0))
        .filter(advice::Column::Status.eq(AdviceStatus::Pending.as_str()))
        .exec(db)
        .await
        .map_err(to_core)?;
    Ok(result.rows_affected == 1)
}

fn row(ctx: &TenantCtx, item: &StoredAdvice) -> Result<advice::ActiveModel> {
    Ok(advice::ActiveModel {
        id: Set(item.id.0),
        tenant_id: Set(ctx.tenant_id().0),
        user_id: Set(item.user_id.0),
        fingerprint: Set(item.fingerprint.clone()),
        rule: Set(item.rule.clone()),
        kind: Set(item.content.kind().to_owned()),
        status: Set(item.status.as_str().to_owned()),
        body: Set(serde_json::to_string(&item.content).map_err(Error::internal)?),
        rank: Set(i32::try_from(item.rank).unwrap_or(i32::MAX)),
        plan_id: Set(item.plan_id.map(|p| p.0)),
        origin: Set(serde_json::to_string(&item.origin).map_err(Error::internal)?),
        created_at: Set(item.created_at),
        decided_at: Set(item.decided_at),
        decided_by: Set(item.decided_by.map(|u| u.0)),
        answer: Set(item
            .answer
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(Error::internal)?),
    })
}

fn stored(row: advice::Model) -> Result<StoredAdvice> {
    let bad = |what: &str| Error::internal(format!("advice row {}: bad {what}", row.id));
    Ok(StoredAdvice {
        id: AdviceId(row.id),
        user_id: UserId(row.user_id),
        fingerprint: row.fingerprint.clone(),
        rule: row.rule.clone(),
        status: AdviceStatus::parse(&row.status).ok_or_else(|| bad("status"))?,
        content: serde_json::from_str(&row.body).map_err(|e| bad(&format!("body ({e})")))?,
        rank: u32::try_from(row.rank).unwrap_or(0),
        plan_id: row.plan_id.map(PlanId),
        origin: serde_json::from_str(&row.origin).map_err(|e| bad(&format!("origin ({e})")))?,
        created_at: row.created_at,
        decided_at: row.decided_at,
        decided_by: row.decided_by.map(UserId),
        answer: row
            .answer
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(|e| bad(&format!("answer ({e})")))?,
    })
}
