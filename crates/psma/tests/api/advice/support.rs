//! What the advice tests share: the demo catalog with the embedded worker, and the calls.

use crate::support::{Backend, TestApp};
use psma::Settings;
use reqwest::Method;
use serde_json::{Value, json};
use std::time::Duration;

/// The app on the bundled demo catalog, worker on (advice is the worker's), tweaked.
pub async fn demo_app(backend: Backend, tweak: impl FnOnce(&mut Settings)) -> TestApp {
    TestApp::spawn_with(backend, |s| {
        s.catalog.load_demo = Some(true);
        s.worker.poll_interval_ms = 50;
        tweak(s);
    })
    .await
}

/// The id of the one show titled `title`.
pub async fn show_id(app: &TestApp, title: &str) -> String {
    let q = title.to_lowercase().replace(' ', "+");
    let shows = app.get_json(&format!("/api/v1/shows?q={q}")).await;
    let items = shows["items"].as_array().unwrap();
    let exact: Vec<&Value> = items.iter().filter(|s| s["title"] == title).collect();
    assert_eq!(exact.len(), 1, "{title}: {shows:#}");
    exact[0]["id"].as_str().unwrap().to_owned()
}

/// `PUT /api/v1/my-shows/{id}` with `wish`, expecting success.
pub async fn put_show(app: &TestApp, id: &str, wish: &Value) {
    let res = app
        .request(Method::PUT, &format!("/api/v1/my-shows/{id}"))
        .json(wish)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
}

/// Puts the show titled `title` on My Shows, watched as it airs; its id.
pub async fn watch_as_aired(app: &TestApp, title: &str) -> String {
    let id = show_id(app, title).await;
    put_show(app, &id, &json!({"watch_mode": "as_aired"})).await;
    id
}

/// The caller's advice with `status`.
pub async fn advice(app: &TestApp, status: &str) -> Vec<Value> {
    let list = app
        .get_json(&format!("/api/v1/advice?status={status}"))
        .await;
    list["items"].as_array().unwrap().clone()
}

/// Waits (up to 30 s) until a pending item satisfies `wanted`; returns it.
pub async fn pending_where(app: &TestApp, wanted: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..300 {
        if let Some(item) = advice(app, "pending").await.into_iter().find(|a| wanted(a)) {
            return item;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "no such pending advice; all advice: {:#}",
        app.get_json("/api/v1/advice").await
    );
}

/// The pending binge recommendation about show `id`.
pub async fn binge_advice(app: &TestApp, id: &str) -> Value {
    pending_where(app, |a| {
        a["rule"] == "binge_saves" && a["recommendation"]["proposed_change"]["show_id"] == id
    })
    .await
}

/// Waits until no advice job is queued or running (the worker settled).
pub async fn settled(app: &TestApp) {
    use sea_orm::{ConnectionTrait, Statement};
    let owner = app.db.owner().await;
    for _ in 0..300 {
        let rows = owner
            .query_all_raw(Statement::from_string(
                owner.get_database_backend(),
                "SELECT id FROM jobs WHERE kind IN ('replan', 'advise') AND status IN ('queued', 'running')",
            ))
            .await
            .unwrap();
        if rows.is_empty() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the worker did not settle");
}

/// `POST path` without a body.
pub async fn post(app: &TestApp, path: &str) -> reqwest::Response {
    app.request(Method::POST, path).send().await.unwrap()
}

/// The audit entries about advice, oldest first: (action, resource id).
pub async fn advice_audit(app: &TestApp) -> Vec<(String, String)> {
    let page = app
        .get_json("/api/v1/audit?resource=advice&limit=200")
        .await;
    let mut entries: Vec<(String, String)> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert_eq!(e["resource_type"], "advice");
            (
                e["action"].as_str().unwrap().to_owned(),
                e["resource_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    entries.reverse();
    entries
}

/// The caller's My Shows entry for show `id`.
pub async fn my_show(app: &TestApp, id: &str) -> Value {
    let list = app.get_json("/api/v1/my-shows").await;
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["show_id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("{id} is not on My Shows: {list:#}"))
}
