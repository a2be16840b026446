//! Recording a tenant's decisions on conflicts, each with its audit entry in one transaction.

use super::bulk::{Cell, Writer};
use super::generations;
use super::rows::{self, FACTS, OVERRULES};
use super::runs;
use super::scope::readable;
use crate::audit;
use crate::connect::Store;
use crate::entities::{
    conflict_decisions, conflicts, fact_changes, fact_overrules, facts, show_external_ids, shows,
};
use crate::error::to_core;
use crate::tenant_scope::Access;
use async_trait::async_trait;
use psma_core::audit::AuditDraft;
use psma_core::catalog::merge::USER_CONFIRMATION;
use psma_core::catalog::ports::ConflictDecisions;
use psma_core::catalog::{DataScope, Decision, NewFact, ShowId, SourceInfo};
use psma_core::planning::replan::ReplanFanOut;
use psma_core::tenancy::TenantCtx;
use psma_core::{Error, Result};
use psma_plugin_sdk::Attribution;
use psma_plugin_sdk::text::LongText;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};

#[async_trait]
impl ConflictDecisions for Store {
    async fn decide(
        &self,
        ctx: &TenantCtx,
        decision: &Decision,
        confirmation: Option<NewFact<'_>>,
        replans: &ReplanFanOut,
        audit_draft: AuditDraft,
    ) -> Result<()> {
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        ensure_visible(&txn, ctx, decision).await?;
        let previous =
            conflict_decisions::Entity::find_by_id((ctx.tenant_id().0, decision.conflict_id.0))
                .one(&txn)
                .await
                .map_err(to_core)?;
        if let Some(confirmation) = &confirmation {
            // A new resolution replaces the previous confirmation and any live one of the
            // same subject.
            let mut ended = facts::Entity::update_many()
                .col_expr(facts::Column::EndedAt, Expr::val(confirmation.recorded_at))
                .filter(facts::Column::TenantId.eq(ctx.tenant_id().0))
                .filter(facts::Column::SourceId.eq(USER_CONFIRMATION))
                .filter(facts::Column::EndedAt.is_null());
            ended = match previous.as_ref().and_then(|p| p.confirmation_fact_id) {
                Some(old) => ended.filter(
                    sea_orm::Condition::any()
                        .add(facts::Column::FactKey.eq(confirmation.key.to_string()))
                        .add(facts::Column::Id.eq(old)),
                ),
                None => ended.filter(facts::Column::FactKey.eq(confirmation.key.to_string())),
            };
            ended.exec(&txn).await.map_err(to_core)?;
            let mut writer = Writer::new(&txn, &FACTS);
            writer.push(&rows::fact_cells(confirmation)).await?;
            writer.finish().await?;
            record_confirmation_source(&txn, ctx, confirmation.recorded_at).await?;
        }
        write_decision(&txn, ctx, decision).await?;
        // What the household's catalog lists may have changed (an overruled fact, a merged show).
        generations::bump(&txn, DataScope::Tenant(ctx.tenant_id())).await?;
        queue_replans(&txn, ctx, replans).await?;
        audit::append(self, &txn, ctx.tenant_id(), audit_draft).await?;
        txn.commit().await.map_err(to_core)
    }

    async fn merge_private_show(
        &self,
        ctx: &TenantCtx,
        duplicate: ShowId,
        into: ShowId,
        decision: &Decision,
        replans: &ReplanFanOut,
        audit_draft: AuditDraft,
    ) -> Result<()> {
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        ensure_visible(&txn, ctx, decision).await?;
        let tenant = ctx.tenant_id().0;
        let private = shows::Entity::find_by_id(duplicate.0)
            .filter(shows::Column::TenantId.eq(tenant))
            .one(&txn)
            .await
            .map_err(to_core)?;
        if private.is_none() {
            return Err(Error::Conflict(format!(
                "show {duplicate} is not one of your own imports' shows"
            )));
        }
        facts::Entity::update_many()
            .col_expr(facts::Column::ShowId, Expr::val(into.0))
            .filter(facts::Column::ShowId.eq(duplicate.0))
            .filter(facts::Column::TenantId.eq(tenant))
            .exec(&txn)
            .await
            .map_err(to_core)?;
        fact_changes::Entity::update_many()
            .col_expr(fact_changes::Column::ShowId, Expr::val(into.0))
            .filter(fact_changes::Column::ShowId.eq(duplicate.0))
            .filter(fact_changes::Column::TenantId.eq(tenant))
            .exec(&txn)
            .await
            .map_err(to_core)?;
        // The duplicate's other disagreements no longer have a show; the next run of its
        // sources finds them again on the show it merged into.
        conflicts::Entity::update_many()
            .col_expr(conflicts::Column::ClearedAt, Expr::val(decision.decided_at))
            .filter(conflicts::Column::ShowId.eq(duplicate.0))
            .filter(conflicts::Column::TenantId.eq(tenant))
            .filter(conflicts::Column::Id.ne(decision.conflict_id.0))
            .filter(conflicts::Column::ClearedAt.is_null())
            .exec(&txn)
            .await
            .map_err(to_core)?;
        // Its external ids name the show it merged into from now on (a run links an identity's
        // ids only when the identity is new or changed).
        show_external_ids::Entity::update_many()
            .col_expr(show_external_ids::Column::ShowId, Expr::val(into.0))
            .filter(show_external_ids::Column::ShowId.eq(duplicate.0))
            .filter(show_external_ids::Column::TenantId.eq(tenant))
            .exec(&txn)
            .await
            .map_err(to_core)?;
        shows::Entity::delete_by_id(duplicate.0)
            .filter(shows::Column::TenantId.eq(tenant))
            .exec(&txn)
            .await
            .map_err(to_core)?;
        write_decision(&txn, ctx, decision).await?;
        // What the household's catalog lists may have changed (an overruled fact, a merged show).
        generations::bump(&txn, DataScope::Tenant(ctx.tenant_id())).await?;
        queue_replans(&txn, ctx, replans).await?;
        audit::append(self, &txn, ctx.tenant_id(), audit_draft).await?;
        txn.commit().await.map_err(to_core)
    }
}

/// Queues a re-plan for each of the tenant's members who selected one of the decision's shows.
async fn queue_replans(
    txn: &DatabaseTransaction,
    ctx: &TenantCtx,
    replans: &ReplanFanOut,
) -> Result<()> {
    let members =
        super::fan_out::members_selecting(txn, DataScope::Tenant(ctx.tenant_id()), &replans.shows)
            .await?;
    crate::jobs::enqueue_in(txn, &replans.jobs(&members)?).await
}

async fn ensure_visible(
    txn: &DatabaseTransaction,
    ctx: &TenantCtx,
    decision: &Decision,
) -> Result<()> {
    let found = conflicts::Entity::find_by_id(decision.conflict_id.0)
        .filter(readable(conflicts::Entity, DataScope::of(ctx)))
        .one(txn)
        .await
        .map_err(to_core)?;
    found.map(drop).ok_or_else(|| Error::NotFound {
        resource: "conflict",
        id: decision.conflict_id.to_string(),
    })
}

/// Replaces the tenant's decision on the conflict and its overrules.
async fn write_decision(
    txn: &DatabaseTransaction,
    ctx: &TenantCtx,
    decision: &Decision,
) -> Result<()> {
    let tenant = ctx.tenant_id().0;
    let conflict = decision.conflict_id.0;
    conflict_decisions::Entity::delete_many()
        .filter(conflict_decisions::Column::TenantId.eq(tenant))
        .filter(conflict_decisions::Column::ConflictId.eq(conflict))
        .exec(txn)
        .await
        .map_err(to_core)?;
    fact_overrules::Entity::delete_many()
        .filter(fact_overrules::Column::TenantId.eq(tenant))
        .filter(fact_overrules::Column::ConflictId.eq(conflict))
        .exec(txn)
        .await
        .map_err(to_core)?;
    conflict_decisions::Entity::insert(conflict_decisions::ActiveModel {
        tenant_id: Set(tenant),
        conflict_id: Set(conflict),
        status: Set(decision.status.as_str().to_owned()),
        resolution: Set(decision
            .resolution
            .as_ref()
            .map(|r| r.to_json().to_string())),
        confirmation_fact_id: Set(decision.confirmation_fact.map(|f| f.0)),
        note: Set(decision.note.clone()),
        decided_by: Set(decision.decided_by.0),
        decided_at: Set(decision.decided_at),
    })
    .exec_without_returning(txn)
    .await
    .map_err(to_core)?;
    let mut writer = Writer::new(txn, &OVERRULES);
    for fact in &decision.overruled {
        writer
            .push(&[
                Cell::Uuid(Some(tenant)),
                Cell::Uuid(Some(conflict)),
                Cell::Uuid(Some(fact.0)),
            ])
            .await?;
    }
    writer.finish().await?;
    Ok(())
}

/// Confirmations are a source of the tenant's like any other, credited to the household.
async fn record_confirmation_source(
    txn: &DatabaseTransaction,
    ctx: &TenantCtx,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let source = SourceInfo {
        source_id: USER_CONFIRMATION.parse().map_err(Error::internal)?,
        display_name: "Your confirmations".to_owned(),
        attribution: Attribution {
            text: LongText::parse("Confirmed by this household when resolving a conflict")
                .map_err(Error::internal)?,
            url: None,
            license: None,
        },
    };
    runs::upsert_source(txn, DataScope::of(ctx), &source, at, None).await
}
