//! What the UI adds at the edge: hashed immutable assets, errors as pages for browsers only,
//! and the host check that keeps DNS rebinding off a login-free local server.

use super::page;
use crate::support::{Backend, TestApp, problem};

/// The URL of `app.<hash>.<ext>` as the page names it.
fn asset_url(html: &str, ext: &str) -> String {
    html.split('"')
        .find(|part| part.starts_with("/assets/app.") && part.ends_with(&format!(".{ext}")))
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn assets_are_served_under_their_hash_for_a_year() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let home = page(&app, "/").await;
    for (ext, mime) in [
        ("css", "text/css; charset=utf-8"),
        ("js", "text/javascript; charset=utf-8"),
    ] {
        let url = asset_url(&home.body, ext);
        assert!(
            url.len() > "/assets/app..".len() + ext.len() + 9,
            "{url} carries a hash"
        );
        let res = app.get(&url).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], mime);
        assert_eq!(
            res.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        let etag = res.headers()["etag"].to_str().unwrap().to_owned();
        let revalidated = app
            .request(reqwest::Method::GET, &url)
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(revalidated.status(), 304);
    }
    let stale = app.get("/assets/app.0000000000.css").await;
    assert_eq!(
        stale.status(),
        404,
        "an old build's name is not served the new file"
    );
}

#[tokio::test]
async fn browsers_get_error_pages_and_the_api_keeps_problem_json() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let missing = page(&app, "/no-such-page").await;
    assert_eq!(
        (missing.status, missing.content_type.as_str()),
        (404, "text/html; charset=utf-8")
    );
    assert!(
        missing.csp.contains("style-src 'self'"),
        "the error page may load its stylesheet"
    );
    assert!(missing.body.contains("Request id"));
    problem(app.get("/no-such-page").await, 404).await;
    let api = app
        .request(reqwest::Method::GET, "/api/v1/no-such")
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    problem(api, 404).await;
    let docs = app.get("/api/docs/").await;
    assert_eq!(docs.status(), 200, "the API docs stay where they were");
}

#[tokio::test]
async fn only_addresses_localhost_and_configured_names_are_answered() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| {
        s.server.allowed_hosts = vec!["psma.home.arpa".to_owned()];
    })
    .await;
    let port = app.address.rsplit(':').next().unwrap().to_owned();
    let with_host = |host: String, path: &'static str| {
        app.request(reqwest::Method::GET, path)
            .header("host", host)
            .send()
    };
    let rebound = with_host(format!("attacker.example:{port}"), "/api/v1/shows")
        .await
        .unwrap();
    let body = problem(rebound, 421).await;
    assert_eq!(body["type"], "urn:psma:problem:misdirected");
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("server.allowed_hosts"),
        "{body}"
    );
    let page = with_host("attacker.example".to_owned(), "/").await.unwrap();
    assert_eq!(page.status(), 421);
    for ok in [
        format!("localhost:{port}"),
        format!("psma.home.arpa:{port}"),
        format!("[::1]:{port}"),
        "10.1.2.3".to_owned(),
    ] {
        let res = with_host(ok.clone(), "/api/v1/me").await.unwrap();
        assert_eq!(res.status(), 200, "{ok}");
    }
    let probe = with_host("attacker.example".to_owned(), "/health")
        .await
        .unwrap();
    assert_eq!(
        probe.status(),
        200,
        "probes answer whatever name an orchestrator uses"
    );
}
