//! The checks themselves. Each returns `Err(why)`; a panic inside the plugin is caught and
//! reported as a failure of the check that triggered it.

use super::{CheckResult, Conformance, Report, is_config_error_on};
use crate::contract::{FactValidator, provider_spec_schema};
use crate::error::ProviderError;
use crate::fact::{Fact, FactKind};
use crate::provider::{Provider, ProviderSpec, Scope, ScopeKind, ShowQuery};
use crate::text::ShowKey;
use futures_util::{FutureExt, StreamExt};
use std::collections::{BTreeMap, BTreeSet};
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

const SPEC: &str = "spec is valid";
const INSTANCE_SPEC: &str = "the built provider's spec is valid";
const GOOD_CONFIG: &str = "good config is accepted";
const BAD_CONFIG: &str = "bad config is reported clearly";
const CHECK: &str = "check passes";
const CONTRACT: &str = "every fact is valid against the contract";
const PROVENANCE: &str = "provenance is complete";
const STABLE: &str = "fact ids are stable across two runs";
const SCOPES: &str = "unsupported scopes are typed errors";
const TYPED: &str = "failures are typed errors";

type Outcome = Result<(), String>;

pub(super) async fn run(suite: Conformance<'_>) -> Report {
    let mut report = Report::default();
    let mut record = |name: &'static str, outcome: Outcome| {
        report.results.push(CheckResult {
            name,
            failure: outcome.err(),
        });
    };

    let spec = suite.factory.describe();
    record(SPEC, check_spec(suite.factory.id(), &spec));
    record(GOOD_CONFIG, check_config_schema(&spec, &suite.config));
    record(BAD_CONFIG, check_bad_configs(&suite, &spec));

    let provider = match build(&suite, &suite.config) {
        Ok(provider) => provider,
        Err(why) => {
            for name in [INSTANCE_SPEC, CHECK, CONTRACT, PROVENANCE, STABLE, SCOPES] {
                record(name, Err(format!("the good config did not build: {why}")));
            }
            record(TYPED, check_failures(&suite).await);
            return report;
        }
    };
    record(
        INSTANCE_SPEC,
        check_spec(provider.spec().id.as_str(), provider.spec()),
    );
    record(
        CHECK,
        guarded(provider.check())
            .await
            .and_then(|r| r.map_err(|e| e.to_string())),
    );

    let first = fetch(provider.as_ref(), suite.scope.clone()).await;
    match &first {
        Ok(facts) => {
            record(CONTRACT, check_contract(provider.spec(), facts));
            record(PROVENANCE, check_provenance(&suite, provider.spec(), facts));
            let second = fetch(provider.as_ref(), suite.scope.clone()).await;
            record(STABLE, second.and_then(|again| check_stable(facts, &again)));
        }
        Err(why) => {
            for name in [CONTRACT, PROVENANCE, STABLE] {
                record(name, Err(format!("fetching failed: {why}")));
            }
        }
    }
    record(SCOPES, check_unsupported_scopes(provider.as_ref()).await);
    let mut typed = check_unknown_show(provider.as_ref()).await;
    if typed.is_ok() {
        typed = check_failures(&suite).await;
    }
    record(TYPED, typed);
    report
}

fn check_spec(factory_id: &str, spec: &ProviderSpec) -> Outcome {
    let schema = provider_spec_schema().to_value();
    let document = serde_json::to_value(spec).map_err(|e| e.to_string())?;
    let validator = jsonschema::validator_for(&schema).map_err(|e| e.to_string())?;
    let errors: Vec<String> = validator
        .iter_errors(&document)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    if !errors.is_empty() {
        return Err(format!(
            "the spec breaks its contract: {}",
            errors.join("; ")
        ));
    }
    if spec.id.as_str() != factory_id {
        return Err(format!(
            "describe() says id `{}` but the factory's id is `{factory_id}`",
            spec.id
        ));
    }
    jsonschema::validator_for(&spec.config_schema)
        .map_err(|e| format!("config_schema is not a valid JSON Schema: {e}"))?;
    if spec.attribution.text.as_str().trim().is_empty() {
        return Err("attribution text is blank".to_owned());
    }
    if let Some(url) = &spec.attribution.url
        && !(url.as_str().starts_with("https://") || url.as_str().starts_with("http://"))
    {
        return Err(format!("attribution url `{url}` is not an http(s) URL"));
    }
    Ok(())
}

fn check_config_schema(spec: &ProviderSpec, config: &serde_json::Value) -> Outcome {
    let validator = jsonschema::validator_for(&spec.config_schema).map_err(|e| e.to_string())?;
    let errors: Vec<String> = validator
        .iter_errors(config)
        .map(|e| e.to_string())
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "config_schema refuses the good config: {}",
            errors.join("; ")
        ))
    }
}

fn check_bad_configs(suite: &Conformance<'_>, spec: &ProviderSpec) -> Outcome {
    if suite.bad_configs.is_empty() {
        return Err("give at least one bad config (`.bad_config(json, field)`)".to_owned());
    }
    let validator = jsonschema::validator_for(&spec.config_schema).map_err(|e| e.to_string())?;
    for (config, field) in &suite.bad_configs {
        if validator.is_valid(config) {
            return Err(format!(
                "config_schema accepts the bad config {config}; state the rule in the schema"
            ));
        }
        match build(suite, config) {
            Ok(_) => return Err(format!("the bad config {config} was accepted")),
            Err(BuildFailure::Refused(err)) if is_config_error_on(&err, field) => {}
            Err(BuildFailure::Refused(err)) => {
                return Err(format!(
                    "the bad config {config} gave `{err}`; expected a Config error on `{field}` with a message"
                ));
            }
            Err(BuildFailure::Panicked(why)) => {
                return Err(format!("building with {config} panicked: {why}"));
            }
        }
    }
    Ok(())
}

fn check_contract(spec: &ProviderSpec, facts: &[Fact]) -> Outcome {
    if facts.is_empty() {
        return Err("the good config yielded no facts; give it sample data".to_owned());
    }
    let validator = FactValidator::new()?;
    let declared: BTreeSet<FactKind> = spec.capabilities.fact_kinds.iter().copied().collect();
    for (index, fact) in facts.iter().enumerate() {
        let document = serde_json::to_value(fact).map_err(|e| e.to_string())?;
        if let Err(errors) = validator.validate(&document) {
            return Err(format!(
                "fact {index} breaks the contract: {}",
                join(&errors)
            ));
        }
        if let Err(errors) = fact.validate() {
            return Err(format!("fact {index} breaks a rule: {}", join(&errors)));
        }
        if !declared.contains(&fact.kind()) {
            return Err(format!(
                "fact {index} is a {} but capabilities.fact_kinds does not declare it",
                fact.kind().as_str()
            ));
        }
    }
    Ok(())
}

fn check_provenance(suite: &Conformance<'_>, spec: &ProviderSpec, facts: &[Fact]) -> Outcome {
    let now = suite.deps.clock.now();
    let mut identities = BTreeSet::new();
    for fact in facts {
        if let Fact::ShowIdentity(identity) = fact {
            identities.insert(identity.show.clone());
        }
    }
    let mut ids = BTreeSet::new();
    for (index, fact) in facts.iter().enumerate() {
        let provenance = fact.provenance();
        if provenance.source_id != spec.id {
            return Err(format!(
                "fact {index} has source_id `{}`, not the provider's id `{}`",
                provenance.source_id, spec.id
            ));
        }
        if provenance.retrieved_at > now + chrono::Duration::minutes(5) {
            return Err(format!(
                "fact {index} was retrieved at {}, after now ({now}); use the clock in PluginDeps",
                provenance.retrieved_at
            ));
        }
        if !(0.0..=1.0).contains(&provenance.confidence) {
            return Err(format!(
                "fact {index} has confidence {}",
                provenance.confidence
            ));
        }
        if let Some(show) = fact.show()
            && !identities.contains(show)
        {
            return Err(format!(
                "fact {index} is about show `{show}`, which has no show_identity fact in the same fetch"
            ));
        }
        if !ids.insert(fact.key()) {
            return Err(format!(
                "fact {index} repeats the natural key of an earlier fact ({} {})",
                fact.kind().as_str(),
                fact.key()
            ));
        }
    }
    Ok(())
}

fn check_stable(first: &[Fact], second: &[Fact]) -> Outcome {
    let digest = |facts: &[Fact]| -> BTreeMap<String, String> {
        facts
            .iter()
            .map(|f| (f.key().to_string(), f.content_hash().to_string()))
            .collect()
    };
    let (a, b) = (digest(first), digest(second));
    if a == b {
        return Ok(());
    }
    let only_first = a.keys().filter(|k| !b.contains_key(*k)).count();
    let only_second = b.keys().filter(|k| !a.contains_key(*k)).count();
    let changed = a
        .iter()
        .filter(|(k, v)| b.get(*k).is_some_and(|w| w != *v))
        .count();
    Err(format!(
        "two fetches of unchanged data differ: {only_first} ids only in the first, \
         {only_second} only in the second, {changed} with different content"
    ))
}

async fn check_unsupported_scopes(provider: &dyn Provider) -> Outcome {
    let supported: BTreeSet<ScopeKind> = provider
        .spec()
        .capabilities
        .scopes
        .iter()
        .copied()
        .collect();
    for scope in [
        Scope::All,
        Scope::Show(ShowQuery::default()),
        Scope::Country(crate::text::CountryCode::parse("US").map_err(|e| e.to_string())?),
    ] {
        if supported.contains(&scope.kind()) {
            continue;
        }
        match fetch(provider, scope.clone()).await {
            Err(why) if why.starts_with("configuration:") => {}
            Err(why) => {
                return Err(format!(
                    "an unsupported scope {:?} gave `{why}`, expected a Config error",
                    scope.kind()
                ));
            }
            Ok(_) => {
                return Err(format!(
                    "an unsupported scope {:?} was answered instead of refused",
                    scope.kind()
                ));
            }
        }
    }
    Ok(())
}

async fn check_unknown_show(provider: &dyn Provider) -> Outcome {
    if !provider
        .spec()
        .capabilities
        .scopes
        .contains(&ScopeKind::Show)
    {
        return Ok(());
    }
    let query = ShowQuery {
        key: ShowKey::parse("psma-conformance-no-such-show").ok(),
        ..ShowQuery::default()
    };
    match guarded(collect(provider, Scope::Show(query))).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(ProviderError::Malformed { .. })) | Err(_) => {
            Err("asking for an unknown show must yield nothing or a typed error".to_owned())
        }
        Ok(Err(_)) => Ok(()),
    }
}

async fn check_failures(suite: &Conformance<'_>) -> Outcome {
    for expected in &suite.failures {
        let provider = match build(suite, &expected.config) {
            Ok(provider) => provider,
            Err(BuildFailure::Refused(err)) if err.kind() == expected.kind => continue,
            Err(BuildFailure::Refused(err)) => {
                return Err(format!(
                    "{}: building failed with `{err}`, expected a {} error",
                    expected.config,
                    expected.kind.as_str()
                ));
            }
            Err(BuildFailure::Panicked(why)) => return Err(format!("building panicked: {why}")),
        };
        let checked = guarded(provider.check()).await?;
        let failure = match checked {
            Err(err) => err,
            Ok(()) => match guarded(collect(provider.as_ref(), suite.scope.clone())).await? {
                Err(err) => err,
                Ok(_) => {
                    return Err(format!(
                        "{}: check and fetch succeeded, expected a {} error",
                        expected.config,
                        expected.kind.as_str()
                    ));
                }
            },
        };
        if failure.kind() != expected.kind {
            return Err(format!(
                "{}: failed with `{failure}`, expected a {} error",
                expected.config,
                expected.kind.as_str()
            ));
        }
    }
    Ok(())
}

enum BuildFailure {
    Refused(ProviderError),
    Panicked(String),
}

impl std::fmt::Display for BuildFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Refused(err) => write!(f, "{err}"),
            Self::Panicked(why) => write!(f, "panicked: {why}"),
        }
    }
}

fn build(
    suite: &Conformance<'_>,
    config: &serde_json::Value,
) -> Result<Arc<dyn Provider>, BuildFailure> {
    std::panic::catch_unwind(AssertUnwindSafe(|| {
        suite.factory.build(config, suite.deps.clone())
    }))
    .map_err(|panic| BuildFailure::Panicked(panic_text(&*panic)))?
    .map_err(BuildFailure::Refused)
}

/// Collects a whole fetch, stopping at the first error.
async fn collect(provider: &dyn Provider, scope: Scope) -> Result<Vec<Fact>, ProviderError> {
    let mut stream = provider.fetch(scope);
    let mut facts = Vec::new();
    while let Some(item) = stream.next().await {
        facts.push(item?);
    }
    Ok(facts)
}

/// A fetch, with errors and panics as text.
async fn fetch(provider: &dyn Provider, scope: Scope) -> Result<Vec<Fact>, String> {
    guarded(collect(provider, scope))
        .await?
        .map_err(|e| e.to_string())
}

async fn guarded<T>(future: impl Future<Output = T>) -> Result<T, String> {
    AssertUnwindSafe(future)
        .catch_unwind()
        .await
        .map_err(|panic| format!("panicked: {}", panic_text(&*panic)))
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a non-text panic".to_owned())
}

fn join(errors: &[crate::fact::FieldError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}
