use super::*;
use psma_plugin_sdk::testkit;
use std::io::Write;

const LIST: &str = r#"{"format": "psma-import/v1", "shows": [{"ref": "a", "title": "Andor", "year": 2022}],
    "availability": [{"show": "a", "service_id": "disney-plus", "country": "US", "available_from": "2022-09-21"}]}"#;

fn sections(toml_text: &str) -> BTreeMap<String, ProviderSettings> {
    #[derive(Deserialize)]
    struct Doc {
        providers: BTreeMap<String, ProviderSettings>,
    }
    toml::from_str::<Doc>(toml_text).unwrap().providers
}

fn list_file() -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(LIST.as_bytes()).unwrap();
    file
}

fn build(toml_text: &str) -> Result<Providers, ConfigError> {
    configured(&sections(toml_text), &factories(), &testkit::deps())
}

fn problems(toml_text: &str) -> Vec<String> {
    build(toml_text).unwrap_err().problems
}

#[test]
fn a_section_builds_its_plugin_with_the_sections_id_and_schedule() {
    let file = list_file();
    let providers = build(&format!(
        "[providers.my_list]\nplugin = \"manual_import\"\npath = {:?}\nrefresh_every = \"6h\"\n",
        file.path().display().to_string()
    ))
    .unwrap();
    let entry = providers.get(&SourceId::parse("my_list").unwrap()).unwrap();
    assert!(entry.is_enabled());
    assert_eq!(entry.provider().unwrap().spec().id.as_str(), "my_list");
    assert_eq!(entry.refresh_every(), Some(Duration::from_secs(6 * 3600)));
}

#[test]
fn a_disabled_section_is_listed_without_being_built() {
    // Its configuration is not even checked: switching a source off must always work.
    let providers =
        build("[providers.later]\nplugin = \"manual_import\"\nenabled = false\n").unwrap();
    let entry = providers.get(&SourceId::parse("later").unwrap()).unwrap();
    assert!(!entry.is_enabled());
    assert_eq!(entry.spec().id.as_str(), "later");
    assert_eq!(providers.enabled().count(), 0);
}

#[test]
fn problems_name_the_key_they_concern() {
    let unknown = problems("[providers.netflix_scraper]\nurl = \"https://example.org\"\n");
    assert!(
        unknown[0].starts_with(
            "providers.netflix_scraper: no plugin `netflix_scraper` (known: manual_import, tvmaze, tmdb, exec)"
        ),
        "{unknown:?}"
    );
    let named = problems("[providers.x]\nplugin = \"nope\"\n");
    assert!(
        named[0].starts_with("providers.x.plugin: no plugin `nope`"),
        "{named:?}"
    );
    let refused = problems("[providers.x]\nplugin = \"manual_import\"\n");
    assert!(refused[0].starts_with("providers.x.path: "), "{refused:?}");
    let bad_id = problems("[providers.\"Not An Id\"]\nplugin = \"manual_import\"\n");
    assert!(bad_id[0].starts_with("providers.Not An Id: "), "{bad_id:?}");
}

#[test]
fn every_broken_section_is_reported_at_once() {
    let all =
        problems("[providers.a]\nplugin = \"nope\"\n[providers.b]\nplugin = \"manual_import\"\n");
    assert_eq!(all.len(), 2, "{all:?}");
}

#[test]
fn a_schedule_shorter_than_the_plugin_allows_names_refresh_every() {
    let file = list_file();
    let too_often = problems(&format!(
        "[providers.my_list]\nplugin = \"manual_import\"\npath = {:?}\nrefresh_every = \"1s\"\n",
        file.path().display().to_string()
    ));
    assert!(
        too_often[0].starts_with("providers.my_list.refresh_every: "),
        "{too_often:?}"
    );
}

#[test]
fn a_secret_file_is_read_into_its_key_and_a_missing_one_is_named() {
    let mut secret = tempfile::NamedTempFile::new().unwrap();
    secret.write_all(b"s3cr3t\n").unwrap();
    let section = &sections(&format!(
        "[providers.x]\napi_key_file = {:?}\nbase_url = \"http://localhost\"\n",
        secret.path().display().to_string()
    ))["x"];
    let config = plugin_config("x", section, &serde_json::json!({})).unwrap();
    assert_eq!(
        config["api_key"], "s3cr3t",
        "the trailing newline is not part of the key"
    );
    assert!(!config.contains_key("api_key_file"));
    assert_eq!(config["base_url"], "http://localhost");

    let missing = problems(
        "[providers.x]\nplugin = \"manual_import\"\napi_key_file = \"/nonexistent/key\"\n",
    );
    assert!(
        missing[0].starts_with("providers.x.api_key_file: cannot read `/nonexistent/key`"),
        "{missing:?}"
    );
}

#[test]
fn secrets_are_masked_when_printed() {
    let section = &sections(
        "[providers.x]\napi_key = \"k\"\naccess_token = \"t\"\nclient_secret = \"c\"\nbase_url = \"http://h\"\napi_key_file = \"/run/k\"\n",
    )["x"];
    let shown = serde_json::to_value(section).unwrap();
    for secret in ["api_key", "access_token", "client_secret"] {
        assert_eq!(shown[secret], "***", "{secret}: {shown}");
    }
    assert_eq!(shown["base_url"], "http://h");
    assert_eq!(
        shown["api_key_file"], "/run/k",
        "a file's path is not the secret"
    );
    assert_eq!(shown["enabled"], true);

    // An exec plugin's tables are masked inside too.
    let section = &sections(
        "[providers.mine]\nexec = [\"./feed\", \"--token\", \"x\"]\n[providers.mine.env]\nFEED_TOKEN = \"t\"\nREGION = \"us\"\n[providers.mine.config]\nauth = { password = \"p\", user = \"u\" }\n",
    )["mine"];
    let shown = serde_json::to_value(section).unwrap();
    assert_eq!(shown["env"]["FEED_TOKEN"], "***", "{shown}");
    assert_eq!(shown["env"]["REGION"], "us");
    assert_eq!(shown["config"]["auth"]["password"], "***", "{shown}");
    assert_eq!(shown["config"]["auth"]["user"], "u");
}

#[test]
fn the_built_in_plugins_answer_to_their_section_names() {
    let providers =
        build("[providers.tvmaze]\nbase_url = \"http://127.0.0.1:9\"\nrefresh_every = \"24h\"\n")
            .unwrap();
    let tvmaze = providers.get(&SourceId::parse("tvmaze").unwrap()).unwrap();
    assert!(tvmaze.is_enabled());
    assert_eq!(
        tvmaze.spec().attribution.license.as_ref().unwrap().as_str(),
        "CC BY-SA 4.0"
    );
    let too_often = problems("[providers.tvmaze]\nrefresh_every = \"5m\"\n");
    assert!(
        too_often[0].starts_with("providers.tvmaze.refresh_every: "),
        "{too_often:?}"
    );
    let tmdb = build("[providers.tmdb]\napi_key = \"k\"\n").unwrap();
    let tmdb = tmdb.get(&SourceId::parse("tmdb").unwrap()).unwrap();
    assert!(tmdb.spec().capabilities.needs_credentials);
    assert!(
        tmdb.spec()
            .attribution
            .text
            .as_str()
            .contains("not endorsed or certified by TMDB")
    );
    let keyless = problems("[providers.tmdb]\n");
    assert!(
        keyless[0].starts_with("providers.tmdb.api_key: "),
        "{keyless:?}"
    );
    let renamed = problems("[providers.tv]\nplugin = \"tvmaze\"\n");
    assert!(
        renamed[0].contains("names its source `tvmaze`"),
        "{renamed:?}"
    );
}
