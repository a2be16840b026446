//! Conflicts between sources: found at import, shown with both facts' provenance, resolved
//! (choosing a fact, giving a value, or settling an identity) and deferred — each audited.

use crate::support::{TestApp, audit_actions, on_both_backends, problem};
use serde_json::{Value, json};

/// One source's word on "Yellowjackets" on Paramount+, and on "Slow Horses".
fn listing(source: &str, until: &str, slow_horses_on: &str, confidence: f64) -> Value {
    json!({
        "format": "psma-import/v1",
        "source_id": source,
        "retrieved_at": "2026-11-21T10:00:00Z",
        "shows": [
            {"ref": "yj", "title": "Yellowjackets", "year": 2021, "confidence": confidence},
            {"ref": "sh", "title": "Slow Horses", "year": 2022, "confidence": confidence}
        ],
        "availability": [
            {"show": "yj", "service_id": "paramount-plus", "country": "US", "available_from": "2026-11-01",
             "available_until": until, "confidence": confidence, "source_ref": format!("{source} page 1")},
            {"show": "sh", "service_id": slow_horses_on, "country": "US", "available_from": "2022-04-01",
             "confidence": confidence}
        ]
    })
}

async fn two_disagreeing_sources(app: &TestApp) -> Value {
    let first = app
        .import_json("", &listing("alpha", "2027-03-31", "apple-tv-plus", 0.9))
        .await;
    assert_eq!(first["conflicts"]["opened"], 0);
    let second = app
        .import_json(
            "",
            &listing("beta", "2026-12-15", "amazon-prime-video", 0.8),
        )
        .await;
    assert_eq!(second["conflicts"]["opened"], 2, "{second:#}");
    assert_eq!(second["shows"], json!({"created": 0, "matched": 2}));
    app.get_json("/api/v1/conflicts?status=open").await
}

fn dates_conflict(page: &Value) -> Value {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["service_id"] == "paramount-plus")
        .unwrap()
        .clone()
}

on_both_backends! {
    async fn disagreeing_sources_open_conflicts_with_both_facts_and_their_provenance(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let open = two_disagreeing_sources(&app).await;
        assert_eq!(open["items"].as_array().unwrap().len(), 2);
        let dates = dates_conflict(&open);
        assert_eq!(dates["kind"], "availability");
        assert_eq!(dates["status"], "open");
        assert_eq!(dates["country"], "US");
        assert!(dates["summary"].as_str().unwrap().contains("alpha says 2026-11-01 to 2027-03-31"), "{dates:#}");
        let facts = dates["facts"].as_array().unwrap();
        assert_eq!(facts.len(), 2);
        let sources: Vec<&str> = facts.iter().map(|f| f["fact"]["provenance"]["source_id"].as_str().unwrap()).collect();
        assert!(sources.contains(&"alpha") && sources.contains(&"beta"), "{sources:?}");
        for fact in facts {
            let provenance = &fact["fact"]["provenance"];
            assert!(provenance["retrieved_at"].is_string() && provenance["confidence"].is_number());
            assert!(provenance["source_ref"].as_str().unwrap().ends_with("page 1"));
        }
        let services = open["items"].as_array().unwrap().iter().find(|c| c["subject"].as_str().unwrap().ends_with("/service")).unwrap();
        assert!(services["summary"].as_str().unwrap().contains("alpha says apple-tv-plus; beta says amazon-prime-video"), "{services:#}");

        // The show marks the disputed window and lists the conflict.
        let show = app.get_json(&format!("/api/v1/shows/{}", dates["show_id"].as_str().unwrap())).await;
        let window = &show["availability"][0];
        assert_eq!(window["source_id"], "alpha", "the more confident source wins meanwhile");
        assert_eq!(window["contested"], true);
        assert_eq!(window["conflict_ids"], json!([dates["id"]]));
        assert_eq!(window["alternatives"][0]["source_id"], "beta");
        assert_eq!(show["conflicts"][0]["status"], "open");
        let id = dates["id"].as_str().unwrap();
        assert_eq!(app.get_json(&format!("/api/v1/conflicts/{id}")).await["id"], id);
    }
}

on_both_backends! {
    async fn choosing_a_fact_resolves_the_conflict_with_a_user_confirmation(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let open = two_disagreeing_sources(&app).await;
        let dates = dates_conflict(&open);
        let id = dates["id"].as_str().unwrap();
        let beta = dates["facts"].as_array().unwrap().iter().find(|f| f["fact"]["provenance"]["source_id"] == "beta").unwrap();
        let res = app
            .request(reqwest::Method::POST, &format!("/api/v1/conflicts/{id}/resolve"))
            .header("x-request-id", "resolve-1")
            .json(&json!({"fact_id": beta["id"], "note": "Checked the listing."}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let resolved: Value = res.json().await.unwrap();
        assert_eq!(resolved["status"], "resolved");
        assert_eq!(resolved["decision"]["resolution"], json!({"fact_id": beta["id"]}));
        assert_eq!(resolved["decision"]["note"], "Checked the listing.");
        let overruled = resolved["decision"]["overruled"].as_array().unwrap();
        assert_eq!(overruled.len(), 1, "the other source's fact is overruled");

        // The show now follows the choice, as the user's confirmation.
        let show = app.get_json(&format!("/api/v1/shows/{}", dates["show_id"].as_str().unwrap())).await;
        let window = &show["availability"][0];
        assert_eq!(window["source_id"], "user_confirmation");
        assert_eq!(window["available_until"], "2026-12-15");
        assert_eq!(window["confidence"], 1.0);
        assert_eq!(window["contested"], false);
        assert!(show["sources"].as_array().unwrap().iter().any(|s| s["source_id"] == "user_confirmation"));

        assert_eq!(app.get_json("/api/v1/conflicts?status=open").await["items"].as_array().unwrap().len(), 1);
        assert_eq!(app.get_json("/api/v1/conflicts?status=resolved").await["items"][0]["id"], id);
        assert_eq!(audit_actions(&app).await.last().unwrap(), "conflict.resolve");

        // Deferring a resolved conflict is refused; resolving again replaces the decision.
        problem(app.post_json(&format!("/api/v1/conflicts/{id}/defer"), &json!({})).await, 409).await;
        let alpha = dates["facts"].as_array().unwrap().iter().find(|f| f["fact"]["provenance"]["source_id"] == "alpha").unwrap();
        let again = app.post_json(&format!("/api/v1/conflicts/{id}/resolve"), &json!({"fact_id": alpha["id"]})).await;
        assert_eq!(again.status(), 200);
        let show = app.get_json(&format!("/api/v1/shows/{}", dates["show_id"].as_str().unwrap())).await;
        assert_eq!(show["availability"][0]["available_until"], "2027-03-31");
    }
}

on_both_backends! {
    async fn giving_a_value_or_deferring_settles_a_conflict(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let open = two_disagreeing_sources(&app).await;
        let services = open["items"].as_array().unwrap().iter().find(|c| c["subject"].as_str().unwrap().ends_with("/service")).unwrap().clone();
        let id = services["id"].as_str().unwrap();
        // Read first, so that a page kept from before the decision would show if it were served.
        let listed = app.get_json("/api/v1/shows?service_id=amazon-prime-video").await;
        assert_eq!(listed["items"][0]["id"], services["show_id"], "listed before the decision");
        let res = app.post_json(&format!("/api/v1/conflicts/{id}/resolve"), &json!({
            "value": {"service_id": "apple-tv-plus", "available_from": "2022-04-01"}
        })).await;
        assert_eq!(res.status(), 200);
        let show = app.get_json(&format!("/api/v1/shows/{}", services["show_id"].as_str().unwrap())).await;
        let windows = show["availability"].as_array().unwrap();
        assert_eq!(windows.len(), 1, "both sources' claims are overruled; the given value stands: {show:#}");
        assert_eq!(windows[0]["service_id"], "apple-tv-plus");
        assert_eq!(windows[0]["source_id"], "user_confirmation");
        let list = app.get_json("/api/v1/shows?service_id=amazon-prime-video").await;
        assert_eq!(list["items"], json!([]), "an overruled fact no longer lists the show");

        let dates = dates_conflict(&open);
        let deferred = app.post_json(&format!("/api/v1/conflicts/{}/defer", dates["id"].as_str().unwrap()), &json!({"note": "later"})).await;
        assert_eq!(deferred.status(), 200);
        let deferred: Value = deferred.json().await.unwrap();
        assert_eq!(deferred["status"], "deferred");
        assert_eq!(app.get_json("/api/v1/conflicts?status=open").await["items"], json!([]));
        assert_eq!(app.get_json("/api/v1/conflicts?status=deferred").await["items"][0]["id"], dates["id"]);
        let actions = audit_actions(&app).await;
        assert_eq!(&actions[actions.len() - 2..], ["conflict.resolve", "conflict.defer"]);
    }
}

on_both_backends! {
    async fn a_resolution_that_does_not_fit_is_refused_and_changes_nothing(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let open = two_disagreeing_sources(&app).await;
        let id = dates_conflict(&open)["id"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/conflicts/{id}/resolve");
        for body in [json!({"fact_id": "0190d5c4-7b1e-7c3a-9f00-3c1a2b4d5e6f"}), json!({"same_show": true})] {
            let res = problem(app.post_json(&path, &body).await, 409).await;
            assert_eq!(res["type"], "urn:psma:problem:conflict", "{body}: {res:#}");
        }
        for (body, field) in [
            (json!({}), "fact_id"),
            (json!({"fact_id": "0190d5c4-7b1e-7c3a-9f00-3c1a2b4d5e6f", "same_show": true}), "same_show"),
            (json!({"value": {"service_id": "max"}, "same_show": false}), "same_show"),
            (json!({"value": {"service_id": "blockbuster"}}), "value.service_id"),
            (json!({"value": {"service_id": "max", "available_from": "2027-01-01", "available_until": "2026-01-01"}}), "value.available_until"),
            (json!({"fact_id": "nope"}), "fact_id"),
            (json!({"value": {"service_id": "max"}, "colour": 1}), "colour"),
        ] {
            let res = problem(app.post_json(&path, &body).await, 422).await;
            assert_eq!(res["errors"][0]["field"], field, "{body}: {res:#}");
        }
        problem(app.post_json("/api/v1/conflicts/0190d5c4-7b1e-7c3a-9f00-3c1a2b4d5e6f/resolve", &json!({"same_show": false})).await, 404).await;
        assert_eq!(app.get_json("/api/v1/conflicts?status=open").await["items"].as_array().unwrap().len(), 2);
        assert!(!audit_actions(&app).await.iter().any(|a| a.starts_with("conflict.")));
    }
}

on_both_backends! {
    async fn an_uncertain_title_is_an_identity_conflict_and_merging_it_moves_its_facts(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        app.import_json("", &json!({"format": "psma-import/v1", "source_id": "alpha",
            "shows": [{"ref": "s", "title": "Shōgun", "year": 2024}],
            "availability": [{"show": "s", "service_id": "hulu", "country": "US", "available_from": "2024-02-27"}]})).await;
        // Same title, a year off: maybe the same show, maybe not. Never merged silently.
        let beta = json!({"format": "psma-import/v1", "source_id": "beta",
            "shows": [{"ref": "x", "title": "SHOGUN", "year": 2023, "external_ids": {"imdb": "tt2788316"}}],
            "episodes": [{"show": "x", "season": 2, "number": 1, "air_date": "2099-01-01"}]});
        let second = app.import_json("", &beta).await;
        assert_eq!(second["shows"], json!({"created": 1, "matched": 0}));
        assert_eq!(second["conflicts"]["opened"], 1);
        assert_eq!(app.get_json("/api/v1/shows?q=shogun").await["items"].as_array().unwrap().len(), 2);
        let conflict = app.get_json("/api/v1/conflicts?status=open").await["items"][0].clone();
        assert_eq!(conflict["kind"], "identity");
        assert_eq!(conflict["facts"].as_array().unwrap().len(), 2);
        assert!(conflict["summary"].as_str().unwrap().contains("may be the same show"), "{conflict:#}");

        let res = app.post_json(&format!("/api/v1/conflicts/{}/resolve", conflict["id"].as_str().unwrap()), &json!({"same_show": true})).await;
        assert_eq!(res.status(), 200);
        let shows = app.get_json("/api/v1/shows?q=shogun").await;
        assert_eq!(titles(&shows), ["Shōgun"], "the duplicate merged into the first show");
        let merged = app.get_json(&format!("/api/v1/shows/{}", shows["items"][0]["id"].as_str().unwrap())).await;
        assert_eq!(merged["upcoming_episodes"][0]["source_id"], "beta", "its facts moved over: {merged:#}");
        assert_eq!(merged["availability"][0]["service_id"], "hulu");

        // Its external id names the merged show: the same file again matches it, and another
        // source knowing the show only by that id finds it too.
        let again = app.import_json("", &beta).await;
        assert_eq!((again["shows"].clone(), again["conflicts"]["opened"].clone()), (json!({"created": 0, "matched": 1}), json!(0)));
        let gamma = app.import_json("", &json!({"format": "psma-import/v1", "source_id": "gamma",
            "shows": [{"ref": "g", "title": "Shogun (FX)", "external_ids": {"imdb": "tt2788316"}}]})).await;
        assert_eq!(gamma["shows"], json!({"created": 0, "matched": 1}), "{gamma:#}");
        assert_eq!(app.get_json("/api/v1/shows?q=shogun").await["items"].as_array().unwrap().len(), 1, "still one show");
    }
}

fn titles(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect()
}

on_both_backends! {
    async fn sources_that_agree_again_clear_the_conflict(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        two_disagreeing_sources(&app).await;
        let agreeing = app.import_json("", &listing("beta", "2027-03-30", "apple-tv-plus", 0.8)).await;
        assert_eq!(agreeing["conflicts"], json!({"opened": 0, "cleared": 2}));
        assert_eq!(app.get_json("/api/v1/conflicts?status=open").await["items"], json!([]));
        let resolved = app.get_json("/api/v1/conflicts?status=resolved").await;
        assert_eq!(resolved["items"].as_array().unwrap().len(), 2);
        assert!(resolved["items"][0]["cleared_at"].is_string());
        assert!(resolved["items"][0]["decision"].is_null(), "resolved by the data, not by a decision");
    }
}

/// Waits (up to 30 s) until the caller's current plan was made for `trigger`; returns it.
async fn plan_made_for(app: &TestApp, trigger: &str) -> Value {
    for _ in 0..300 {
        let res = app.get("/api/v1/plans/current").await;
        if res.status() == 200 {
            let plan: Value = res.json().await.unwrap();
            if plan["trigger"] == trigger {
                return plan;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no plan made for {trigger}");
}

on_both_backends! {
    async fn a_decision_on_a_selected_shows_conflict_re_plans_the_household(backend: Backend) {
        let app = TestApp::spawn_with(backend, |s| s.worker.poll_interval_ms = 50).await;
        let open = two_disagreeing_sources(&app).await;
        let dates = dates_conflict(&open);
        let show = dates["show_id"].as_str().unwrap();
        let res = app.request(reqwest::Method::PUT, &format!("/api/v1/my-shows/{show}"))
            .json(&json!({"watch_mode": "as_aired"})).send().await.unwrap();
        assert!(res.status().is_success());
        let before = plan_made_for(&app, "profile_change").await;
        let contested = |plan: &Value| plan["events"].as_array().unwrap().iter().any(|e| e["contested"] == true);
        assert!(contested(&before), "the disputed window is contested: {before:#}");

        let alpha = dates["facts"].as_array().unwrap().iter().find(|f| f["fact"]["provenance"]["source_id"] == "alpha").unwrap();
        let res = app.post_json(&format!("/api/v1/conflicts/{}/resolve", dates["id"].as_str().unwrap()), &json!({"fact_id": alpha["id"]})).await;
        assert_eq!(res.status(), 200);

        let after = plan_made_for(&app, "conflict_decision").await;
        assert_eq!(after["previous_id"], before["id"]);
        assert!(!contested(&after), "the decision settles the plan too: {after:#}");
        let cancel = after["events"].as_array().unwrap().iter().find(|e| e["action"] == "unsubscribe").unwrap();
        assert!(cancel["date"].as_str().unwrap() >= "2027-03-31", "the chosen window's end: {cancel:#}");
    }
}
