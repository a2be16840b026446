//! `GET /api/v1/shows` and `GET /api/v1/shows/{id}`: filters, cursor pagination, and one show's
//! canonical view with provenance.

use crate::imports::catalog;
use crate::support::{TestApp, on_both_backends, problem};
use serde_json::{Value, json};

/// Twelve shows on three services with windows past, present and future (today is the real
/// date; the windows are far enough from it either way).
fn many_shows() -> Value {
    let mut shows = Vec::new();
    let mut availability = Vec::new();
    for n in 0..12 {
        let key = format!("s{n:02}");
        shows.push(json!({"ref": key, "title": format!("Show {n:02}"), "year": 2020 + n % 5}));
        let service = ["netflix", "max", "hulu"][n % 3];
        let (from, until) = match n % 4 {
            0 => ("2020-01-01", Value::Null),         // available
            1 => ("2099-01-01", Value::Null),         // upcoming
            2 => ("2020-01-01", json!("2020-12-31")), // ended: unknown now
            _ => ("2021-01-01", json!("2099-12-31")), // available, with an end
        };
        availability.push(
            json!({"show": key, "service_id": service, "country": if n < 9 { "US" } else { "GB" },
                                 "available_from": from, "available_until": until}),
        );
    }
    shows.push(json!({"ref": "none", "title": "The Nowhere Show", "year": 2024}));
    json!({"format": "psma-import/v1", "source_id": "bulk", "shows": shows, "availability": availability})
}

fn titles(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap().to_owned())
        .collect()
}

on_both_backends! {
    async fn shows_are_listed_by_title_and_paged_with_a_cursor(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        app.import_json("", &many_shows()).await;
        let mut seen = Vec::new();
        let mut path = "/api/v1/shows?limit=5".to_owned();
        loop {
            let page = app.get_json(&path).await;
            seen.extend(titles(&page));
            match page["next_cursor"].as_str() {
                Some(cursor) => path = format!("/api/v1/shows?limit=5&cursor={}", crate::imports::urlencode(cursor)),
                None => break,
            }
        }
        assert_eq!(seen.len(), 13);
        // "The Nowhere Show" sorts under N, not T.
        let mut expected: Vec<String> = (0..12).map(|n| format!("Show {n:02}")).collect();
        expected.insert(0, "The Nowhere Show".to_owned());
        assert_eq!(seen, expected);
    }
}

on_both_backends! {
    async fn shows_filter_by_service_country_status_and_title_words(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        app.import_json("", &many_shows()).await;
        let list = |query: &str| {
            let app = &app;
            let query = query.to_owned();
            async move { titles(&app.get_json(&format!("/api/v1/shows?{query}")).await) }
        };
        assert_eq!(list("service_id=netflix").await, ["Show 00", "Show 03", "Show 06", "Show 09"]);
        assert_eq!(list("service_id=netflix&country=US").await, ["Show 00", "Show 03", "Show 06"]);
        assert_eq!(list("status=available&country=US").await, ["Show 00", "Show 03", "Show 04", "Show 07", "Show 08"]);
        assert_eq!(list("status=upcoming").await, ["Show 01", "Show 05", "Show 09"]);
        assert_eq!(list("status=unknown&country=US").await, ["The Nowhere Show", "Show 02", "Show 06", "Show 09", "Show 10", "Show 11"]);
        assert_eq!(list("q=show%2007").await, ["Show 07"]);
        assert_eq!(list("q=NOWHERE!").await, ["The Nowhere Show"]);
        assert_eq!(list("service_id=peacock").await, Vec::<String>::new());
        let page = app.get_json("/api/v1/shows?country=GB").await;
        assert_eq!(page["items"][0]["services"], json!(["netflix"]));
    }
}

on_both_backends! {
    // Past 2,000 matching facts a filter is evaluated from the shows' side instead of the
    // facts' side; the answers must not change with the strategy.
    async fn broad_and_narrow_filters_list_and_page_alike(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let n = 2100;
        let shows: Vec<Value> = (0..n)
            .map(|i| json!({"ref": format!("s{i}"), "title": format!("Title {i:04}"), "year": 2000}))
            .collect();
        // Every show is on netflix in the US; every seventh also on max in GB, every third
        // window ended already.
        let mut availability = Vec::new();
        for i in 0..n {
            let until = if i % 3 == 0 { json!("2020-12-31") } else { Value::Null };
            availability.push(json!({"show": format!("s{i}"), "service_id": "netflix", "country": "US",
                "available_from": "2020-01-01", "available_until": until}));
            if i % 7 == 0 {
                availability.push(json!({"show": format!("s{i}"), "service_id": "max", "country": "GB"}));
            }
        }
        app.import_json("", &json!({"format": "psma-import/v1", "shows": shows, "availability": availability}))
            .await;
        let all = |query: &'static str| {
            let app = &app;
            async move {
                let mut seen = Vec::new();
                let mut path = format!("/api/v1/shows?limit=200&{query}");
                loop {
                    let page = app.get_json(&path).await;
                    seen.extend(titles(&page));
                    match page["next_cursor"].as_str() {
                        Some(cursor) => {
                            path = format!(
                                "/api/v1/shows?limit=200&{query}&cursor={}",
                                crate::imports::urlencode(cursor)
                            );
                        }
                        None => break seen,
                    }
                }
            }
        };
        let expected = |keep: &dyn Fn(usize) -> bool| -> Vec<String> {
            (0..n).filter(|i| keep(*i)).map(|i| format!("Title {i:04}")).collect()
        };
        assert_eq!(all("service_id=netflix&country=US").await, expected(&|_| true));
        assert_eq!(all("service_id=max").await, expected(&|i| i % 7 == 0));
        assert_eq!(all("status=available&country=US").await, expected(&|i| i % 3 != 0));
        assert_eq!(all("status=available&service_id=max").await, expected(&|i| i % 7 == 0));
        assert_eq!(all("status=unknown&country=US").await, expected(&|i| i % 3 == 0));
    }
}

on_both_backends! {
    async fn bad_list_parameters_are_422_naming_the_parameter(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        for (query, field) in [
            ("limit=0", "limit"),
            ("limit=201", "limit"),
            ("limit=ten", "limit"),
            ("country=usa", "country"),
            ("service_id=Net%20Flix", "service_id"),
            ("status=gone", "status"),
            ("cursor=nope", "cursor"),
            ("colour=red", "colour"),
        ] {
            let body = problem(app.get(&format!("/api/v1/shows?{query}")).await, 422).await;
            assert_eq!(body["errors"][0]["field"], field, "{query}: {body:#}");
        }
    }
}

on_both_backends! {
    async fn a_show_shows_its_availability_episodes_and_sources_with_provenance(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        app.import_json("", &catalog("family")).await;
        let list = app.get_json("/api/v1/shows?q=severance").await;
        let id = list["items"][0]["id"].as_str().unwrap();
        let show = app.get_json(&format!("/api/v1/shows/{id}")).await;
        assert_eq!(show["title"], "Severance");
        assert_eq!(show["external_ids"], json!({"imdb": "tt11280740"}));
        assert_eq!(show["overview"], "Work and home, divided.");
        assert_eq!(show["scope"], "private");
        let window = &show["availability"][0];
        assert_eq!(window["service_id"], "apple-tv-plus");
        assert_eq!(window["service_name"], "Apple TV+");
        assert_eq!(window["category"], "svod");
        assert_eq!(window["available_from"], "2022-02-18");
        assert!(window["available_until"].is_null());
        assert_eq!(window["available_now"], true);
        assert_eq!(window["source_id"], "family");
        assert_eq!(window["confidence"], 0.9);
        assert_eq!(window["retrieved_at"], "2026-11-20T09:00:00Z");
        assert_eq!(window["contested"], false);
        let episodes = show["upcoming_episodes"].as_array().unwrap();
        assert_eq!(episodes.len(), 2, "the 2022 episode has aired: {show:#}");
        assert_eq!(episodes[0]["title"], "Return");
        assert_eq!(episodes[0]["air_date"], "2027-01-15");
        assert_eq!(show["sources"][0]["source_id"], "family");
        assert!(show["sources"][0]["attribution"].as_str().unwrap().contains("Imported by this household"));

        // The other show has windows in two countries; `country` keeps one.
        let bear = app.get_json("/api/v1/shows?q=bear").await["items"][0]["id"].as_str().unwrap().to_owned();
        let all = app.get_json(&format!("/api/v1/shows/{bear}")).await;
        assert_eq!(all["availability"].as_array().unwrap().len(), 2);
        let gb = app.get_json(&format!("/api/v1/shows/{bear}?country=GB")).await;
        assert_eq!(gb["availability"].as_array().unwrap().len(), 1);
        assert_eq!(gb["availability"][0]["available_now"], false);
    }
}

on_both_backends! {
    async fn an_unknown_or_malformed_show_id_is_404(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        for id in ["0190d5c4-7b1e-7c3a-9f00-3c1a2b4d5e6f", "not-a-uuid", "0190d5c47b1e7c3a9f003c1a2b4d5e6f"] {
            let body = problem(app.get(&format!("/api/v1/shows/{id}")).await, 404).await;
            assert_eq!(body["type"], "urn:psma:problem:not-found");
        }
    }
}

on_both_backends! {
    async fn services_list_the_registry_with_the_knowledge_base(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        app.import_json("", &catalog("family")).await;
        let mut all = Vec::new();
        let mut path = "/api/v1/services?limit=10".to_owned();
        loop {
            let page = app.get_json(&path).await;
            all.extend(page["items"].as_array().unwrap().iter().cloned());
            match page["next_cursor"].as_str() {
                Some(cursor) => path = format!("/api/v1/services?limit=10&cursor={cursor}"),
                None => break,
            }
        }
        assert!(all.len() >= 20, "{}", all.len());
        let ids: Vec<&str> = all.iter().map(|s| s["service_id"].as_str().unwrap()).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        assert_eq!(ids, sorted);
        let apple = all.iter().find(|s| s["service_id"] == "apple-tv-plus").unwrap();
        assert_eq!(apple["behavior_facts"][0]["release_pattern"], "weekly");
        assert_eq!(apple["behavior_facts"][0]["source_id"], "family");
        let hulu = all.iter().find(|s| s["service_id"] == "hulu").unwrap();
        assert_eq!(hulu["price_facts"][0]["amount"], "11.99");
        assert_eq!(hulu["price_facts"][0]["billing_cycle_days"], 30);
        assert!(!hulu["typical_prices"].as_array().unwrap().is_empty());
        let netflix = all.iter().find(|s| s["service_id"] == "netflix").unwrap();
        assert_eq!(netflix["external_ids"]["tmdb"][0], "8");
    }
}
