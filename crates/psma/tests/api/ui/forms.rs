//! Forms: post-redirect-get, the form token, and cross-site posts refused — in local mode too,
//! where a login-free server on localhost is what a forged form would aim at.

use super::Browser;
use crate::support::{Backend, TestApp, audit_actions};

async fn a_show(app: &TestApp, q: &str) -> String {
    app.get_json(&format!("/api/v1/shows?q={q}")).await["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn the_first_visit_sets_the_form_token_and_every_form_carries_it() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| s.catalog.load_demo = None).await;
    let id = a_show(&app, "severance").await;
    let mut browser = Browser::new(&app);
    let res = app
        .request(reqwest::Method::GET, "/")
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.starts_with("psma_csrf=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax")
            && cookie.contains("Path=/"),
        "{cookie}"
    );
    let page = browser.get(&format!("/shows/{id}")).await;
    let token = browser.token();
    assert_eq!(token.len(), 43);
    assert!(page.body.contains(&format!(
        r#"<input type="hidden" name="_csrf" value="{token}">"#
    )));
    let again = browser.get("/").await;
    assert!(
        again.status == 200 && browser.token() == token,
        "the token lasts the visit"
    );
}

#[tokio::test]
async fn a_form_without_its_token_or_from_another_site_changes_nothing() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| s.catalog.load_demo = None).await;
    let id = a_show(&app, "severance").await;
    let mut browser = Browser::new(&app);
    browser.get(&format!("/shows/{id}")).await;
    let path = format!("/my-shows/{id}");
    let token = browser.token();

    let missing = browser
        .post_raw(&path, &[("watch_mode", "as_aired")], &[])
        .await;
    assert_eq!(missing.status(), 403);
    assert!(
        missing.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(missing.text().await.unwrap().contains("reload the page"));

    let wrong = browser
        .post_raw(
            &path,
            &[("_csrf", &"x".repeat(43)), ("watch_mode", "as_aired")],
            &[],
        )
        .await;
    assert_eq!(wrong.status(), 403);

    let cross_site = browser
        .post_raw(
            &path,
            &[("_csrf", &token), ("watch_mode", "as_aired")],
            &[("sec-fetch-site", "cross-site")],
        )
        .await;
    assert_eq!(
        cross_site.status(),
        403,
        "a valid token does not help a post from another site"
    );
    let foreign_origin = browser
        .post_raw(
            &path,
            &[("_csrf", &token), ("watch_mode", "as_aired")],
            &[("origin", "http://attacker.example")],
        )
        .await;
    assert_eq!(foreign_origin.status(), 403);

    let mut stranger = Browser::new(&app);
    stranger.get("/").await;
    let other_token = stranger.token();
    let swapped = browser
        .post_raw(
            &path,
            &[("_csrf", &other_token), ("watch_mode", "as_aired")],
            &[],
        )
        .await;
    assert_eq!(
        swapped.status(),
        403,
        "another visit's token is not this one's"
    );

    assert_eq!(
        app.get_json("/api/v1/my-shows").await["items"],
        serde_json::json!([])
    );
    assert!(!audit_actions(&app).await.iter().any(|a| a == "my_show.put"));

    let port = app.address.rsplit(':').next().unwrap();
    let same = browser
        .post_raw(
            &path,
            &[("_csrf", &token), ("watch_mode", "as_aired")],
            &[("origin", &format!("http://127.0.0.1:{port}"))],
        )
        .await;
    assert_eq!(
        same.status(),
        303,
        "the same origin with the token is accepted"
    );
}
