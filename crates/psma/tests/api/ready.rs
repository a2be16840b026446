use crate::support::{
    Backend, TestApp, migration_count, newest_migration, on_both_backends, problem,
};

on_both_backends! {
    async fn ready_is_200_when_the_database_is_migrated(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let res = app.get("/ready").await;
        assert_eq!(res.status(), 200);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["status"], "ready");
        assert_eq!(body["database"], "ok");
        assert_eq!(body["pending_migrations"], serde_json::json!([]));
    }
}

on_both_backends! {
    async fn ready_is_503_naming_a_pending_migration(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let owner = app.db.owner_store().await;
        owner.migrate_down(Some(1)).await.unwrap();
        owner.close().await;

        let body = problem(app.get("/ready").await, 503).await;
        assert_eq!(body["type"], "urn:psma:problem:not-ready");
        assert_eq!(body["database"], "ok");
        assert_eq!(body["pending_migrations"], serde_json::json!([newest_migration()]));
    }
}

#[tokio::test]
async fn ready_is_503_when_the_database_is_unreachable() {
    if !Backend::postgres_available() {
        return;
    }
    let mut app = TestApp::spawn_with(Backend::Postgres, |s| {
        s.database.acquire_timeout_ms = 500;
    })
    .await;
    assert_eq!(app.get("/ready").await.status(), 200);
    app.db.drop_now();

    let body = problem(app.get("/ready").await, 503).await;
    assert_eq!(body["database"], "unreachable");
    // Liveness does not depend on the database.
    assert_eq!(app.get("/health").await.status(), 200);
}

#[tokio::test]
async fn ready_is_503_when_the_migration_record_is_gone() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    assert_eq!(app.get("/ready").await.status(), 200);
    // Replace the schema behind the app's back: the migration table vanishes.
    let owner = app.db.owner().await;
    sea_orm::ConnectionTrait::execute_unprepared(&owner, "DROP TABLE seaql_migrations")
        .await
        .unwrap();
    let body = problem(app.get("/ready").await, 503).await;
    assert_eq!(
        body["pending_migrations"].as_array().unwrap().len(),
        migration_count()
    );
}
