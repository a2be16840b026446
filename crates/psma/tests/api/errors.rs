use crate::support::{TestApp, on_both_backends, problem};
use reqwest::Method;

on_both_backends! {
    async fn an_unknown_route_is_a_404_problem(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let res = app.request(Method::GET, "/api/v1/nothing-here").header("x-request-id", "r404").send().await.unwrap();
        assert_eq!(res.headers()["x-request-id"], "r404");
        let body = problem(res, 404).await;
        assert_eq!(body["type"], "urn:psma:problem:not-found");
        assert_eq!(body["instance"], "/api/v1/nothing-here");
        assert_eq!(body["request_id"], "r404");
    }
}

on_both_backends! {
    async fn a_wrong_method_is_a_405_problem_with_allow(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let res = app.request(Method::DELETE, "/api/v1/me").send().await.unwrap();
        assert_eq!(res.headers()["allow"], "GET, PATCH");
        let body = problem(res, 405).await;
        assert_eq!(body["type"], "urn:psma:problem:method-not-allowed");
        let res = app.request(Method::POST, "/health").send().await.unwrap();
        problem(res, 405).await;
    }
}

on_both_backends! {
    async fn malformed_json_is_a_400_problem(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let res = app
            .request(Method::PATCH, "/api/v1/me")
            .header("content-type", "application/json")
            .body("{\"display_name\": ")
            .send()
            .await
            .unwrap();
        let body = problem(res, 400).await;
        assert_eq!(body["type"], "urn:psma:problem:malformed-json");
    }
}

on_both_backends! {
    async fn a_non_json_content_type_is_a_415_problem(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let res = app
            .request(Method::PATCH, "/api/v1/me")
            .header("content-type", "text/plain")
            .body("display_name=Ada")
            .send()
            .await
            .unwrap();
        let body = problem(res, 415).await;
        assert_eq!(body["type"], "urn:psma:problem:unsupported-media-type");
        let res = app.request(Method::PATCH, "/api/v1/me").body("{}").send().await.unwrap();
        problem(res, 415).await;
    }
}

on_both_backends! {
    async fn a_body_over_the_limit_is_a_413_problem(backend: Backend) {
        let app = TestApp::spawn_with(backend, |s| s.server.max_body_bytes = 1024).await;
        let big = serde_json::json!({ "display_name": "x".repeat(2048) });
        let body = problem(app.patch_json("/api/v1/me", &big).await, 413).await;
        assert_eq!(body["type"], "urn:psma:problem:payload-too-large");
        // Chunked, so no Content-Length to reject early: the limit holds while reading.
        let stream = futures_body("x".repeat(4096));
        let res = app
            .request(Method::PATCH, "/api/v1/me")
            .header("content-type", "application/json")
            .body(stream)
            .send()
            .await
            .unwrap();
        problem(res, 413).await;
    }
}

fn futures_body(text: String) -> reqwest::Body {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = text
        .into_bytes()
        .chunks(512)
        .map(|c| Ok(c.to_vec()))
        .collect();
    reqwest::Body::wrap_stream(futures_util::stream::iter(chunks))
}

on_both_backends! {
    async fn json_of_the_wrong_shape_is_a_422_naming_the_field(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let body = problem(app.patch_json("/api/v1/me", &serde_json::json!({ "display_name": 7 })).await, 422).await;
        assert_eq!(body["errors"][0]["field"], "display_name");
        let body = problem(app.patch_json("/api/v1/me", &serde_json::json!({ "nickname": "x" })).await, 422).await;
        assert_eq!(body["errors"][0]["field"], "nickname");
        assert!(body["detail"].as_str().unwrap().contains("unknown field"), "{body}");
    }
}
