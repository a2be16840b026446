//! The TVmaze plugin against a local mock of TVmaze's API, replaying recorded responses from
//! `tests/fixtures/`, and its failures.
#![expect(clippy::unwrap_used, reason = "test helpers fail the test loudly")]

use psma_plugin_sdk::futures_util::StreamExt;
use psma_plugin_sdk::serde_json::json;
use psma_plugin_sdk::testkit::{Conformance, deps};
use psma_plugin_sdk::text::{ExternalNamespace, ExternalValue, ShowKey, Title};
use psma_plugin_sdk::{
    Fact, Provider, ProviderError, ProviderErrorKind, ProviderFactory, Scope, ShowQuery,
};
use psma_plugin_tvmaze::TvmazeFactory;
use std::sync::Arc;
use std::time::Duration;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn json_body(name: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(fixture(name), "application/json; charset=UTF-8")
}

/// TVmaze with two shows, the lookups and searches that find them, and 404 for the rest.
async fn tvmaze() -> MockServer {
    let server = MockServer::start().await;
    for (id, file) in [
        (82, "show-82-embed-episodes.json"),
        (2993, "show-2993-embed-episodes.json"),
    ] {
        Mock::given(method("GET"))
            .and(path(format!("/shows/{id}")))
            .and(query_param("embed", "episodes"))
            .respond_with(json_body(file))
            .mount(&server)
            .await;
    }
    // TVmaze answers a lookup with a redirect to the show.
    Mock::given(method("GET"))
        .and(path("/lookup/shows"))
        .and(query_param("imdb", "tt4574334"))
        .respond_with(
            ResponseTemplate::new(301)
                .insert_header("location", format!("{}/shows/2993", server.uri())),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/shows/2993"))
        .respond_with(json_body("lookup-imdb-tt4574334.json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/singlesearch/shows"))
        .and(query_param("q", "Game of Thrones"))
        .respond_with(json_body("singlesearch-game-of-thrones.json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/search/shows"))
        .and(query_param("q", "thrones"))
        .respond_with(json_body("search-game-of-thrones.json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/shows/1"))
        .respond_with(json_body("lookup-imdb-tt4574334.json"))
        .mount(&server)
        .await;
    server
}

fn by_key(key: &str) -> Scope {
    Scope::Show(ShowQuery {
        key: Some(ShowKey::parse(key).unwrap()),
        ..ShowQuery::default()
    })
}

fn by_external(namespace: &str, value: &str) -> Scope {
    let mut query = ShowQuery::default();
    query.external_ids.insert(
        ExternalNamespace::parse(namespace).unwrap(),
        ExternalValue::parse(value).unwrap(),
    );
    Scope::Show(query)
}

fn by_title(title: &str, year: Option<i32>) -> Scope {
    Scope::Show(ShowQuery {
        title: Some(Title::parse(title).unwrap()),
        year,
        ..ShowQuery::default()
    })
}

fn provider(base_url: &str) -> Arc<dyn Provider> {
    TvmazeFactory
        .build(&json!({"base_url": base_url, "timeout_secs": 1}), deps())
        .unwrap()
}

async fn fetch(provider: &dyn Provider, scope: Scope) -> Vec<Result<Fact, ProviderError>> {
    provider.fetch(scope).collect().await
}

fn title_of(facts: &[Result<Fact, ProviderError>]) -> Option<String> {
    facts.iter().find_map(|f| match f {
        Ok(Fact::ShowIdentity(i)) => Some(i.title.to_string()),
        _ => None,
    })
}

#[tokio::test]
async fn the_plugin_passes_the_conformance_kit() {
    let server = tvmaze().await;
    let unauthorized = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&unauthorized)
        .await;
    let down = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&down)
        .await;
    Conformance::new(&TvmazeFactory)
        .config(json!({"base_url": server.uri()}))
        .scope(by_key("2993"))
        .bad_config(json!({"base_url": "ftp://example.org"}), "base_url")
        .bad_config(json!({"countries": ["usa"]}), "countries[0]")
        .bad_config(json!({"countries": []}), "countries")
        .bad_config(json!({"timeout_secs": 0}), "timeout_secs")
        .bad_config(json!({"api_key": "x"}), "api_key")
        .failing_config(
            json!({"base_url": unauthorized.uri()}),
            ProviderErrorKind::Auth,
        )
        .failing_config(json!({"base_url": down.uri()}), ProviderErrorKind::Upstream)
        .run()
        .await
        .assert_passed();
}

#[tokio::test]
async fn a_show_is_found_by_its_tvmaze_id_imdb_id_or_title_and_year() {
    let server = tvmaze().await;
    let tvmaze = provider(&server.uri());
    assert_eq!(
        title_of(&fetch(tvmaze.as_ref(), by_key("82")).await).as_deref(),
        Some("Game of Thrones")
    );
    assert_eq!(
        title_of(&fetch(tvmaze.as_ref(), by_external("tvmaze", "82")).await).as_deref(),
        Some("Game of Thrones")
    );
    let by_imdb = fetch(tvmaze.as_ref(), by_external("imdb", "tt4574334")).await;
    assert_eq!(title_of(&by_imdb).as_deref(), Some("Stranger Things"));
    assert!(
        by_imdb.iter().any(|f| matches!(f, Ok(Fact::Episode(_)))),
        "the episodes come along: {by_imdb:?}"
    );
    assert_eq!(
        title_of(&fetch(tvmaze.as_ref(), by_title("Game of Thrones", Some(2011))).await).as_deref(),
        Some("Game of Thrones")
    );
    // Same title, another decade: a different show, so nothing.
    assert!(
        fetch(tvmaze.as_ref(), by_title("Game of Thrones", Some(1995)))
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn an_unknown_show_yields_nothing() {
    let server = tvmaze().await;
    let tvmaze = provider(&server.uri());
    assert!(fetch(tvmaze.as_ref(), by_key("404404")).await.is_empty());
    assert!(
        fetch(tvmaze.as_ref(), by_external("imdb", "tt0000000"))
            .await
            .is_empty()
    );
    assert!(
        fetch(tvmaze.as_ref(), by_title("No Such Show", None))
            .await
            .is_empty()
    );
    // TMDB ids are not TVmaze's: nothing to look up without a title.
    assert!(
        fetch(tvmaze.as_ref(), by_external("tmdb", "tv:1399"))
            .await
            .is_empty()
    );
}

async fn failing_with(response: ResponseTemplate) -> ProviderError {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(response)
        .mount(&server)
        .await;
    let mut items = fetch(provider(&server.uri()).as_ref(), by_key("82")).await;
    assert_eq!(items.len(), 1, "{items:?}");
    items.remove(0).unwrap_err()
}

#[tokio::test]
async fn upstream_failures_are_typed_errors() {
    let limited = failing_with(ResponseTemplate::new(429).insert_header("retry-after", "7")).await;
    assert!(
        matches!(limited, ProviderError::RateLimited { retry_after: Some(d) } if d == Duration::from_secs(7)),
        "{limited}"
    );
    let broken = failing_with(ResponseTemplate::new(500)).await;
    assert!(
        matches!(
            broken,
            ProviderError::Upstream {
                status: Some(500),
                ..
            }
        ),
        "{broken}"
    );
    let refused = failing_with(ResponseTemplate::new(401)).await;
    assert_eq!(refused.kind(), ProviderErrorKind::Auth, "{refused}");
    let slow =
        failing_with(json_body("show-82-embed-episodes.json").set_delay(Duration::from_secs(3)))
            .await;
    assert!(
        matches!(&slow, ProviderError::Upstream { status: None, message } if message.contains("timed out")),
        "{slow}"
    );
    let mut cut = fixture("show-82-embed-episodes.json");
    cut.truncate(cut.len() / 2);
    let truncated =
        failing_with(ResponseTemplate::new(200).set_body_raw(cut, "application/json")).await;
    assert!(
        matches!(truncated, ProviderError::Malformed { .. }),
        "{truncated}"
    );
    let garbage = failing_with(
        ResponseTemplate::new(200).set_body_raw(b"<html>oops</html>".to_vec(), "text/html"),
    )
    .await;
    assert!(
        matches!(garbage, ProviderError::Malformed { .. }),
        "{garbage}"
    );
}

#[tokio::test]
async fn other_scopes_are_refused_as_configuration_errors() {
    let server = tvmaze().await;
    let items = fetch(provider(&server.uri()).as_ref(), Scope::All).await;
    assert!(
        matches!(&items[..], [Err(ProviderError::Config { field, .. })] if field == "scope"),
        "{items:?}"
    );
}

#[tokio::test]
async fn a_search_lists_candidates_best_first_that_fetch_by_their_key() {
    let server = tvmaze().await;
    let tvmaze = provider(&server.uri());
    assert!(tvmaze.spec().capabilities.search);
    let hits = tvmaze.search("thrones").await.unwrap();
    let found: Vec<(String, Option<i32>, String)> = hits
        .iter()
        .map(|h| (h.title.to_string(), h.year, h.show.to_string()))
        .collect();
    assert_eq!(
        found,
        [
            ("Game of Thrones".into(), Some(2011), "82".into()),
            (
                "Game of Thrones: The Last Watch".into(),
                Some(2019),
                "44778".into()
            )
        ]
    );
    assert_eq!(hits[0].provenance.source_id.as_str(), "tvmaze");
    let facts = fetch(tvmaze.as_ref(), by_key(hits[0].show.as_str())).await;
    assert_eq!(title_of(&facts).as_deref(), Some("Game of Thrones"));
    assert!(
        tvmaze.search("nothing matches").await.unwrap().is_empty(),
        "TVmaze answers 404: no hits"
    );
}
