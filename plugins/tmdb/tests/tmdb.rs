//! The TMDB plugin against a local mock of TMDB's API, replaying responses in TMDB's shape
//! from `tests/fixtures/`, and its failures.
#![expect(clippy::unwrap_used, reason = "test helpers fail the test loudly")]

use psma_plugin_sdk::futures_util::StreamExt;
use psma_plugin_sdk::serde_json::{self, Value, json};
use psma_plugin_sdk::testkit::{Conformance, deps};
use psma_plugin_sdk::text::{ExternalNamespace, ExternalValue, ShowKey, Title};
use psma_plugin_sdk::{
    Fact, Monetization, Provider, ProviderError, ProviderErrorKind, ProviderFactory, Scope,
    ShowQuery,
};
use psma_plugin_tmdb::TmdbFactory;
use std::sync::Arc;
use std::time::Duration;
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A v3 API key (32 hex digits, as TMDB issues them).
const V3_KEY: &str = "0123456789abcdef0123456789abcdef";

/// A v4 API read access token (a JWT; TMDB's are HS256 with the key's id inside).
const V4_TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiIwMTIzNDU2Nzg5YWJjZGVmIiwic2NvcGVzIjpbImFwaV9yZWFkIl19.c2lnbmF0dXJl";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn json_body(name: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(fixture(name), "application/json;charset=utf-8")
}

fn tmdb_404() -> ResponseTemplate {
    ResponseTemplate::new(404).set_body_json(json!({
        "success": false, "status_code": 34,
        "status_message": "The resource you requested could not be found."
    }))
}

const NO_MATCHES: &str = r#"{"movie_results":[],"person_results":[],"tv_results":[],"tv_episode_results":[],"tv_season_results":[]}"#;

/// TMDB with two shows, the finds and searches that reach them, and 404 for the rest.
async fn tmdb() -> MockServer {
    let server = MockServer::start().await;
    for (id, file) in [(1399, "tv-1399.json"), (1437, "tv-1437.json")] {
        Mock::given(method("GET"))
            .and(path(format!("/tv/{id}")))
            .and(query_param(
                "append_to_response",
                "external_ids,watch/providers",
            ))
            .respond_with(json_body(file))
            .mount(&server)
            .await;
    }
    for (id, source) in [("tt0944947", "imdb_id"), ("121361", "tvdb_id")] {
        Mock::given(method("GET"))
            .and(path(format!("/find/{id}")))
            .and(query_param("external_source", source))
            .respond_with(json_body("find-imdb-tt0944947.json"))
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/search/tv"))
        .and(query_param("query", "Game of Thrones"))
        .and(query_param("include_adult", "false"))
        .and(query_param("first_air_date_year", "2011"))
        .respond_with(json_body("search-tv-game-of-thrones.json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/search/tv"))
        .and(query_param("query", "thrones"))
        .and(query_param_is_missing("first_air_date_year"))
        .respond_with(json_body("search-tv-game-of-thrones.json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/authentication"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"success": true, "status_code": 1, "status_message": "Success."}),
        ))
        .mount(&server)
        .await;
    // What no mock above matches: no such show, no search hits.
    Mock::given(method("GET"))
        .and(path("/search/tv"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"page": 1, "results": [], "total_pages": 1, "total_results": 0}),
            ),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(tmdb_404())
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

fn config(base_url: &str, extra: Value) -> Value {
    let mut config = json!({"api_key": V3_KEY, "base_url": base_url, "timeout_secs": 1});
    for (key, value) in extra.as_object().unwrap() {
        config[key] = value.clone();
    }
    config
}

fn provider_with(base_url: &str, extra: Value) -> Arc<dyn Provider> {
    TmdbFactory.build(&config(base_url, extra), deps()).unwrap()
}

fn provider(base_url: &str) -> Arc<dyn Provider> {
    provider_with(base_url, json!({}))
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

/// `(country, service, monetization)` of every availability fact, in order.
fn offers(facts: &[Result<Fact, ProviderError>]) -> Vec<(String, String, Monetization)> {
    facts
        .iter()
        .filter_map(|f| match f {
            Ok(Fact::Availability(a)) => Some((
                a.country.to_string(),
                a.service_id.to_string(),
                a.monetization,
            )),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn the_plugin_passes_the_conformance_kit() {
    let server = tmdb().await;
    let unauthorized = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "success": false, "status_code": 7,
            "status_message": "Invalid API key: You must be granted a valid key."
        })))
        .mount(&unauthorized)
        .await;
    let down = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&down)
        .await;
    let good = json!({"api_key": V3_KEY, "base_url": server.uri(), "countries": ["US", "GB"]});
    Conformance::new(&TmdbFactory)
        .config(good)
        .scope(by_key("tv:1399"))
        .bad_config(json!({}), "api_key")
        .bad_config(json!({"api_key": ""}), "api_key")
        .bad_config(json!({"api_key": 42}), "api_key")
        .bad_config(
            json!({"api_key": V3_KEY, "base_url": "ftp://example.org"}),
            "base_url",
        )
        .bad_config(
            json!({"api_key": V3_KEY, "countries": ["usa"]}),
            "countries[0]",
        )
        .bad_config(json!({"api_key": V3_KEY, "countries": []}), "countries")
        .bad_config(
            json!({"api_key": V3_KEY, "timeout_secs": 0}),
            "timeout_secs",
        )
        .bad_config(json!({"api_key": V3_KEY, "region": "US"}), "region")
        .failing_config(
            json!({"api_key": V3_KEY, "base_url": unauthorized.uri()}),
            ProviderErrorKind::Auth,
        )
        .failing_config(
            json!({"api_key": V3_KEY, "base_url": down.uri()}),
            ProviderErrorKind::Upstream,
        )
        .run()
        .await
        .assert_passed();
}

#[tokio::test]
async fn a_show_is_found_by_its_tmdb_imdb_or_tvdb_id_or_by_title_and_year() {
    let server = tmdb().await;
    let tmdb = provider(&server.uri());
    for scope in [
        by_key("tv:1399"),
        by_external("tmdb", "tv:1399"),
        by_external("imdb", "tt0944947"),
        by_external("thetvdb", "121361"),
        by_title("Game of Thrones", Some(2011)),
    ] {
        let facts = fetch(tmdb.as_ref(), scope.clone()).await;
        assert_eq!(
            title_of(&facts).as_deref(),
            Some("Game of Thrones"),
            "{scope:?}: {facts:?}"
        );
        assert!(facts.iter().all(Result::is_ok), "{facts:?}");
    }
    // The ended show is there too, with its last episode.
    let firefly = fetch(tmdb.as_ref(), by_key("tv:1437")).await;
    assert_eq!(title_of(&firefly).as_deref(), Some("Firefly"));
    assert!(
        firefly
            .iter()
            .any(|f| matches!(f, Ok(Fact::Episode(e)) if (e.season, e.number) == (1, 12))),
        "{firefly:?}"
    );
    // Same title, another decade: TMDB finds nothing that premiered then, so nothing.
    assert!(
        fetch(tmdb.as_ref(), by_title("Game of Thrones", Some(1995)))
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn an_unknown_show_yields_nothing() {
    let server = tmdb().await;
    Mock::given(method("GET"))
        .and(path("/find/tt0000000"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(NO_MATCHES, "application/json"))
        .mount(&server)
        .await;
    let tmdb = provider(&server.uri());
    for scope in [
        // Deleted from TMDB: the details answer 404.
        by_key("tv:404404"),
        by_external("imdb", "tt0000000"),
        by_title("No Such Show", None),
        // Not a TMDB TV id: a movie's, and TVmaze's.
        by_external("tmdb", "movie:603"),
        by_key("82"),
        // Not an IMDb id: not worth a call.
        by_external("imdb", "../../tv/1399"),
    ] {
        let facts = fetch(tmdb.as_ref(), scope.clone()).await;
        assert!(facts.is_empty(), "{scope:?}: {facts:?}");
    }
}

#[tokio::test]
async fn watch_providers_map_to_registry_services_and_unknown_providers_keep_their_id() {
    let server = tmdb().await;
    let facts = fetch(
        provider_with(&server.uri(), json!({"countries": ["GB", "US"]})).as_ref(),
        by_key("tv:1399"),
    )
    .await;
    let offer = |c: &str, s: &str, m| (c.to_owned(), s.to_owned(), m);
    use Monetization::{Buy, Flatrate};
    assert_eq!(
        offers(&facts),
        [
            offer("GB", "unknown-tmdb-provider-29", Flatrate),
            offer("GB", "unknown-tmdb-provider-39", Flatrate),
            offer("GB", "apple-tv-store", Buy),
            offer("GB", "amazon-video", Buy),
            offer("US", "max", Flatrate),
            offer("US", "unknown-tmdb-provider-1825", Flatrate),
            offer("US", "apple-tv-store", Buy),
            offer("US", "google-tv", Buy),
            offer("US", "amazon-video", Buy),
            offer("US", "fandango-at-home", Buy),
        ]
    );
    // Unknown providers are never registry services, so the planner cannot plan on them.
    let services = deps().services;
    for (_, service, _) in offers(&facts) {
        assert_eq!(
            services.contains(&service),
            !service.starts_with("unknown-tmdb-provider-"),
            "{service}"
        );
    }
}

#[tokio::test]
async fn only_the_configured_countries_give_availability() {
    let server = tmdb().await;
    let us_only = fetch(provider(&server.uri()).as_ref(), by_key("tv:1399")).await;
    assert!(offers(&us_only).iter().all(|(c, ..)| c == "US"));
    assert_eq!(offers(&us_only).len(), 6);
    let de = fetch(
        provider_with(&server.uri(), json!({"countries": ["DE"]})).as_ref(),
        by_key("tv:1399"),
    )
    .await;
    assert_eq!(
        offers(&de),
        [(
            "DE".into(),
            "unknown-tmdb-provider-30".into(),
            Monetization::Flatrate
        )]
    );
    let firefly = fetch(
        provider_with(&server.uri(), json!({"countries": ["GB"]})).as_ref(),
        by_key("tv:1437"),
    )
    .await;
    assert!(offers(&firefly).is_empty(), "TMDB lists no GB providers");
    assert_eq!(title_of(&firefly).as_deref(), Some("Firefly"));
}

#[tokio::test]
async fn a_v3_key_goes_in_the_query_and_a_v4_token_in_a_bearer_header() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/tv/1399"))
        .and(query_param("api_key", V3_KEY))
        .respond_with(json_body("tv-1399.json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/tv/1437"))
        .and(query_param_is_missing("api_key"))
        .and(header("authorization", format!("Bearer {V4_TOKEN}")))
        .respond_with(json_body("tv-1437.json"))
        .mount(&server)
        .await;
    let v3 = fetch(provider(&server.uri()).as_ref(), by_key("tv:1399")).await;
    assert_eq!(title_of(&v3).as_deref(), Some("Game of Thrones"), "{v3:?}");
    let v4 = provider_with(&server.uri(), json!({"api_key": V4_TOKEN}));
    let facts = fetch(v4.as_ref(), by_key("tv:1437")).await;
    assert_eq!(title_of(&facts).as_deref(), Some("Firefly"), "{facts:?}");
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    let v3_request = &received[0];
    assert!(
        v3_request
            .url
            .query()
            .unwrap()
            .contains(&format!("api_key={V3_KEY}"))
    );
    assert!(!v3_request.headers.contains_key("authorization"));
    let v4_request = &received[1];
    assert_eq!(
        v4_request
            .headers
            .get("authorization")
            .unwrap()
            .to_str()
            .unwrap(),
        format!("Bearer {V4_TOKEN}")
    );
    assert!(
        !v4_request
            .url
            .query()
            .unwrap_or_default()
            .contains("api_key")
    );
}

async fn failing_with(api_key: &str, response: ResponseTemplate) -> ProviderError {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(response)
        .mount(&server)
        .await;
    let tmdb = provider_with(&server.uri(), json!({"api_key": api_key}));
    let mut items = fetch(tmdb.as_ref(), by_key("tv:1399")).await;
    assert_eq!(items.len(), 1, "{items:?}");
    items.remove(0).unwrap_err()
}

/// Every failure the brief names, for both kinds of key.
async fn failures(api_key: &str) -> Vec<ProviderError> {
    let refused = failing_with(
        api_key,
        ResponseTemplate::new(401).set_body_json(json!({
            "success": false, "status_code": 7,
            "status_message": "Invalid API key: You must be granted a valid key."
        })),
    )
    .await;
    assert!(
        matches!(&refused, ProviderError::Auth(m) if m.contains("Invalid API key")),
        "{refused}"
    );
    let limited = failing_with(
        api_key,
        ResponseTemplate::new(429).insert_header("retry-after", "7"),
    )
    .await;
    assert!(
        matches!(limited, ProviderError::RateLimited { retry_after: Some(d) } if d == Duration::from_secs(7)),
        "{limited}"
    );
    let broken = failing_with(api_key, ResponseTemplate::new(500)).await;
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
    let slow = failing_with(
        api_key,
        json_body("tv-1399.json").set_delay(Duration::from_secs(3)),
    )
    .await;
    assert!(
        matches!(&slow, ProviderError::Upstream { status: None, message } if message.contains("timed out")),
        "{slow}"
    );
    let mut cut = fixture("tv-1399.json");
    cut.truncate(cut.len() / 2);
    let truncated = failing_with(
        api_key,
        ResponseTemplate::new(200).set_body_raw(cut, "application/json"),
    )
    .await;
    assert!(
        matches!(&truncated, ProviderError::Malformed { location: Some(l), .. } if l == "TMDB TV details"),
        "{truncated}"
    );
    vec![refused, limited, broken, slow, truncated]
}

#[tokio::test]
async fn upstream_failures_are_typed_errors_that_never_show_the_key() {
    for key in [V3_KEY, V4_TOKEN] {
        for error in failures(key).await {
            let shown = format!("{error} {error:?}");
            assert!(!shown.contains(key), "{shown}");
        }
    }
    // A body of the wrong shape names the field.
    let mut body: Value = serde_json::from_slice(&fixture("tv-1399.json")).unwrap();
    body["watch/providers"]["results"]["US"]["flatrate"][0]["provider_id"] = json!("1899");
    let wrong = failing_with(V3_KEY, ResponseTemplate::new(200).set_body_json(body)).await;
    assert!(
        matches!(&wrong, ProviderError::Malformed { field: Some(f), .. }
            if f == "watch/providers.results.US.flatrate[0].provider_id"),
        "{wrong:?}"
    );
    // An unreachable host: the URL in reqwest's error would carry a v3 key; it is not shown.
    let gone = provider_with("http://127.0.0.1:9", json!({}));
    let items = fetch(gone.as_ref(), by_key("tv:1399")).await;
    let [Err(err @ ProviderError::Upstream { .. })] = &items[..] else {
        panic!("{items:?}")
    };
    assert!(!format!("{err} {err:?}").contains(V3_KEY), "{err}");
    assert!(
        err.to_string()
            .contains("GET http://127.0.0.1:9/tv/1399?append_to_response="),
        "{err}"
    );
}

#[tokio::test]
async fn the_key_is_not_in_the_debug_output_of_anything_the_plugin_shows() {
    let server = tmdb().await;
    for key in [V3_KEY, V4_TOKEN] {
        let tmdb = provider_with(&server.uri(), json!({"api_key": key}));
        let spec = format!("{:?}", tmdb.spec());
        assert!(!spec.contains(key), "{spec}");
        let facts = format!("{:?}", fetch(tmdb.as_ref(), by_key("tv:1399")).await);
        assert!(!facts.contains(key));
    }
    let refused = TmdbFactory
        .build(&json!({"api_key": "has a space"}), deps())
        .err()
        .unwrap();
    assert!(
        !format!("{refused} {refused:?}").contains("has a space"),
        "{refused}"
    );
}

#[tokio::test]
async fn check_proves_the_key_works() {
    let server = tmdb().await;
    provider(&server.uri()).check().await.unwrap();
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(tmdb_404())
        .mount(&elsewhere)
        .await;
    let err = provider(&elsewhere.uri()).check().await.unwrap_err();
    assert!(
        matches!(
            err,
            ProviderError::Upstream {
                status: Some(404),
                ..
            }
        ),
        "{err}"
    );
}

#[tokio::test]
async fn other_scopes_are_refused_as_configuration_errors() {
    let server = tmdb().await;
    let items = fetch(provider(&server.uri()).as_ref(), Scope::All).await;
    assert!(
        matches!(&items[..], [Err(ProviderError::Config { field, .. })] if field == "scope"),
        "{items:?}"
    );
}

#[tokio::test]
async fn the_spec_says_what_tmdb_needs_and_asks() {
    let spec = TmdbFactory.describe();
    assert_eq!(spec.id.as_str(), "tmdb");
    assert_eq!(spec.display_name.as_str(), "TMDB");
    assert!(spec.capabilities.needs_credentials && spec.capabilities.search);
    assert_eq!(
        spec.attribution.text.as_str(),
        "This product uses the TMDB API but is not endorsed or certified by TMDB. \
         Where-to-watch data provided by JustWatch."
    );
    assert_eq!(
        spec.attribution.url.as_ref().unwrap().as_str(),
        "https://www.themoviedb.org"
    );
    let limit = spec.rate_limit.unwrap();
    assert_eq!((limit.requests, limit.per_secs), (40, 1));
    let server = tmdb().await;
    let built = provider_with(&server.uri(), json!({"countries": ["GB", "US"]}));
    let countries: Vec<&str> = built
        .spec()
        .capabilities
        .countries
        .iter()
        .map(|c| c.as_str())
        .collect();
    assert_eq!(countries, ["GB", "US"]);
}

#[tokio::test]
async fn a_search_lists_candidates_best_first_that_fetch_by_their_key() {
    let server = tmdb().await;
    let tmdb = provider(&server.uri());
    let hits = tmdb.search("thrones").await.unwrap();
    let found: Vec<(String, Option<i32>, String, Vec<String>)> = hits
        .iter()
        .map(|h| {
            (
                h.title.to_string(),
                h.year,
                h.show.to_string(),
                h.genres.iter().map(ToString::to_string).collect(),
            )
        })
        .collect();
    let hit = |t: &str, y, k: &str, g: &[&str]| {
        (
            t.to_owned(),
            y,
            k.to_owned(),
            g.iter().map(|s| (*s).to_owned()).collect(),
        )
    };
    assert_eq!(
        found,
        [
            hit(
                "Game of Thrones",
                Some(2011),
                "tv:1399",
                &["Sci-Fi & Fantasy", "Drama", "Action & Adventure"]
            ),
            hit(
                "Game of Thrones: The Last Watch",
                Some(2019),
                "tv:94605",
                &["Documentary"]
            ),
            hit("Game of Thrones Reunion Special", None, "tv:251441", &[]),
        ]
    );
    assert_eq!(hits[0].provenance.source_id.as_str(), "tmdb");
    assert_eq!(
        hits[0]
            .external_ids
            .get(&ExternalNamespace::parse("tmdb").unwrap())
            .map(|v| v.as_str()),
        Some("tv:1399")
    );
    let facts = fetch(tmdb.as_ref(), by_key(hits[0].show.as_str())).await;
    assert_eq!(title_of(&facts).as_deref(), Some("Game of Thrones"));
    assert!(tmdb.search("nothing matches").await.unwrap().is_empty());
}
