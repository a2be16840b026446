//! The generated contracts: they compile, they agree with the Rust types and checks, and facts
//! round-trip through them.
#![expect(clippy::unwrap_used, reason = "test helpers fail the test loudly")]

use proptest::prelude::*;
use psma_plugin_sdk::contract::{
    FactValidator, fact_schema, provider_spec_schema, service_registry_schema,
};
use psma_plugin_sdk::testkit::arbitrary;
use psma_plugin_sdk::text::{
    CountryCode, Decimal, ExternalValue, Label, ServiceId, ShowKey, SourceId, Title,
};
use psma_plugin_sdk::{Fact, ServiceRegistry};
use schemars::JsonSchema;
use serde_json::{Value, json};

fn availability() -> Value {
    json!({
        "kind": "availability",
        "provenance": {"source_id": "demo", "retrieved_at": "2026-11-22T12:00:00Z", "confidence": 0.9},
        "show": "severance",
        "service_id": "apple-tv-plus",
        "country": "US",
        "monetization": "flatrate",
        "available_from": "2022-02-18",
        "available_until": null
    })
}

#[test]
fn every_contract_schema_compiles() {
    for schema in [
        fact_schema(),
        provider_spec_schema(),
        service_registry_schema(),
    ] {
        jsonschema::validator_for(&schema.to_value()).unwrap();
    }
    FactValidator::new().unwrap();
}

#[test]
fn a_valid_fact_document_passes_and_reads_back() {
    let validator = FactValidator::new().unwrap();
    let doc = availability();
    validator.validate(&doc).unwrap();
    let fact: Fact = serde_json::from_value(doc).unwrap();
    assert_eq!(fact.kind().as_str(), "availability");
    fact.validate().unwrap();
}

#[test]
fn contract_errors_name_the_field_within_the_kind() {
    let validator = FactValidator::new().unwrap();
    let mut doc = availability();
    doc["provenance"]["confidence"] = json!(1.5);
    let errors = validator.validate(&doc).unwrap_err();
    assert_eq!(errors[0].field, "provenance.confidence", "{errors:?}");

    let mut doc = availability();
    doc["country"] = json!("usa");
    assert_eq!(validator.validate(&doc).unwrap_err()[0].field, "country");

    let mut doc = availability();
    doc["surprise"] = json!(true);
    assert!(
        validator.validate(&doc).is_err(),
        "unknown fields are refused"
    );

    let mut doc = availability();
    doc["kind"] = json!("rumour");
    assert_eq!(validator.validate(&doc).unwrap_err()[0].field, "kind");
}

#[test]
fn rules_across_fields_are_checked_by_validate() {
    let mut doc = availability();
    doc["available_until"] = json!("2022-01-01");
    let fact: Fact = serde_json::from_value(doc).unwrap();
    let errors = fact.validate().unwrap_err();
    assert_eq!(errors[0].field, "available_until");
}

#[test]
fn the_bundled_registry_covers_the_largest_us_services_and_fits_its_schema() {
    let registry = ServiceRegistry::bundled().unwrap();
    assert!(registry.services.len() >= 20);
    for id in [
        "netflix",
        "max",
        "disney-plus",
        "hulu",
        "amazon-prime-video",
        "youtube-tv",
    ] {
        assert!(registry.contains(id), "{id} is missing");
    }
    assert_eq!(
        registry
            .by_external_id("tmdb", "8")
            .unwrap()
            .service_id
            .as_str(),
        "netflix"
    );
    let doc: Value = serde_json::from_str(psma_plugin_sdk::registry::BUNDLED_JSON).unwrap();
    let validator = jsonschema::validator_for(&service_registry_schema().to_value()).unwrap();
    assert!(validator.is_valid(&doc));
    let ids = registry.ids();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted);
}

#[test]
fn a_registry_with_a_duplicate_id_is_refused() {
    let text = r#"{"format": "psma-services/v1", "services": [
        {"service_id": "a", "name": "A", "category": "svod", "release_pattern": "weekly"},
        {"service_id": "a", "name": "A again", "category": "svod", "release_pattern": "weekly"}]}"#;
    let err = ServiceRegistry::from_json(text).unwrap_err();
    assert!(err.to_string().contains("appears twice"), "{err}");
}

/// The schema of `T` (one checked string type), compiled.
fn schema_of<T: JsonSchema>() -> jsonschema::Validator {
    let schema = schemars::SchemaGenerator::default().into_root_schema_for::<T>();
    jsonschema::validator_for(&schema.to_value()).unwrap()
}

fn agree<T: JsonSchema>(raw: &str, parsed_ok: bool) -> Result<(), TestCaseError> {
    let by_schema = schema_of::<T>().is_valid(&json!(raw));
    prop_assert_eq!(
        by_schema,
        parsed_ok,
        "schema and parse disagree on {:?}",
        raw
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn generated_facts_pass_the_contract_and_round_trip(fact in arbitrary::fact()) {
        let validator = FactValidator::new().unwrap();
        let doc = serde_json::to_value(&fact).unwrap();
        prop_assert!(validator.validate(&doc).is_ok(), "{}", doc);
        let back: Fact = serde_json::from_value(doc).unwrap();
        prop_assert_eq!(back.key(), fact.key());
        prop_assert_eq!(back.content_hash(), fact.content_hash());
        prop_assert!(fact.validate().is_ok());
    }

    #[test]
    fn retrieval_time_changes_neither_id_nor_content_hash(fact in arbitrary::fact(), hours in 1_i64..1000) {
        let mut later = fact.clone();
        later.provenance_mut().retrieved_at += chrono::Duration::hours(hours);
        prop_assert_eq!(later.key(), fact.key());
        prop_assert_eq!(later.content_hash(), fact.content_hash());
        later.provenance_mut().confidence = (fact.provenance().confidence + 0.05).min(1.0) - 0.01;
        prop_assert_ne!(later.content_hash(), fact.content_hash());
        prop_assert_eq!(later.key(), fact.key(), "confidence is content, not identity");
    }

    #[test]
    fn checked_strings_agree_with_their_schemas(raw in "\\PC{0,3}|[a-z0-9 _-]{0,12}|[A-Z]{1,4}|[0-9.]{1,8}|.{0,6}") {
        agree::<SourceId>(&raw, SourceId::parse(&raw).is_ok())?;
        agree::<ServiceId>(&raw, ServiceId::parse(&raw).is_ok())?;
        agree::<CountryCode>(&raw, CountryCode::parse(&raw).is_ok())?;
        agree::<ShowKey>(&raw, ShowKey::parse(&raw).is_ok())?;
        agree::<ExternalValue>(&raw, ExternalValue::parse(&raw).is_ok())?;
        agree::<Title>(&raw, Title::parse(&raw).is_ok())?;
        agree::<Label>(&raw, Label::parse(&raw).is_ok())?;
        agree::<Decimal>(&raw, Decimal::parse(&raw).is_ok())?;
    }
}

#[test]
fn calendar_dates_are_the_ones_the_contract_can_write() {
    use psma_plugin_sdk::chrono::NaiveDate;
    use psma_plugin_sdk::fact::calendar_date;
    assert_eq!(
        calendar_date("2022-02-18"),
        NaiveDate::from_ymd_opt(2022, 2, 18)
    );
    for bad in [
        "",
        "-020-01-01",
        "20201-01-01",
        "2022-2-18",
        "2022-02-30",
        "1869-12-31",
        "2201-01-01",
        "2022-02-18T00:00:00",
    ] {
        assert_eq!(calendar_date(bad), None, "{bad}");
    }
}

#[test]
fn a_date_the_contract_cannot_write_is_refused_by_validate_too() {
    use psma_plugin_sdk::chrono::NaiveDate;
    // chrono reads `-020-01-01` as the year -20: a fact holding it must not pass as valid, or
    // it would be stored and then break every reader of the contract.
    let Fact::Availability(mut fact) = serde_json::from_value(availability()).unwrap() else {
        panic!("an availability fact");
    };
    fact.available_from = NaiveDate::from_ymd_opt(-20, 1, 1);
    let fact = Fact::Availability(fact);
    let errors = fact.validate().unwrap_err();
    assert_eq!(errors[0].field, "available_from", "{errors:?}");
    let validator = FactValidator::new().unwrap();
    assert!(
        validator
            .validate(&serde_json::to_value(&fact).unwrap())
            .is_err(),
        "the contract refuses it as well"
    );
}
