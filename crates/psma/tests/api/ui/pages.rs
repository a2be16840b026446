//! The read pages: home, catalog, a show — the demo catalog through the same use cases as the
//! API, in HTML a person (and a screen reader) can use.

use super::{assert_csp_clean, escape, page};
use crate::support::{TestApp, on_both_backends};

on_both_backends! {
    async fn a_first_start_opens_on_what_to_do_first(backend: Backend) {
        let app = TestApp::spawn_with(backend, |s| s.catalog.load_demo = None).await;
        let home = page(&app, "/").await;
        assert_eq!(home.status, 200);
        assert_eq!(home.content_type, "text/html; charset=utf-8");
        assert!(home.csp.contains("script-src 'self'") && home.csp.contains("form-action 'self'"), "{}", home.csp);
        assert!(home.body.contains("Pick your first shows"));
        assert!(home.body.contains(r#"href="/catalog""#));
        // Landmarks, skip link, the current page marked.
        for part in [r##"<a class="skip" href="#main">"##, r#"<nav class="site-nav" aria-label="Main">"#, r#"<main id="main""#, "<footer", r#"<a href="/" aria-current="page">Home</a>"#, r#"<html lang="en">"#] {
            assert!(home.body.contains(part), "{part}");
        }
        assert_csp_clean(&home.body);
    }
}

on_both_backends! {
    async fn the_catalog_page_lists_what_the_api_lists_and_credits_the_sources(backend: Backend) {
        let app = TestApp::spawn_with(backend, |s| s.catalog.load_demo = None).await;
        let api = app.get_json("/api/v1/shows?q=the&limit=50").await;
        let catalog = page(&app, "/catalog?q=the&service_id=&country=&status=").await;
        assert_eq!(catalog.status, 200, "{}", catalog.body);
        let items = api["items"].as_array().unwrap();
        assert!(!items.is_empty());
        for show in items {
            let link = format!(r#"<a class="title" href="/shows/{}">{}</a>"#, show["id"].as_str().unwrap(), escape(show["title"].as_str().unwrap()));
            assert!(catalog.body.contains(&link), "{link}");
        }
        assert!(catalog.body.contains(&format!(">{} shows<", items.len())), "the heading counts them");
        assert!(catalog.body.contains("Invented data bundled with PSMA"), "the demo source is credited");
        assert!(catalog.body.contains(r#"<input type="search" id="q" name="q" value="the""#), "the search is kept");
        assert_csp_clean(&catalog.body);

        // Filters narrow like the API's: one service, available now.
        let netflix = page(&app, "/catalog?service_id=netflix&status=available").await;
        let api = app.get_json("/api/v1/shows?service_id=netflix&status=available").await;
        let titles = api["items"].as_array().unwrap();
        assert!(!titles.is_empty());
        assert_eq!(netflix.body.matches(r#"<a class="title""#).count(), titles.len());
        assert!(netflix.body.contains(r#"<option value="netflix" selected>Netflix</option>"#));

        let none = page(&app, "/catalog?q=zzzz-no-such-show").await;
        assert_eq!(none.status, 200);
        assert!(none.body.contains("No shows match"));
    }
}

on_both_backends! {
    async fn a_bad_filter_is_named_beside_its_field(backend: Backend) {
        let app = TestApp::spawn_with(backend, |s| s.catalog.load_demo = None).await;
        let bad = page(&app, "/catalog?country=U1&service_id=no-such-service&status=later").await;
        assert_eq!(bad.status, 422);
        assert_eq!(bad.content_type, "text/html; charset=utf-8");
        assert!(bad.body.contains(r#"<p class="error" id="country-error">Enter a two-letter country code"#), "{}", bad.body);
        assert!(bad.body.contains(r#"aria-invalid="true""#));
        assert!(bad.body.contains(r#"<p class="error" id="service_id-error">Choose a service"#));
        assert!(bad.body.contains(r#"<p class="error" id="status-error">Choose a status"#));
        assert!(bad.body.contains(r##"<a href="#country">"##), "the summary links to the field");
        assert!(!bad.body.contains(r#"<a class="title""#), "no results for a search that was not run");
    }
}

on_both_backends! {
    async fn a_show_page_gives_each_window_its_source_confidence_and_time(backend: Backend) {
        let app = TestApp::spawn_with(backend, |s| s.catalog.load_demo = None).await;
        let id = app.get_json("/api/v1/shows?q=severance").await["items"][0]["id"].as_str().unwrap().to_owned();
        let api = app.get_json(&format!("/api/v1/shows/{id}")).await;
        let show = page(&app, &format!("/shows/{id}")).await;
        assert_eq!(show.status, 200);
        assert!(show.body.contains(&format!("<h1>{}</h1>", escape(api["title"].as_str().unwrap()))));
        assert!(show.body.contains(r#"<h2 id="where">Where to watch</h2>"#));
        let rows = show.body.matches(r#"<th scope="row">"#).count();
        assert_eq!(rows, api["availability"].as_array().unwrap().len());
        let first = &api["availability"][0];
        assert!(show.body.contains(&format!(r#"<time datetime="{}" data-instant>"#, first["retrieved_at"].as_str().unwrap().trim_end_matches('Z').split('.').next().unwrap().to_owned() + "Z")));
        assert!(show.body.contains("no end date known"), "an open end is said, not left blank");
        assert!(show.body.contains("PSMA demo catalog"), "sources by name");
        assert!(show.body.contains(r#"<h2 id="episodes">Upcoming episodes</h2>"#));
        assert_csp_clean(&show.body);

        let missing = page(&app, "/shows/01a23c7f-ab2f-75bf-b251-000000000000").await;
        assert_eq!(missing.status, 404);
        assert_eq!(missing.content_type, "text/html; charset=utf-8");
        assert!(missing.body.contains("Not found"));
    }
}
