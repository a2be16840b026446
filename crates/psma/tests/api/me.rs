use crate::support::{TestApp, on_both_backends, problem};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

async fn audit_rows(app: &TestApp) -> Vec<serde_json::Value> {
    let owner = app.db.owner().await;
    let rows = owner
        .query_all_raw(Statement::from_string(
            owner.get_database_backend(),
            "SELECT action, seq, request_id FROM audit_log ORDER BY seq",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| {
            json!({
                "action": r.try_get::<String>("", "action").unwrap(),
                "seq": r.try_get::<i64>("", "seq").unwrap(),
                "request_id": r.try_get::<Option<String>>("", "request_id").unwrap(),
            })
        })
        .collect()
}

on_both_backends! {
    async fn me_in_local_mode_is_the_local_owner(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let res = app.get("/api/v1/me").await;
        assert_eq!(res.status(), 200);
        let me: serde_json::Value = res.json().await.unwrap();
        assert_eq!(me["auth_mode"], "local");
        assert_eq!(me["tenant"]["id"], "00000000-0000-7000-8000-000000000001");
        assert_eq!(me["tenant"]["name"], "Local");
        assert_eq!(me["user"]["display_name"], "Local user");
        assert_eq!(me["user"]["roles"], json!(["owner"]));
    }
}

on_both_backends! {
    async fn updating_the_display_name_persists_it_with_an_audit_entry(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let res = app
            .request(reqwest::Method::PATCH, "/api/v1/me")
            .header("x-request-id", "rename-1")
            .json(&json!({ "display_name": "  Ada Lovelace " }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let me: serde_json::Value = res.json().await.unwrap();
        assert_eq!(me["user"]["display_name"], "Ada Lovelace");

        let again: serde_json::Value = app.get("/api/v1/me").await.json().await.unwrap();
        assert_eq!(again["user"]["display_name"], "Ada Lovelace");

        // Entry 1 is the local tenant's creation; entry 2 is this change, tied to the request.
        let audit = audit_rows(&app).await;
        assert_eq!(audit.len(), 2, "{audit:?}");
        assert_eq!(audit[0]["action"], "tenant.create");
        assert_eq!(audit[1]["action"], "user.update_profile");
        assert_eq!(audit[1]["request_id"], "rename-1");
    }
}

on_both_backends! {
    async fn an_invalid_display_name_is_422_naming_the_field_and_changes_nothing(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        for bad in [json!({ "display_name": "   " }), json!({ "display_name": "x".repeat(101) })] {
            let body = problem(app.patch_json("/api/v1/me", &bad).await, 422).await;
            assert_eq!(body["type"], "urn:psma:problem:validation");
            assert_eq!(body["errors"][0]["field"], "display_name");
            assert_eq!(body["instance"], "/api/v1/me");
        }
        let me: serde_json::Value = app.get("/api/v1/me").await.json().await.unwrap();
        assert_eq!(me["user"]["display_name"], "Local user");
        assert_eq!(audit_rows(&app).await.len(), 1, "only the tenant's creation is audited");
    }
}

on_both_backends! {
    async fn restarting_keeps_one_local_tenant(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        app.patch_json("/api/v1/me", &json!({ "display_name": "Grace" })).await;
        // A second app on the same database: bootstrapping again must not duplicate or reset.
        let settings = app.db.settings();
        let second = psma::Application::build(settings).await.unwrap();
        let address = format!("http://127.0.0.1:{}", second.port());
        tokio::spawn(second.run_until_stopped());
        let me: serde_json::Value = app.client.get(format!("{address}/api/v1/me")).send().await.unwrap().json().await.unwrap();
        assert_eq!(me["user"]["display_name"], "Grace");
        let owner = app.db.owner().await;
        let row = owner
            .query_one_raw(Statement::from_string(owner.get_database_backend(), "SELECT COUNT(*) AS n FROM tenants"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.try_get::<i64>("", "n").unwrap(), 1);
    }
}

on_both_backends! {
    async fn concurrent_updates_all_succeed_and_keep_one_unbroken_audit_chain(backend: Backend) {
        let app = std::sync::Arc::new(TestApp::spawn(backend).await);
        let mut requests = Vec::new();
        for i in 0..24 {
            let app = app.clone();
            requests.push(tokio::spawn(async move {
                app.patch_json("/api/v1/me", &json!({ "display_name": format!("Name {i}") })).await.status().as_u16()
            }));
        }
        for request in requests {
            assert_eq!(request.await.unwrap(), 200);
        }
        let audit = audit_rows(&app).await;
        assert_eq!(audit.len(), 25, "one creation and 24 changes");
        let seqs: Vec<i64> = audit.iter().map(|a| a["seq"].as_i64().unwrap()).collect();
        assert_eq!(seqs, (1..=25).collect::<Vec<_>>());
    }
}
