use super::*;
use crate::api::parse_show;
use psma_plugin_sdk::chrono::TimeZone;

fn ctx<'a>(
    source: &'a SourceId,
    services: &'a ServiceRegistry,
    countries: &'a [CountryCode],
) -> Context<'a> {
    Context {
        source_id: source,
        retrieved_at: Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap(),
        services,
        countries,
    }
}

fn facts_of(fixture: &str, countries: &[&str]) -> Vec<Fact> {
    let path = format!("{}/tests/fixtures/{fixture}", env!("CARGO_MANIFEST_DIR"));
    let show = parse_show(&std::fs::read(path).unwrap()).unwrap();
    let source = SourceId::parse("tvmaze").unwrap();
    let services = ServiceRegistry::bundled().unwrap();
    let countries: Vec<CountryCode> = countries
        .iter()
        .map(|c| CountryCode::parse(c).unwrap())
        .collect();
    of_show(&show, &ctx(&source, &services, &countries))
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_network_show_gives_its_identity_and_episodes_but_no_streaming_service() {
    let facts = facts_of("show-82-embed-episodes.json", &["US"]);
    let Fact::ShowIdentity(identity) = &facts[0] else {
        panic!("{facts:?}")
    };
    assert_eq!(identity.title.as_str(), "Game of Thrones");
    assert_eq!(identity.year, Some(2011));
    assert_eq!(identity.show.as_str(), "82");
    let ids: Vec<(String, String)> = identity
        .external_ids
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(
        ids,
        [
            ("imdb".into(), "tt0944947".into()),
            ("thetvdb".into(), "121361".into()),
            ("tvmaze".into(), "82".into())
        ]
    );
    let overview = identity.overview.as_ref().unwrap().as_str();
    assert!(
        overview.starts_with("Based on the bestselling book series A Song of Ice and Fire by"),
        "{overview}"
    );
    assert_eq!(
        identity.provenance.source_ref.as_ref().unwrap().as_str(),
        "https://www.tvmaze.com/shows/82/game-of-thrones"
    );
    assert!(
        !facts.iter().any(|f| matches!(f, Fact::Availability(_))),
        "HBO is a network, not a service"
    );
    let episodes: Vec<_> = facts
        .iter()
        .filter_map(|f| match f {
            Fact::Episode(e) => Some((
                e.season,
                e.number,
                e.air_date.unwrap().to_string(),
                e.airstamp.unwrap().to_rfc3339(),
            )),
            _ => None,
        })
        .collect();
    assert_eq!(episodes.len(), 4);
    assert_eq!(
        episodes[0],
        (
            1,
            1,
            "2011-04-17".into(),
            "2011-04-18T01:00:00+00:00".into()
        )
    );
}

#[test]
fn a_web_channel_show_is_available_on_its_service_in_the_configured_countries() {
    let facts = facts_of("show-2993-embed-episodes.json", &["US", "GB"]);
    let windows: Vec<_> = facts
        .iter()
        .filter_map(|f| match f {
            Fact::Availability(a) => Some((
                a.service_id.to_string(),
                a.country.to_string(),
                a.available_from.map(|d| d.to_string()),
                a.provenance.confidence,
            )),
            _ => None,
        })
        .collect();
    assert_eq!(
        windows,
        [
            (
                "netflix".into(),
                "US".into(),
                Some("2016-07-15".into()),
                WEB_CHANNEL_CONFIDENCE
            ),
            (
                "netflix".into(),
                "GB".into(),
                Some("2016-07-15".into()),
                WEB_CHANNEL_CONFIDENCE
            ),
        ]
    );
    let episodes: Vec<_> = facts
        .iter()
        .filter_map(|f| match f {
            Fact::Episode(e) => Some((e.season, e.number, e.air_date, e.airstamp)),
            _ => None,
        })
        .collect();
    // The numberless special is left out; the episode without a date is kept, undated.
    assert_eq!(episodes.len(), 3, "{episodes:?}");
    assert_eq!(episodes[2], (5, 8, None, None));
}

#[test]
fn web_channels_map_to_registry_services_by_name_or_alias() {
    let services = ServiceRegistry::bundled().unwrap();
    let channel = |name: &str| Channel {
        id: 999_999,
        name: name.into(),
        country: None,
    };
    for (name, id) in [
        ("Netflix", Some("netflix")),
        ("Prime Video", Some("amazon-prime-video")),
        ("Amazon Prime Video", Some("amazon-prime-video")),
        ("Disney+", Some("disney-plus")),
        ("HBO Max", Some("max")),
        ("Max", Some("max")),
        ("Apple TV+", Some("apple-tv-plus")),
        ("Paramount+", Some("paramount-plus")),
        ("CBS All Access", Some("paramount-plus")),
        ("Peacock", Some("peacock")),
        ("YouTube Premium", None),
    ] {
        assert_eq!(
            service_of(&channel(name), &services)
                .as_ref()
                .map(ServiceId::as_str),
            id,
            "{name}"
        );
    }
}

#[test]
fn summaries_lose_their_markup() {
    assert_eq!(
        plain_text("<p>A <b>bold</b>&nbsp;move &amp; more.</p>\n<p>Two</p>"),
        "A bold move & more. Two"
    );
}

#[test]
fn records_outside_the_contract_are_dropped_or_refused_never_passed_on() {
    let path = format!(
        "{}/tests/fixtures/show-82-embed-episodes.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap();
    // Found by the fuzz target: a premiere in the year 1005; and a season number past the
    // contract's bound.
    let text = text
        .replace(
            "\"premiered\":\"2011-04-17\"",
            "\"premiered\":\"1005-04-17\"",
        )
        .replacen("\"season\":1,", "\"season\":60000,", 1);
    let show = parse_show(text.as_bytes()).unwrap();
    let source = SourceId::parse("tvmaze").unwrap();
    let services = ServiceRegistry::bundled().unwrap();
    let items = of_show(&show, &ctx(&source, &services, &[]));
    let Ok(Fact::ShowIdentity(identity)) = &items[0] else {
        panic!("{items:?}")
    };
    assert_eq!(
        identity.year, None,
        "a premiere year outside 1870-2200 is dropped"
    );
    let refused: Vec<_> = items.iter().filter_map(|i| i.as_ref().err()).collect();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(
        matches!(refused[0], ProviderError::Malformed { field: Some(f), .. } if f == "season"),
        "{refused:?}"
    );
}
