//! The endpoints: making, reading and comparing plans; what is refused, and how.

use super::support::{TODAY, app, binge, import, on, plan, step, steps, want};
use crate::support::{audit_actions, on_both_backends, problem};
use reqwest::Method;
use serde_json::{Value, json};

on_both_backends! {
    async fn a_reimport_that_moves_a_window_shows_the_moved_dates_in_the_delta(backend: Backend) {
        let app = app(backend).await;
        problem(app.get("/api/v1/plans/current").await, 404).await;
        problem(app.get("/api/v1/plans/current/delta").await, 404).await;
        import(&app, "household", &[("a", "Aurora Line")], json!([on("a", "max", "2027-03-10", None)])).await;
        let id = want(&app, "Aurora Line", &binge(14)).await;
        let first = plan(&app).await;
        assert_eq!(app.get_json("/api/v1/plans/current").await, first);

        // A first plan's delta: everything added, against nothing.
        let delta = app.get_json("/api/v1/plans/current/delta").await;
        assert_eq!((&delta["plan_id"], &delta["previous_id"]), (&first["id"], &json!(null)));
        assert_eq!(delta["added"].as_array().unwrap().len(), 2, "{delta:#}");
        assert_eq!(delta["peak_concurrent_subscriptions"], json!({"before": 0, "after": 1, "change": 1}));

        // The window now opens ten days later.
        import(&app, "household", &[("a", "Aurora Line")], json!([on("a", "max", "2027-03-20", None)])).await;
        let second = plan(&app).await;
        assert_eq!(second["previous_id"], first["id"]);
        assert_eq!(steps(&second), [step("subscribe", "max", "2027-03-20"), step("unsubscribe", "max", "2027-04-03")], "{second:#}");
        let delta = app.get_json("/api/v1/plans/current/delta").await;
        assert_eq!((&delta["plan_id"], &delta["previous_id"], &delta["previous_today"]), (&second["id"], &first["id"], &json!(TODAY)));
        assert_eq!(delta["moved"], json!([
            {"action": "subscribe", "service_id": "max", "from": "2027-03-10", "to": "2027-03-20", "days": 10, "show_ids": [id], "previous_show_ids": [id]},
            {"action": "unsubscribe", "service_id": "max", "from": "2027-03-24", "to": "2027-04-03", "days": 10, "show_ids": [id], "previous_show_ids": [id]},
        ]), "{delta:#}");
        assert_eq!((delta["added"].clone(), delta["removed"].clone(), delta["unchanged"].clone()), (json!([]), json!([]), json!([])));
        assert_eq!(delta["subscribed_days"], json!({"before": 14, "after": 14, "change": 0}));
        assert_eq!(delta["peak_concurrent_subscriptions"]["change"], 0);

        // The previous plan stays readable; each plan was audited.
        let path = format!("/api/v1/plans/{}", first["id"].as_str().unwrap());
        assert_eq!(app.get_json(&path).await, first);
        assert_eq!(app.get_json("/api/v1/plans/current").await, second);
        let actions = audit_actions(&app).await;
        assert_eq!(actions.iter().filter(|a| *a == "plan.generate").count(), 2, "{actions:?}");
    }
}

on_both_backends! {
    async fn a_plan_is_asked_for_with_an_optional_day_and_bad_input_is_named(backend: Backend) {
        let app = app(backend).await;
        // No body, `{}` and a null day: the server's date.
        let today = chrono::Utc::now().date_naive().to_string();
        for body in [None, Some("{}"), Some(r#"{"today": null}"#)] {
            let mut req = app.request(Method::POST, "/api/v1/plans");
            if let Some(body) = body {
                req = req.header("content-type", "application/json").body(body);
            }
            let res = req.send().await.unwrap();
            assert_eq!(res.status(), 201, "{body:?}");
            let made: Value = res.json().await.unwrap();
            let near = [today.clone(), (chrono::Utc::now().date_naive()).to_string()];
            assert!(near.contains(&made["today"].as_str().unwrap().to_owned()), "{made:#}");
        }
        for (body, field) in [
            (json!({"today": "2027-02-30"}), "today"),
            (json!({"today": "1 March 2027"}), "today"),
            (json!({"today": 20270301}), "today"),
            (json!({"today": "+12027-03-01"}), "today"),
            (json!({"tomorrow": "2027-03-01"}), "tomorrow"),
        ] {
            let refused = problem(app.post_json("/api/v1/plans", &body).await, 422).await;
            assert!(refused.to_string().contains(field), "{body}: {refused:#}");
        }
        problem(app.request(Method::POST, "/api/v1/plans").header("content-type", "application/json").body("{").send().await.unwrap(), 400).await;
        problem(app.request(Method::POST, "/api/v1/plans").header("content-type", "text/plain").body("today").send().await.unwrap(), 415).await;
        assert_eq!(audit_actions(&app).await.iter().filter(|a| *a == "plan.generate").count(), 3, "refused requests plan nothing");

        problem(app.get("/api/v1/plans/not-a-uuid").await, 404).await;
        problem(app.get("/api/v1/plans/0190d5c4-7b1e-7c3a-9f00-3c1a2b4d5e6f").await, 404).await;
    }
}

/// Waits until `done` re-plan jobs have succeeded and none is left to run (the embedded
/// worker polls every second and a re-plan is due 2 s after the change that queued it).
async fn replans_settled(app: &crate::support::TestApp, done: i64) {
    use sea_orm::{ConnectionTrait, Statement};
    let owner = app.db.owner().await;
    for _ in 0..300 {
        let row = owner
            .query_one_raw(Statement::from_string(
                owner.get_database_backend(),
                "SELECT \
                   SUM(CASE WHEN status = 'succeeded' THEN 1 ELSE 0 END) AS done, \
                   SUM(CASE WHEN status IN ('queued', 'running') THEN 1 ELSE 0 END) AS live \
                 FROM jobs WHERE kind = 'replan'",
            ))
            .await
            .unwrap()
            .unwrap();
        let succeeded = row.try_get::<Option<i64>>("", "done").unwrap().unwrap_or(0);
        let live = row.try_get::<Option<i64>>("", "live").unwrap().unwrap_or(0);
        if succeeded >= done && live == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the re-plan jobs did not finish");
}

on_both_backends! {
    async fn with_the_worker_on_a_what_if_plan_stays_as_of_its_day_and_its_delta_shows_the_move(backend: Backend) {
        // The embedded worker runs: every change below also re-plans in the background.
        let app = crate::support::TestApp::spawn(backend).await;
        import(&app, "household", &[("a", "Aurora Line")], json!([on("a", "max", "2027-03-10", None)])).await;
        let id = want(&app, "Aurora Line", &binge(14)).await;
        let first = plan(&app).await;

        // The re-plan the edit queued plans as of the what-if day too: the same plan, not kept.
        replans_settled(&app, 1).await;
        assert_eq!(app.get_json("/api/v1/plans/current").await, first);

        // A new listing moves the window; the catalog run re-plans in the background, as of
        // the same day.
        import(&app, "household", &[("a", "Aurora Line")], json!([on("a", "max", "2027-03-20", None)])).await;
        replans_settled(&app, 2).await;
        let replanned = app.get_json("/api/v1/plans/current").await;
        assert_eq!((&replanned["today"], &replanned["trigger"], &replanned["previous_id"]), (&json!(TODAY), &json!("catalog_refresh"), &first["id"]), "{replanned:#}");
        assert_eq!(steps(&replanned), [step("subscribe", "max", "2027-03-20"), step("unsubscribe", "max", "2027-04-03")]);

        // Asking again gives the same plan; its delta passes over the background re-plan and
        // shows the move since the member's own previous plan.
        let again = plan(&app).await;
        assert_eq!(again["previous_id"], replanned["id"]);
        let delta = app.get_json("/api/v1/plans/current/delta").await;
        assert_eq!((&delta["plan_id"], &delta["previous_id"]), (&again["id"], &first["id"]), "{delta:#}");
        assert_eq!(delta["moved"], json!([
            {"action": "subscribe", "service_id": "max", "from": "2027-03-10", "to": "2027-03-20", "days": 10, "show_ids": [id], "previous_show_ids": [id]},
            {"action": "unsubscribe", "service_id": "max", "from": "2027-03-24", "to": "2027-04-03", "days": 10, "show_ids": [id], "previous_show_ids": [id]},
        ]), "{delta:#}");
    }
}
