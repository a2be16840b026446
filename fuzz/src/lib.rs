//! # psma-fuzz — what the fuzz targets share
//!
//! The fixed inputs of an import (the bundled service registry, a fixed clock) and
//! [`check_import`], the invariants every result of
//! [`psma_plugin_manual_import::parse`] must keep, whatever bytes it was given. The targets in
//! `fuzz_targets/` feed libFuzzer's bytes to the parser and hand the result here; a broken
//! invariant panics, which libFuzzer records as a crash.
//!
//! **Invariant:** depends on the plugins and the plugin SDK only; never part of the
//! root workspace (it has its own `[workspace]` and lockfile).

use psma_plugin_manual_import::{Imported, MAX_PROBLEMS, Problem};
use psma_plugin_sdk::chrono::{DateTime, TimeZone, Utc};
use psma_plugin_sdk::contract::FactValidator;
use psma_plugin_sdk::text::ShowKey;
use psma_plugin_sdk::{Fact, ServiceRegistry};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

static REGISTRY: LazyLock<ServiceRegistry> = LazyLock::new(|| match ServiceRegistry::bundled() {
    Ok(registry) => registry,
    Err(e) => panic!("the bundled service registry does not load: {e}"),
});

static VALIDATOR: LazyLock<FactValidator> = LazyLock::new(|| match FactValidator::new() {
    Ok(validator) => validator,
    Err(e) => panic!("the fact schema does not compile: {e}"),
});

/// The service registry imports are checked against: the one PSMA ships.
///
/// # Panics
/// If the bundled registry does not load (the SDK's tests rule that out).
#[must_use]
pub fn registry() -> &'static ServiceRegistry {
    &REGISTRY
}

/// The import's "now": fixed, so a crash reproduces exactly.
///
/// # Panics
/// Never: the date is a constant and valid.
#[must_use]
pub fn now() -> DateTime<Utc> {
    match Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0) {
        psma_plugin_sdk::chrono::LocalResult::Single(t) => t,
        _ => DateTime::UNIX_EPOCH,
    }
}

/// What the caller knows the accepted result must carry.
#[derive(Debug, Clone, Copy)]
pub struct Expect<'a> {
    /// The source id the facts must belong to, when the input alone does not decide it.
    pub source_id: Option<&'a str>,
    /// The `retrieved_at` every fact must have, when the input alone does not decide it.
    pub retrieved_at: Option<DateTime<Utc>>,
}

/// Asserts the invariants of an import's result.
///
/// Refused: at least one and at most [`MAX_PROBLEMS`] problems, none reported twice, each saying
/// where and what (and naming a field, when it names one, by a non-empty name).
///
/// Accepted: every fact belongs to the import's source and has one common `retrieved_at`; passes
/// [`Fact::validate`] and the JSON Schema PSMA checks provider facts against before storing
/// them; names only services the registry knows; refers only to shows the same import defines;
/// and no two facts share a [`Fact::key`] (duplicates are refused, not silently merged).
///
/// # Panics
/// When an invariant is broken: that is the point.
pub fn check_import(result: &Result<Imported, Vec<Problem>>, expect: Expect<'_>) {
    match result {
        Err(problems) => check_problems(problems),
        Ok(imported) => check_imported(imported, expect),
    }
}

/// Asserts that fact number `i` of a result is one PSMA would store: it keeps the fact rules,
/// passes the provider-facts JSON Schema, and names only services the registry knows.
///
/// # Panics
/// When it does not.
pub fn check_fact(i: usize, fact: &Fact) {
    if let Err(errors) = fact.validate() {
        panic!("accepted fact {i} breaks the fact rules: {errors:?}\n{fact:?}");
    }
    let document = match psma_plugin_sdk::serde_json::to_value(fact) {
        Ok(document) => document,
        Err(e) => panic!("accepted fact {i} does not serialise: {e}\n{fact:?}"),
    };
    if let Err(errors) = VALIDATOR.validate(&document) {
        panic!("accepted fact {i} breaks the fact schema: {errors:?}\n{document}");
    }
    if let Some(service) = fact.service_id() {
        assert!(
            registry().contains(service.as_str()),
            "fact {i} names an unknown service: {fact:?}"
        );
    }
}

fn check_problems(problems: &[Problem]) {
    assert!(!problems.is_empty(), "a refusal must report a problem");
    assert!(
        problems.len() <= MAX_PROBLEMS,
        "{} problems reported, at most {MAX_PROBLEMS} allowed",
        problems.len()
    );
    let mut seen = BTreeSet::new();
    for problem in problems {
        assert!(
            seen.insert((&problem.location, &problem.field, &problem.message)),
            "reported twice: {problem:?}"
        );
        assert!(!problem.location.is_empty(), "no location: {problem:?}");
        assert!(!problem.message.is_empty(), "no message: {problem:?}");
        if let Some(field) = &problem.field {
            assert!(!field.is_empty(), "an empty field name: {problem:?}");
        }
    }
}

fn check_imported(imported: &Imported, expect: Expect<'_>) {
    if let Some(source) = expect.source_id {
        assert_eq!(imported.source_id.as_str(), source, "the import's source");
    }
    let shows: BTreeSet<&ShowKey> = imported
        .facts
        .iter()
        .filter_map(|f| match f {
            Fact::ShowIdentity(s) => Some(&s.show),
            _ => None,
        })
        .collect();
    let mut keys = BTreeMap::new();
    let mut retrieved_at = expect.retrieved_at;
    for (i, fact) in imported.facts.iter().enumerate() {
        let provenance = fact.provenance();
        assert_eq!(
            provenance.source_id, imported.source_id,
            "fact {i} belongs to another source: {fact:?}"
        );
        match retrieved_at {
            Some(at) => assert_eq!(provenance.retrieved_at, at, "fact {i}'s retrieved_at"),
            None => retrieved_at = Some(provenance.retrieved_at),
        }
        check_fact(i, fact);
        if !matches!(fact, Fact::ShowIdentity(_))
            && let Some(show) = fact.show()
        {
            assert!(
                shows.contains(show),
                "fact {i} refers to a show the import does not define: {fact:?}"
            );
        }
        if let Some(first) = keys.insert(fact.key(), i) {
            panic!(
                "facts {first} and {i} share a key: {:?}\n{fact:?}",
                imported.facts[first]
            );
        }
    }
}
