//! The durable job queue.
//!
//! A claim is one `UPDATE … WHERE id = (SELECT … LIMIT 1 [FOR UPDATE SKIP LOCKED]) RETURNING *`:
//! on PostgreSQL concurrent workers skip rows another worker is claiming, on SQLite the single
//! writer serialises claims; either way no job is handed to two workers at once.

use crate::audit;
use crate::connect::Store;
use crate::entities::jobs;
use crate::error::to_core;
use crate::tenant_scope::Access;
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use psma_core::audit::AuditDraft;
use psma_core::jobs::JobQueue;
use psma_core::jobs::{Job, JobId, JobStatus, NewJob, validate_new_job};
use psma_core::tenancy::{TenantCtx, TenantId};
use psma_core::{Error, Result};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType, OnConflict, SubQueryStatement};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};

impl Store {
    /// One try of [`JobQueue::enqueue_audited`]: [`Error::Conflict`] when another process
    /// queued the same key between the look and the insert (nothing was written).
    async fn enqueue_audited_once(
        &self,
        ctx: &TenantCtx,
        job: &NewJob,
        audit: AuditDraft,
    ) -> Result<JobId> {
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        let live = live_job_with_key(&txn, job.unique_key.as_deref()).await?;
        let (id, already_queued) = match live {
            Some(JobId(id)) => (id, true),
            None => {
                let id = uuid::Uuid::now_v7();
                let inserted = jobs::Entity::insert(row(id, job.clone(), Utc::now()))
                    .exec_without_returning(&txn)
                    .await;
                match inserted {
                    Ok(_) => (id, false),
                    Err(err) if is_unique_violation(&err) => {
                        return Err(Error::Conflict("the job was queued meanwhile".to_owned()));
                    }
                    Err(err) => return Err(to_core(err)),
                }
            }
        };
        let draft = audit.with_change(
            None,
            Some(serde_json::json!({"job_id": id, "already_queued": already_queued})),
        );
        audit::append(self, &txn, ctx.tenant_id(), draft).await?;
        txn.commit().await.map_err(to_core)?;
        Ok(JobId(id))
    }
}

/// Queues `jobs` in `txn` (a tenant's or a system transaction: `jobs` is not under row-level
/// security), skipping a job whose unique key is live: it is already coming. A concurrent
/// insert of the same key makes ours wait for it and then do nothing (`ON CONFLICT DO
/// NOTHING` against the partial unique index), so the caller's transaction is never aborted
/// by the race.
pub(crate) async fn enqueue_in(txn: &DatabaseTransaction, new_jobs: &[NewJob]) -> Result<()> {
    let now = Utc::now();
    for job in new_jobs {
        validate_new_job(job)?;
        if live_job_with_key(txn, job.unique_key.as_deref())
            .await?
            .is_some()
        {
            continue;
        }
        jobs::Entity::insert(row(uuid::Uuid::now_v7(), job.clone(), now))
            .on_conflict(OnConflict::new().do_nothing().to_owned())
            .try_insert()
            .exec_without_returning(txn)
            .await
            .map_err(to_core)?;
    }
    Ok(())
}

/// The queued or running job with unique key `key`, if any, as `db` sees it.
async fn live_job_with_key<C: ConnectionTrait>(db: &C, key: Option<&str>) -> Result<Option<JobId>> {
    let Some(key) = key else {
        return Ok(None);
    };
    let live = jobs::Entity::find()
        .select_only()
        .column(jobs::Column::Id)
        .filter(jobs::Column::UniqueKey.eq(key))
        .filter(
            jobs::Column::Status.is_in([JobStatus::Queued.as_str(), JobStatus::Running.as_str()]),
        )
        .into_tuple::<uuid::Uuid>()
        .one(db)
        .await
        .map_err(to_core)?;
    Ok(live.map(JobId))
}

#[async_trait]
impl JobQueue for Store {
    async fn enqueue(&self, job: NewJob) -> Result<JobId> {
        validate_new_job(&job)?;
        if let Some(live) = live_job_with_key(&self.db, job.unique_key.as_deref()).await? {
            return Ok(live);
        }
        let id = uuid::Uuid::now_v7();
        let unique_key = job.unique_key.clone();
        let inserted = jobs::Entity::insert(row(id, job, Utc::now()))
            .exec_without_returning(&self.db)
            .await;
        match inserted {
            Ok(_) => Ok(JobId(id)),
            // Another process queued the same key between the look and the insert: the
            // partial unique index refused ours, and theirs is the one.
            Err(err) if is_unique_violation(&err) => {
                live_job_with_key(&self.db, unique_key.as_deref())
                    .await?
                    .ok_or_else(|| to_core(err))
            }
            Err(err) => Err(to_core(err)),
        }
    }

    async fn enqueue_audited(
        &self,
        ctx: &TenantCtx,
        job: NewJob,
        audit: AuditDraft,
    ) -> Result<JobId> {
        validate_new_job(&job)?;
        // A concurrent enqueue of the same key can win between the look and the insert: the
        // second attempt then finds its job.
        match self.enqueue_audited_once(ctx, &job, audit.clone()).await {
            Err(Error::Conflict(_)) => self.enqueue_audited_once(ctx, &job, audit).await,
            other => other,
        }
    }

    async fn claim(
        &self,
        worker: &str,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<Option<Job>> {
        let due = Condition::any()
            .add(
                Condition::all()
                    .add(jobs::Column::Status.eq(JobStatus::Queued.as_str()))
                    .add(jobs::Column::RunAt.lte(now)),
            )
            .add(
                Condition::all()
                    .add(jobs::Column::Status.eq(JobStatus::Running.as_str()))
                    .add(jobs::Column::LeaseExpiresAt.lt(now)),
            );
        let mut next = jobs::Entity::find()
            .select_only()
            .column(jobs::Column::Id)
            .filter(due.clone())
            .order_by_asc(jobs::Column::RunAt)
            .order_by_asc(jobs::Column::Id)
            .limit(1)
            .into_query();
        next.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        let claimed = jobs::Entity::update_many()
            .col_expr(jobs::Column::Status, Expr::val(JobStatus::Running.as_str()))
            .col_expr(
                jobs::Column::Attempts,
                Expr::col(jobs::Column::Attempts).add(1),
            )
            .col_expr(jobs::Column::LeaseOwner, Expr::val(worker))
            .col_expr(jobs::Column::LeaseExpiresAt, Expr::val(now + lease))
            .col_expr(jobs::Column::UpdatedAt, Expr::val(now))
            // A scalar `= (subquery)` runs once. `IN (subquery)` would not do: PostgreSQL may
            // rescan it as a semi-join, and with SKIP LOCKED each rescan finds another row, so
            // one claim took several jobs (seen in the concurrent-claim test).
            .filter(Expr::col(jobs::Column::Id).eq(Expr::from(SubQueryStatement::from(next))))
            // Re-check on the row itself: SQLite has no row locks, PostgreSQL re-evaluates.
            .filter(due)
            .exec_with_returning(&self.db)
            .await
            .map_err(to_core)?;
        claimed.into_iter().next().map(to_domain).transpose()
    }

    async fn complete(&self, id: JobId, worker: &str) -> Result<()> {
        settle(self, id, worker, JobStatus::Succeeded, None, None).await
    }

    async fn fail(
        &self,
        id: JobId,
        worker: &str,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<()> {
        let (status, run_at) = self.get(id).await?.after_failure(retry_at);
        settle(self, id, worker, status, run_at, Some(error)).await
    }

    async fn release_unique_key(&self, id: JobId) -> Result<()> {
        jobs::Entity::update_many()
            .col_expr(jobs::Column::UniqueKey, Expr::val(None::<String>))
            .col_expr(jobs::Column::UpdatedAt, Expr::val(Utc::now()))
            .filter(jobs::Column::Id.eq(id.0))
            .filter(jobs::Column::Status.eq(JobStatus::Running.as_str()))
            .exec(&self.db)
            .await
            .map_err(to_core)?;
        Ok(())
    }

    async fn get(&self, id: JobId) -> Result<Job> {
        jobs::Entity::find_by_id(id.0)
            .one(&self.db)
            .await
            .map_err(to_core)?
            .map(to_domain)
            .transpose()?
            .ok_or_else(|| Error::NotFound {
                resource: "job",
                id: id.to_string(),
            })
    }
}

/// Moves a job `worker` holds out of `running`; a conflict if it no longer holds it.
async fn settle(
    store: &Store,
    id: JobId,
    worker: &str,
    status: JobStatus,
    run_at: Option<DateTime<Utc>>,
    error: Option<&str>,
) -> Result<()> {
    let mut update = jobs::Entity::update_many()
        .col_expr(jobs::Column::Status, Expr::val(status.as_str()))
        .col_expr(jobs::Column::LeaseOwner, Expr::val(None::<String>))
        .col_expr(
            jobs::Column::LeaseExpiresAt,
            Expr::val(None::<DateTime<Utc>>),
        )
        .col_expr(jobs::Column::UpdatedAt, Expr::val(Utc::now()));
    if let Some(at) = run_at {
        update = update.col_expr(jobs::Column::RunAt, Expr::val(at));
    }
    if let Some(error) = error {
        update = update.col_expr(jobs::Column::LastError, Expr::val(error));
    }
    let result = update
        .filter(jobs::Column::Id.eq(id.0))
        .filter(jobs::Column::Status.eq(JobStatus::Running.as_str()))
        .filter(jobs::Column::LeaseOwner.eq(worker))
        .exec(&store.db)
        .await
        .map_err(to_core)?;
    if result.rows_affected == 1 {
        Ok(())
    } else {
        Err(Error::Conflict(format!("job {id} is not held by {worker}")))
    }
}

fn to_domain(m: jobs::Model) -> Result<Job> {
    Ok(Job {
        id: JobId(m.id),
        kind: m.kind,
        tenant_id: m.tenant_id.map(TenantId),
        payload: m.payload,
        status: JobStatus::parse(&m.status)?,
        attempts: m.attempts,
        max_attempts: m.max_attempts,
        run_at: m.run_at,
        lease_owner: m.lease_owner,
        lease_expires_at: m.lease_expires_at,
        last_error: m.last_error,
        unique_key: m.unique_key,
    })
}

/// The row of a new job.
fn row(id: uuid::Uuid, job: NewJob, now: DateTime<Utc>) -> jobs::ActiveModel {
    jobs::ActiveModel {
        id: Set(id),
        kind: Set(job.kind),
        tenant_id: Set(job.tenant_id.map(|t| t.0)),
        payload: Set(job.payload),
        status: Set(JobStatus::Queued.as_str().to_owned()),
        attempts: Set(0),
        max_attempts: Set(job.max_attempts),
        run_at: Set(job.run_at),
        lease_owner: Set(None),
        lease_expires_at: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        unique_key: Set(job.unique_key),
    }
}

fn is_unique_violation(err: &sea_orm::DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}
