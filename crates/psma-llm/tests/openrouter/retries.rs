//! Failures of the transport: refusals, waits, retries, timeouts, an absent server.

use super::{ENDPOINT, KEY, answer, client, fails, request, requests_seen, server_answering};
use psma_core::advice::llm::{LlmClient, LlmFailureKind};
use psma_llm::{ApiKey, OpenRouter, OpenRouterConfig};
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

#[tokio::test]
async fn a_401_is_unauthorized_and_not_asked_again() {
    let server = server_answering(vec![
        answer(401, "error-401.json"),
        answer(200, "chat-good.json"),
    ])
    .await;
    let failure = fails(&server, 2).await;
    assert_eq!(failure.kind, LlmFailureKind::Unauthorized, "{failure}");
    assert!(
        failure.detail.contains("No auth credentials found"),
        "{failure}"
    );
    assert_eq!(requests_seen(&server).await, 1);
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out_then_answered() {
    let server = server_answering(vec![
        answer(429, "error-429.json").insert_header("retry-after", "1"),
        answer(200, "chat-good.json"),
    ])
    .await;
    let answer = client(&server, Duration::from_secs(5), 2)
        .complete(&request())
        .await
        .unwrap();
    assert_eq!(answer.meta.attempts, 2);
    assert_eq!(requests_seen(&server).await, 2);
}

#[tokio::test]
async fn a_429_that_persists_is_rate_limited_after_max_retries() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(ENDPOINT))
        .respond_with(answer(429, "error-429.json").insert_header("retry-after", "0"))
        .mount(&server)
        .await;
    let failure = fails(&server, 2).await;
    assert_eq!(failure.kind, LlmFailureKind::RateLimited, "{failure}");
    assert!(failure.detail.contains("Rate limit exceeded"), "{failure}");
    assert_eq!(
        requests_seen(&server).await,
        3,
        "the first try and two more"
    );
}

#[tokio::test]
async fn a_500_is_asked_again_and_the_second_answer_kept() {
    let server = server_answering(vec![
        answer(500, "error-500.json"),
        answer(200, "chat-good.json"),
    ])
    .await;
    let answer = client(&server, Duration::from_secs(5), 1)
        .complete(&request())
        .await
        .unwrap();
    assert_eq!(answer.meta.attempts, 2);
    assert_eq!(
        answer.value["summary"],
        "Watch Severance after the season ends"
    );
}

#[tokio::test]
async fn a_server_slower_than_the_timeout_is_a_timeout_and_not_asked_again() {
    let server = server_answering(vec![
        answer(200, "chat-good.json").set_delay(Duration::from_secs(5)),
        answer(200, "chat-good.json"),
    ])
    .await;
    let failure = client(&server, Duration::from_millis(200), 2)
        .complete(&request())
        .await
        .unwrap_err();
    assert_eq!(failure.kind, LlmFailureKind::Timeout, "{failure}");
    assert_eq!(requests_seen(&server).await, 1);
}

#[tokio::test]
async fn a_server_that_is_not_there_is_unavailable() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let failure = OpenRouter::new(OpenRouterConfig {
        base_url: format!("http://127.0.0.1:{port}/v1"),
        model: "local-model".to_owned(),
        api_key: ApiKey::parse(KEY).unwrap(),
        timeout: Duration::from_secs(2),
        max_retries: 0,
    })
    .unwrap()
    .complete(&request())
    .await
    .unwrap_err();
    assert_eq!(failure.kind, LlmFailureKind::Unavailable, "{failure}");
}
