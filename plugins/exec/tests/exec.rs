//! The exec plugin running real programs: the Python example, and scripts in
//! `tests/fixtures/` that crash, print garbage, claim another source, hang, print an enormous
//! line or refuse their credentials.
#![expect(clippy::unwrap_used, reason = "test helpers fail the test loudly")]

use psma_plugin_exec::{ExecFactory, facts_from_output};
use psma_plugin_sdk::chrono::{TimeZone, Utc};
use psma_plugin_sdk::futures_util::StreamExt;
use psma_plugin_sdk::serde_json::{Value, json};
use psma_plugin_sdk::testkit::deps;
use psma_plugin_sdk::text::{ShowKey, SourceId};
use psma_plugin_sdk::{
    Fact, FactKind, Provider, ProviderError, ProviderErrorKind, ProviderFactory, Scope,
    ServiceRegistry, ShowQuery,
};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn path(relative: &str) -> String {
    format!("{}/{relative}", env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> String {
    path(&format!("tests/fixtures/{name}"))
}

fn build(config: Value) -> Result<Arc<dyn Provider>, ProviderError> {
    ExecFactory.build(&config, deps())
}

fn provider(config: Value) -> Arc<dyn Provider> {
    build(config).unwrap()
}

async fn fetch(provider: &dyn Provider) -> Vec<Result<Fact, ProviderError>> {
    provider.fetch(Scope::All).collect().await
}

fn config_error(result: Result<Arc<dyn Provider>, ProviderError>) -> (String, String) {
    match result {
        Err(ProviderError::Config { field, message }) => (field, message),
        Err(other) => panic!("expected a configuration error, got {other}"),
        Ok(_) => panic!("expected a configuration error, got a provider"),
    }
}

fn upstream_message(item: &Result<Fact, ProviderError>) -> &str {
    match item {
        Err(ProviderError::Upstream { message, .. }) => message,
        other => panic!("expected an upstream error, got {other:?}"),
    }
}

fn malformed_at(item: &Result<Fact, ProviderError>) -> (&str, Option<&str>, &str) {
    match item {
        Err(ProviderError::Malformed {
            location,
            field,
            message,
        }) => (
            location.as_deref().unwrap(),
            field.as_deref(),
            message.as_str(),
        ),
        other => panic!("expected a malformed record, got {other:?}"),
    }
}

#[tokio::test]
async fn the_example_runs_by_its_shebang_and_its_facts_arrive() {
    let example = provider(json!({
        "exec": [path("examples/episodes.py")],
        "source_id": "lantern",
        "config": {"country": "GB"}
    }));
    let spec = example.spec();
    assert_eq!(spec.id.as_str(), "lantern");
    assert_eq!(spec.display_name.as_str(), "Lantern listings");
    assert_eq!(
        spec.capabilities.fact_kinds,
        [
            FactKind::ShowIdentity,
            FactKind::Availability,
            FactKind::Episode
        ]
    );
    assert_eq!(
        spec.config_schema["properties"]["config"]["properties"]["country"]["pattern"],
        "^[A-Z]{2}$"
    );
    example.check().await.unwrap();

    let facts: Vec<Fact> = fetch(example.as_ref())
        .await
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    let kinds: Vec<FactKind> = facts.iter().map(Fact::kind).collect();
    assert_eq!(
        kinds,
        [
            FactKind::ShowIdentity,
            FactKind::Availability,
            FactKind::Episode,
            FactKind::Episode
        ]
    );
    let now = Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap();
    for fact in &facts {
        assert_eq!(fact.provenance().source_id.as_str(), "lantern");
        assert_eq!(
            fact.provenance().retrieved_at,
            now,
            "PSMA's clock stamps it"
        );
    }
    let Fact::Availability(availability) = &facts[1] else {
        panic!("an availability");
    };
    assert_eq!(
        availability.country.as_str(),
        "GB",
        "from the program's config"
    );
    assert_eq!(availability.service_id.as_str(), "netflix");
}

#[tokio::test]
async fn a_relative_path_resolves_against_the_working_directory() {
    // Cargo runs tests in the crate's directory.
    let example = provider(json!({"exec": ["python3", "examples/episodes.py"]}));
    assert_eq!(
        example.spec().id.as_str(),
        "exec",
        "without PSMA, the factory's id"
    );
    assert_eq!(fetch(example.as_ref()).await.len(), 4);
}

#[tokio::test]
async fn the_programs_settings_are_checked_against_the_schema_it_declares() {
    let (field, message) = config_error(build(json!({
        "exec": ["python3", path("examples/episodes.py")],
        "config": {"country": "Britain"}
    })));
    assert_eq!(field, "config.country");
    assert!(message.contains("Britain"), "{message}");
}

#[tokio::test]
async fn a_scope_the_program_does_not_declare_is_refused_without_running_it() {
    let example = provider(json!({"exec": ["python3", path("examples/episodes.py")]}));
    let items: Vec<_> = example
        .fetch(Scope::Show(ShowQuery::default()))
        .collect()
        .await;
    assert!(
        matches!(&items[..], [Err(ProviderError::Config { field, .. })] if field == "scope"),
        "{items:?}"
    );
}

#[tokio::test]
async fn a_crash_is_the_runs_error_with_the_end_of_stderr() {
    let crashing = provider(json!({"exec": ["sh", fixture("crash.sh")]}));
    crashing.check().await.unwrap();
    let items = fetch(crashing.as_ref()).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(items[0].is_ok(), "what came before the crash is yielded");
    let message = upstream_message(&items[1]);
    assert!(message.contains("exited with status 3"), "{message}");
    assert!(
        message.contains("ConnectionError: upstream is down"),
        "{message}"
    );
}

#[tokio::test]
async fn a_program_killed_by_a_signal_is_reported_so() {
    let killed = provider(json!({
        "exec": ["sh", fixture("crash.sh")],
        "env": {"CRASH": "signal"}
    }));
    let items = fetch(killed.as_ref()).await;
    let message = upstream_message(items.last().unwrap());
    assert!(
        message.contains("killed by signal 9 (SIGKILL)"),
        "{message}"
    );
    assert!(message.contains("upstream is down"), "{message}");
}

#[tokio::test]
async fn garbage_lines_are_counted_and_the_facts_between_them_kept() {
    let noisy = provider(json!({"exec": ["python3", fixture("garbage.py")]}));
    let items = fetch(noisy.as_ref()).await;
    let facts: Vec<&Fact> = items.iter().filter_map(|i| i.as_ref().ok()).collect();
    assert_eq!(facts.len(), 3, "{items:?}");
    let errors: Vec<(&str, Option<&str>, &str)> = items
        .iter()
        .filter(|i| i.is_err())
        .map(malformed_at)
        .collect();
    let lines: Vec<&str> = errors.iter().map(|(line, _, _)| *line).collect();
    assert_eq!(lines, ["line 2", "line 4", "line 5", "line 8"]);
    assert!(errors[0].2.starts_with("not JSON"), "{:?}", errors[0]);
    assert!(
        errors[3].2.contains("unknown type `bogus`"),
        "{:?}",
        errors[3]
    );
}

#[tokio::test]
async fn a_fact_from_another_source_is_refused_and_the_next_one_kept() {
    let impostor = provider(json!({
        "exec": ["sh", fixture("wrong_source.sh")],
        "source_id": "mine"
    }));
    let items = fetch(impostor.as_ref()).await;
    assert_eq!(items.len(), 2);
    let (line, field, message) = malformed_at(&items[0]);
    assert_eq!((line, field), ("line 1", Some("provenance.source_id")));
    assert!(
        message.contains("\"tmdb\"") && message.contains("`mine`"),
        "{message}"
    );
    assert_eq!(
        items[1].as_ref().unwrap().provenance().source_id.as_str(),
        "mine"
    );
}

#[cfg(target_os = "linux")]
fn is_gone(pid: &str) -> bool {
    // A zombie keeps its /proc entry until it is reaped.
    !std::path::Path::new(&format!("/proc/{pid}")).exists()
}

#[tokio::test]
async fn a_hanging_program_is_killed_at_its_timeout_and_reaped() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pid");
    let hanging = provider(json!({
        "exec": ["python3", fixture("hang.py")],
        "timeout_secs": 1,
        "config": {"pid_file": pid_file}
    }));
    let started = Instant::now();
    let items = fetch(hanging.as_ref()).await;
    let took = started.elapsed();
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert!(took >= Duration::from_secs(1), "took {took:?}");
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(items[0].is_ok(), "what came before the hang is yielded");
    let message = upstream_message(&items[1]);
    assert!(
        message.contains("did not answer `read` within 1 s and was killed"),
        "{message}"
    );
    assert!(message.contains("never answers"), "{message}");
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    assert!(pid.parse::<u32>().is_ok(), "{pid}");
    #[cfg(target_os = "linux")]
    assert!(is_gone(&pid), "process {pid} is still there");
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn dropping_a_fetch_kills_the_program() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pid");
    let hanging = provider(json!({
        "exec": ["python3", fixture("hang.py")],
        "config": {"pid_file": pid_file}
    }));
    let mut stream = hanging.fetch(Scope::All);
    assert!(stream.next().await.unwrap().is_ok());
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    assert!(!is_gone(&pid), "running while it is read");
    drop(stream);
    let until = Instant::now() + Duration::from_secs(5);
    while !is_gone(&pid) && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(is_gone(&pid), "process {pid} outlived its fetch");
}

#[tokio::test]
async fn a_program_hanging_on_spec_fails_the_build_at_its_timeout() {
    let started = Instant::now();
    let (field, message) = config_error(build(json!({
        "exec": ["python3", fixture("hang.py")],
        "timeout_secs": 1,
        "env": {"HANG_IN": "spec"}
    })));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(field, "exec");
    assert!(
        message.contains("did not answer `spec` within 1 s"),
        "{message}"
    );
}

#[tokio::test]
async fn a_process_left_behind_does_not_keep_the_read_open() {
    let parent = provider(json!({"exec": ["sh", fixture("leaves_child.sh")]}));
    let started = Instant::now();
    let items = fetch(parent.as_ref()).await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(items[0].is_ok());
}

#[tokio::test]
async fn an_enormous_line_is_skipped_and_reading_goes_on() {
    let huge = provider(json!({"exec": ["python3", fixture("huge_line.py")]}));
    let items = fetch(huge.as_ref()).await;
    assert_eq!(items.len(), 2, "{items:?}");
    let (line, _, message) = malformed_at(&items[0]);
    assert_eq!(line, "line 1");
    assert!(message.contains("over the limit of 1048576"), "{message}");
    assert!(items[1].is_ok());
}

#[tokio::test]
async fn a_check_error_is_the_kind_the_program_says() {
    let refused = provider(json!({"exec": ["sh", fixture("check_error.sh")]}));
    assert_eq!(
        refused.check().await,
        Err(ProviderError::Auth("the token was refused".to_owned()))
    );
    let items = fetch(refused.as_ref()).await;
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0].as_ref().unwrap_err().kind(),
        ProviderErrorKind::Auth
    );
}

#[tokio::test]
async fn an_error_that_is_not_about_one_record_ends_the_read() {
    let limited = provider(json!({"exec": ["sh", fixture("fatal_error.sh")]}));
    let items = fetch(limited.as_ref()).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(items[0].is_ok());
    assert_eq!(
        items[1],
        Err(ProviderError::RateLimited {
            retry_after: Some(Duration::from_secs(30))
        })
    );
}

#[tokio::test]
async fn a_command_that_does_not_work_fails_the_build_naming_exec() {
    let (field, message) = config_error(build(json!({"exec": ["sh", fixture("spec_garbage.sh")]})));
    assert_eq!(field, "exec");
    assert!(
        message.contains("line 1") && message.contains("not JSON"),
        "{message}"
    );

    let (field, message) = config_error(build(json!({"exec": ["/no/such/program"]})));
    assert_eq!(field, "exec");
    assert!(
        message.contains("cannot start `/no/such/program`"),
        "{message}"
    );

    // The fixtures are not executable: the kernel refuses to run one directly.
    let (field, message) = config_error(build(json!({"exec": [fixture("crash.sh")]})));
    assert_eq!(field, "exec");
    assert!(message.contains("chmod +x"), "{message}");
}

#[tokio::test]
async fn the_program_gets_the_request_and_its_environment() {
    let echo = provider(json!({
        "exec": ["python3", fixture("echo.py")],
        "source_id": "echoes",
        "env": {"GREETING": "hello", "COUNT": 3},
        "config": {"lists": ["watchlist"], "depth": 2}
    }));
    let scope = Scope::Show(ShowQuery {
        key: Some(ShowKey::parse("tt-42").unwrap()),
        year: Some(2024),
        ..ShowQuery::default()
    });
    let items: Vec<_> = echo.fetch(scope).collect().await;
    let Ok(Fact::ShowIdentity(identity)) = &items[0] else {
        panic!("{items:?}");
    };
    let request: Value =
        psma_plugin_sdk::serde_json::from_str(identity.overview.as_ref().unwrap().as_str())
            .unwrap();
    assert_eq!(
        request,
        json!({
            "type": "read",
            "protocol": 1,
            "source_id": "echoes",
            "config": {"lists": ["watchlist"], "depth": 2},
            "scope": {"kind": "show", "key": "tt-42", "external_ids": {}, "title": null, "year": 2024},
            "now": "2026-11-22T12:00:00Z"
        })
    );
    let environment: Vec<&str> = identity.genres.iter().map(|g| g.as_str()).collect();
    assert_eq!(
        environment,
        [
            "GREETING=hello",
            "PSMA_EXEC_REQUEST=read",
            "PSMA_SOURCE_ID=echoes",
            "PSMA_EXEC_PROTOCOL=1"
        ]
    );
}

#[test]
fn the_reader_keeps_facts_and_counts_what_is_not_one() {
    let services = ServiceRegistry::bundled().unwrap();
    let source = SourceId::parse("scripted").unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap();
    let output = concat!(
        r#"{"kind":"show_identity","show":"a","title":"A","show_type":"tv","provenance":{"confidence":1}}"#,
        "\nnot json\r\n\n",
        r#"{"type":"error","kind":"malformed","message":"row 3 has no title"}"#,
        "\n",
        r#"{"type":"error","kind":"upstream","message":"page 2 failed"}"#,
        "\n",
        r#"{"kind":"show_identity","show":"b","title":"B","show_type":"tv","provenance":{"confidence":1}}"#,
    );
    let items = facts_from_output(output.as_bytes(), &source, now, &services);
    assert_eq!(items.len(), 4, "{items:?}");
    assert!(items[0].is_ok());
    assert_eq!(malformed_at(&items[1]).0, "line 2");
    assert_eq!(
        malformed_at(&items[2]),
        ("line 4", None, "row 3 has no title")
    );
    assert_eq!(
        upstream_message(&items[3]),
        "page 2 failed",
        "and nothing after it"
    );
}
