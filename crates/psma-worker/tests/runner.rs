//! The runner against the in-memory queue: success, retry with backoff, permanent failure.

use async_trait::async_trait;
use chrono::{Duration, TimeZone, Utc};
use psma_core::jobs::JobQueue;
use psma_core::jobs::{JobStatus, NewJob};
use psma_core::tenancy::TenantId;
use psma_core::testing::{FixedClock, InMemoryJobs};
use psma_worker::{
    HandlerRegistry, JobContext, JobError, JobHandler, Outcome, Worker, WorkerSettings,
};
use std::sync::{Arc, Mutex};

/// Fails with `Retryable` the first `fail_times` attempts, then records what it saw.
struct Flaky {
    fail_times: i32,
    seen: Mutex<Vec<(i32, Option<TenantId>)>>,
}

#[async_trait]
impl JobHandler for Flaky {
    fn kind(&self) -> &'static str {
        "flaky"
    }

    async fn run(&self, ctx: &JobContext, _payload: &serde_json::Value) -> Result<(), JobError> {
        self.seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((ctx.attempt, ctx.tenant.as_ref().map(|t| t.tenant_id())));
        if ctx.attempt <= self.fail_times {
            Err(JobError::Retryable("provider timed out".into()))
        } else {
            Ok(())
        }
    }
}

fn settings() -> WorkerSettings {
    WorkerSettings {
        embedded: true,
        bind: "127.0.0.1:0".into(),
        poll_interval_ms: 10,
        lease_secs: 60,
        retry_base_secs: 30,
    }
}

fn job(kind: &str, tenant: Option<TenantId>, max_attempts: i32, clock: &FixedClock) -> NewJob {
    use psma_core::ports::Clock;
    NewJob {
        kind: kind.into(),
        tenant_id: tenant,
        payload: serde_json::json!({}),
        run_at: clock.now(),
        max_attempts,
        unique_key: None,
    }
}

#[tokio::test]
async fn a_failing_job_is_retried_after_backoff_and_then_succeeds() {
    let clock = Arc::new(FixedClock::at(
        Utc.with_ymd_and_hms(2026, 11, 21, 0, 0, 0).unwrap(),
    ));
    let queue = Arc::new(InMemoryJobs::default());
    let handler = Arc::new(Flaky {
        fail_times: 2,
        seen: Mutex::default(),
    });
    let worker = Worker::new(
        "w1".into(),
        queue.clone(),
        clock.clone(),
        HandlerRegistry::default().with(handler.clone()),
        settings(),
    );
    let tenant = TenantId::generate();
    let id = queue
        .enqueue(job("flaky", Some(tenant), 5, &clock))
        .await
        .unwrap();

    assert_eq!(worker.run_once().await.unwrap(), Outcome::Retrying(id));
    // Not due yet: the first retry waits the base delay.
    assert_eq!(worker.run_once().await.unwrap(), Outcome::Idle);
    clock.advance(Duration::seconds(30));
    assert_eq!(worker.run_once().await.unwrap(), Outcome::Retrying(id));
    // The second retry waits twice as long.
    clock.advance(Duration::seconds(59));
    assert_eq!(worker.run_once().await.unwrap(), Outcome::Idle);
    clock.advance(Duration::seconds(1));
    assert_eq!(worker.run_once().await.unwrap(), Outcome::Succeeded(id));

    let stored = queue.get(id).await.unwrap();
    assert_eq!(stored.status, JobStatus::Succeeded);
    assert_eq!(stored.attempts, 3);
    let seen = handler.seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        vec![(1, Some(tenant)), (2, Some(tenant)), (3, Some(tenant))]
    );
}

#[tokio::test]
async fn a_job_out_of_attempts_fails_for_good() {
    let clock = Arc::new(FixedClock::at(
        Utc.with_ymd_and_hms(2026, 11, 21, 0, 0, 0).unwrap(),
    ));
    let queue = Arc::new(InMemoryJobs::default());
    let handler = Arc::new(Flaky {
        fail_times: 10,
        seen: Mutex::default(),
    });
    let worker = Worker::new(
        "w1".into(),
        queue.clone(),
        clock.clone(),
        HandlerRegistry::default().with(handler),
        settings(),
    );
    let id = queue.enqueue(job("flaky", None, 1, &clock)).await.unwrap();
    assert_eq!(worker.run_once().await.unwrap(), Outcome::Failed(id));
    let stored = queue.get(id).await.unwrap();
    assert_eq!(stored.status, JobStatus::Failed);
    assert_eq!(stored.last_error.as_deref(), Some("provider timed out"));
}

#[tokio::test]
async fn a_job_of_unknown_kind_fails_naming_the_kind() {
    let clock = Arc::new(FixedClock::at(
        Utc.with_ymd_and_hms(2026, 11, 21, 0, 0, 0).unwrap(),
    ));
    let queue = Arc::new(InMemoryJobs::default());
    let worker = Worker::new(
        "w1".into(),
        queue.clone(),
        clock.clone(),
        HandlerRegistry::default(),
        settings(),
    );
    let id = queue
        .enqueue(job("teleport", None, 3, &clock))
        .await
        .unwrap();
    assert_eq!(worker.run_once().await.unwrap(), Outcome::Failed(id));
    let error = queue.get(id).await.unwrap().last_error.unwrap();
    assert!(error.contains("`teleport`"), "{error}");
}
