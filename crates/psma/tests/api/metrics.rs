use crate::support::{TestApp, on_both_backends};

on_both_backends! {
    async fn metrics_count_requests_by_route_in_prometheus_text(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        app.get("/api/v1/me").await;
        app.get("/api/v1/does-not-exist").await;
        let res = app.get("/metrics").await;
        assert_eq!(res.status(), 200);
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
        let text = res.text().await.unwrap();
        assert!(text.contains("# TYPE http_requests_total counter"), "{text}");
        assert!(text.contains(r#"route="/api/v1/me""#), "{text}");
        assert!(text.contains(r#"route="unmatched""#), "unknown paths share one label: {text}");
        assert!(text.contains("http_request_duration_seconds_bucket"), "{text}");
    }
}
