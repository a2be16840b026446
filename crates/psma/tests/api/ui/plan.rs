//! The plan, what changed and the advice inbox through their pages: the timeline drawn by the
//! server from the same plan the API returns, every bar linked to its explanation, and advice
//! confirmed, declined and answered with forms.

use super::{Browser, assert_csp_clean, escape, see_other};
use crate::advice::support::{binge_advice, demo_app, pending_where, show_id};
use crate::support::{audit_actions, on_both_backends};

on_both_backends! {
    async fn the_plan_page_draws_the_plan_the_api_returns(backend: Backend) {
        let app = demo_app(backend, |_| {}).await;
        let mut browser = Browser::new(&app);
        assert!(browser.get("/plan").await.body.contains("Pick your shows first"));
        for title in ["Severance", "The Bear", "Andor"] {
            let id = show_id(&app, title).await;
            browser.get(&format!("/shows/{id}")).await;
            let res = browser.post(&format!("/my-shows/{id}"), &[("watch_mode", "as_aired"), ("next", "show")]).await;
            assert_eq!(see_other(&res), format!("/shows/{id}?added=1"));
        }
        let res = browser.post("/plan", &[]).await;
        assert_eq!(see_other(&res), "/plan");
        let page = browser.get("/plan").await;
        assert_eq!(page.status, 200);
        assert_csp_clean(&page.body);
        let plan = app.get_json("/api/v1/plans/current").await;
        let events = plan["events"].as_array().unwrap();
        let subscribes = events.iter().filter(|e| e["action"] == "subscribe").count();
        assert!(subscribes >= 2, "{plan:#}");
        assert!(page.body.contains(r#"<svg class="timeline""#));
        assert_eq!(page.body.matches(r#"class="tl-bar"#).count(), subscribes, "a bar per subscription");
        // Every bar links to its explanation, which is on the page.
        for part in page.body.split(r##"<a href="#ev-"##).skip(1) {
            let anchor = format!("ev-{}", &part[..part.find('"').unwrap()]);
            assert!(page.body.contains(&format!(r#"<li id="{anchor}" class="step"#)), "{anchor}");
        }
        assert_eq!(page.body.matches(r#"<li id="ev-"#).count(), events.len(), "a step per event");
        assert!(page.body.contains("Without planning") && page.body.contains("Days subscribed"));
        let days = plan["totals"]["subscribed_days"].as_u64().unwrap();
        assert!(page.body.contains(&format!("<td>{days} days</td>")));
        for question in plan["questions"].as_array().unwrap() {
            assert!(page.body.contains(&escape(question["text"].as_str().unwrap())));
        }

        let delta = browser.get("/plan/delta").await;
        assert_eq!(delta.status, 200);
        assert!(delta.body.contains("This is your first plan"));
        assert_eq!(delta.body.matches(r#"<li id="ev-"#).count(), events.len(), "all of it is new");
    }
}

on_both_backends! {
    async fn advice_is_confirmed_declined_and_answered_from_the_inbox(backend: Backend) {
        let app = demo_app(backend, |_| {}).await;
        let mut browser = Browser::new(&app);
        let empty = browser.get("/advice").await;
        assert!(empty.body.contains("Nothing to decide"));
        // Netflix releases whole seasons at once: watching Stranger Things as it airs raises a
        // binge recommendation; Severance, with no known end, a question.
        for title in ["Stranger Things", "Severance"] {
            let id = show_id(&app, title).await;
            browser.get(&format!("/my-shows/{id}")).await;
            let res = browser.post(&format!("/my-shows/{id}"), &[("watch_mode", "as_aired")]).await;
            assert_eq!(see_other(&res), format!("/my-shows?saved={id}"));
        }
        let stranger = show_id(&app, "Stranger Things").await;
        let binge = binge_advice(&app, &stranger).await;
        let question = pending_where(&app, |a| a["kind"] == "question").await;
        let inbox = browser.get("/advice").await;
        assert_csp_clean(&inbox.body);
        let (binge_id, question_id) = (binge["id"].as_str().unwrap(), question["id"].as_str().unwrap());
        assert!(inbox.body.contains(&format!(r#"action="/advice/{binge_id}/confirm""#)));
        assert!(inbox.body.contains(&format!(r#"action="/advice/{question_id}/answer""#)));

        // An answer the question cannot take is named beside it; nothing is decided.
        let res = browser.post(&format!("/advice/{question_id}/answer"), &[("answer", "")]).await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains(&format!(r#"<p class="error" id="answer-{question_id}-error">"#)));

        // Declined first: confirming changes My Shows, and the re-plan that follows may replace
        // the question with a new one (the old then is out of date).
        let res = browser.post(&format!("/advice/{question_id}/decline"), &[]).await;
        assert_eq!(see_other(&res), format!("/advice?done=declined&id={question_id}"));
        let declined = app.get_json("/api/v1/advice?status=declined").await;
        assert!(declined["items"].as_array().unwrap().iter().any(|a| a["id"] == question_id));

        let res = browser.post(&format!("/advice/{binge_id}/confirm"), &[]).await;
        assert_eq!(see_other(&res), format!("/advice?done=confirmed&id={binge_id}"));
        let done = browser.get(&format!("/advice?done=confirmed&id={binge_id}")).await;
        assert!(done.body.contains("Confirmed: the change is made") && done.body.contains(r#"href="/plan/delta""#));
        let mine = app.get_json("/api/v1/my-shows").await;
        let stranger_wish = mine["items"].as_array().unwrap().iter().find(|s| s["show_id"] == stranger.as_str()).unwrap().clone();
        assert_eq!(stranger_wish["watch_mode"], "binge_after_season", "confirming made the change");

        // Deciding again: the advice is no longer pending — said, not an error page.
        let res = browser.post(&format!("/advice/{question_id}/decline"), &[]).await;
        assert_eq!(see_other(&res), format!("/advice?done=stale&id={question_id}"));
        assert!(browser.get("/advice?status=all").await.body.contains("Declined"));

        let actions = audit_actions(&app).await;
        assert!(actions.iter().any(|a| a == "advice.confirm"), "{actions:?}");
        assert!(actions.iter().any(|a| a == "advice.decline"), "{actions:?}");
    }
}
