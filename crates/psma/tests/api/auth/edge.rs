//! The edge: security headers on every response, CORS closed unless configured, request rate
//! limits per address and per household, bounded headers.

use super::support::{access_token, get_as, hosted_app_with, household_with_password};
use crate::support::{Backend, TestApp, problem};
use reqwest::Method;

fn assert_secured(res: &reqwest::Response, csp_start: &str) {
    let h = res.headers();
    assert_eq!(h["x-content-type-options"], "nosniff", "{}", res.url());
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert!(
        h["content-security-policy"]
            .to_str()
            .unwrap()
            .starts_with(csp_start),
        "{:?}",
        h["content-security-policy"]
    );
    assert!(
        h["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| {
        s.server.public_url = Some("https://psma.test".into())
    })
    .await;
    for path in [
        "/health",
        "/api/v1/me",
        "/api/v1/nothing-here",
        "/api/v1/openapi.json",
    ] {
        let res = app.get(path).await;
        assert_secured(&res, "default-src 'none'");
        assert_eq!(
            res.headers()["strict-transport-security"],
            "max-age=31536000; includeSubDomains"
        );
    }
    let docs = app.get("/api/docs/").await;
    assert_secured(&docs, "default-src 'self'");
    // A plain-http public address gets no HSTS.
    let plain = TestApp::spawn(Backend::Sqlite).await;
    assert!(
        plain
            .get("/health")
            .await
            .headers()
            .get("strict-transport-security")
            .is_none()
    );
}

async fn preflight(app: &TestApp, origin: &str) -> reqwest::Response {
    app.request(Method::OPTIONS, "/api/v1/me")
        .header("origin", origin)
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "authorization")
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn cors_is_closed_unless_origins_are_configured() {
    let closed = TestApp::spawn(Backend::Sqlite).await;
    let res = preflight(&closed, "https://evil.example").await;
    assert!(res.headers().get("access-control-allow-origin").is_none());

    let open = TestApp::spawn_with(Backend::Sqlite, |s| {
        s.server.cors_origins = vec!["https://app.example".into()]
    })
    .await;
    let res = preflight(&open, "https://app.example").await;
    assert!(res.status().is_success(), "{}", res.status());
    assert_eq!(
        res.headers()["access-control-allow-origin"],
        "https://app.example"
    );
    let res = preflight(&open, "https://evil.example").await;
    assert!(res.headers().get("access-control-allow-origin").is_none());
    let get = open
        .request(Method::GET, "/api/v1/me")
        .header("origin", "https://app.example")
        .send()
        .await
        .unwrap();
    assert_eq!(
        get.headers()["access-control-allow-origin"],
        "https://app.example"
    );
}

#[tokio::test]
async fn an_address_over_its_budget_gets_429_with_retry_after_but_probes_do_not() {
    let app = hosted_app_with(Backend::Sqlite, |s| {
        s.server.rate_limits.per_ip_per_minute = 6;
        s.server.rate_limits.per_ip_burst = 3;
    })
    .await;
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(app.get("/api/v1/services").await);
    }
    let refused = statuses
        .into_iter()
        .find(|r| r.status() == 429)
        .expect("one of five was refused");
    let wait: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=10).contains(&wait), "{wait}");
    assert!(
        refused.headers().contains_key("x-request-id"),
        "logged like any request"
    );
    let body = problem(refused, 429).await;
    assert_eq!(body["type"], "urn:psma:problem:throttled");
    assert_eq!(body["instance"], "/api/v1/services");
    for _ in 0..5 {
        assert_eq!(
            app.get("/health").await.status(),
            200,
            "probes are never limited"
        );
    }
}

#[tokio::test]
async fn a_household_over_its_budget_gets_429() {
    let app = hosted_app_with(Backend::Sqlite, |s| {
        s.server.rate_limits.per_tenant_per_minute = 6;
        s.server.rate_limits.per_tenant_burst = 3;
    })
    .await;
    household_with_password(&app, "home").await;
    let token = access_token(&app, "owner@home.test").await;
    let mut codes = Vec::new();
    for _ in 0..5 {
        codes.push(get_as(&app, "/api/v1/me", &token).await.status().as_u16());
    }
    assert!(codes.contains(&429), "{codes:?}");
    assert_eq!(codes[0], 200);
}

#[tokio::test]
async fn oversized_headers_are_refused() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let res = app
        .request(Method::GET, "/api/v1/me")
        .header("x-filler", "a".repeat(64 * 1024))
        .send()
        .await;
    let body = problem(res.unwrap(), 431).await;
    assert_eq!(body["type"], "urn:psma:problem:headers-too-large");
    let fine = app
        .request(Method::GET, "/api/v1/me")
        .header("x-filler", "a".repeat(8 * 1024))
        .send()
        .await
        .unwrap();
    assert_eq!(fine.status(), 200);
}
