use crate::support::{TestApp, on_both_backends};

on_both_backends! {
    async fn health_answers_ok_and_echoes_a_given_request_id(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let res = app
            .request(reqwest::Method::GET, "/health")
            .header("x-request-id", "trace-42")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["x-request-id"], "trace-42");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["status"], "ok");
    }
}

on_both_backends! {
    async fn a_request_without_an_id_gets_a_generated_one(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let first = app.get("/health").await;
        let second = app.get("/api/v1/me").await;
        let a = first.headers()["x-request-id"].to_str().unwrap().to_owned();
        let b = second.headers()["x-request-id"].to_str().unwrap().to_owned();
        assert!(uuid::Uuid::parse_str(&a).is_ok(), "{a}");
        assert_ne!(a, b);
    }
}

on_both_backends! {
    async fn an_unsafe_request_id_is_replaced(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let res = app
            .request(reqwest::Method::GET, "/health")
            .header("x-request-id", "x".repeat(200))
            .send()
            .await
            .unwrap();
        let id = res.headers()["x-request-id"].to_str().unwrap();
        assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
    }
}
