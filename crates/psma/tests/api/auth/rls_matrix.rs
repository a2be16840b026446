//! The row-level security matrix (issue 9, item 4), generated from the schema: every table with
//! row-level security × select / insert / update / delete × (no tenant set, another tenant set),
//! as the app role `psma serve` connects as (no BYPASSRLS). Tenant A's rows come from a real
//! household's use of the API, so each table holds some; not one leaks, moves or is forged.
//! A new tenant table joins the matrix by being in the schema (and must be filled by the
//! scenario below: the test names a table it finds empty).

use super::oauth::{oauth_app, sign_in, start, tokens};
use super::oauth_mock::{Forgery, MockIdp, Person};
use super::support::{PASSWORD, get_as, post, post_as, printed_token, psma};
use crate::support::{Backend, TestApp};
use reqwest::Method;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, Statement,
    TransactionTrait,
};
use serde_json::{Value, json};

/// Tables with a `tenant_id` that are not tenant-confined, and why.
const NOT_CONFINED: [(&str, &str); 1] = [(
    "jobs",
    "the queue holds ids only and is claimed across tenants by workers (ADR 0002)",
)];

/// Tables with row-level security but no tenant: reachable only in a system context.
const SYSTEM_ONLY: [(&str, &str); 1] = [(
    "oauth_flows",
    "started sign-ins through a provider, before any tenant is known (ADR 0030)",
)];

fn sql(text: &str) -> Statement {
    Statement::from_string(DbBackend::Postgres, text.to_owned())
}

async fn scalar(db: &impl ConnectionTrait, text: &str) -> i64 {
    db.query_one_raw(sql(text))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap()
}

async fn strings(db: &impl ConnectionTrait, text: &str) -> Vec<String> {
    db.query_all_raw(sql(text))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get::<String>("", "s").unwrap())
        .collect()
}

/// A household (tenant A) that uses every part of PSMA; its id and the owner's token.
pub(super) async fn busy_household(app: &TestApp, name: &str) -> (String, String) {
    let created = psma(
        app,
        &[
            "tenant",
            "create",
            "--name",
            name,
            "--owner-email",
            &format!("owner@{name}.test"),
        ],
    );
    let tenant = String::from_utf8_lossy(&created.stdout)
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .to_owned();
    let signed: Value = post(
        app,
        "/api/v1/auth/password-reset",
        &json!({"token": printed_token(&created), "password": PASSWORD}),
    )
    .await
    .json()
    .await
    .unwrap();
    let token = signed["access_token"].as_str().unwrap().to_owned();
    // Private catalog data from two sources that disagree (facts, shows, runs, changes, conflicts).
    for (source, until) in [("alpha", "2027-03-31"), ("beta", "2026-12-20")] {
        let doc = json!({"format": "psma-import/v1", "source_id": source, "retrieved_at": "2026-11-21T10:00:00Z",
            "shows": [{"ref": "p", "title": format!("Private Show of {name}"), "year": 2025, "confidence": 0.9,
                "external_ids": {"psma_test": format!("{name}-1")}}],
            "availability": [{"show": "p", "service_id": "netflix", "country": "US", "available_from": "2026-11-01", "available_until": until, "confidence": 0.9}]});
        let res = post_as(app, "/api/v1/imports", &token, &doc).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    }
    // A source that drops a fact it listed: a removal (a change row of its own).
    let gamma = |episodes: Value| {
        json!({"format": "psma-import/v1", "source_id": "gamma",
        "shows": [{"ref": "g", "title": format!("Other Show of {name}"), "year": 2024}], "episodes": episodes})
    };
    for episodes in [
        json!([{"show": "g", "season": 1, "number": 1, "air_date": "2026-10-01"}]),
        json!([]),
    ] {
        let res = post_as(app, "/api/v1/imports", &token, &gamma(episodes)).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    }
    let conflicts: Value = get_as(app, "/api/v1/conflicts?status=open", &token)
        .await
        .json()
        .await
        .unwrap();
    let conflict = conflicts["items"][0].clone();
    let show = conflict["show_id"].as_str().unwrap().to_owned();
    let put = |path: String, body: Value| {
        let token = token.clone();
        async move {
            let res = app
                .request(Method::PUT, &path)
                .bearer_auth(&token)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert!(
                res.status().is_success(),
                "{path}: {}",
                res.text().await.unwrap()
            );
        }
    };
    put(
        format!("/api/v1/my-shows/{show}"),
        json!({"watch_mode": "as_aired"}),
    )
    .await;
    put(
        "/api/v1/my-services/hulu".to_owned(),
        json!({"permanent": true}),
    )
    .await;
    put("/api/v1/settings".to_owned(), json!({"country": "US"})).await;
    assert_eq!(
        post_as(app, "/api/v1/plans", &token, &json!({}))
            .await
            .status(),
        201
    );
    assert_eq!(
        post_as(app, "/api/v1/calendar/token", &token, &json!({}))
            .await
            .status(),
        201
    );
    // A custom role (roles).
    assert_eq!(
        post_as(
            app,
            "/api/v1/roles",
            &token,
            &json!({"name": "planner", "permissions": ["plans:read"]})
        )
        .await
        .status(),
        201
    );
    assert_eq!(
        post_as(
            app,
            "/api/v1/invitations",
            &token,
            &json!({"email": format!("kid@{name}.test")})
        )
        .await
        .status(),
        201
    );
    let fact = conflict["facts"][0]["id"].clone();
    let resolved = post_as(
        app,
        &format!(
            "/api/v1/conflicts/{}/resolve",
            conflict["id"].as_str().unwrap()
        ),
        &token,
        &json!({"fact_id": fact}),
    )
    .await;
    assert_eq!(resolved.status(), 200);
    (tenant, token)
}

/// Household `name`'s owner signs in through GitHub once (linking the identity), and a
/// sign-in is left started: rows in `user_identities` and `oauth_flows`.
async fn provider_sign_in(app: &TestApp, idp: &MockIdp, name: &str, subject: &str) {
    let owner = Person::new(subject, &format!("owner@{name}.test"));
    tokens(sign_in(app, idp, "github", &owner, None, Forgery::None).await).await;
    start(app, "google", None).await;
}

/// Waits until the worker has written `table` rows for `tenant`.
async fn wait_for(owner: &DatabaseConnection, table: &str, tenant: &str) {
    for _ in 0..300 {
        let txn = owner.begin().await.unwrap();
        set_tenant(&txn, Some(tenant)).await;
        let n = scalar(
            &txn,
            &format!("SELECT COUNT(*) AS n FROM {table} WHERE tenant_id = '{tenant}'"),
        )
        .await;
        txn.rollback().await.unwrap();
        if n > 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the worker wrote no {table} row for {tenant}");
}

async fn set_tenant(txn: &DatabaseTransaction, tenant: Option<&str>) {
    if let Some(tenant) = tenant {
        txn.execute_raw(sql(&format!(
            "SELECT set_config('app.current_tenant_id', '{tenant}', true)"
        )))
        .await
        .unwrap();
    }
}

#[tokio::test]
async fn no_tenant_table_leaks_moves_or_forges_a_row_for_the_app_role() {
    if !Backend::postgres_available() {
        return;
    }
    let (app, idp) = oauth_app(Backend::Postgres, |s| s.worker.poll_interval_ms = 50).await;
    let (a, _) = busy_household(&app, "alpha").await;
    let (b, _) = busy_household(&app, "beta").await;
    provider_sign_in(&app, &idp, "alpha", "1001").await;
    provider_sign_in(&app, &idp, "beta", "1002").await;
    let owner = app.db.owner().await;
    for table in ["plan_events", "advice"] {
        wait_for(&owner, table, &a).await;
    }

    // Every table with a tenant column is confined (ENABLE and FORCE), save the listed ones.
    let unconfined = strings(&owner, "SELECT c.relname::text AS s FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
        JOIN information_schema.columns col ON col.table_schema = n.nspname AND col.table_name = c.relname AND col.column_name = 'tenant_id' \
        WHERE n.nspname = current_schema() AND c.relkind = 'r' AND NOT (c.relrowsecurity AND c.relforcerowsecurity) ORDER BY 1").await;
    let allowed: Vec<&str> = NOT_CONFINED.iter().map(|(t, _)| *t).collect();
    assert_eq!(
        unconfined, allowed,
        "tables with a tenant_id but without forced row-level security"
    );

    let tables = strings(
        &owner,
        "SELECT c.relname::text AS s FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
        WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relrowsecurity ORDER BY 1",
    )
    .await;
    assert!(tables.len() >= 20, "{tables:?}");
    let app_role = app.db.app_connection().await;
    for (table, _) in SYSTEM_ONLY {
        system_only(&owner, &app_role, table, &a).await;
    }
    let tables: Vec<String> = tables
        .into_iter()
        .filter(|t| SYSTEM_ONLY.iter().all(|(s, _)| s != t))
        .collect();

    let mut checked = Vec::new();
    for table in &tables {
        let column = if table == "tenants" {
            "id"
        } else {
            "tenant_id"
        };
        let mine = format!("{column} = '{a}'");
        // A's rows, as A sees them (the owner role is bound by FORCE too).
        let txn = owner.begin().await.unwrap();
        set_tenant(&txn, Some(&a)).await;
        let rows = scalar(
            &txn,
            &format!("SELECT COUNT(*) AS n FROM {table} WHERE {mine}"),
        )
        .await;
        let sample = strings(
            &txn,
            &format!("SELECT row_to_json(t)::text AS s FROM {table} t WHERE {mine} LIMIT 1"),
        )
        .await;
        txn.rollback().await.unwrap();
        assert!(
            rows > 0,
            "the scenario left {table} without a row of tenant A: extend busy_household"
        );

        for (who, context) in [
            ("no tenant set", None),
            ("another tenant", Some(b.as_str())),
        ] {
            let case = |op: &str| format!("{table} × {op} × {who}");
            let txn = app_role.begin().await.unwrap();
            set_tenant(&txn, context).await;
            assert_eq!(
                scalar(
                    &txn,
                    &format!("SELECT COUNT(*) AS n FROM {table} WHERE {mine}")
                )
                .await,
                0,
                "{}",
                case("select")
            );
            let updated = txn
                .execute_raw(sql(&format!(
                    "UPDATE {table} SET {column} = {column} WHERE {mine}"
                )))
                .await
                .unwrap();
            assert_eq!(updated.rows_affected(), 0, "{}", case("update"));
            let deleted = txn
                .execute_raw(sql(&format!("DELETE FROM {table} WHERE {mine}")))
                .await
                .unwrap();
            assert_eq!(deleted.rows_affected(), 0, "{}", case("delete"));
            let forged = txn
                .execute_raw(sql(&format!(
                    "INSERT INTO {table} SELECT * FROM json_populate_record(NULL::{table}, '{}'::json)",
                    sample[0].replace('\'', "''")
                )))
                .await;
            let err = forged.expect_err(&case("insert")).to_string();
            assert!(
                err.contains("row-level security"),
                "{}: {err}",
                case("insert")
            );
            txn.rollback().await.unwrap();
        }
        checked.push(table.clone());
    }
    // A's rows are all still there, unchanged in number.
    for table in &checked {
        let column = if table == "tenants" {
            "id"
        } else {
            "tenant_id"
        };
        let txn = owner.begin().await.unwrap();
        set_tenant(&txn, Some(&a)).await;
        assert!(
            scalar(
                &txn,
                &format!("SELECT COUNT(*) AS n FROM {table} WHERE {column} = '{a}'")
            )
            .await
                > 0,
            "{table}"
        );
        txn.rollback().await.unwrap();
    }
}

/// A system-only table: rows exist (seen in a system context), but neither a transaction
/// without a tenant nor a tenant's sees, changes, removes or adds one.
async fn system_only(
    owner: &DatabaseConnection,
    app_role: &DatabaseConnection,
    table: &str,
    tenant: &str,
) {
    let txn = owner.begin().await.unwrap();
    txn.execute_raw(sql("SELECT set_config('app.system_context', 'on', true)"))
        .await
        .unwrap();
    let sample = strings(
        &txn,
        &format!("SELECT row_to_json(t)::text AS s FROM {table} t LIMIT 1"),
    )
    .await;
    txn.rollback().await.unwrap();
    assert_eq!(sample.len(), 1, "the scenario left {table} empty");
    for (who, context) in [("no tenant set", None), ("a tenant", Some(tenant))] {
        let case = |op: &str| format!("{table} × {op} × {who}");
        let txn = app_role.begin().await.unwrap();
        set_tenant(&txn, context).await;
        assert_eq!(
            scalar(&txn, &format!("SELECT COUNT(*) AS n FROM {table}")).await,
            0,
            "{}",
            case("select")
        );
        let updated = txn
            .execute_raw(sql(&format!("UPDATE {table} SET id = id")))
            .await
            .unwrap();
        assert_eq!(updated.rows_affected(), 0, "{}", case("update"));
        let deleted = txn
            .execute_raw(sql(&format!("DELETE FROM {table}")))
            .await
            .unwrap();
        assert_eq!(deleted.rows_affected(), 0, "{}", case("delete"));
        let forged = txn
            .execute_raw(sql(&format!(
                "INSERT INTO {table} SELECT * FROM json_populate_record(NULL::{table}, '{}'::json)",
                sample[0].replace('\'', "''")
            )))
            .await;
        let err = forged.expect_err(&case("insert")).to_string();
        assert!(
            err.contains("row-level security"),
            "{}: {err}",
            case("insert")
        );
        txn.rollback().await.unwrap();
    }
}
