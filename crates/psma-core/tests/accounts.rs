//! The account use cases against the in-memory ports.

use chrono::{TimeZone, Utc};
use psma_core::Error;
use psma_core::access::Grants;
use psma_core::accounts::{Accounts, MePatch};
use psma_core::accounts::{LOCAL_TENANT_ID, LOCAL_USER_ID};
use psma_core::audit::AuditLog;
use psma_core::audit::verify_chain;
use psma_core::tenancy::{Role, TenantCtx, TenantId, UserId};
use psma_core::testing::{FixedClock, InMemoryAccounts};
use std::sync::Arc;

fn accounts() -> (Accounts, Arc<InMemoryAccounts>) {
    let store = Arc::new(InMemoryAccounts::default());
    let clock = Arc::new(FixedClock::at(
        Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap(),
    ));
    (Accounts::new(store.clone(), store.clone(), clock), store)
}

fn local_ctx() -> TenantCtx {
    TenantCtx::establish(
        LOCAL_TENANT_ID,
        Some(LOCAL_USER_ID),
        vec![Role::OWNER],
        Role::grants_of(&[Role::OWNER]),
    )
}

#[tokio::test]
async fn ensuring_the_local_tenant_twice_keeps_one_tenant() {
    let (accounts, _) = accounts();
    let first = accounts.ensure_local_tenant().await.unwrap();
    let second = accounts.ensure_local_tenant().await.unwrap();
    assert_eq!(first, second);
    let me = accounts.me(&local_ctx()).await.unwrap();
    assert_eq!(me.user.roles, vec![Role::OWNER]);
    assert_eq!(me.user.display_name.as_str(), "Local user");
}

#[tokio::test]
async fn updating_the_display_name_writes_one_chained_audit_entry() {
    let (accounts, store) = accounts();
    accounts.ensure_local_tenant().await.unwrap();
    let ctx = local_ctx();
    let me = accounts
        .update_me(
            &ctx,
            MePatch {
                display_name: Some("  Ada ".into()),
            },
            Some("req-1".into()),
        )
        .await
        .unwrap();
    assert_eq!(me.user.display_name.as_str(), "Ada");

    let chain = store.chain(&ctx).await.unwrap();
    assert_eq!(chain.len(), 1);
    assert_eq!(chain[0].action, "user.update_profile");
    assert_eq!(chain[0].request_id.as_deref(), Some("req-1"));
    assert_eq!(
        chain[0].before.as_ref().unwrap()["display_name"],
        "Local user"
    );
    assert_eq!(chain[0].after.as_ref().unwrap()["display_name"], "Ada");
    verify_chain(&chain).unwrap();
}

#[tokio::test]
async fn an_invalid_display_name_changes_nothing_and_names_the_field() {
    let (accounts, store) = accounts();
    accounts.ensure_local_tenant().await.unwrap();
    let ctx = local_ctx();
    let err = accounts
        .update_me(
            &ctx,
            MePatch {
                display_name: Some(String::new()),
            },
            None,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { ref field, .. } if field == "display_name"));
    assert!(store.chain(&ctx).await.unwrap().is_empty());
}

#[tokio::test]
async fn an_empty_patch_writes_no_audit_entry() {
    let (accounts, store) = accounts();
    accounts.ensure_local_tenant().await.unwrap();
    let ctx = local_ctx();
    accounts
        .update_me(&ctx, MePatch::default(), None)
        .await
        .unwrap();
    assert!(store.chain(&ctx).await.unwrap().is_empty());
}

#[tokio::test]
async fn another_tenant_cannot_see_the_local_user() {
    let (accounts, _) = accounts();
    accounts.ensure_local_tenant().await.unwrap();
    let stranger = TenantCtx::establish(
        TenantId::generate(),
        Some(LOCAL_USER_ID),
        vec![],
        Grants::none(),
    );
    assert!(matches!(
        accounts.me(&stranger).await,
        Err(Error::NotFound { .. })
    ));
    let nobody = TenantCtx::establish(
        LOCAL_TENANT_ID,
        Some(UserId::generate()),
        vec![],
        Grants::none(),
    );
    assert!(matches!(
        accounts.me(&nobody).await,
        Err(Error::NotFound {
            resource: "user",
            ..
        })
    ));
}
