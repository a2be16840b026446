//! What the plan tests share: an app without the embedded worker (so no background re-plan
//! makes plans of its own while a test reads them), catalogs by import, and the calls.

use crate::support::{Backend, TestApp};
use reqwest::Method;
use serde_json::{Value, json};

/// The day every scenario plans from.
pub const TODAY: &str = "2027-03-01";

/// The app, with plans made only when a test asks.
pub async fn app(backend: Backend) -> TestApp {
    TestApp::spawn_with(backend, |s| s.worker.embedded = false).await
}

/// Imports `shows` (`[ref, title]`) and `availability` records as `source`.
pub async fn import(app: &TestApp, source: &str, shows: &[(&str, &str)], availability: Value) {
    let shows: Vec<Value> = shows
        .iter()
        .map(|(r, title)| json!({"ref": r, "title": title, "year": 2025, "external_ids": {"tmdb": format!("tv:{r}")}}))
        .collect();
    app.import_json(
        "",
        &json!({"format": "psma-import/v1", "source_id": source,
        "shows": shows, "availability": availability}),
    )
    .await;
}

/// An availability record of show `r` on `service` in the US.
pub fn on(r: &str, service: &str, from: &str, until: Option<&str>) -> Value {
    json!({"show": r, "service_id": service, "country": "US", "available_from": from, "available_until": until})
}

/// The id of the one show titled `title`.
pub async fn show_id(app: &TestApp, title: &str) -> String {
    let q = title.to_lowercase().replace(' ', "+");
    let shows = app.get_json(&format!("/api/v1/shows?q={q}")).await;
    let items = shows["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{title}: {shows:#}");
    items[0]["id"].as_str().unwrap().to_owned()
}

/// Puts the show titled `title` on My Shows; its id.
pub async fn want(app: &TestApp, title: &str, wish: &Value) -> String {
    let id = show_id(app, title).await;
    let res = app
        .request(Method::PUT, &format!("/api/v1/my-shows/{id}"))
        .json(wish)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    id
}

/// A binge of `days` days.
pub fn binge(days: u16) -> Value {
    json!({"watch_mode": "binge_after_season", "binge_days": days})
}

/// `POST /api/v1/plans` from [`TODAY`], expecting 201 with a `Location` naming the plan.
pub async fn plan(app: &TestApp) -> Value {
    let res = app
        .post_json("/api/v1/plans", &json!({"today": TODAY}))
        .await;
    assert_eq!(res.status(), 201);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let plan: Value = res.json().await.unwrap();
    assert_eq!(
        location,
        format!("/api/v1/plans/{}", plan["id"].as_str().unwrap())
    );
    assert_eq!(plan["today"], TODAY);
    plan
}

/// (action, service, date) of each event.
pub fn steps(plan: &Value) -> Vec<(String, String, String)> {
    plan["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap().to_owned();
            (s("action"), s("service_id"), s("date"))
        })
        .collect()
}

/// `(action, service, date)` as owned strings.
pub fn step(action: &str, service: &str, date: &str) -> (String, String, String) {
    (action.to_owned(), service.to_owned(), date.to_owned())
}
