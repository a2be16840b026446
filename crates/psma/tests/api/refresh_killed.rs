//! A worker killed in the middle of a refresh: its lease expires, another worker takes the job
//! over and runs it to the end, and nothing is lost or stored twice.

use crate::support::{TestDatabase, on_both_backends, plugin_fixture};
use psma::app::{self, CatalogWiring};
use psma_core::catalog::ports::NoProgress;
use psma_core::catalog::{REFRESH_JOB, RunOutcome};
use psma_core::jobs::{JobQueue, JobStatus, NewJob};
use psma_core::ports::{Clock, SystemClock};
use psma_core::tenancy::SystemCtx;
use psma_plugin_sdk::text::SourceId;
use psma_worker::Outcome;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SEED: &str = r#"{"format": "psma-import/v1",
    "shows": [{"ref": "got", "title": "Game of Thrones", "year": 2011, "external_ids": {"tvmaze": "82"}},
              {"ref": "st", "title": "Stranger Things", "year": 2016, "external_ids": {"tvmaze": "2993"}}]}"#;

async fn answer(server: &MockServer, id: u32, fixture: &str, delay: Duration) {
    Mock::given(method("GET"))
        .and(path(format!("/shows/{id}")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(plugin_fixture("tvmaze", fixture), "application/json")
                .set_delay(delay),
        )
        .mount(server)
        .await;
}

on_both_backends! {
    async fn a_refresh_whose_worker_was_killed_is_finished_by_another_once(backend: Backend) {
        let (db, store) = TestDatabase::migrated(backend).await;
        let store = Arc::new(store);
        let dir = tempfile::tempdir().unwrap();
        let seed = dir.path().join("seed.json");
        std::fs::write(&seed, SEED).unwrap();
        let server = MockServer::start().await;
        let mut settings = db.settings();
        settings.providers.clear();
        settings.providers.insert("seed".into(), serde_json::from_value(json!({"plugin": "manual_import", "path": seed})).unwrap());
        settings.providers.insert("tvmaze".into(), serde_json::from_value(json!({"base_url": server.uri(), "timeout_secs": 30, "rate_limit": "none"})).unwrap());
        settings.worker.lease_secs = 1;
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let refreshes = CatalogWiring::build(&settings, &store, &clock).unwrap().refreshes;
        refreshes.run(&SystemCtx::establish("test"), &SourceId::parse("seed").unwrap(), &NoProgress).await.unwrap();
        let job = store.enqueue(NewJob {
            kind: REFRESH_JOB.to_owned(),
            tenant_id: None,
            payload: json!({"provider": "tvmaze"}),
            run_at: chrono::Utc::now(),
            max_attempts: 3,
            unique_key: Some("refresh:tvmaze".to_owned()),
        }).await.unwrap();

        // The first worker gets one show and hangs on the other; then it is killed.
        answer(&server, 82, "show-82-embed-episodes.json", Duration::ZERO).await;
        answer(&server, 2993, "show-2993-embed-episodes.json", Duration::from_secs(30)).await;
        let first = app::build_worker(&settings, store.clone(), clock.clone(), app::handlers(refreshes.clone()));
        let killed = tokio::spawn(async move { first.run_once().await });
        for _ in 0..200 {
            if server.received_requests().await.unwrap().len() >= 2 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        killed.abort();
        assert!(killed.await.unwrap_err().is_cancelled());
        let held = store.get(job).await.unwrap();
        assert_eq!((held.status, held.attempts), (JobStatus::Running, 1), "the dead worker still holds it");
        assert_eq!(live_tvmaze_facts(&db).await, 0, "nothing of a run that did not finish is kept");

        // Its lease runs out; another worker takes the job over and finishes it.
        tokio::time::sleep(Duration::from_millis(1100)).await;
        server.reset().await;
        answer(&server, 82, "show-82-embed-episodes.json", Duration::ZERO).await;
        answer(&server, 2993, "show-2993-embed-episodes.json", Duration::ZERO).await;
        let second = app::build_worker(&settings, store.clone(), clock.clone(), app::handlers(refreshes.clone()));
        assert_eq!(second.run_once().await.unwrap(), Outcome::Succeeded(job));
        let done = store.get(job).await.unwrap();
        assert_eq!((done.status, done.attempts), (JobStatus::Succeeded, 2));

        // Every fact once: as many live facts as the one finished run stored, and a refresh
        // after it finds nothing new.
        assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM ingest_runs WHERE source_id = 'tvmaze'").await, 1, "one run recorded");
        let stored = live_tvmaze_facts(&db).await;
        assert!(stored >= 9, "both shows' identities, episodes and availability: {stored}");
        let again = refreshes.run(&SystemCtx::establish("test"), &SourceId::parse("tvmaze").unwrap(), &NoProgress).await.unwrap();
        assert_eq!(again.outcome, RunOutcome::Succeeded);
        assert_eq!((again.counts.new, again.counts.unchanged), (0, stored), "{again:?}");
    }
}

/// The live facts from `tvmaze`.
async fn live_tvmaze_facts(db: &TestDatabase) -> u64 {
    count(
        db,
        "SELECT COUNT(*) AS n FROM facts WHERE source_id = 'tvmaze' AND ended_at IS NULL",
    )
    .await
}

/// `sql`'s count `n`, read as the schema owner (past row-level security).
async fn count(db: &TestDatabase, sql: &str) -> u64 {
    let owner = db.owner().await;
    let row = owner
        .query_one_raw(Statement::from_string(owner.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap();
    u64::try_from(row.try_get::<i64>("", "n").unwrap()).unwrap()
}
