//! The record of runs and of sources (for attribution).

use super::scope::{owned, tenant_column};
use crate::connect::Store;
use crate::entities::{catalog_sources, ingest_runs};
use crate::error::to_core;
use chrono::{DateTime, Utc};
use psma_core::catalog::ports::RunAudit;
use psma_core::catalog::{DataScope, IngestRun, RunId, SourceInfo};
use psma_core::{Error, Result};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter,
};
use serde_json::json;

/// Records a run.
pub(crate) async fn insert_run(txn: &DatabaseTransaction, run: &IngestRun) -> Result<()> {
    let c = &run.counts;
    let counts = json!({
        "seen": c.seen, "new": c.new, "changed": c.changed, "unchanged": c.unchanged,
        "ended": c.ended, "rejected": c.rejected, "shows_created": c.shows_created,
        "shows_matched": c.shows_matched, "conflicts_opened": c.conflicts_opened,
        "conflicts_cleared": c.conflicts_cleared,
    });
    ingest_runs::Entity::insert(ingest_runs::ActiveModel {
        id: Set(run.id.0),
        tenant_id: Set(tenant_column(run.scope)),
        source_id: Set(run.source_id.to_string()),
        trigger: Set(run.trigger.as_str().to_owned()),
        actor_user_id: Set(run.actor.map(|u| u.0)),
        started_at: Set(run.started_at),
        finished_at: Set(run.finished_at),
        outcome: Set(run.outcome.as_str().to_owned()),
        counts: Set(counts.to_string()),
        problems: Set(serde_json::to_string(&run.problems).map_err(Error::internal)?),
    })
    .exec_without_returning(txn)
    .await
    .map_err(to_core)?;
    Ok(())
}

/// Creates or updates the source's record in `scope` when facts of it were stored at `at`
/// (by `run`, unless they are a user's confirmations).
pub(crate) async fn upsert_source(
    txn: &DatabaseTransaction,
    scope: DataScope,
    source: &SourceInfo,
    at: DateTime<Utc>,
    run: Option<RunId>,
) -> Result<()> {
    let existing = catalog_sources::Entity::find()
        .filter(owned(catalog_sources::Entity, scope))
        .filter(catalog_sources::Column::SourceId.eq(source.source_id.as_str()))
        .one(txn)
        .await
        .map_err(to_core)?;
    let is_new = existing.is_none();
    let mut model = match existing {
        Some(row) => row.into_active_model(),
        None => catalog_sources::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            tenant_id: Set(tenant_column(scope)),
            source_id: Set(source.source_id.to_string()),
            last_success_at: Set(None),
            ..Default::default()
        },
    };
    model.display_name = Set(source.display_name.clone());
    model.attribution_text = Set(source.attribution.text.to_string());
    model.attribution_url = Set(source.attribution.url.as_ref().map(ToString::to_string));
    model.attribution_license = Set(source.attribution.license.as_ref().map(ToString::to_string));
    model.last_run_id = Set(run.map(|r| r.0));
    model.last_success_at = Set(Some(at));
    model.updated_at = Set(at);
    if is_new {
        model.insert(txn).await.map_err(to_core)?;
    } else {
        model.update(txn).await.map_err(to_core)?;
    }
    Ok(())
}

impl Store {
    /// Appends a run's audit entry, in the run's transaction `txn` of `scope`. A run of the
    /// shared catalog that a household asked for turns to that household's rows to write it.
    pub(crate) async fn audit_run(
        &self,
        txn: &DatabaseTransaction,
        scope: DataScope,
        audit: RunAudit,
    ) -> Result<()> {
        match scope {
            DataScope::Global => self.enter_tenant(txn, audit.tenant).await?,
            DataScope::Tenant(tenant) if tenant == audit.tenant => {}
            DataScope::Tenant(_) => {
                return Err(Error::internal(
                    "a household's run audited in another household's log",
                ));
            }
        }
        crate::audit::append(self, txn, audit.tenant, audit.draft)
            .await
            .map(drop)
    }
}
