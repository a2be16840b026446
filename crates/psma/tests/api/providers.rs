//! `GET /api/v1/providers`: the configured data sources, enabled or not, with their attribution
//! and latest run.

use crate::support::{TestApp, on_both_backends};
use psma::providers::{PluginConfig, ProviderSettings};
use serde_json::json;
use std::time::Duration;

fn section(
    plugin: &str,
    enabled: bool,
    refresh_every: Option<Duration>,
    config: serde_json::Value,
) -> ProviderSettings {
    ProviderSettings {
        enabled,
        plugin: Some(plugin.to_owned()),
        refresh_every,
        rate_limit: None,
        config: PluginConfig(serde_json::from_value(config).unwrap()),
    }
}

on_both_backends! {
    async fn providers_are_listed_with_their_attribution_and_latest_run(backend: Backend) {
        let list = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(list.path(), r#"{"format": "psma-import/v1", "shows": [{"ref": "a", "title": "Andor", "year": 2022}]}"#).unwrap();
        let app = TestApp::spawn_with(backend, |s| {
            // The demo catalog's load is a refresh of the `demo` source: a provider of that id
            // shows it as its latest run.
            s.catalog.load_demo = Some(true);
            s.providers.insert("demo".into(), section("manual_import", true, Some(Duration::from_secs(6 * 3600)), json!({"path": list.path()})));
            s.providers.insert("tvmaze".into(), section("tvmaze", false, None, json!({})));
            // A source the operator paces themselves.
            s.providers.insert("mirror".into(), serde_json::from_value(json!({"plugin": "manual_import", "rate_limit": "100/s", "path": list.path()})).unwrap());
        })
        .await;
        let body = app.get_json("/api/v1/providers").await;
        let items = body["items"].as_array().unwrap();
        let ids: Vec<&str> = items.iter().map(|p| p["source_id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["demo", "mirror", "tmdb", "tvmaze"], "the default configuration lists TMDB and TVmaze, off");
        assert_eq!((items[2]["enabled"].clone(), items[2]["needs_credentials"].clone()), (json!(false), json!(true)));
        assert_eq!(items[1]["rate_limit"], json!({"requests": 100, "per_secs": 1}), "the configured pace, not the plugin's");

        let demo = &items[0];
        assert_eq!(demo["enabled"], true);
        assert_eq!(demo["refresh_every_secs"], 21600);
        assert_eq!(demo["scopes"], json!(["all", "show", "country"]));
        let run = &demo["last_run"];
        assert_eq!(run["trigger"], "refresh", "{demo:#}");
        assert_eq!(run["outcome"], "succeeded");
        assert!(run["facts"]["new"].as_u64().unwrap() > 100, "{run:#}");
        assert!(run["shows"]["created"].as_u64().unwrap() >= 40);
        let finished: chrono::DateTime<chrono::Utc> = run["finished_at"].as_str().unwrap().parse().unwrap();
        let next: chrono::DateTime<chrono::Utc> = demo["next_run"].as_str().unwrap().parse().unwrap();
        assert_eq!(next - finished, chrono::Duration::hours(6), "refresh_every after the last run");

        let tvmaze = &items[3];
        assert_eq!(tvmaze["enabled"], false);
        assert!(tvmaze["last_run"].is_null());
        assert!(tvmaze["refresh_every_secs"].is_null());
        assert!(tvmaze["next_run"].is_null(), "disabled: not scheduled");
        assert_eq!(tvmaze["rate_limit"], json!({"requests": 20, "per_secs": 10}));
        assert_eq!(tvmaze["attribution"]["license"], "CC BY-SA 4.0");
        assert_eq!(tvmaze["attribution"]["url"], "https://www.tvmaze.com/api");
        assert_eq!(tvmaze["needs_credentials"], false);
    }
}

on_both_backends! {
    async fn with_no_providers_configured_the_list_is_empty(backend: Backend) {
        let app = TestApp::spawn_with(backend, |s| s.providers.clear()).await;
        assert_eq!(app.get_json("/api/v1/providers").await, json!({"items": []}));
    }
}

mod refresh {
    use crate::support::{TestDatabase, on_both_backends};
    use psma::app::{CatalogWiring, build_worker, handlers};
    use psma_core::catalog::RefreshPayload;
    use psma_core::jobs::{JobQueue, JobStatus};
    use psma_core::ports::{Clock, SystemClock};
    use psma_plugin_sdk::text::SourceId;
    use psma_worker::Outcome;
    use serde_json::json;
    use std::sync::Arc;

    const LIST: &str = r#"{"format": "psma-import/v1", "retrieved_at": "2026-11-22T12:00:00Z",
        "shows": [{"ref": "a", "title": "Andor", "year": 2022}, {"ref": "s", "title": "Severance", "year": 2022}],
        "availability": [{"show": "a", "service_id": "disney-plus", "country": "US", "available_from": "2022-09-21"},
                         {"show": "s", "service_id": "apple-tv-plus", "country": "US", "available_from": "2022-02-18"}]}"#;

    on_both_backends! {
        async fn scheduled_refreshes_are_queued_when_due_and_only_once(backend: Backend) {
            let (db, store) = TestDatabase::migrated(backend).await;
            let store = Arc::new(store);
            let dir = tempfile::tempdir().unwrap();
            let list = dir.path().join("list.json");
            std::fs::write(&list, LIST).unwrap();
            let mut settings = db.settings();
            settings.providers.clear();
            settings.providers.insert("hourly".into(), serde_json::from_value(json!({"plugin": "manual_import", "path": list, "refresh_every": "1h"})).unwrap());
            settings.providers.insert("on_demand".into(), serde_json::from_value(json!({"plugin": "manual_import", "path": list})).unwrap());
            settings.providers.insert("tvmaze".into(), serde_json::from_value(json!({"refresh_every": "24h", "base_url": "http://127.0.0.1:9"})).unwrap());
            let clock: Arc<dyn Clock> = Arc::new(SystemClock);
            let wiring = CatalogWiring::build(&settings, &store, &clock).unwrap();
            let refreshes = wiring.refreshes;
            let system = psma_core::tenancy::SystemCtx::establish("test schedule");
            let now = chrono::Utc::now();

            let due = refreshes.queue_due(&system, now).await.unwrap();
            let ids: Vec<String> = due.iter().map(|q| q.provider.to_string()).collect();
            assert_eq!(ids, ["hourly", "tvmaze"], "never run, with a schedule");
            assert_eq!(refreshes.queue_due(&system, now).await.unwrap(), due, "queued already: the same job");

            let worker = build_worker(&settings, store.clone(), clock, handlers(refreshes.clone()));
            assert!(matches!(worker.run_once().await.unwrap(), Outcome::Succeeded(id) if id == due[0].job_id));
            let later = refreshes.queue_due(&system, now + chrono::Duration::minutes(30)).await.unwrap();
            assert!(later.iter().all(|q| q.provider.as_str() != "hourly"), "ran within the hour: {later:?}");
            let next = refreshes.queue_due(&system, chrono::Utc::now() + chrono::Duration::minutes(61)).await.unwrap();
            assert_eq!(next.len(), 2, "hourly again, and tvmaze still queued: {next:?}");
            assert_eq!(next[1].job_id, due[1].job_id);
            assert_ne!(next[0].job_id, due[0].job_id, "an hour after the last run: a new refresh");
            assert_eq!(store.get(next[0].job_id).await.unwrap().status, JobStatus::Queued);
        }
    }

    on_both_backends! {
        async fn a_refresh_is_queued_once_and_run_by_the_worker_into_the_shared_catalog(backend: Backend) {
            let (db, store) = TestDatabase::migrated(backend).await;
            let store = Arc::new(store);
            let dir = tempfile::tempdir().unwrap();
            let list = dir.path().join("list.json");
            std::fs::write(&list, LIST).unwrap();
            let mut settings = db.settings();
            settings.providers.clear();
            settings.providers.insert("listings".into(), serde_json::from_value(json!({"plugin": "manual_import", "path": list})).unwrap());
            settings.providers.insert("later".into(), serde_json::from_value(json!({"plugin": "manual_import", "enabled": false})).unwrap());
            let clock: Arc<dyn Clock> = Arc::new(SystemClock);
            let wiring = CatalogWiring::build(&settings, &store, &clock).unwrap();
            let refreshes = wiring.refreshes;

            let listings = SourceId::parse("listings").unwrap();
            let ctx = psma_core::tenancy::TenantCtx::establish(psma_core::accounts::LOCAL_TENANT_ID, None, vec![], psma_core::access::Grants::from_iter([psma_core::access::Permission::CATALOG_WRITE]));
            let queued = refreshes.request(&ctx, Some(&listings), None).await.unwrap();
            assert_eq!(queued.len(), 1);
            let again = refreshes.request(&ctx, None, None).await.unwrap();
            assert_eq!(again, queued, "all enabled providers: only `listings`, already queued");
            let job = store.get(queued[0].job_id).await.unwrap();
            assert_eq!(serde_json::from_value::<RefreshPayload>(job.payload).unwrap().provider, listings);
            assert!(job.tenant_id.is_none(), "a refresh is shared-catalog work");
            assert!(matches!(refreshes.request(&ctx, Some(&SourceId::parse("later").unwrap()), None).await, Err(psma_core::Error::Conflict(_))));
            assert!(matches!(refreshes.request(&ctx, Some(&SourceId::parse("nope").unwrap()), None).await, Err(psma_core::Error::NotFound { .. })));

            let worker = build_worker(&settings, store.clone(), clock, handlers(refreshes.clone()));
            assert!(matches!(worker.run_once().await.unwrap(), Outcome::Succeeded { .. }), "the refresh ran");
            assert_eq!(store.get(queued[0].job_id).await.unwrap().status, JobStatus::Succeeded);
            assert_ne!(refreshes.request(&ctx, Some(&listings), None).await.unwrap(), queued, "a new refresh may be queued once the last has run");

            // The facts are in the shared catalog, as the source's run.
            let runs = psma_core::catalog::RunHistory::latest_shared_runs(store.as_ref(), &ctx, std::slice::from_ref(&listings)).await.unwrap();
            let run = &runs[&listings].run;
            assert_eq!(runs[&listings].failures_in_a_row, 0);
            assert_eq!(run.outcome.as_str(), "succeeded");
            assert_eq!((run.counts.new, run.counts.shows_created), (4, 2));
        }
    }
}

on_both_backends! {
    async fn a_refresh_asked_for_over_http_is_run_by_the_embedded_worker_and_audited(backend: Backend) {
        let list = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(list.path(), r#"{"format": "psma-import/v1", "shows": [{"ref": "a", "title": "Andor", "year": 2022}],
            "availability": [{"show": "a", "service_id": "disney-plus", "country": "US", "available_from": "2022-09-21"}]}"#).unwrap();
        let app = TestApp::spawn_with(backend, |s| {
            s.providers.insert("listings".into(), section("manual_import", true, None, json!({"path": list.path()})));
            s.providers.insert("tvmaze".into(), section("tvmaze", false, None, json!({})));
        })
        .await;
        let res = app.post_json("/api/v1/catalog/refresh", &json!({"provider": "listings"})).await;
        assert_eq!(res.status(), 202);
        let queued: serde_json::Value = res.json().await.unwrap();
        let job_id = queued["jobs"][0]["job_id"].as_str().unwrap().to_owned();
        assert_eq!(queued["jobs"][0]["provider"], "listings");

        let mut status = String::new();
        for _ in 0..200 {
            status = app.get_json(&format!("/api/v1/jobs/{job_id}")).await["status"].as_str().unwrap().to_owned();
            if status == "succeeded" || status == "failed" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(status, "succeeded");
        let providers = app.get_json("/api/v1/providers").await;
        let listings = providers["items"].as_array().unwrap().iter().find(|p| p["source_id"] == "listings").unwrap().clone();
        assert_eq!(listings["last_run"]["outcome"], "succeeded", "{listings:#}");
        assert_eq!(listings["last_run"]["facts"]["new"], 2);
        let shows = app.get_json("/api/v1/shows?q=andor").await;
        assert_eq!(shows["items"][0]["scope"], "shared", "{shows:#}");

        // Every enabled provider: `listings` only. Unknown and disabled ones are refused.
        let all: serde_json::Value = app.post_json("/api/v1/catalog/refresh", &json!({})).await.json().await.unwrap();
        assert_eq!(all["jobs"].as_array().unwrap().len(), 1);
        let unknown = app.post_json("/api/v1/catalog/refresh", &json!({"provider": "nope"})).await;
        assert_eq!(unknown.status(), 404);
        let disabled = app.post_json("/api/v1/catalog/refresh", &json!({"provider": "tvmaze"})).await;
        assert_eq!(disabled.status(), 409);
        let bad = app.post_json("/api/v1/catalog/refresh", &json!({"provider": "Not An Id"})).await;
        assert_eq!(bad.status(), 422);

        // The runs, newest first, filtered and paged, once the second refresh has run.
        let second_job = all["jobs"][0]["job_id"].as_str().unwrap().to_owned();
        for _ in 0..200 {
            if app.get_json(&format!("/api/v1/jobs/{second_job}")).await["status"] == "succeeded" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let runs = app.get_json("/api/v1/refresh-runs?provider=listings").await["items"].as_array().unwrap().clone();
        assert_eq!(runs.len(), 2, "{runs:?}");
        assert!(runs[0]["started_at"].as_str() >= runs[1]["started_at"].as_str());
        assert!(runs.iter().all(|r| r["source_id"] == "listings" && r["trigger"] == "refresh"));
        assert_eq!(runs[1]["facts"]["new"], 2);
        assert_eq!(runs[0]["facts"]["unchanged"], 2, "the same file again: nothing new");
        let first = app.get_json("/api/v1/refresh-runs?limit=1").await;
        assert_eq!(first["items"][0]["run_id"], runs[0]["run_id"]);
        let cursor = first["next_cursor"].as_str().unwrap();
        let second = app.get_json(&format!("/api/v1/refresh-runs?limit=1&cursor={cursor}")).await;
        assert_eq!(second["items"][0]["run_id"], runs[1]["run_id"]);
        assert!(second["next_cursor"].is_null());
        assert_eq!(app.get_json("/api/v1/refresh-runs?provider=tvmaze").await["items"], json!([]));
        let bad = app.get("/api/v1/refresh-runs?limit=0").await;
        assert_eq!(bad.status(), 422);

        let actions = crate::support::audit_actions(&app).await;
        assert_eq!(actions.iter().filter(|a| *a == "catalog.refresh").count(), 2, "{actions:?}");
    }
}

mod backoff {
    use crate::support::{TestApp, on_both_backends};
    use serde_json::json;

    on_both_backends! {
        async fn a_failing_provider_backs_off_and_says_why(backend: Backend) {
            let dir = tempfile::tempdir().unwrap();
            let missing = dir.path().join("gone.json");
            let configure = |s: &mut psma::Settings| {
                s.worker.embedded = false;
                s.providers.insert("flaky".into(), serde_json::from_value(json!({"plugin": "manual_import", "path": missing, "refresh_every": "24h"})).unwrap());
            };
            let app = TestApp::spawn_with(backend, configure).await;
            let mut settings = app.db.settings();
            configure(&mut settings);
            let store = std::sync::Arc::new(app.db.store().await);
            let clock: std::sync::Arc<dyn psma_core::ports::Clock> = std::sync::Arc::new(psma_core::ports::SystemClock);
            let wiring = psma::app::CatalogWiring::build(&settings, &store, &clock).unwrap();
            let system = psma_core::tenancy::SystemCtx::establish("test");
            let flaky = psma_plugin_sdk::text::SourceId::parse("flaky").unwrap();
            for _ in 0..2 {
                let err = wiring.refreshes.run(&system, &flaky, &psma_core::catalog::ports::NoProgress).await.unwrap_err();
                assert!(matches!(err, psma_core::Error::Unavailable(_)), "{err}");
            }
            let providers = app.get_json("/api/v1/providers").await;
            let status = &providers["items"][0];
            assert_eq!(status["failures_in_a_row"], 2, "{status:#}");
            assert_eq!(status["last_run"]["outcome"], "failed");
            assert!(status["last_error"].as_str().unwrap().contains("gone.json"), "{status:#}");
            let finished: chrono::DateTime<chrono::Utc> = status["last_run"]["finished_at"].as_str().unwrap().parse().unwrap();
            let next: chrono::DateTime<chrono::Utc> = status["next_run"].as_str().unwrap().parse().unwrap();
            assert_eq!(next - finished, chrono::Duration::minutes(10), "two failures: 5 minutes doubled, not a day");

            let now = chrono::Utc::now();
            assert!(wiring.refreshes.queue_due(&system, now).await.unwrap().is_empty(), "backing off");
            assert_eq!(wiring.refreshes.queue_due(&system, now + chrono::Duration::minutes(11)).await.unwrap().len(), 1);
        }
    }

    #[test]
    fn the_backoff_doubles_from_five_minutes_up_to_a_day() {
        use psma_core::catalog::backoff;
        let minutes: Vec<i64> = (1..=12).map(|n| backoff(n).num_minutes()).collect();
        assert_eq!(
            minutes,
            [5, 10, 20, 40, 80, 160, 320, 640, 1280, 1440, 1440, 1440]
        );
        assert_eq!(backoff(u32::MAX).num_minutes(), 1440);
    }
}
