//! Conflicts, import and providers through their pages: the competing facts side by side and
//! decided with a button, a file uploaded with its problems named by line, refreshes asked for.

use super::{Browser, assert_csp_clean, see_other};
use crate::support::{TestApp, audit_actions, on_both_backends};

on_both_backends! {
    async fn conflicts_show_both_sides_and_are_resolved_or_deferred(backend: Backend) {
        let app = TestApp::spawn_with(backend, |s| s.catalog.load_demo = None).await;
        let open = app.get_json("/api/v1/conflicts?status=open").await;
        let open = open["items"].as_array().unwrap().clone();
        assert!(open.len() >= 2, "the demo's sources disagree twice");
        let mut browser = Browser::new(&app);
        let list = browser.get("/conflicts").await;
        assert_csp_clean(&list.body);
        for c in &open {
            assert!(list.body.contains(&format!(r#"href="/conflicts/{}""#, c["id"].as_str().unwrap())));
        }

        let first = open[0]["id"].as_str().unwrap();
        let detail = browser.get(&format!("/conflicts/{first}")).await;
        assert_eq!(detail.status, 200);
        let facts = open[0]["facts"].as_array().unwrap();
        for fact in facts {
            let id = fact["id"].as_str().unwrap();
            assert!(detail.body.contains(&format!(r#"<input type="hidden" name="fact_id" value="{id}">"#)), "a button per side");
        }
        assert!(detail.body.contains("demo_listings") && detail.body.contains("Confidence"));
        let chosen = facts[1]["id"].as_str().unwrap();
        let res = browser.post(&format!("/conflicts/{first}/resolve"), &[("fact_id", chosen), ("note", "Checked it")]).await;
        assert_eq!(see_other(&res), format!("/conflicts/{first}?done=resolved"));
        let resolved = app.get_json(&format!("/api/v1/conflicts/{first}")).await;
        assert_eq!(resolved["status"], "resolved");
        assert_eq!(resolved["decision"]["resolution"]["fact_id"], chosen);
        let page = browser.get(&format!("/conflicts/{first}?done=resolved")).await;
        assert!(page.body.contains("Your choice") && page.body.contains("Your note: Checked it"));

        let second = open[1]["id"].as_str().unwrap();
        let res = browser.post(&format!("/conflicts/{second}/defer"), &[("note", "")]).await;
        assert_eq!(see_other(&res), format!("/conflicts/{second}?done=deferred"));
        assert_eq!(app.get_json(&format!("/api/v1/conflicts/{second}")).await["status"], "deferred");
        assert!(browser.get("/conflicts?status=deferred").await.body.contains(second));

        let actions = audit_actions(&app).await;
        assert!(actions.iter().any(|a| a == "conflict.resolve") && actions.iter().any(|a| a == "conflict.defer"), "{actions:?}");
    }
}

const HEADER: &str = "title,year,service_id,country,available_from,available_until,monetization,confidence,source_ref";

on_both_backends! {
    async fn an_uploaded_file_is_imported_or_its_problems_named_by_line(backend: Backend) {
        let app = TestApp::spawn_with(backend, |s| s.catalog.load_demo = Some(false)).await;
        let mut browser = Browser::new(&app);
        let form = browser.get("/import").await;
        assert!(form.body.contains(r#"enctype="multipart/form-data""#));

        let bad = format!("{HEADER}\nPluribus,2025,apple-tv-plus,US,2025-11-07,,flatrate,0.9,\nSlow Horses,2022,apple-tv-plus,US,2022-31-01,,flatrate,0.9,\n");
        let res = browser.upload("mine.csv", "text/csv", &bad, "my_list").await;
        assert_eq!(res.status(), 422);
        let body = res.text().await.unwrap();
        assert!(body.contains("Nothing was imported"), "{body}");
        assert!(body.contains("<td>line 3</td><td>available_from</td>"), "the line and the field: {body}");
        assert_eq!(app.get_json("/api/v1/shows").await["items"], serde_json::json!([]), "all or nothing");

        let res = browser.upload("nothing.txt", "text/plain", "hello", "").await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains(r#"<p class="error" id="file-error">Choose a .json"#));

        let good = format!("{HEADER}\nPluribus,2025,apple-tv-plus,US,2025-11-07,,flatrate,0.9,\n\"Slow Horses\",2022,apple-tv-plus,US,2022-04-01,,flatrate,0.9,\n");
        let res = browser.upload("mine.csv", "text/csv", &good, "my_list").await;
        assert_eq!(res.status(), 200);
        let body = res.text().await.unwrap();
        assert!(body.contains("Imported from my_list") && body.contains("<dt>Shows created</dt><dd>2</dd>"), "{body}");
        assert_eq!(app.get_json("/api/v1/shows").await["items"].as_array().unwrap().len(), 2);

        // Without the form's token nothing is read into the catalog.
        let mut stranger = Browser::new(&app);
        stranger.get("/").await;
        let mut forged = Browser::new(&app);
        forged.get("/").await;
        let other = format!("{HEADER}\nAnother Show,2020,netflix,US,2020-01-01,,flatrate,0.9,\n");
        // The token of one visit sent with another visit's cookie.
        let token = stranger.token();
        let res = forged.upload_with_token("x.csv", &other, &token).await;
        assert_eq!(res.status(), 403);
        assert_eq!(app.get_json("/api/v1/shows").await["items"].as_array().unwrap().len(), 2);

    }
}

on_both_backends! {
    async fn a_disabled_provider_is_said_to_need_its_key(backend: Backend) {
        let app = TestApp::spawn_with(backend, |s| s.catalog.load_demo = Some(false)).await;
        let mut browser = Browser::new(&app);
        let page = browser.get("/providers").await;
        assert_eq!(page.status, 200);
        assert_csp_clean(&page.body);
        let api = app.get_json("/api/v1/providers").await;
        for p in api["items"].as_array().unwrap() {
            assert!(page.body.contains(p["display_name"].as_str().unwrap()));
        }
        let res = browser.post("/providers/refresh", &[("provider", "tmdb")]).await;
        let location = see_other(&res);
        assert!(location.starts_with("/providers?refused="), "{location}");
        let shown = browser.get(&location).await;
        assert!(shown.body.contains(r#"<p class="notice warn">"#));
        let res = browser.post("/providers/refresh", &[("provider", "no_such")]).await;
        assert_eq!(res.status(), 404);
    }
}
