//! My Shows, My Services and settings through their pages: the same use cases as the API
//! (what a page saves, the API reads back), every write audited, refused values named beside
//! their fields with nothing saved.

use super::{Browser, see_other};
use crate::support::{TestApp, audit_actions, on_both_backends};

on_both_backends! {
    async fn shows_are_added_changed_removed_and_restored_through_the_pages(backend: Backend) {
        let app = TestApp::spawn_with(backend, |s| s.catalog.load_demo = None).await;
        let id = app.get_json("/api/v1/shows?q=severance").await["items"][0]["id"].as_str().unwrap().to_owned();
        let mut browser = Browser::new(&app);
        let show = browser.get(&format!("/shows/{id}")).await;
        assert!(show.body.contains("Add to My Shows"));

        // Add from the show's page: back to it, saying so.
        let res = browser.post(&format!("/my-shows/{id}"), &[("watch_mode", "binge_after_season"), ("next", "show")]).await;
        assert_eq!(see_other(&res), format!("/shows/{id}?added=1"));
        let show = browser.get(&format!("/shows/{id}?added=1")).await;
        assert!(show.body.contains("Added to My Shows.") && show.body.contains("In My Shows: All at once"));
        assert_eq!(app.get_json("/api/v1/my-shows").await["items"][0]["watch_mode"], "binge_after_season");

        // A refused value: named beside its field, nothing saved.
        let res = browser.post(&format!("/my-shows/{id}"), &[("watch_mode", "as_aired"), ("binge_days", "400"), ("end_date", "2027-02-30")]).await;
        assert_eq!(res.status(), 422);
        let body = res.text().await.unwrap();
        assert!(body.contains(r#"<p class="error" id="binge_days-error">Enter a whole number from 1 to 365.</p>"#), "{body}");
        assert!(body.contains(r#"<p class="error" id="end_date-error">"#));
        assert!(body.contains(r#"value="400""#), "what was typed is kept");
        assert_eq!(app.get_json("/api/v1/my-shows").await["items"][0]["watch_mode"], "binge_after_season");

        // A change, then the list.
        let res = browser.post(&format!("/my-shows/{id}"), &[("watch_mode", "as_aired"), ("binge_days", "10"), ("season", "2"), ("start_after", "2027-01-15")]).await;
        assert_eq!(see_other(&res), format!("/my-shows?saved={id}"));
        let list = browser.get(&format!("/my-shows?saved={id}")).await;
        assert!(list.body.contains("Saved: Severance."), "{}", list.body);
        let api = app.get_json("/api/v1/my-shows").await;
        assert_eq!((api["items"][0]["binge_days"].as_u64(), api["items"][0]["season"].as_u64(), api["items"][0]["start_after"].as_str()), (Some(10), Some(2), Some("2027-01-15")));

        // Remove, undo.
        let res = browser.post(&format!("/my-shows/{id}/remove"), &[]).await;
        assert_eq!(see_other(&res), format!("/my-shows?removed={id}"));
        let list = browser.get(&format!("/my-shows?removed={id}")).await;
        assert!(list.body.contains("Removed Severance.") && list.body.contains(&format!(r#"action="/my-shows/{id}/restore""#)));
        assert!(list.body.contains("You have not picked any shows yet"));
        let res = browser.post(&format!("/my-shows/{id}/restore"), &[]).await;
        assert_eq!(see_other(&res), format!("/my-shows?restored={id}"));
        assert_eq!(app.get_json("/api/v1/my-shows").await["items"].as_array().unwrap().len(), 1);

        let actions = audit_actions(&app).await;
        for action in ["my_show.put", "my_show.delete", "my_show.restore"] {
            assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
        }
    }
}

on_both_backends! {
    async fn services_and_settings_are_kept_through_the_pages(backend: Backend) {
        let app = TestApp::spawn_with(backend, |s| s.catalog.load_demo = Some(false)).await;
        let mut browser = Browser::new(&app);
        let empty = browser.get("/my-services").await;
        assert!(empty.body.contains("No services yet"));

        let res = browser.post("/my-services", &[("service_id", "netflix"), ("permanent", "on"), ("monthly_price", "17,99"), ("currency", "usd")]).await;
        assert_eq!(res.status(), 422);
        let body = res.text().await.unwrap();
        assert!(body.contains(r#"id="monthly_price-error">Enter an amount such as 17.99."#), "{body}");
        let res = browser.post("/my-services", &[("service_id", "no-such"), ("monthly_price", "1")]).await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains(r#"id="service_id-error">Choose a service"#));
        // The core's own rule, beside its field: a price needs its currency.
        let res = browser.post("/my-services", &[("service_id", "netflix"), ("monthly_price", "17.99")]).await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains(r#"id="currency-error">is required with monthly_price"#));
        assert_eq!(app.get_json("/api/v1/my-services").await["items"], serde_json::json!([]));

        let res = browser.post("/my-services", &[("service_id", "netflix"), ("permanent", "on"), ("monthly_price", "17.99"), ("currency", "usd"), ("billing_cycle_days", "30")]).await;
        assert_eq!(see_other(&res), "/my-services?saved=netflix");
        let list = browser.get("/my-services?saved=netflix").await;
        assert!(list.body.contains("Saved: Netflix.") && list.body.contains("All the time") && list.body.contains("17.99 USD every 30 days"));
        let api = app.get_json("/api/v1/my-services").await;
        assert_eq!((api["items"][0]["permanent"].as_bool(), api["items"][0]["currency"].as_str()), (Some(true), Some("USD")));

        // Edit: unticking the box sends no field at all, and means "not permanent".
        let edit = browser.get("/my-services/netflix").await;
        assert!(edit.body.contains(r#"name="permanent" id="permanent" checked"#));
        let res = browser.post("/my-services/netflix", &[("monthly_price", "17.99"), ("currency", "USD"), ("min_contract_days", "30")]).await;
        assert_eq!(see_other(&res), "/my-services?saved=netflix");
        let api = app.get_json("/api/v1/my-services").await;
        assert_eq!((api["items"][0]["permanent"].as_bool(), api["items"][0]["min_contract_days"].as_u64()), (Some(false), Some(30)));
        let res = browser.post("/my-services/netflix/remove", &[]).await;
        assert_eq!(see_other(&res), "/my-services?removed=netflix");
        assert!(browser.get("/my-services?removed=netflix").await.body.contains("Removed Netflix."));

        // Settings: a refused value named, then saved; empty fields are the defaults.
        let res = browser.post("/settings", &[("country", "GB"), ("planner.min_confidence", "1.5")]).await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains(r#"id="planner.min_confidence-error">Enter a number from 0 to 1"#));
        let res = browser.post("/settings", &[("country", "gb"), ("planner.horizon_days", "120"), ("planner.min_confidence", "")]).await;
        assert_eq!(see_other(&res), "/settings?saved=1");
        let settings = app.get_json("/api/v1/settings").await;
        assert_eq!(settings["country"], "GB");
        assert_eq!(settings["planner"]["horizon_days"], 120);
        assert!(browser.get("/settings?saved=1").await.body.contains("Settings saved."));

        // The calendar link: in the response only, and it works.
        let res = browser.post("/settings/calendar", &[]).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["cache-control"], "no-store");
        let body = res.text().await.unwrap();
        let start = body.find(r#"id="calendar-url" value=""#).unwrap() + r#"id="calendar-url" value=""#.len();
        let url = &body[start..start + body[start..].find('"').unwrap()];
        assert!(url.starts_with(&app.address) && url.ends_with(".ics"), "{url}");
        let feed = app.client.get(url).send().await.unwrap();
        assert_eq!(feed.status(), 200);
        assert!(feed.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));

        let actions = audit_actions(&app).await;
        for action in ["my_service.put", "my_service.delete", "settings.put", "calendar_token.rotate"] {
            assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
        }
    }
}
