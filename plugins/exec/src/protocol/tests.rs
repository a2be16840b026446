use super::*;
use psma_plugin_sdk::chrono::TimeZone;
use psma_plugin_sdk::text::Title;
use psma_plugin_sdk::{
    Fact, FactKind, ProviderErrorKind, RateLimit, ScopeKind, ServiceRegistry, ShowQuery,
};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
}

fn text(line: &str) -> RawLine {
    RawLine::Text(line.as_bytes().to_vec())
}

fn read(line: &str, kinds: &[FactKind]) -> Option<Result<Fact, ProviderError>> {
    let services = ServiceRegistry::bundled().unwrap();
    let source = SourceId::parse("scripted").unwrap();
    let rules = FactRules {
        source_id: &source,
        now: now(),
        services: &services,
        kinds,
    };
    read_item(&rules, 7, &text(line))
}

fn refused(line: &str) -> (Option<String>, String) {
    match read(line, &FactKind::ALL) {
        Some(Err(ProviderError::Malformed {
            location,
            field,
            message,
        })) => {
            assert_eq!(location.as_deref(), Some("line 7"));
            (field, message)
        }
        other => panic!("expected a malformed record, got {other:?}"),
    }
}

const IDENTITY: &str = r#"{"kind":"show_identity","show":"lantern","title":"The Lantern Keepers","show_type":"tv","provenance":{"confidence":0.9}}"#;

#[test]
fn a_bare_fact_gets_the_providers_source_and_the_fetchs_time() {
    let fact = read(IDENTITY, &FactKind::ALL).unwrap().unwrap();
    assert_eq!(fact.provenance().source_id.as_str(), "scripted");
    assert_eq!(fact.provenance().retrieved_at, now());
    assert!((fact.provenance().confidence - 0.9).abs() < f64::EPSILON);
}

#[test]
fn a_fact_message_is_the_same_fact() {
    let wrapped = format!(r#"{{"type":"fact","fact":{IDENTITY}}}"#);
    assert_eq!(
        read(&wrapped, &FactKind::ALL).unwrap().unwrap(),
        read(IDENTITY, &FactKind::ALL).unwrap().unwrap()
    );
}

#[test]
fn a_given_source_and_time_are_kept_when_they_are_right() {
    let line = r#"{"kind":"show_identity","show":"x","title":"X","show_type":"movie","provenance":{"source_id":"scripted","retrieved_at":"2026-11-01T08:00:00Z","confidence":1}}"#;
    let fact = read(line, &FactKind::ALL).unwrap().unwrap();
    assert_eq!(
        fact.provenance().retrieved_at,
        Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap()
    );
}

#[test]
fn another_source_is_refused() {
    let line = r#"{"kind":"show_identity","show":"x","title":"X","show_type":"tv","provenance":{"source_id":"tmdb","confidence":1}}"#;
    let (field, message) = refused(line);
    assert_eq!(field.as_deref(), Some("provenance.source_id"));
    assert!(message.contains("`scripted`"), "{message}");
}

#[test]
fn contract_violations_name_the_field() {
    let (field, message) = refused(
        r#"{"kind":"availability","show":"x","service_id":"netflix","country":"usa","monetization":"flatrate","provenance":{"confidence":1}}"#,
    );
    assert_eq!(field.as_deref(), Some("country"), "{message}");
    let (field, _) = refused(r#"{"kind":"show_identity","show":"x","title":"X","show_type":"tv"}"#);
    assert_eq!(field.as_deref(), Some("provenance"));
    let (field, _) = refused(
        r#"{"kind":"show_identity","show":"x","title":"X","show_type":"tv","provenance":{"confidence":1},"rating":5}"#,
    );
    assert!(field.is_some());
    let (field, message) = refused(
        r#"{"kind":"show_identity","show":"x","title":"X","show_type":"tv","year":1700,"provenance":{"confidence":1}}"#,
    );
    assert_eq!(field.as_deref(), Some("year"), "{message}");
    let (field, message) = refused(
        r#"{"kind":"availability","show":"x","service_id":"netflix","country":"US","monetization":"flatrate","available_from":"2026-05-01","available_until":"2026-04-01","provenance":{"confidence":1}}"#,
    );
    assert_eq!(field.as_deref(), Some("available_until"), "{message}");
}

#[test]
fn unknown_services_and_kinds_are_refused() {
    let (field, message) = refused(
        r#"{"kind":"availability","show":"x","service_id":"blockbuster","country":"US","monetization":"flatrate","provenance":{"confidence":1}}"#,
    );
    assert_eq!(field.as_deref(), Some("service_id"));
    assert!(message.contains("unknown service `blockbuster`") && message.contains("netflix"));
    let (field, _) = refused(r#"{"kind":"rumour","provenance":{"confidence":1}}"#);
    assert_eq!(field.as_deref(), Some("kind"));
    match read(IDENTITY, &[FactKind::Availability]) {
        Some(Err(ProviderError::Malformed { field, message, .. })) => {
            assert_eq!(field.as_deref(), Some("kind"));
            assert!(message.contains("not among the kinds"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn garbage_is_a_malformed_record_naming_what_it_is() {
    assert!(refused("hello").1.starts_with("not JSON"));
    assert!(refused("{\"kind\": ").1.starts_with("not JSON"));
    assert_eq!(refused("[1, 2]").1, "JSON an array, not an object");
    assert!(refused("{}").1.contains("neither a fact"));
    assert!(
        refused(r#"{"type":"facts"}"#)
            .1
            .contains("unknown type `facts`")
    );
    assert!(refused(r#"{"type":3}"#).1.contains("`type` is 3"));
    assert!(
        refused(r#"{"type":"fact"}"#)
            .1
            .contains("without a `fact` object")
    );
    match read("x", &FactKind::ALL) {
        Some(Err(e)) => assert_eq!(e.kind(), ProviderErrorKind::Malformed),
        other => panic!("{other:?}"),
    }
}

#[test]
fn blank_log_spec_and_ok_lines_yield_nothing_in_a_read() {
    for line in [
        "",
        "   \t",
        r#"{"type":"log","level":"warn","message":"slow upstream"}"#,
        r#"{"type":"log"}"#,
        r#"{"type":"spec","display_name":"X"}"#,
        r#"{"type":"ok"}"#,
    ] {
        assert!(read(line, &FactKind::ALL).is_none(), "{line}");
    }
}

#[test]
fn a_byte_order_mark_on_the_first_line_is_skipped() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(br#"{"type":"ok"}"#);
    assert_eq!(message(1, &RawLine::Text(bytes.clone())), Message::Ok);
    assert!(matches!(
        message(2, &RawLine::Text(bytes)),
        Message::Invalid(_)
    ));
}

#[test]
fn a_line_that_was_too_long_is_malformed() {
    match message(3, &RawLine::TooLong(5_000_000)) {
        Message::Invalid(why) => assert!(why.contains("5000000 bytes"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn declared_errors_become_typed_errors() {
    let error = |line: &str, in_read: bool| match message(4, &text(line)) {
        Message::Error(declared) => declared.into_error(4, in_read),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        error(
            r#"{"type":"error","kind":"config","field":"api_key","message":"missing"}"#,
            false
        ),
        ProviderError::config("config.api_key", "missing")
    );
    assert_eq!(
        error(r#"{"type":"error","kind":"config","message":"bad"}"#, false),
        ProviderError::config("config", "bad")
    );
    assert_eq!(
        error(
            r#"{"type":"error","kind":"auth","message":"token refused"}"#,
            false
        ),
        ProviderError::Auth("token refused".to_owned())
    );
    assert_eq!(
        error(
            r#"{"type":"error","kind":"rate_limited","retry_after_secs":2.5}"#,
            true
        ),
        ProviderError::RateLimited {
            retry_after: Some(Duration::from_secs(3))
        }
    );
    assert_eq!(
        error(
            r#"{"type":"error","kind":"rate_limited","retry_after_secs":-1}"#,
            true
        ),
        ProviderError::RateLimited { retry_after: None }
    );
    assert_eq!(
        error(
            r#"{"type":"error","kind":"upstream","status":503,"message":"down"}"#,
            true
        ),
        ProviderError::Upstream {
            status: Some(503),
            message: "down".to_owned()
        }
    );
    assert_eq!(
        error(
            r#"{"type":"error","kind":"malformed","message":"bad row","location":"row 9","field":"date"}"#,
            true
        ),
        ProviderError::Malformed {
            location: Some("row 9".to_owned()),
            field: Some("date".to_owned()),
            message: "bad row".to_owned()
        }
    );
    assert_eq!(
        error(
            r#"{"type":"error","kind":"malformed","message":"bad row"}"#,
            true
        ),
        ProviderError::malformed("line 4", None, "bad row")
    );
    assert_eq!(
        error(
            r#"{"type":"error","kind":"malformed","message":"bad"}"#,
            false
        )
        .kind(),
        ProviderErrorKind::Upstream
    );
    let ProviderError::Upstream { message, .. } = error(r#"{"type":"error"}"#, true) else {
        panic!("an error without a kind is upstream");
    };
    assert!(message.contains("without a message"));
    let ProviderError::Upstream { message, .. } =
        error(r#"{"type":"error","kind":"oops","message":"m"}"#, true)
    else {
        panic!("an unknown kind is upstream");
    };
    assert!(message.contains("`oops`"), "{message}");
}

#[test]
fn long_messages_are_shortened() {
    let long = "x".repeat(10_000);
    let line = format!(r#"{{"type":"error","kind":"auth","message":"{long}"}}"#);
    let Message::Error(declared) = message(1, &text(&line)) else {
        panic!("an error");
    };
    let ProviderError::Auth(message) = declared.into_error(1, true) else {
        panic!("auth");
    };
    assert!(message.chars().count() <= MAX_MESSAGE_CHARS + 1);
}

#[test]
fn requests_carry_the_protocol_the_source_and_the_scope() {
    let config = Config::from_json(&json!({
        "exec": ["x"], "source_id": "scripted", "config": {"country": "US"}
    }))
    .unwrap();
    let spec: Value = serde_json::from_slice(&spec_request(&config.source_id)).unwrap();
    assert_eq!(
        spec,
        json!({"type": "spec", "protocol": 1, "source_id": "scripted"})
    );
    let check: Value = serde_json::from_slice(&check_request(&config)).unwrap();
    assert_eq!(check["config"], json!({"country": "US"}));
    let mut query = ShowQuery {
        title: Some(Title::parse("Severance").unwrap()),
        ..ShowQuery::default()
    };
    query
        .external_ids
        .insert("imdb".parse().unwrap(), "tt11280740".parse().unwrap());
    let bytes = read_request(&config, &Scope::Show(query), now());
    assert_eq!(bytes.last(), Some(&b'\n'));
    assert_eq!(bytes.iter().filter(|&&b| b == b'\n').count(), 1, "one line");
    let read: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(read["type"], "read");
    assert_eq!(read["now"], "2026-11-22T12:00:00Z");
    assert_eq!(
        read["scope"],
        json!({"kind": "show", "key": null, "external_ids": {"imdb": "tt11280740"},
               "title": "Severance", "year": null})
    );
    assert_eq!(scope_json(&Scope::All), json!({"kind": "all"}));
    assert_eq!(
        scope_json(&Scope::Country("GB".parse().unwrap())),
        json!({"kind": "country", "country": "GB"})
    );
}

fn source() -> SourceId {
    SourceId::parse("my_list").unwrap()
}

#[test]
fn a_program_that_declares_nothing_gets_the_defaults() {
    let (spec, schema) = provider_spec(None, &source()).unwrap();
    assert_eq!(spec.id.as_str(), "my_list");
    assert_eq!(spec.display_name.as_str(), "my_list");
    assert_eq!(spec.capabilities.scopes, [ScopeKind::All]);
    assert_eq!(spec.capabilities.fact_kinds, FactKind::ALL);
    assert_eq!(spec.attribution.text.as_str(), "Data from my_list");
    assert_eq!(spec.min_refresh_interval_secs, DEFAULT_MIN_REFRESH_SECS);
    assert!(schema.is_none());
}

#[test]
fn a_declared_spec_is_taken_but_never_its_id() {
    let declared = json!({
        "type": "spec",
        "id": "something_else",
        "display_name": "My list",
        "version": "2.1",
        "capabilities": {"scopes": ["show", "all", "show"], "fact_kinds": ["show_identity"],
                         "countries": ["US"], "needs_credentials": true},
        "attribution": "Listings by me",
        "min_refresh_interval_secs": 3600,
        "rate_limit": {"requests": 10, "per_secs": 60},
        "config_schema": {"type": "object", "properties": {"country": {"type": "string"}}}
    });
    let (spec, schema) = provider_spec(Some(declared), &source()).unwrap();
    assert_eq!(spec.id.as_str(), "my_list");
    assert_eq!(spec.display_name.as_str(), "My list");
    assert_eq!(spec.version.as_str(), "2.1");
    assert_eq!(spec.capabilities.scopes, [ScopeKind::Show, ScopeKind::All]);
    assert!(spec.capabilities.needs_credentials);
    assert_eq!(spec.attribution.text.as_str(), "Listings by me");
    assert_eq!(
        spec.rate_limit,
        Some(RateLimit {
            requests: 10,
            per_secs: 60
        })
    );
    assert_eq!(
        spec.config_schema["properties"]["config"]["properties"]["country"]["type"],
        "string"
    );
    assert!(schema.is_some());
}

#[test]
fn a_wrong_spec_says_what_is_wrong() {
    let why = |declared: Value| provider_spec(Some(declared), &source()).unwrap_err();
    assert!(why(json!({"capabilites": {}})).contains("unknown field `capabilites`"));
    assert!(
        why(json!({"capabilities": {"scopes": ["everything"]}})).contains("capabilities.scopes[0]")
    );
    assert!(why(json!({"capabilities": {"scopes": []}})).contains("capabilities.scopes"));
    assert!(why(json!({"capabilities": {"fact_kinds": []}})).contains("fact_kinds"));
    assert!(why(json!({"capabilities": {"search": true}})).contains("cannot search"));
    assert!(why(json!({"display_name": ""})).contains("display_name"));
    assert!(why(json!({"rate_limit": {"requests": 0, "per_secs": 1}})).contains("rate_limit"));
    assert!(
        why(json!({"attribution": {"text": "x", "url": "ftp://x"}})).contains("attribution.url")
    );
    assert!(why(json!({"config_schema": {"type": 5}})).contains("config_schema"));
    assert!(why(json!({"config_schema": true})).contains("config_schema"));
    assert!(provider_spec(Some(json!([1])), &source()).is_err());
}

#[test]
fn the_programs_config_is_checked_against_its_schema() {
    let schema = json!({
        "type": "object",
        "properties": {"country": {"type": "string", "pattern": "^[A-Z]{2}$"},
                       "lists": {"type": "array", "items": {"type": "string"}}},
        "required": ["country"]
    });
    check_program_config(&schema, &json!({"country": "US"})).unwrap();
    let field = |config: Value| match check_program_config(&schema, &config) {
        Err(ProviderError::Config { field, .. }) => field,
        other => panic!("{other:?}"),
    };
    assert_eq!(field(json!({"country": "usa"})), "config.country");
    assert_eq!(field(json!({})), "config");
    assert_eq!(
        field(json!({"country": "US", "lists": ["a", 1]})),
        "config.lists[1]"
    );
}
