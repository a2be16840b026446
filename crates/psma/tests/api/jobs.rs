use crate::support::{TestDatabase, on_both_backends};
use chrono::{Duration, Utc};
use psma_core::jobs::JobQueue;
use psma_core::jobs::{JobStatus, NewJob};
use std::collections::HashSet;
use std::sync::Arc;

fn job(kind: &str, run_at: chrono::DateTime<Utc>) -> NewJob {
    NewJob {
        kind: kind.into(),
        tenant_id: None,
        payload: serde_json::json!({ "k": kind }),
        run_at,
        max_attempts: 3,
        unique_key: None,
    }
}

on_both_backends! {
    async fn the_queue_hands_out_due_jobs_in_order_and_settles_them(backend: Backend) {
        let (_db, store) = TestDatabase::migrated(backend).await;
        let now = Utc::now();
        let later = store.enqueue(job("later", now + Duration::hours(1))).await.unwrap();
        let first = store.enqueue(job("first", now - Duration::seconds(2))).await.unwrap();
        let second = store.enqueue(job("second", now - Duration::seconds(1))).await.unwrap();

        let a = store.claim("w1", now, Duration::seconds(60)).await.unwrap().unwrap();
        assert_eq!((a.id, a.status, a.attempts), (first, JobStatus::Running, 1));
        assert_eq!(a.payload, serde_json::json!({ "k": "first" }));
        let b = store.claim("w2", now, Duration::seconds(60)).await.unwrap().unwrap();
        assert_eq!(b.id, second);
        assert!(store.claim("w3", now, Duration::seconds(60)).await.unwrap().is_none(), "`later` is not due");

        store.complete(first, "w1").await.unwrap();
        assert_eq!(store.get(first).await.unwrap().status, JobStatus::Succeeded);
        // Only the holder may settle a job.
        assert!(matches!(store.complete(second, "w1").await, Err(psma_core::Error::Conflict(_))));
        store.fail(second, "w2", "boom", Some(now + Duration::seconds(30))).await.unwrap();
        let retried = store.get(second).await.unwrap();
        assert_eq!((retried.status, retried.last_error.as_deref()), (JobStatus::Queued, Some("boom")));
        assert_eq!(store.get(later).await.unwrap().status, JobStatus::Queued);
    }
}

on_both_backends! {
    async fn a_job_whose_worker_died_is_taken_over_after_its_lease(backend: Backend) {
        let (_db, store) = TestDatabase::migrated(backend).await;
        let now = Utc::now();
        let id = store.enqueue(job("refresh", now)).await.unwrap();
        store.claim("dead", now, Duration::seconds(30)).await.unwrap().unwrap();
        assert!(store.claim("alive", now + Duration::seconds(10), Duration::seconds(30)).await.unwrap().is_none());
        let taken = store.claim("alive", now + Duration::seconds(31), Duration::seconds(30)).await.unwrap().unwrap();
        assert_eq!((taken.id, taken.attempts, taken.lease_owner.as_deref()), (id, 2, Some("alive")));
        // The dead worker's late completion is refused.
        assert!(store.complete(id, "dead").await.is_err());
        store.complete(id, "alive").await.unwrap();
    }
}

on_both_backends! {
    async fn concurrent_workers_never_claim_the_same_job(backend: Backend) {
        let (_db, store) = TestDatabase::migrated(backend).await;
        let now = Utc::now();
        for i in 0..40 {
            store.enqueue(job(&format!("k{i}"), now - Duration::seconds(1))).await.unwrap();
        }
        let store = Arc::new(store);
        let mut workers = Vec::new();
        for w in 0..4 {
            let store = store.clone();
            workers.push(tokio::spawn(async move {
                let mut mine = Vec::new();
                let name = format!("w{w}");
                while let Some(job) = store.claim(&name, Utc::now(), Duration::seconds(60)).await.unwrap() {
                    store.complete(job.id, &name).await.unwrap();
                    mine.push(job.id);
                }
                mine
            }));
        }
        let mut seen = HashSet::new();
        for worker in workers {
            for id in worker.await.unwrap() {
                assert!(seen.insert(id), "job {id} was claimed twice");
            }
        }
        assert_eq!(seen.len(), 40);
    }
}

on_both_backends! {
    async fn the_embedded_worker_settles_jobs_enqueued_while_serving(backend: Backend) {
        let app = crate::support::TestApp::spawn(backend).await;
        let store = app.db.store().await;
        // No handler is registered for this kind yet: the worker must fail it for good, naming it.
        let id = store.enqueue(job("no-such-kind", Utc::now())).await.unwrap();
        let mut status = JobStatus::Queued;
        for _ in 0..100 {
            status = store.get(id).await.unwrap().status;
            if status == JobStatus::Failed {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(status, JobStatus::Failed);
        assert!(store.get(id).await.unwrap().last_error.unwrap().contains("no-such-kind"));
    }
}

on_both_backends! {
    async fn a_caller_sees_its_own_and_shared_jobs_but_not_another_households(backend: Backend) {
        let app = crate::support::TestApp::spawn(backend).await;
        let store = app.db.store().await;
        let enqueue = |tenant: Option<psma_core::tenancy::TenantId>| {
            let store = &store;
            async move {
                store
                    .enqueue(NewJob { tenant_id: tenant, ..job("refresh", Utc::now() + Duration::hours(1)) })
                    .await
                    .unwrap()
            }
        };
        let own = enqueue(Some(psma_core::accounts::LOCAL_TENANT_ID)).await;
        let shared = enqueue(None).await;
        // Another household's job (its tenant row is not needed: jobs carry only its id).
        let theirs = enqueue(Some(psma_core::tenancy::TenantId::generate())).await;
        let body = app.get_json(&format!("/api/v1/jobs/{own}")).await;
        assert_eq!(body["kind"], "refresh");
        assert_eq!(body["status"], "queued");
        assert_eq!(body["shared"], false);
        assert_eq!(app.get_json(&format!("/api/v1/jobs/{shared}")).await["shared"], true);
        crate::support::problem(app.get(&format!("/api/v1/jobs/{theirs}")).await, 404).await;
        crate::support::problem(app.get("/api/v1/jobs/0190d5c4-7b1e-7c3a-9f00-3c1a2b4d5e6f").await, 404).await;
    }
}

on_both_backends! {
    async fn a_unique_key_allows_one_live_job_at_a_time(backend: Backend) {
        let (_db, store) = TestDatabase::migrated(backend).await;
        let now = Utc::now();
        let keyed = || NewJob { unique_key: Some("refresh:tvmaze".into()), ..job("refresh", now) };
        let first = store.enqueue(keyed()).await.unwrap();
        assert_eq!(store.enqueue(keyed()).await.unwrap(), first, "queued: the same job");
        let other = store.enqueue(NewJob { unique_key: Some("refresh:tmdb".into()), ..job("refresh", now) }).await.unwrap();
        assert_ne!(other, first, "another key is another job");
        let unkeyed = store.enqueue(job("refresh", now)).await.unwrap();
        assert_ne!(store.enqueue(job("refresh", now)).await.unwrap(), unkeyed, "no key, no rule");

        let claimed = store.claim("w", now, Duration::seconds(60)).await.unwrap().unwrap();
        assert_eq!(claimed.id, first);
        assert_eq!(claimed.unique_key.as_deref(), Some("refresh:tvmaze"));
        assert_eq!(store.enqueue(keyed()).await.unwrap(), first, "running: still the same job");
        store.complete(first, "w").await.unwrap();
        let next = store.enqueue(keyed()).await.unwrap();
        assert_ne!(next, first, "once it has finished, a new one may be queued");

        // Many requests at once (two API replicas, say) still queue one job.
        let store = std::sync::Arc::new(store);
        let racing: Vec<_> = (0..8)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move {
                    store.enqueue(NewJob { unique_key: Some("refresh:race".into()), ..job("refresh", Utc::now()) }).await.unwrap()
                })
            })
            .collect();
        let mut ids = HashSet::new();
        for task in racing {
            ids.insert(task.await.unwrap());
        }
        assert_eq!(ids.len(), 1, "{ids:?}");
    }
}
