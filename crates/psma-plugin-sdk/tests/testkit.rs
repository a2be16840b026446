//! The conformance kit itself: a well-behaved plugin passes every check, and each kind of
//! misbehaviour fails the check meant to catch it.
#![expect(clippy::unwrap_used, reason = "test helpers fail the test loudly")]

use psma_plugin_sdk::fact::{Availability, Monetization, Provenance, ShowIdentity, ShowType};
use psma_plugin_sdk::serde_json::{Value, json};
use psma_plugin_sdk::testkit::Conformance;
use psma_plugin_sdk::text::{CountryCode, LongText, ServiceId, ShowKey, SourceId, Title};
use psma_plugin_sdk::{
    Attribution, Capabilities, Fact, FactKind, FactStream, PluginDeps, Provider, ProviderError,
    ProviderErrorKind, ProviderFactory, ProviderSpec, Scope, ScopeKind, async_trait,
};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flaw {
    None,
    RandomKeys,
    WrongSource,
    PanicsOnCheck,
    AcceptsBadConfig,
    DanglingShow,
    AnswersUnsupportedScope,
    FutureTimestamps,
}

struct Factory(Flaw);

struct Fake {
    flaw: Flaw,
    spec: ProviderSpec,
    shows: u32,
    deps: PluginDeps,
    fetches: AtomicU32,
}

fn spec() -> ProviderSpec {
    ProviderSpec {
        id: SourceId::parse("fake").unwrap(),
        display_name: Title::parse("Fake source").unwrap(),
        version: "1.0".parse().unwrap(),
        capabilities: Capabilities {
            scopes: vec![ScopeKind::All],
            fact_kinds: vec![FactKind::ShowIdentity, FactKind::Availability],
            countries: vec![],
            needs_credentials: false,
            search: false,
        },
        config_schema: json!({
            "type": "object",
            "properties": {"shows": {"type": "integer", "minimum": 1}},
            "required": ["shows"],
            "additionalProperties": false
        }),
        attribution: Attribution {
            text: LongText::parse("Data by nobody").unwrap(),
            url: Some("https://example.org".parse().unwrap()),
            license: None,
        },
        min_refresh_interval_secs: 3600,
        rate_limit: None,
    }
}

impl ProviderFactory for Factory {
    fn id(&self) -> &'static str {
        "fake"
    }

    fn describe(&self) -> ProviderSpec {
        spec()
    }

    fn build(&self, config: &Value, deps: PluginDeps) -> Result<Arc<dyn Provider>, ProviderError> {
        let shows = config.get("shows").and_then(Value::as_u64);
        let shows = match (shows, self.0) {
            (Some(n), _) if n >= 1 => u32::try_from(n).unwrap(),
            (_, Flaw::AcceptsBadConfig) => 1,
            _ => return Err(ProviderError::config("shows", "must be a positive integer")),
        };
        Ok(Arc::new(Fake {
            flaw: self.0,
            spec: spec(),
            shows,
            deps,
            fetches: AtomicU32::new(0),
        }))
    }
}

#[async_trait]
impl Provider for Fake {
    fn spec(&self) -> &ProviderSpec {
        &self.spec
    }

    async fn check(&self) -> Result<(), ProviderError> {
        assert!(self.flaw != Flaw::PanicsOnCheck, "boom");
        Ok(())
    }

    fn fetch(&self, scope: Scope) -> FactStream<'_> {
        if scope != Scope::All && self.flaw != Flaw::AnswersUnsupportedScope {
            return Box::pin(futures_util::stream::iter([Err(ProviderError::config(
                "scope",
                "only `all` is supported",
            ))]));
        }
        let run = self.fetches.fetch_add(1, Ordering::SeqCst);
        let mut now = self.deps.clock.now();
        if self.flaw == Flaw::FutureTimestamps {
            now += chrono::Duration::days(1);
        }
        let source = if self.flaw == Flaw::WrongSource {
            "other"
        } else {
            "fake"
        };
        let provenance = Provenance {
            source_id: SourceId::parse(source).unwrap(),
            retrieved_at: now,
            confidence: 0.8,
            source_ref: None,
        };
        let mut facts = Vec::new();
        for n in 0..self.shows {
            let key = if self.flaw == Flaw::RandomKeys {
                format!("show-{n}-{run}")
            } else {
                format!("show-{n}")
            };
            let show = ShowKey::parse(&key).unwrap();
            if self.flaw != Flaw::DanglingShow {
                facts.push(Ok(Fact::ShowIdentity(ShowIdentity {
                    provenance: provenance.clone(),
                    show: show.clone(),
                    title: Title::parse(&format!("Show {n}")).unwrap(),
                    year: Some(2024),
                    show_type: ShowType::Tv,
                    external_ids: BTreeMap::new(),
                    overview: None,
                    genres: vec![],
                })));
            }
            facts.push(Ok(Fact::Availability(Availability {
                provenance: provenance.clone(),
                show,
                service_id: ServiceId::parse("netflix").unwrap(),
                country: CountryCode::parse("US").unwrap(),
                monetization: Monetization::Flatrate,
                available_from: None,
                available_until: None,
            })));
        }
        Box::pin(futures_util::stream::iter(facts))
    }
}

async fn run(flaw: Flaw) -> psma_plugin_sdk::testkit::Report {
    Conformance::new(&Factory(flaw))
        .config(json!({"shows": 3}))
        .bad_config(json!({}), "shows")
        .bad_config(json!({"shows": 0}), "shows")
        .run()
        .await
}

#[tokio::test]
async fn a_well_behaved_plugin_passes_every_check() {
    let report = run(Flaw::None).await;
    report.assert_passed();
    assert!(report.results.len() >= 9, "{report}");
}

#[tokio::test]
async fn each_misbehaviour_fails_the_check_meant_for_it() {
    for (flaw, check) in [
        (Flaw::RandomKeys, "fact ids are stable across two runs"),
        (Flaw::WrongSource, "provenance is complete"),
        (Flaw::FutureTimestamps, "provenance is complete"),
        (Flaw::DanglingShow, "provenance is complete"),
        (Flaw::PanicsOnCheck, "check passes"),
        (Flaw::AcceptsBadConfig, "bad config is reported clearly"),
        (
            Flaw::AnswersUnsupportedScope,
            "unsupported scopes are typed errors",
        ),
    ] {
        let report = run(flaw).await;
        assert!(
            report.failed(check),
            "{flaw:?} should fail `{check}`:\n{report}"
        );
    }
}

#[tokio::test]
async fn an_expected_failure_must_have_the_declared_kind() {
    // The fake never fails for a good config, so declaring a failing config is itself a failure.
    let report = Conformance::new(&Factory(Flaw::None))
        .config(json!({"shows": 1}))
        .bad_config(json!({}), "shows")
        .failing_config(json!({"shows": 2}), ProviderErrorKind::Auth)
        .run()
        .await;
    assert!(report.failed("failures are typed errors"), "{report}");
}
