use crate::support::{Backend, TestDatabase, on_both_backends};
use sea_orm::{ConnectionTrait, Statement};

async fn tables(db: &TestDatabase) -> Vec<String> {
    let conn = db.owner().await;
    let sql = match db.backend {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        Backend::Postgres => {
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        }
    };
    let rows = conn
        .query_all_raw(Statement::from_string(conn.get_database_backend(), sql))
        .await
        .unwrap();
    rows.iter()
        .map(|r| r.try_get::<String>("", "name").unwrap())
        .collect()
}

async fn has_vector_extension(db: &TestDatabase) -> bool {
    let conn = db.owner().await;
    let row = conn
        .query_one_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT COUNT(*) AS n FROM pg_extension WHERE extname = 'vector'",
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap() == 1
}

on_both_backends! {
    async fn migrations_go_up_down_and_up_again(backend: Backend) {
        let db = TestDatabase::create(backend).await;
        let store = db.owner_store().await;
        let expected = [
            "account_tokens", "advice", "audit_log", "calendar_tokens", "catalog_generations", "catalog_sources", "conflict_decisions", "conflicts", "fact_changes",
            "fact_overrules", "facts", "ingest_runs", "jobs", "my_services", "my_shows", "oauth_flows", "plan_events", "plans", "refresh_tokens", "roles", "seaql_migrations",
            "show_external_ids", "shows", "tenants", "user_identities", "user_roles", "user_settings", "users",
        ];

        store.migrate_up().await.unwrap();
        assert_eq!(tables(&db).await, expected);
        assert!(store.migration_status().await.unwrap().iter().all(|(_, applied)| *applied));
        if backend == Backend::Postgres {
            assert!(has_vector_extension(&db).await);
        }

        store.migrate_down(None).await.unwrap();
        assert_eq!(tables(&db).await, ["seaql_migrations"], "down leaves only the bookkeeping table");
        if backend == Backend::Postgres {
            assert!(!has_vector_extension(&db).await);
        }

        store.migrate_up().await.unwrap();
        assert_eq!(tables(&db).await, expected);
        store.close().await;
    }
}

#[tokio::test]
async fn every_tenant_table_has_forced_row_level_security_on_postgres() {
    if !Backend::postgres_available() {
        return;
    }
    let db = TestDatabase::create(Backend::Postgres).await;
    let store = db.owner_store().await;
    store.migrate_up().await.unwrap();
    let conn = db.owner().await;
    let rows = conn
        .query_all_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT relname AS name, relrowsecurity AS rls, relforcerowsecurity AS forced \
             FROM pg_class WHERE relname IN ('tenants', 'users', 'user_roles', 'audit_log') ORDER BY relname",
        ))
        .await
        .unwrap();
    assert_eq!(rows.len(), 4);
    for row in rows {
        let name: String = row.try_get("", "name").unwrap();
        assert!(row.try_get::<bool>("", "rls").unwrap(), "{name} lacks RLS");
        assert!(
            row.try_get::<bool>("", "forced").unwrap(),
            "{name} lacks FORCE RLS"
        );
    }
}

/// Rows of `table` as the local household sees them (on PostgreSQL the catalog's row-level
/// security applies to the owner too, so the owner's connection takes the household's tenant).
async fn rows(db: &TestDatabase, table: &str) -> i64 {
    let conn = db.owner().await;
    let backend = conn.get_database_backend();
    if backend == sea_orm::DbBackend::Postgres {
        conn.execute_unprepared("SELECT set_config('app.current_tenant_id', (SELECT id::text FROM tenants LIMIT 1), false)")
            .await
            .unwrap();
    }
    let row = conn
        .query_one_raw(Statement::from_string(
            backend,
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

on_both_backends! {
    async fn changes_made_before_versions_stood_for_them_read_the_same_after(backend: Backend) {
        // A first import and a re-import that modifies, adds and removes: its changes, as read.
        let app = crate::support::TestApp::spawn_with(backend, |s| s.catalog.load_demo = Some(false)).await;
        app.import_json("", &crate::imports::catalog("family")).await;
        let mut changed = crate::imports::catalog("family");
        changed["availability"][1]["available_until"] = serde_json::json!("2026-12-31");
        changed["availability"].as_array_mut().unwrap().remove(2);
        let summary = app.import_json("", &changed).await;
        assert_eq!((summary["facts"]["changed"].as_u64(), summary["facts"]["ended"].as_u64()), (Some(1), Some(1)));
        let read = app.get_json("/api/v1/changes?limit=200").await;
        assert_eq!(read["items"].as_array().unwrap().len(), 12, "{read:#}");
        assert_eq!(rows(&app.db, "fact_changes").await, 1, "only the removal is a row of its own");

        // Undone, every version is a change row again (as before the migration)...
        let store = app.db.owner_store().await;
        let steps = crate::support::migrations_down_to("m20261204_000003_versions_are_changes");
        store.migrate_down(Some(steps)).await.unwrap();
        assert_eq!(rows(&app.db, "fact_changes").await, 12);
        // ...and done again, the rows move back onto their versions: the same changes, ids and all.
        store.migrate_up().await.unwrap();
        assert_eq!(rows(&app.db, "fact_changes").await, 1);
        assert_eq!(app.get_json("/api/v1/changes?limit=200").await, read);
        store.close().await;
    }
}
