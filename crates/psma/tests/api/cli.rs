//! `psma migrate` and `psma worker` as an operator runs them: the real binary.

use crate::support::{Backend, TestDatabase, on_both_backends};
use chrono::Utc;
use psma_core::access::Grants;
use psma_core::jobs::JobQueue;
use psma_core::jobs::{JobStatus, NewJob};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn psma(db: &TestDatabase, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_psma"));
    cmd.args(args)
        .env("PSMA_DATABASE__URL", &db.app_url)
        .env("PSMA_DATABASE__MIGRATION_URL", &db.owner_url)
        .env("PSMA_WORKER__POLL_INTERVAL_MS", "50")
        .env("PSMA_SERVER__SHUTDOWN_TIMEOUT_SECS", "60")
        .env("PSMA_TELEMETRY__LOG_FORMAT", "json")
        .stdin(Stdio::null());
    cmd
}

/// Kills the child if the test fails before stopping it, so no server outlives its test.
struct Reaped(Option<std::process::Child>);

impl Reaped {
    /// Sends SIGTERM.
    fn signal_term(&self) {
        let pid = self.0.as_ref().map(|c| c.id().to_string()).unwrap();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(sent.success());
    }

    /// Waits for the process to exit on its own.
    fn wait(mut self) -> std::process::Output {
        self.0.take().unwrap().wait_with_output().unwrap()
    }

    /// Sends SIGTERM and waits for the process to exit.
    fn terminate(self) -> std::process::Output {
        self.signal_term();
        self.wait()
    }
}

impl Drop for Reaped {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn run(cmd: &mut Command) -> (bool, String) {
    let out = cmd.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

on_both_backends! {
    async fn migrate_up_down_and_status_report_each_migration(backend: Backend) {
        let db = TestDatabase::create(backend).await;
        let all = crate::support::migration_count();
        let (ok, out) = run(&mut psma(&db, &["migrate", "status"]));
        assert!(ok, "{out}");
        assert_eq!(out.matches("pending m2026").count(), all, "{out}");

        let (ok, out) = run(&mut psma(&db, &["migrate", "up"]));
        assert!(ok, "{out}");
        assert_eq!(out.matches("applied m2026").count(), all, "{out}");

        let (ok, out) = run(&mut psma(&db, &["migrate", "down"]));
        assert!(ok, "{out}");
        let newest = crate::support::newest_migration();
        assert!(out.contains(&format!("pending {newest}")), "one step by default: {out}");
        assert_eq!(out.matches("applied m2026").count(), all - 1, "{out}");

        let (ok, out) = run(&mut psma(&db, &["migrate", "down", "--all"]));
        assert!(ok, "{out}");
        assert_eq!(out.matches("pending m2026").count(), all, "{out}");

        let (ok, out) = run(&mut psma(&db, &["migrate", "up"]));
        assert!(ok, "{out}");
        assert_eq!(out.matches("applied m2026").count(), all, "{out}");
    }
}

on_both_backends! {
    async fn a_worker_process_runs_jobs_and_stops_cleanly_on_sigterm(backend: Backend) {
        let db = TestDatabase::create(backend).await;
        let owner = db.owner_store().await;
        owner.migrate_up().await.unwrap();
        owner.close().await;
        let store = db.store().await;
        let id = store
            .enqueue(NewJob {
                kind: "not-registered".into(),
                tenant_id: None,
                payload: serde_json::json!({}),
                run_at: Utc::now(),
                max_attempts: 1,
                unique_key: None,
            })
            .await
            .unwrap();

        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Reaped(Some(psma(&db, &["worker"]).env("PSMA_WORKER__BIND", format!("127.0.0.1:{port}")).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap()));
        let deadline = Instant::now() + Duration::from_secs(20);
        while store.get(id).await.unwrap().status != JobStatus::Failed {
            assert!(Instant::now() < deadline, "the worker did not settle the job");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // Workers answer probes like API replicas.
        let client = crate::support::http_client();
        let probe = |path: &str| client.get(format!("http://127.0.0.1:{port}{path}")).send();
        assert_eq!(probe("/health").await.unwrap().status(), 200);
        let ready: serde_json::Value = probe("/ready").await.unwrap().json().await.unwrap();
        assert_eq!(ready["status"], "ready");
        assert!(probe("/metrics").await.unwrap().text().await.unwrap().contains("http_requests_total"));
        assert_eq!(probe("/api/v1/me").await.unwrap().status(), 404, "workers serve no API");
        let out = child.terminate();
        let logs = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "exit {:?}: {logs}", out.status);
        assert!(logs.contains("worker stopped"), "{logs}");
        assert!(logs.contains("job failed for good"), "{logs}");
    }
}

#[test]
fn serve_refuses_to_start_on_an_unmigrated_postgres_database_and_says_what_to_do() {
    if !Backend::postgres_available() {
        return;
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    let db = rt.block_on(TestDatabase::create(Backend::Postgres));
    let (ok, out) = run(psma(&db, &["serve"]).env("PSMA_SERVER__BIND", "127.0.0.1:0"));
    assert!(!ok, "{out}");
    assert!(out.contains("psma migrate up"), "{out}");
    drop(db);
}

#[tokio::test]
async fn serve_logs_one_json_line_per_request_and_stops_cleanly_on_sigterm() {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let (child, base) = serve_process(&db).await;
    let client = crate::support::http_client();
    let res = client
        .get(format!("{base}/api/v1/me"))
        .header("x-request-id", "log-me")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    let out = child.terminate();
    let logs = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "exit {:?}: {logs}", out.status);
    let line: serde_json::Value = logs
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|l| l["message"] == "request" && l["request_id"] == "log-me")
        .unwrap_or_else(|| panic!("no request line: {logs}"));
    assert_eq!(line["method"], "GET");
    assert_eq!(line["path"], "/api/v1/me");
    assert_eq!(line["status"], 200);
    assert!(line["latency_ms"].as_f64().is_some(), "{line}");
    assert_eq!(line["tenant_id"], "00000000-0000-7000-8000-000000000001");
    assert!(logs.contains("PSMA stopped"), "{logs}");
    // The default filter keeps libraries' start-up chatter out; one line of ours instead.
    assert!(logs.contains("database ready ("), "{logs}");
    for chatty in ["sea_orm_migration", "actix_server"] {
        assert!(!logs.contains(chatty), "{chatty} in: {logs}");
    }
    // Not a terminal: no banner, on either stream.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("is running") && !logs.contains("Ctrl+C"),
        "{stderr}"
    );
}

/// Starts `psma serve` on a free port and waits until it is ready.
async fn serve_process(db: &TestDatabase) -> (Reaped, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Reaped(Some(
        psma(db, &["serve"])
            .env("PSMA_SERVER__BIND", format!("127.0.0.1:{port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    ));
    let base = format!("http://127.0.0.1:{port}");
    let client = crate::support::http_client();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(res) = client.get(format!("{base}/ready")).send().await
            && res.status() == 200
        {
            return (child, base);
        }
        assert!(Instant::now() < deadline, "serve never became ready");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_request_in_flight_when_sigterm_arrives_still_completes() {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let (child, base) = serve_process(&db).await;
    // The body arrives in two parts; SIGTERM lands between them.
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(2);
    let body = reqwest::Body::wrap_stream(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    }));
    let request = tokio::spawn(
        crate::support::http_client()
            .patch(format!("{base}/api/v1/me"))
            .header("content-type", "application/json")
            .body(body)
            .send(),
    );
    tx.send(Ok(br#"{"display_name": "#.to_vec())).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    child.signal_term();
    tokio::time::sleep(Duration::from_millis(500)).await;
    tx.send(Ok(br#""Still Here"}"#.to_vec())).await.unwrap();
    drop(tx);

    let res = request.await.unwrap().unwrap();
    assert_eq!(res.status(), 200);
    let me: serde_json::Value = res.json().await.unwrap();
    assert_eq!(me["user"]["display_name"], "Still Here");
    let out = child.wait();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[tokio::test]
async fn an_open_event_stream_does_not_hold_up_shutdown() {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let (child, base) = serve_process(&db).await;
    let mut stream = crate::support::http_client()
        .get(format!("{base}/api/v1/events"))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    let first = stream.chunk().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).starts_with("retry: 5000"));
    let asked = Instant::now();
    child.signal_term();
    // The stream ends as shutdown begins, instead of holding it for the 60 s timeout.
    let ended = tokio::time::timeout(Duration::from_secs(20), async {
        while let Ok(Some(_)) = stream.chunk().await {}
    })
    .await;
    assert!(
        ended.is_ok(),
        "the stream was still open 20 s after SIGTERM"
    );
    let out = child.wait();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(asked.elapsed() < Duration::from_secs(20));
}

on_both_backends! {
    async fn psma_import_reports_one_line_or_every_problem(backend: Backend) {
        let db = TestDatabase::create(backend).await;
        let (ok, out) = run(&mut psma(&db, &["migrate", "up"]));
        assert!(ok, "{out}");
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("listings.csv");
        std::fs::write(&good, "title,year,service_id,country\nSeverance,2022,apple-tv-plus,US\nThe Bear,2022,hulu,US\n").unwrap();
        let output = psma(&db, &["import", good.to_str().unwrap(), "--source-id", "listings"]).output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
        let summary: Vec<&str> = stdout.lines().filter(|l| l.starts_with("imported ")).collect();
        assert_eq!(summary.len(), 1, "{stdout}");
        assert!(summary[0].contains("as source `listings`: shows 2 created, 0 matched; facts 4 new"), "{stdout}");

        // The same import through the API's use case: the shows are there for the local household.
        let store = db.store().await;
        let ctx = psma_core::tenancy::TenantCtx::establish(psma_core::accounts::LOCAL_TENANT_ID, None, vec![], Grants::none());
        let filter = psma_core::catalog::ports::ShowFilter { q: None, service_id: None, country: None, status: None, today: Utc::now().date_naive() };
        let page = psma_core::catalog::ports::CatalogReader::list_shows(&store, &ctx, &filter, &psma_core::catalog::ports::PageRequest { after: None, limit: 10 }).await.unwrap();
        assert_eq!(page.items.len(), 2);

        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, r#"{"format": "psma-import/v1", "availability": [{"show": "x", "service_id": "nope", "country": "US"}]}"#).unwrap();
        let output = psma(&db, &["import", bad.to_str().unwrap()]).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("nothing was imported"), "{stderr}");
        assert!(stderr.contains("/availability/0: show: no show has the ref `x`"), "{stderr}");
        assert!(stderr.contains("/availability/0: service_id: unknown service `nope`"), "{stderr}");
    }
}

on_both_backends! {
    async fn psma_providers_prints_each_configured_source_with_its_latest_run(backend: Backend) {
        let db = TestDatabase::create(backend).await;
        let (ok, out) = run(&mut psma(&db, &["migrate", "up"]));
        assert!(ok, "{out}");
        let dir = tempfile::tempdir().unwrap();
        let list = dir.path().join("listings.csv");
        std::fs::write(&list, "title,year,service_id,country\nSeverance,2022,apple-tv-plus,US\n").unwrap();
        let config = dir.path().join("psma.toml");
        std::fs::write(
            &config,
            format!("[providers.listings]\nplugin = \"manual_import\"\npath = {:?}\nrefresh_every = \"12h\"\n", list.display().to_string()),
        )
        .unwrap();
        let config = config.to_str().unwrap();

        let output = psma(&db, &["providers", "--config", config]).output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
        let lines: Vec<&str> = stdout.lines().collect();
        assert!(lines[0].starts_with("SOURCE"), "{stdout}");
        let listings: Vec<&str> = lines.iter().find(|l| l.starts_with("listings")).unwrap().split_whitespace().collect();
        assert_eq!(listings[..5], ["listings", "yes", "12h", "never", "-"], "{stdout}");
        let tvmaze: Vec<&str> = lines.iter().find(|l| l.starts_with("tvmaze")).unwrap().split_whitespace().collect();
        assert_eq!(tvmaze[..2], ["tvmaze", "no"], "the built-in default is listed, off: {stdout}");

        // A run of the source shows up as its latest run (an import runs as the household's,
        // not the shared catalog's: the list shows shared runs only).
        let output = psma(&db, &["import", list.to_str().unwrap(), "--source-id", "listings"]).output().unwrap();
        assert!(output.status.success());
        let stdout = String::from_utf8_lossy(&psma(&db, &["providers", "--config", config]).output().unwrap().stdout).into_owned();
        assert!(stdout.lines().any(|l| l.starts_with("listings") && l.contains("never")), "{stdout}");

        // A refresh of the provider, waited for: this process runs it when no worker does.
        let output = psma(&db, &["refresh", "--provider", "listings", "--wait", "--config", config]).output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
        assert!(stdout.contains("queued refresh of `listings`: job "), "{stdout}");
        assert!(stdout.contains("`listings`: succeeded at "), "{stdout}");
        assert!(stdout.contains("facts 2 new, 0 changed, 0 ended, 0 rejected"), "{stdout}");
        let stdout = String::from_utf8_lossy(&psma(&db, &["providers", "--config", config]).output().unwrap().stdout).into_owned();
        let listings: Vec<&str> = stdout.lines().find(|l| l.starts_with("listings")).unwrap().split_whitespace().collect();
        assert_eq!(listings[listings.len() - 2..], ["succeeded", "2/0/0/0"], "{stdout}");
        let output = psma(&db, &["refresh", "--provider", "tvmaze", "--config", config]).output().unwrap();
        assert!(!output.status.success());
        assert!(String::from_utf8_lossy(&output.stderr).contains("provider `tvmaze` is disabled"));

        let broken = dir.path().join("broken.toml");
        std::fs::write(&broken, "[providers.listings]\nplugin = \"manual_import\"\n").unwrap();
        let output = psma(&db, &["providers", "--config", broken.to_str().unwrap()]).output().unwrap();
        assert_eq!(output.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&output.stderr).contains("providers.listings.path: "));
    }
}
