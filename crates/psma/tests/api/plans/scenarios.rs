//! The planner's rules as a new user meets them: a catalog imported, shows and services on the
//! profile, `POST /api/v1/plans` with `today` given.

use super::support::{app, binge, import, on, plan, step, steps, want};
use crate::support::on_both_backends;
use reqwest::Method;
use serde_json::json;

on_both_backends! {
    async fn one_show_on_one_service_is_subscribed_for_its_binge_and_cancelled_after_the_buffer(backend: Backend) {
        let app = app(backend).await;
        import(&app, "household", &[("a", "Aurora Line")], json!([on("a", "max", "2027-03-10", Some("2027-06-30"))])).await;
        let id = want(&app, "Aurora Line", &binge(14)).await;
        let plan = plan(&app).await;
        // Days 10–23 of March are the binge; the day after is the buffer's unsubscribe.
        assert_eq!(steps(&plan), [step("subscribe", "max", "2027-03-10"), step("unsubscribe", "max", "2027-03-24")], "{plan:#}");
        let subscribe = &plan["events"][0];
        assert_eq!(subscribe["show_ids"], json!([id]));
        assert!(subscribe["rationale"].as_str().unwrap().contains("Aurora Line"), "{subscribe:#}");
        assert!(plan["events"][1]["reason_codes"].as_array().unwrap().contains(&json!("BUFFER")), "{plan:#}");
        assert_eq!(plan["totals"]["subscribed_days"], 14);
        assert_eq!(plan["previous_id"], json!(null));
        assert_eq!(plan["trigger"], "request");
    }
}

on_both_backends! {
    async fn two_overlapping_shows_on_one_service_share_one_subscription(backend: Backend) {
        let app = app(backend).await;
        // Watched as they air, without a schedule: each is needed for its whole window.
        import(&app, "household", &[("a", "Aurora Line"), ("b", "Basalt")], json!([
            on("a", "max", "2027-03-10", Some("2027-03-25")), on("b", "max", "2027-03-15", Some("2027-03-31")),
        ])).await;
        let a = want(&app, "Aurora Line", &json!({"watch_mode": "as_aired"})).await;
        let b = want(&app, "Basalt", &json!({"watch_mode": "as_aired"})).await;
        let plan = plan(&app).await;
        // 10–25 March and 15–31 March merge into one subscription, cancelled on 1 April.
        assert_eq!(steps(&plan), [step("subscribe", "max", "2027-03-10"), step("unsubscribe", "max", "2027-04-01")], "{plan:#}");
        let mut both = vec![a, b];
        both.sort();
        assert_eq!(plan["events"][0]["show_ids"], json!(both));
        assert_eq!(plan["events"][1]["show_ids"], json!(both));
        assert!(plan["events"][0]["reason_codes"].as_array().unwrap().contains(&json!("MERGED")), "{plan:#}");
        assert_eq!(plan["totals"]["subscribed_days"], 22);
    }
}

on_both_backends! {
    async fn an_unknown_end_is_assumed_and_asked_about(backend: Backend) {
        let app = app(backend).await;
        import(&app, "household", &[("a", "Aurora Line")], json!([on("a", "max", "2027-02-01", None)])).await;
        let id = want(&app, "Aurora Line", &json!({"watch_mode": "as_aired"})).await;
        let plan = plan(&app).await;
        // No schedule, no end: needed from today for the default 30 days (to the 30th), and the
        // plan says so.
        assert_eq!(steps(&plan), [step("subscribe", "max", "2027-03-01"), step("unsubscribe", "max", "2027-03-31")], "{plan:#}");
        let subscribe = &plan["events"][0];
        assert!(!subscribe["assumptions"].as_array().unwrap().is_empty(), "{subscribe:#}");
        assert!(subscribe["reason_codes"].as_array().unwrap().contains(&json!("UNKNOWN_END")), "{subscribe:#}");
        let questions: Vec<&str> = plan["questions"].as_array().unwrap().iter().map(|q| q["id"].as_str().unwrap()).collect();
        assert!(questions.contains(&format!("show:{id}:end_date").as_str()), "{questions:?}");
    }
}

on_both_backends! {
    async fn a_provider_disagreement_is_planned_as_contested_or_asked_about(backend: Backend) {
        let app = app(backend).await;
        // The same window start, and very different ends.
        import(&app, "listings", &[("a", "Aurora Line")], json!([on("a", "max", "2027-03-10", Some("2027-03-18"))])).await;
        import(&app, "household", &[("a", "Aurora Line")], json!([on("a", "max", "2027-03-10", Some("2027-06-30"))])).await;
        let conflicts = app.get_json("/api/v1/conflicts?status=open").await;
        let conflict_ids: Vec<&str> = conflicts["items"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
        assert!(!conflict_ids.is_empty(), "the sources disagree: {conflicts:#}");
        let id = want(&app, "Aurora Line", &binge(14)).await;
        let plan = plan(&app).await;
        let contested: Vec<_> = plan["events"].as_array().unwrap().iter().filter(|e| e["contested"] == true).collect();
        let blocked = plan["blocked"].as_array().unwrap().iter().any(|b| b["show_id"] == id.as_str() && b["question_id"].is_string());
        assert!(!contested.is_empty() || blocked, "contested events or a blocked show with a question: {plan:#}");
        for event in contested {
            assert!(event["reason_codes"].as_array().unwrap().contains(&json!("CONTESTED")), "{event:#}");
            for c in event["conflict_ids"].as_array().unwrap() {
                assert!(conflict_ids.contains(&c.as_str().unwrap()), "{c} is an open conflict");
            }
            assert!(!event["conflict_ids"].as_array().unwrap().is_empty());
        }
    }
}

on_both_backends! {
    async fn a_show_on_a_permanent_service_is_covered_without_events(backend: Backend) {
        let app = app(backend).await;
        import(&app, "household", &[("a", "Aurora Line")], json!([on("a", "netflix", "2027-03-10", None)])).await;
        let res = app.request(Method::PUT, "/api/v1/my-services/netflix").json(&json!({"permanent": true})).send().await.unwrap();
        assert_eq!(res.status(), 201);
        let id = want(&app, "Aurora Line", &binge(14)).await;
        let plan = plan(&app).await;
        assert_eq!(plan["events"], json!([]), "{plan:#}");
        assert_eq!(plan["covered"].as_array().unwrap().len(), 1, "{plan:#}");
        assert_eq!((plan["covered"][0]["show_id"].as_str(), plan["covered"][0]["service_id"].as_str()), (Some(id.as_str()), Some("netflix")));
        assert_eq!(plan["totals"]["subscribed_days"], 0);
    }
}

on_both_backends! {
    async fn a_show_on_two_services_goes_where_another_show_already_needs_a_subscription(backend: Backend) {
        let app = app(backend).await;
        // Basalt is on Hulu and on Max; Aurora Line only on Max, at much the same time.
        import(&app, "household", &[("a", "Aurora Line"), ("b", "Basalt")], json!([
            on("b", "hulu", "2027-03-12", Some("2027-03-24")), on("b", "max", "2027-03-12", Some("2027-03-24")),
            on("a", "max", "2027-03-10", Some("2027-03-25")),
        ])).await;
        want(&app, "Aurora Line", &json!({"watch_mode": "as_aired"})).await;
        let b = want(&app, "Basalt", &json!({"watch_mode": "as_aired"})).await;
        let plan = plan(&app).await;
        assert_eq!(steps(&plan), [step("subscribe", "max", "2027-03-10"), step("unsubscribe", "max", "2027-03-26")], "{plan:#}");
        assert_eq!(plan["totals"]["subscribed_days"], 16, "one shared subscription, not two: {plan:#}");
        let alternatives = plan["events"][0]["alternatives"].as_array().unwrap();
        let hulu = alternatives.iter().find(|a| a["service_id"] == "hulu").unwrap_or_else(|| panic!("Hulu was considered: {plan:#}"));
        assert_eq!(hulu["show_ids"], json!([b]));
        assert!(["more_days", "higher_cost"].contains(&hulu["lost_because"].as_str().unwrap()), "{hulu:#}");
    }
}
