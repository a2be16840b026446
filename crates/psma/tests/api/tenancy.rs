//! The tenant boundary on PostgreSQL: row-level security as the application role.

use crate::support::{Backend, TestDatabase};
use psma_core::accounts::DisplayName;
use psma_core::accounts::{ProfileChange, TenantProvisioning, UserRepo};
use psma_core::audit::AuditDraft;
use psma_core::audit::AuditLog;
use psma_core::tenancy::{Role, TenantCtx, TenantId, UserId};
use sea_orm::{ConnectionTrait, Statement, TransactionTrait};

struct Household {
    tenant: TenantId,
    owner: UserId,
}

async fn provision(store: &psma_store::Store, name: &str) -> Household {
    let (tenant, owner) = crate::support::provision(store, name).await;
    Household { tenant, owner }
}

async fn count(conn: &impl ConnectionTrait, table: &str) -> i64 {
    conn.query_one_raw(Statement::from_string(
        sea_orm::DbBackend::Postgres,
        format!("SELECT COUNT(*) AS n FROM {table}"),
    ))
    .await
    .unwrap()
    .unwrap()
    .try_get("", "n")
    .unwrap()
}

/// A transaction on `conn` with `tenant` set, as the store does it.
async fn begin_as(
    conn: &sea_orm::DatabaseConnection,
    tenant: TenantId,
) -> sea_orm::DatabaseTransaction {
    let txn = conn.begin().await.unwrap();
    txn.execute_raw(Statement::from_sql_and_values(
        sea_orm::DbBackend::Postgres,
        "SELECT set_config('app.current_tenant_id', $1, true)",
        [tenant.to_string().into()],
    ))
    .await
    .unwrap();
    txn
}

async fn two_households() -> Option<(TestDatabase, psma_store::Store, Household, Household)> {
    if !Backend::postgres_available() {
        return None;
    }
    let db = TestDatabase::create(Backend::Postgres).await;
    let owner = db.owner_store().await;
    owner.migrate_up().await.unwrap();
    owner.close().await;
    let store = db.store().await;
    let a = provision(&store, "alpha").await;
    let b = provision(&store, "beta").await;
    Some((db, store, a, b))
}

#[tokio::test]
async fn the_app_role_sees_no_tenant_rows_without_a_tenant_setting() {
    let Some((db, _store, a, _b)) = two_households().await else {
        return;
    };
    let owner = db.owner().await;
    assert_eq!(
        count(&owner, "users").await,
        2,
        "both rows exist (superuser bypasses RLS)"
    );

    let app = db.app_connection().await;
    for table in ["tenants", "users", "user_roles", "audit_log"] {
        assert_eq!(
            count(&app, table).await,
            0,
            "{table} leaks rows without a tenant"
        );
    }
    // A transaction that set the tenant leaves nothing behind on its pooled connection.
    let single = sea_orm::Database::connect({
        let mut o = sea_orm::ConnectOptions::new(db.app_url.clone());
        o.max_connections(1);
        o
    })
    .await
    .unwrap();
    let txn = begin_as(&single, a.tenant).await;
    assert_eq!(count(&txn, "users").await, 1);
    txn.commit().await.unwrap();
    assert_eq!(
        count(&single, "users").await,
        0,
        "the setting outlived its transaction"
    );
}

#[tokio::test]
async fn a_tenant_context_reads_only_its_own_rows() {
    let Some((db, store, a, b)) = two_households().await else {
        return;
    };
    let ctx_a = TenantCtx::establish(
        a.tenant,
        Some(a.owner),
        vec![Role::OWNER],
        Role::grants_of(&[Role::OWNER]),
    );

    assert_eq!(
        store.get(&ctx_a, a.owner).await.unwrap().email,
        "owner@alpha.test"
    );
    // B's user, asked for by id from A's context, does not exist.
    assert!(matches!(
        store.get(&ctx_a, b.owner).await,
        Err(psma_core::Error::NotFound { .. })
    ));
    assert_eq!(store.tenant(&ctx_a).await.unwrap().name, "alpha");

    // Directly as the app role, with A's setting in a transaction: only A's rows.
    let app = db.app_connection().await;
    let txn = begin_as(&app, a.tenant).await;
    assert_eq!(count(&txn, "users").await, 1);
    assert_eq!(count(&txn, "tenants").await, 1);
    // …and it cannot write a row for B.
    let insert = txn
        .execute_raw(Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            "INSERT INTO users (id, tenant_id, email, display_name, created_at, updated_at) \
             VALUES ($1, $2, 'x@beta.test', 'x', now(), now())",
            [uuid::Uuid::now_v7().into(), b.tenant.0.into()],
        ))
        .await;
    assert!(
        insert
            .unwrap_err()
            .to_string()
            .contains("row-level security")
    );
    txn.rollback().await.unwrap();
}

#[tokio::test]
async fn a_tenant_context_cannot_change_another_tenants_user_or_audit_log() {
    let Some((_db, store, a, b)) = two_households().await else {
        return;
    };
    let ctx_a = TenantCtx::establish(
        a.tenant,
        Some(a.owner),
        vec![Role::OWNER],
        Role::grants_of(&[Role::OWNER]),
    );
    let ctx_b = TenantCtx::establish(
        b.tenant,
        Some(b.owner),
        vec![Role::OWNER],
        Role::grants_of(&[Role::OWNER]),
    );
    let change = ProfileChange {
        display_name: Some(DisplayName::parse("hijacked").unwrap()),
    };
    let draft = AuditDraft::new(
        &ctx_a,
        "user.update_profile",
        "user",
        b.owner,
        chrono::Utc::now(),
    );
    assert!(
        store
            .update_profile(&ctx_a, b.owner, &change, draft)
            .await
            .is_err()
    );
    assert_eq!(
        store
            .get(&ctx_b, b.owner)
            .await
            .unwrap()
            .display_name
            .as_str(),
        "beta"
    );

    // Each tenant's audit chain holds only its own creation, and verifies.
    for ctx in [&ctx_a, &ctx_b] {
        let chain = store.chain(ctx).await.unwrap();
        assert_eq!(chain.len(), 1);
        assert_eq!(chain[0].tenant_id, ctx.tenant_id());
        psma_core::audit::verify_chain(&chain).unwrap();
    }
}
