use super::*;
use crate::Error;
use crate::testing::ScriptedProvider;
use psma_plugin_sdk::Provider;
use psma_plugin_sdk::text::SourceId;
use std::sync::Arc;
use std::time::Duration;

fn provider(id: &str, min_refresh_secs: u64) -> Arc<dyn Provider> {
    Arc::new(ScriptedProvider::new(id, min_refresh_secs, Vec::new()))
}

fn id(raw: &str) -> SourceId {
    SourceId::parse(raw).unwrap()
}

#[test]
fn providers_are_found_by_id_and_listed_in_id_order() {
    let providers = Providers::new(vec![
        ConfiguredProvider::enabled(provider("tvmaze", 60), None).unwrap(),
        ConfiguredProvider::disabled(provider("tmdb", 60).spec().clone()),
        ConfiguredProvider::enabled(provider("my_feed", 60), Some(Duration::from_secs(3600)))
            .unwrap(),
    ])
    .unwrap();
    let ids: Vec<_> = providers.iter().map(|p| p.id().to_string()).collect();
    assert_eq!(ids, ["my_feed", "tmdb", "tvmaze"]);
    let enabled: Vec<_> = providers
        .enabled()
        .map(|(p, _)| p.id().to_string())
        .collect();
    assert_eq!(enabled, ["my_feed", "tvmaze"]);
    let tmdb = providers.get(&id("tmdb")).unwrap();
    assert!(!tmdb.is_enabled());
    assert!(tmdb.provider().is_none());
    assert_eq!(
        providers.get(&id("my_feed")).unwrap().refresh_every(),
        Some(Duration::from_secs(3600))
    );
    assert!(providers.get(&id("nothing")).is_none());
}

#[test]
fn two_providers_with_one_id_are_refused() {
    let err = Providers::new(vec![
        ConfiguredProvider::enabled(provider("tvmaze", 60), None).unwrap(),
        ConfiguredProvider::disabled(provider("tvmaze", 60).spec().clone()),
    ])
    .unwrap_err();
    assert!(
        matches!(&err, Error::Validation { field, message } if field == "providers" && message.contains("tvmaze")),
        "{err}"
    );
}

#[test]
fn a_schedule_shorter_than_the_providers_minimum_is_refused() {
    let err = ConfiguredProvider::enabled(provider("tmdb", 3600), Some(Duration::from_secs(60)))
        .unwrap_err();
    assert!(
        matches!(&err, Error::Validation { field, message } if field == "refresh_every" && message.contains("3600")),
        "{err}"
    );
    assert!(
        ConfiguredProvider::enabled(provider("tmdb", 3600), Some(Duration::from_secs(3600)))
            .is_ok()
    );
}
