//! The offline adviser's loop on the demo catalog: raise, confirm, decline, answer, stale.

use super::support::{
    advice, advice_audit, binge_advice, demo_app, my_show, pending_where, post, put_show, settled,
    watch_as_aired,
};
use crate::support::{on_both_backends, problem};
use serde_json::{Value, json};

on_both_backends! {
    async fn a_binge_recommendation_is_raised_confirmed_and_changes_my_shows_and_the_plan(backend: Backend) {
        let app = demo_app(backend, |_| {}).await;
        // Netflix releases whole seasons at once (the demo's SBKB); Stranger Things has no
        // schedule, so watching it as it airs keeps Netflix for the assumed 30 days.
        let id = watch_as_aired(&app, "Stranger Things").await;
        let item = binge_advice(&app, &id).await;
        let recommendation = &item["recommendation"];
        assert_eq!(item["status"], "pending");
        assert_eq!(item["kind"], "recommendation");
        assert_eq!(recommendation["type"], "preference_change");
        let summary = recommendation["summary"].as_str().unwrap();
        assert!(
            summary.starts_with("Watch Stranger Things after the season is out: Netflix releases whole seasons at once; binging saves "),
            "{summary}"
        );
        assert_eq!(recommendation["proposed_change"]["watch_mode"], "binge_after_season");
        assert_eq!(item["adviser"]["adapter"], "offline");
        assert_eq!(item["adviser"]["profile"], "scheduler");
        assert!(!recommendation["based_on"].as_array().unwrap().is_empty());
        settled(&app).await;
        let before = app.get_json("/api/v1/plans/current").await;

        let advice_id = item["id"].as_str().unwrap();
        let res = post(&app, &format!("/api/v1/advice/{advice_id}/confirm")).await;
        assert_eq!(res.status(), 200);
        let decided: Value = res.json().await.unwrap();
        assert_eq!(decided["advice"]["status"], "confirmed");
        assert!(decided["advice"]["decided_at"].is_string());
        let days = &decided["delta"]["subscribed_days"];
        assert_eq!(days["before"], before["totals"]["subscribed_days"]);
        assert!(days["after"].as_u64() < days["before"].as_u64(), "{days}");
        let current = app.get_json("/api/v1/plans/current").await;
        assert_eq!(current["id"], decided["delta"]["plan_id"]);
        assert_eq!(current["trigger"], "advice");

        let mine = my_show(&app, &id).await;
        assert_eq!(mine["watch_mode"], "binge_after_season");

        // Confirmed once: a second confirmation is refused, and it is not raised again.
        let again = post(&app, &format!("/api/v1/advice/{advice_id}/confirm")).await;
        let body = problem(again, 409).await;
        assert!(body["detail"].as_str().unwrap().contains("confirmed"), "{body}");
        settled(&app).await;
        assert!(advice(&app, "pending").await.iter().all(|a| a["rule"] != "binge_saves"));

        let audit = advice_audit(&app).await;
        let about: Vec<&str> = audit.iter().filter(|(_, r)| r == advice_id).map(|(a, _)| a.as_str()).collect();
        assert_eq!(about, ["advice.create", "advice.confirm"]);
        let created = app
            .get_json(&format!("/api/v1/audit?resource=advice&resource_id={advice_id}"))
            .await;
        let create = created["items"].as_array().unwrap().iter().find(|e| e["action"] == "advice.create").unwrap();
        assert_eq!(create["after"]["adapter"], "offline");
        assert_eq!(create["after"]["rule"], "binge_saves");
        assert!(create["after"]["based_on"].as_array().is_some_and(|b| !b.is_empty()));
        assert!(create["actor"].is_string() && create["at"].is_string());
    }
}

on_both_backends! {
    async fn a_declined_recommendation_stays_declined_until_its_inputs_change(backend: Backend) {
        let app = demo_app(backend, |_| {}).await;
        let squid = watch_as_aired(&app, "Squid Game").await;
        let item = binge_advice(&app, &squid).await;
        let advice_id = item["id"].as_str().unwrap().to_owned();

        let res = post(&app, &format!("/api/v1/advice/{advice_id}/decline")).await;
        assert_eq!(res.status(), 200);
        let declined: Value = res.json().await.unwrap();
        assert_eq!(declined["status"], "declined");

        // New plans, new advice runs: the same situation is not raised again.
        for _ in 0..2 {
            let res = app.post_json("/api/v1/plans", &json!({})).await;
            assert_eq!(res.status(), 201);
            settled(&app).await;
        }
        let about_squid = |a: &Value| a["recommendation"]["proposed_change"]["show_id"] == squid.as_str();
        assert!(!advice(&app, "pending").await.iter().any(about_squid));
        let declined = advice(&app, "declined").await;
        assert_eq!(declined.len(), 1);
        assert_eq!(declined[0]["id"], advice_id.as_str());
        let declining = post(&app, &format!("/api/v1/advice/{advice_id}/decline")).await;
        problem(declining, 409).await;

        // Watching it in 10 days instead of 14 is another situation: advised afresh.
        put_show(&app, &squid, &json!({"watch_mode": "as_aired", "binge_days": 10})).await;
        let fresh = binge_advice(&app, &squid).await;
        assert_ne!(fresh["id"], advice_id.as_str());
        assert_eq!(fresh["recommendation"]["proposed_change"]["binge_days"], 10);
        let audit = advice_audit(&app).await;
        assert!(audit.contains(&("advice.decline".to_owned(), advice_id.clone())), "{audit:?}");
    }
}

on_both_backends! {
    async fn a_question_is_answered_with_a_day_that_becomes_the_shows_end(backend: Backend) {
        let app = demo_app(backend, |_| {}).await;
        let id = watch_as_aired(&app, "Squid Game").await;
        let question_id = format!("show:{id}:end_date");
        let item = pending_where(&app, |a| a["question"]["id"] == question_id.as_str()).await;
        assert_eq!(item["kind"], "question");
        assert_eq!(item["rule"], "unknown_end");
        assert_eq!(item["question"]["answer_schema"], json!({"type": "string", "format": "date"}));
        let advice_id = item["id"].as_str().unwrap();
        let path = format!("/api/v1/advice/{advice_id}/answer");

        let bad = app.post_json(&path, &json!({"answer": "next month"})).await;
        let body = problem(bad, 422).await;
        assert!(body.to_string().contains("answer"), "{body}");
        let confirming = post(&app, &format!("/api/v1/advice/{advice_id}/confirm")).await;
        problem(confirming, 409).await;

        let end = (chrono::Utc::now().date_naive() + chrono::Days::new(12)).to_string();
        let res = app.post_json(&path, &json!({"answer": end})).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        let decided: Value = res.json().await.unwrap();
        assert_eq!(decided["advice"]["status"], "answered");
        assert_eq!(decided["advice"]["answer"], end.as_str());

        let mine = my_show(&app, &id).await;
        assert_eq!(mine["end_date"], end.as_str());
        let plan = app.get_json("/api/v1/plans/current").await;
        let questions: Vec<&Value> = plan["questions"].as_array().unwrap().iter().collect();
        assert!(questions.iter().all(|q| q["id"] != question_id.as_str()), "{questions:?}");
        let audit = advice_audit(&app).await;
        assert!(audit.contains(&("advice.answer".to_owned(), advice_id.to_owned())), "{audit:?}");
    }
}

on_both_backends! {
    async fn advice_whose_situation_changed_cannot_be_confirmed(backend: Backend) {
        let app = demo_app(backend, |_| {}).await;
        let id = watch_as_aired(&app, "Stranger Things").await;
        let item = binge_advice(&app, &id).await;
        let advice_id = item["id"].as_str().unwrap();
        // The member binges it on their own before confirming.
        put_show(&app, &id, &json!({"watch_mode": "binge_after_season", "binge_days": 14})).await;

        let res = post(&app, &format!("/api/v1/advice/{advice_id}/confirm")).await;
        let body = problem(res, 409).await;
        assert!(body["detail"].as_str().unwrap().contains("stale"), "{body}");
        let expired = advice(&app, "expired").await;
        assert!(expired.iter().any(|a| a["id"] == advice_id), "{expired:#?}");
        let unknown = post(&app, "/api/v1/advice/0190a5b8-0000-7000-8000-000000000000/confirm").await;
        problem(unknown, 404).await;
    }
}

on_both_backends! {
    async fn a_disagreement_about_a_selected_show_is_settled_by_confirming_the_researchers_pick(backend: Backend) {
        let app = demo_app(backend, |_| {}).await;
        // Two sources disagree about when the show leaves Hulu; the later reading is the
        // more reliable one.
        for (source, at, until) in [("listing_a", "2026-11-01T09:00:00Z", "2027-01-31"), ("listing_b", "2026-11-20T09:00:00Z", "2027-03-31")] {
            app.import_json("", &json!({
                "format": "psma-import/v1", "source_id": source, "retrieved_at": at,
                "shows": [{"ref": "q", "title": "Quarrel Street", "year": 2025, "external_ids": {"tmdb": "tv:990001"}}],
                "availability": [{"show": "q", "service_id": "hulu", "country": "US", "available_from": "2026-10-01", "available_until": until}]
            })).await;
        }
        let id = watch_as_aired(&app, "Quarrel Street").await;
        let item = pending_where(&app, |a| a["rule"] == "open_conflict").await;
        let recommendation = &item["recommendation"];
        assert_eq!(recommendation["type"], "conflict_resolution", "{item:#}");
        assert_eq!(item["adviser"]["profile"], "researcher");
        let details = recommendation["details"].as_str().unwrap();
        assert!(details.contains("listing_a") && details.contains("listing_b"), "{details}");
        let conflict_id = recommendation["proposed_change"]["conflict_id"].as_str().unwrap().to_owned();
        let chosen = recommendation["proposed_change"]["fact_id"].as_str().unwrap().to_owned();
        let based_on: Vec<&str> = recommendation["based_on"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
        assert!(based_on.contains(&format!("conflict:{conflict_id}").as_str()), "{based_on:?}");
        assert!(based_on.contains(&format!("fact:{chosen}").as_str()), "{based_on:?}");

        let advice_id = item["id"].as_str().unwrap();
        let res = post(&app, &format!("/api/v1/advice/{advice_id}/confirm")).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        let conflict = app.get_json(&format!("/api/v1/conflicts/{conflict_id}")).await;
        assert_eq!(conflict["status"], "resolved", "{conflict:#}");
        let show = app.get_json(&format!("/api/v1/shows/{id}")).await;
        assert!(show.to_string().contains("user_confirmation"), "the choice is a user_confirmation fact: {show:#}");
    }
}
