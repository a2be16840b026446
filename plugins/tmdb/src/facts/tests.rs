use super::*;
use crate::api::parse_details;
use psma_plugin_sdk::chrono::TimeZone;
use psma_plugin_sdk::serde_json::{self, Value, json};
use psma_plugin_sdk::{FactKind, Monetization};

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn facts_of(body: &Value, countries: &[&str]) -> Vec<Result<Fact, ProviderError>> {
    let show = parse_details(&serde_json::to_vec(body).unwrap()).unwrap();
    let source = SourceId::parse("tmdb").unwrap();
    let services = ServiceRegistry::bundled().unwrap();
    let countries: Vec<CountryCode> = countries
        .iter()
        .map(|c| CountryCode::parse(c).unwrap())
        .collect();
    let ctx = Context {
        source_id: &source,
        retrieved_at: Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap(),
        services: &services,
        countries: &countries,
    };
    of_details(&show, &ctx)
}

fn ok(items: Vec<Result<Fact, ProviderError>>) -> Vec<Fact> {
    items.into_iter().collect::<Result<_, _>>().unwrap()
}

fn offers(facts: &[Fact]) -> Vec<(String, String, &'static str)> {
    facts
        .iter()
        .filter_map(|f| match f {
            Fact::Availability(a) => Some((
                a.country.to_string(),
                a.service_id.to_string(),
                a.monetization.as_str(),
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn game_of_thrones_has_its_identity_ids_and_final_episode() {
    let facts = ok(facts_of(&fixture("tv-1399.json"), &["US"]));
    let Fact::ShowIdentity(identity) = &facts[0] else {
        panic!("{facts:?}")
    };
    assert_eq!(identity.show.as_str(), "tv:1399");
    assert_eq!(identity.title.as_str(), "Game of Thrones");
    assert_eq!(identity.year, Some(2011));
    assert_eq!(identity.show_type, ShowType::Tv);
    let ids: Vec<(&str, &str)> = identity
        .external_ids
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("imdb", "tt0944947"),
            ("thetvdb", "121361"),
            ("tmdb", "tv:1399")
        ]
    );
    let genres: Vec<&str> = identity.genres.iter().map(Label::as_str).collect();
    assert_eq!(genres, ["Sci-Fi & Fantasy", "Drama", "Action & Adventure"]);
    assert!(
        identity
            .overview
            .as_ref()
            .unwrap()
            .as_str()
            .starts_with("Seven noble families")
    );
    assert_eq!(
        identity.provenance.source_ref.as_ref().unwrap().as_str(),
        "https://www.themoviedb.org/tv/1399"
    );
    let episodes: Vec<_> = facts
        .iter()
        .filter_map(|f| match f {
            Fact::Episode(e) => Some((e.season, e.number, e.title.clone(), e.day(), e.airstamp)),
            _ => None,
        })
        .collect();
    assert_eq!(
        episodes,
        [(
            8,
            6,
            Some(Title::parse("The Iron Throne").unwrap()),
            NaiveDate::from_ymd_opt(2019, 5, 19),
            None
        )]
    );
}

#[test]
fn watch_providers_map_through_the_registry_and_unknown_ones_keep_their_tmdb_id() {
    let facts = ok(facts_of(&fixture("tv-1399.json"), &["US", "GB"]));
    let s = |c: &str, id: &str, m: &'static str| (c.to_owned(), id.to_owned(), m);
    assert_eq!(
        offers(&facts),
        [
            s("US", "max", "flatrate"),
            s("US", "unknown-tmdb-provider-1825", "flatrate"),
            s("US", "apple-tv-store", "buy"),
            s("US", "google-tv", "buy"),
            s("US", "amazon-video", "buy"),
            s("US", "fandango-at-home", "buy"),
            s("GB", "unknown-tmdb-provider-29", "flatrate"),
            s("GB", "unknown-tmdb-provider-39", "flatrate"),
            s("GB", "apple-tv-store", "buy"),
            s("GB", "amazon-video", "buy"),
        ]
    );
    let Some(Fact::Availability(first)) = facts.iter().find(|f| f.kind() == FactKind::Availability)
    else {
        panic!("{facts:?}")
    };
    assert_eq!(
        first.provenance.source_ref.as_ref().unwrap().as_str(),
        "https://www.themoviedb.org/tv/1399-game-of-thrones/watch?locale=US"
    );
    assert_eq!((first.available_from, first.available_until), (None, None));
}

#[test]
fn only_the_configured_countries_count() {
    let facts = ok(facts_of(&fixture("tv-1399.json"), &["GB"]));
    assert!(offers(&facts).iter().all(|(country, ..)| country == "GB"));
    assert_eq!(offers(&facts).len(), 4);
    // A country TMDB lists nothing for gives no availability, but the identity still counts.
    let facts = ok(facts_of(&fixture("tv-1399.json"), &["FR"]));
    assert!(offers(&facts).is_empty());
    assert!(matches!(facts[0], Fact::ShowIdentity(_)));
}

#[test]
fn every_bucket_has_its_monetization() {
    let facts = ok(facts_of(&fixture("tv-1437.json"), &["US"]));
    let buckets: Vec<(String, &str)> = offers(&facts).into_iter().map(|(_, s, m)| (s, m)).collect();
    let b = |s: &str, m: &'static str| (s.to_owned(), m);
    assert_eq!(
        buckets,
        [
            b("hulu", Monetization::Flatrate.as_str()),
            b("kanopy", Monetization::Free.as_str()),
            b("tubi", Monetization::Ads.as_str()),
            b("pluto-tv", Monetization::Ads.as_str()),
            b("apple-tv-store", Monetization::Buy.as_str()),
            b("amazon-video", Monetization::Buy.as_str()),
        ]
    );
}

#[test]
fn two_tmdb_providers_of_one_service_give_one_fact_and_null_buckets_are_empty() {
    let mut body = fixture("tv-1437.json");
    body["watch/providers"]["results"]["US"] = json!({
        "link": "https://www.themoviedb.org/tv/1437-firefly/watch?locale=US",
        "flatrate": [{"provider_id": 8, "provider_name": "Netflix"},
                     {"provider_id": 1796, "provider_name": "Netflix basic with Ads"}],
        "rent": null, "free": null
    });
    let facts = ok(facts_of(&body, &["US"]));
    assert_eq!(
        offers(&facts),
        [("US".to_owned(), "netflix".to_owned(), "flatrate")]
    );
}

#[test]
fn the_next_episode_counts_with_less_confidence_and_a_repeat_counts_once() {
    let mut body = fixture("tv-1437.json");
    body["next_episode_to_air"] = json!({
        "id": 1, "name": "Trash", "air_date": "2027-01-15", "season_number": 1, "episode_number": 13
    });
    let facts = ok(facts_of(&body, &["US"]));
    let episodes: Vec<(u32, f64)> = facts
        .iter()
        .filter_map(|f| match f {
            Fact::Episode(e) => Some((e.number, e.provenance.confidence)),
            _ => None,
        })
        .collect();
    assert_eq!(
        episodes,
        [(12, CATALOGUE_CONFIDENCE), (13, SCHEDULE_CONFIDENCE)]
    );
    body["next_episode_to_air"] = body["last_episode_to_air"].clone();
    let facts = ok(facts_of(&body, &["US"]));
    assert_eq!(
        facts
            .iter()
            .filter(|f| f.kind() == FactKind::Episode)
            .count(),
        1
    );
}

#[test]
fn odd_values_degrade_the_fact_not_the_show() {
    let mut body = fixture("tv-1437.json");
    body["name"] = json!("  ");
    body["original_name"] = json!("萤火虫");
    body["first_air_date"] = json!("");
    body["overview"] = json!("");
    body["external_ids"] = json!({"imdb_id": "", "tvdb_id": null});
    body["genres"] = Value::Null;
    body["last_episode_to_air"]["season_number"] = json!(70_000);
    let items = facts_of(&body, &["US"]);
    let Ok(Fact::ShowIdentity(identity)) = &items[0] else {
        panic!("{items:?}")
    };
    assert_eq!(identity.title.as_str(), "萤火虫");
    assert_eq!((identity.year, identity.overview.as_ref()), (None, None));
    assert_eq!(identity.external_ids.len(), 1, "only its TMDB id");
    assert!(identity.genres.is_empty());
    assert!(
        matches!(&items[1], Err(ProviderError::Malformed { field: Some(f), .. }) if f == "season_number"),
        "{items:?}"
    );
    assert!(items[2..].iter().all(Result::is_ok));
}

#[test]
fn tmdb_ids_are_tv_prefixed() {
    assert_eq!(tv_id("tv:1399"), Some(1399));
    for other in ["1399", "movie:1399", "tv:", "tv:13a", "tv:-1", "82"] {
        assert_eq!(tv_id(other), None, "{other}");
    }
    assert_eq!(show_key(1399).unwrap().as_str(), "tv:1399");
}

#[test]
fn a_show_without_a_usable_name_gives_only_that_error() {
    let mut body = fixture("tv-1399.json");
    body["name"] = json!("");
    body["original_name"] = Value::Null;
    let items = facts_of(&body, &["US"]);
    assert!(
        matches!(&items[..], [Err(ProviderError::Malformed { field: Some(f), .. })] if f == "name"),
        "{items:?}"
    );
}

#[test]
fn dates_the_contract_refuses_are_dropped_not_passed_on() {
    // Found by the fuzz target: chrono reads `-020-01-01`, the contract's `date` refuses it.
    for odd in [
        "-020-01-01",
        "+2019-05-19",
        "12019-05-19",
        "1066-10-14",
        "2019-5-19",
        "2019-02-30",
    ] {
        let mut body = fixture("tv-1437.json");
        body["first_air_date"] = json!(odd);
        body["last_episode_to_air"]["air_date"] = json!(odd);
        let facts = ok(facts_of(&body, &["US"]));
        let Fact::ShowIdentity(identity) = &facts[0] else {
            panic!("{facts:?}")
        };
        assert_eq!(identity.year, None, "{odd}");
        assert!(
            facts
                .iter()
                .any(|f| matches!(f, Fact::Episode(e) if e.air_date.is_none())),
            "{odd}: {facts:?}"
        );
    }
}
