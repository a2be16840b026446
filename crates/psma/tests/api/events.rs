//! Live updates (`GET /api/v1/events`, and `/events` for the web UI): a plan change made by
//! the worker reaches an open stream through the database — also when the worker runs in
//! another process than the server holding the stream.

use crate::support::{TestApp, on_both_backends};
use std::time::Duration;

/// Reads `stream` until an event named `name` arrives (or 15 s pass); the text read.
async fn until_event(stream: &mut reqwest::Response, name: &str) -> String {
    until_event_after(stream, name, String::new()).await
}

/// As [`until_event`], counting what was read before (`seen`).
async fn until_event_after(stream: &mut reqwest::Response, name: &str, mut seen: String) -> String {
    let wanted = format!("event: {name}\n");
    if seen.contains(&wanted) {
        return seen;
    }
    let found = tokio::time::timeout(Duration::from_secs(15), async {
        while let Ok(Some(chunk)) = stream.chunk().await {
            seen.push_str(&String::from_utf8_lossy(&chunk));
            if seen.contains(&wanted) {
                return true;
            }
        }
        false
    })
    .await;
    assert!(
        matches!(found, Ok(true)),
        "no `{name}` event; the stream said: {seen}"
    );
    seen
}

/// Stranger Things: watched as it airs on Netflix (all seasons at once), it raises advice.
async fn stranger_things(app: &TestApp) -> String {
    app.get_json("/api/v1/shows?q=stranger+things").await["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

on_both_backends! {
    async fn a_replan_by_the_worker_reaches_an_open_stream(backend: Backend) {
        let app = TestApp::spawn_with(backend, |s| {
            s.catalog.load_demo = None;
            s.worker.poll_interval_ms = 50;
        })
        .await;
        let mut stream = app.get("/api/v1/events").await;
        assert_eq!(stream.status(), 200);
        assert_eq!(stream.headers()["content-type"], "text/event-stream");
        assert_eq!(stream.headers()["cache-control"], "no-cache, no-store");
        let first = stream.chunk().await.unwrap().unwrap();
        let first = String::from_utf8_lossy(&first).into_owned();
        assert!(first.starts_with("retry: 5000\nid: p="), "the retry and where the stream starts: {first}");
        assert!(!first.contains("event:"), "starts now: nothing old replayed: {first}");

        let id = stranger_things(&app).await;
        let res = app.request(reqwest::Method::PUT, &format!("/api/v1/my-shows/{id}")).json(&serde_json::json!({"watch_mode": "as_aired"})).send().await.unwrap();
        assert_eq!(res.status(), 201);
        let seen = until_event(&mut stream, "plan").await;
        let current = app.get_json("/api/v1/plans/current").await;
        assert!(seen.contains(&format!(r#""plan_id":"{}""#, current["id"].as_str().unwrap())), "{seen}");
        assert!(seen.contains(r#""trigger":"profile_change""#), "{seen}");
        // The advice raised after the plan is counted too.
        let seen = until_event_after(&mut stream, "advice", seen).await;

        // A browser reconnecting with the last id it got resumes after it: nothing again.
        let last_id = seen.lines().rev().find_map(|l| l.strip_prefix("id: ")).unwrap().to_owned();
        let mut resumed = app.request(reqwest::Method::GET, "/events").header("accept", "text/event-stream").header("last-event-id", &last_id).send().await.unwrap();
        assert_eq!(resumed.status(), 200, "the page stream, for the web UI");
        let first = resumed.chunk().await.unwrap().unwrap();
        assert!(!String::from_utf8_lossy(&first).contains("event: plan"), "already seen");
    }
}

on_both_backends! {
    async fn a_worker_in_another_process_is_heard(backend: Backend) {
        // The server holding the stream runs no worker; a second instance on the same
        // database (as `psma worker` would be) does the re-planning.
        let app = TestApp::spawn_with(backend, |s| {
            s.catalog.load_demo = None;
            s.worker.embedded = false;
        })
        .await;
        let mut settings = app.db.settings();
        settings.catalog.load_demo = Some(false);
        settings.worker.poll_interval_ms = 50;
        settings.server.bind = "127.0.0.1:0".to_owned();
        let worker = psma::Application::build(settings).await.expect("the second instance builds");
        tokio::spawn(worker.run_until_stopped());

        let mut stream = app.get("/api/v1/events").await;
        stream.chunk().await.unwrap().unwrap();
        let id = stranger_things(&app).await;
        let res = app.request(reqwest::Method::PUT, &format!("/api/v1/my-shows/{id}")).json(&serde_json::json!({"watch_mode": "as_aired"})).send().await.unwrap();
        assert_eq!(res.status(), 201);
        until_event(&mut stream, "plan").await;
    }
}

on_both_backends! {
    async fn a_page_hears_a_replan_made_before_its_script_connected(backend: Backend) {
        let app = TestApp::spawn_with(backend, |s| {
            s.catalog.load_demo = None;
            s.worker.poll_interval_ms = 50;
        })
        .await;
        // The page names where its stream starts: when its request arrived.
        let page = app.request(reqwest::Method::GET, "/plan").header("accept", "text/html").send().await.unwrap();
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        let from = html.split("data-live-from=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("the page's starting cursor").to_owned();
        assert!(from.starts_with("p="), "{from}");

        // The re-plan finishes before the page's script opens its stream...
        let id = stranger_things(&app).await;
        let res = app.request(reqwest::Method::PUT, &format!("/api/v1/my-shows/{id}")).json(&serde_json::json!({"watch_mode": "as_aired"})).send().await.unwrap();
        assert_eq!(res.status(), 201);
        let planned = tokio::time::timeout(Duration::from_secs(15), async {
            loop {
                if app.get("/api/v1/plans/current").await.status() == 200 {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
        .await;
        assert!(planned.is_ok(), "the worker made no plan");

        // ...and the stream, started from the page's cursor, still tells it.
        let mut stream = app.request(reqwest::Method::GET, &format!("/events?last={}", urlencoding(&from))).header("accept", "text/event-stream").send().await.unwrap();
        assert_eq!(stream.status(), 200);
        let seen = until_event(&mut stream, "plan").await;
        assert!(!seen.contains("event: refresh"), "the page's cursor names no run: runs are only learned: {seen}");
    }
}

/// `text` as a query value (a cursor holds `=` and `;`).
fn urlencoding(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
