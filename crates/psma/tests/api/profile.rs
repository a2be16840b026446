//! My Shows, My Services and settings: the caller's own, checked, soft-deleted, audited.

use crate::support::{TestApp, audit_actions, on_both_backends, problem};
use reqwest::Method;
use serde_json::{Value, json};

async fn put(app: &TestApp, path: &str, body: &Value) -> reqwest::Response {
    app.request(Method::PUT, path)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn delete(app: &TestApp, path: &str) -> reqwest::Response {
    app.request(Method::DELETE, path).send().await.unwrap()
}

on_both_backends! {
    async fn my_shows_are_added_changed_removed_and_restored(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let imported = app.import_json("", &json!({"format": "psma-import/v1",
            "shows": [{"ref": "s", "title": "Severance", "year": 2022}]})).await;
        assert_eq!(imported["shows"]["created"], 1, "{imported:#}");
        let shows = app.get_json("/api/v1/shows?q=severance").await;
        let id = shows["items"][0]["id"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/my-shows/{id}");
        assert_eq!(app.get_json("/api/v1/my-shows").await, json!({"items": []}));

        let res = put(&app, &path, &json!({"watch_mode": "binge_after_season"})).await;
        assert_eq!(res.status(), 201);
        let added: Value = res.json().await.unwrap();
        assert_eq!((added["show_id"].as_str(), added["binge_days"].as_u64()), (Some(id.as_str()), Some(14)), "the default binge_days: {added:#}");
        // `7.0` is the integer 7 to JSON Schema, so it is to PSMA.
        assert_eq!(added["end_date"], Value::Null, "no end date given: {added:#}");
        let res = put(&app, &path, &json!({"watch_mode": "as_aired", "binge_days": 7.0, "season": 2, "start_after": "2027-01-15", "end_date": "2027-06-30"})).await;
        assert_eq!(res.status(), 200);
        let changed: Value = res.json().await.unwrap();
        assert_eq!(changed["end_date"], "2027-06-30", "{changed:#}");
        let list = app.get_json("/api/v1/my-shows").await;
        assert_eq!(list["items"].as_array().unwrap().len(), 1);
        let mine = &list["items"][0];
        assert_eq!((mine["watch_mode"].as_str(), mine["binge_days"].as_u64(), mine["season"].as_u64(), mine["start_after"].as_str(), mine["end_date"].as_str()),
            (Some("as_aired"), Some(7), Some(2), Some("2027-01-15"), Some("2027-06-30")), "{mine:#}");
        // An end date before `start_after` is schema-valid, so it is kept (the planner reads it
        // as the first day only), never refused.
        let kept = put(&app, &path, &json!({"watch_mode": "as_aired", "start_after": "2027-01-15", "end_date": "2027-01-14"})).await;
        assert_eq!(kept.status(), 200, "{}", kept.text().await.unwrap());
        assert_eq!(app.get_json("/api/v1/my-shows").await["items"][0]["end_date"], "2027-01-14");

        assert_eq!(delete(&app, &path).await.status(), 204);
        assert_eq!(app.get_json("/api/v1/my-shows").await, json!({"items": []}));
        problem(delete(&app, &path).await, 404).await;
        // Undo: back as it was.
        let restored = app.post_json(&format!("{path}/restore"), &json!({})).await;
        assert_eq!(restored.status(), 200);
        let restored: Value = restored.json().await.unwrap();
        assert_eq!((restored["start_after"].as_str(), restored["end_date"].as_str()), (Some("2027-01-15"), Some("2027-01-14")), "{restored:#}");
        problem(app.post_json(&format!("{path}/restore"), &json!({})).await, 409).await;
        problem(app.post_json("/api/v1/my-shows/0190d5c4-7b1e-7c3a-9f00-3c1a2b4d5e6f/restore", &json!({})).await, 404).await;
        assert_eq!(delete(&app, &path).await.status(), 204);
        assert_eq!(put(&app, &path, &json!({"watch_mode": "as_aired"})).await.status(), 201, "put back: restored");

        // What is refused, naming why.
        problem(put(&app, "/api/v1/my-shows/0190d5c4-7b1e-7c3a-9f00-3c1a2b4d5e6f", &json!({"watch_mode": "as_aired"})).await, 404).await;
        problem(put(&app, "/api/v1/my-shows/not-a-uuid", &json!({"watch_mode": "as_aired"})).await, 404).await;
        for (body, field) in [
            (json!({"watch_mode": "as_aired", "binge_days": 0}), "binge_days"),
            (json!({"watch_mode": "as_aired", "binge_days": 7.5}), "binge_days"),
            (json!({"binge_days": 3}), "watch_mode"),
            (json!({"watch_mode": "binge"}), "watch_mode"),
            (json!({"watch_mode": "as_aired", "start_after": "2027-02-30"}), "start_after"),
            (json!({"watch_mode": "as_aired", "end_date": "2027-13-01"}), "end_date"),
            (json!({"watch_mode": "as_aired", "colour": "red"}), "colour"),
        ] {
            let refused = problem(put(&app, &path, &body).await, 422).await;
            assert!(refused.to_string().contains(field), "{field}: {refused:#}");
        }
        let actions = audit_actions(&app).await;
        for action in ["my_show.put", "my_show.delete", "my_show.restore"] {
            assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
        }
        assert_eq!(actions.iter().filter(|a| *a == "my_show.put").count(), 4, "refused changes are not audited: {actions:?}");
    }
}

on_both_backends! {
    async fn my_services_keep_terms_for_registry_services(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let res = put(&app, "/api/v1/my-services/netflix", &json!({"permanent": true})).await;
        assert_eq!(res.status(), 201);
        let res = put(&app, "/api/v1/my-services/max", &json!({"monthly_price": "16.99", "currency": "USD", "billing_cycle_days": 30, "min_contract_days": 30})).await;
        assert_eq!(res.status(), 201);
        let list = app.get_json("/api/v1/my-services").await;
        let ids: Vec<&str> = list["items"].as_array().unwrap().iter().map(|s| s["service_id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["max", "netflix"], "by service id");
        let max = &list["items"][0];
        assert_eq!((max["permanent"].as_bool(), max["monthly_price"].as_str(), max["currency"].as_str(), max["billing_cycle_days"].as_u64()),
            (Some(false), Some("16.99"), Some("USD"), Some(30)), "{max:#}");

        let no_currency = problem(put(&app, "/api/v1/my-services/max", &json!({"monthly_price": "16.99"})).await, 422).await;
        assert!(no_currency.to_string().contains("currency"), "{no_currency:#}");
        problem(put(&app, "/api/v1/my-services/max", &json!({"monthly_price": "-1", "currency": "USD"})).await, 422).await;
        problem(put(&app, "/api/v1/my-services/max", &json!({"billing_cycle_days": 0})).await, 422).await;
        problem(put(&app, "/api/v1/my-services/nope-tv", &json!({"permanent": true})).await, 404).await;
        problem(put(&app, "/api/v1/my-services/Not_A_Service", &json!({"permanent": true})).await, 404).await;
        assert_eq!(app.get_json("/api/v1/my-services").await["items"][0]["monthly_price"], "16.99", "a refused change changes nothing");

        assert_eq!(delete(&app, "/api/v1/my-services/max").await.status(), 204);
        problem(delete(&app, "/api/v1/my-services/max").await, 404).await;
        assert_eq!(app.get_json("/api/v1/my-services").await["items"].as_array().unwrap().len(), 1);
        let restored = app.post_json("/api/v1/my-services/max/restore", &json!({})).await;
        assert_eq!(restored.status(), 200);
        let restored: Value = restored.json().await.unwrap();
        assert_eq!(restored["monthly_price"], "16.99", "back with its terms: {restored:#}");
        problem(app.post_json("/api/v1/my-services/max/restore", &json!({})).await, 409).await;
        problem(app.post_json("/api/v1/my-services/hulu/restore", &json!({})).await, 404).await;
        let actions = audit_actions(&app).await;
        assert!(actions.iter().any(|a| a == "my_service.delete") && actions.iter().any(|a| a == "my_service.restore"), "{actions:?}");
    }
}

on_both_backends! {
    async fn settings_are_the_defaults_until_the_caller_sets_them(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let defaults = app.get_json("/api/v1/settings").await;
        assert_eq!(defaults["country"], "US");
        assert_eq!(defaults["planner"], json!({"unsubscribe_buffer_days": 1, "merge_adjacency_days": 1, "unknown_end_horizon_days": 30,
            "stale_after_days": 14, "min_confidence": null, "horizon_days": 365, "binge_days": 14}));
        assert_eq!(defaults["overridden"], json!([]));

        let res = put(&app, "/api/v1/settings", &json!({"country": "GB", "planner": {"horizon_days": 90, "min_confidence": 0.6}})).await;
        assert_eq!(res.status(), 200);
        let mine = app.get_json("/api/v1/settings").await;
        assert_eq!((mine["country"].as_str(), mine["planner"]["horizon_days"].as_u64(), mine["planner"]["unsubscribe_buffer_days"].as_u64()), (Some("GB"), Some(90), Some(1)));
        assert_eq!(mine["overridden"], json!(["country", "planner.min_confidence", "planner.horizon_days"]));

        for (body, field) in [
            (json!({"planner": {"horizon_days": 0}}), "horizon_days"),
            (json!({"planner": {"min_confidence": 1.5}}), "min_confidence"),
            (json!({"country": "gb"}), "country"),
            (json!({"planner": {"binge_days": 3}}), "binge_days"),
        ] {
            let refused = problem(put(&app, "/api/v1/settings", &body).await, 422).await;
            assert!(refused.to_string().contains(field), "{field}: {refused:#}");
        }
        assert_eq!(app.get_json("/api/v1/settings").await["country"], "GB", "refused: unchanged");
        let reset: Value = put(&app, "/api/v1/settings", &json!({})).await.json().await.unwrap();
        assert_eq!((reset["country"].as_str(), reset["overridden"].clone()), (Some("US"), json!([])), "left out: back to the default");
        let actions = audit_actions(&app).await;
        assert_eq!(actions.iter().filter(|a| *a == "settings.put").count(), 2, "{actions:?}");
    }
}
