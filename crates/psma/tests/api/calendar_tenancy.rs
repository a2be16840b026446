//! A calendar token opens its own household's feed only: the tenant it names confines the
//! lookup (row-level security on PostgreSQL), and a secret is worth nothing under another
//! tenant's id.

use crate::support::provision;
use crate::support::{Backend, TestDatabase, on_both_backends};
use psma_core::access::Grants;
use psma_core::planning::reminders::{CalendarToken, CalendarTokenStore, Reminders};
use psma_core::ports::{OsEntropy, SystemClock};
use psma_core::tenancy::{Role, TenantCtx};
use psma_plugin_sdk::ServiceRegistry;
use sea_orm::{ConnectionTrait, Statement};
use std::sync::Arc;

on_both_backends! {
    async fn a_token_opens_only_its_own_households_feed(backend: Backend) {
        let (db, store) = TestDatabase::migrated(backend).await;
        let store = Arc::new(store);
        let reminders = Reminders::new(
            store.clone(),
            store.clone(),
            store.clone(),
            Arc::new(ServiceRegistry::bundled().unwrap()),
            Arc::new(SystemClock),
            Arc::new(OsEntropy),
        );
        let (a, a_owner) = provision(&store, "alpha").await;
        let (b, b_owner) = provision(&store, "beta").await;
        let a_ctx = TenantCtx::establish(a, Some(a_owner), vec![Role::OWNER], Role::grants_of(&[Role::OWNER]));
        let b_ctx = TenantCtx::establish(b, Some(b_owner), vec![Role::OWNER], Role::grants_of(&[Role::OWNER]));
        let a_token = reminders.rotate_token(&a_ctx, None).await.unwrap();
        reminders.rotate_token(&b_ctx, None).await.unwrap();

        let only = |t| TenantCtx::establish(t, None, Vec::new(), Grants::none());
        assert_eq!(reminders.feed_owner(&only(a), &a_token).await.unwrap(), a_owner);
        // A's secret under B's tenant id: B's lookup, which finds nothing.
        let text = a_token.to_string();
        let forged = CalendarToken::parse(&format!("{}{}", b.0.simple(), &text[32..])).unwrap();
        let refused = reminders.feed_owner(&only(b), &forged).await.unwrap_err();
        assert!(matches!(refused, psma_core::Error::NotFound { .. }), "{refused:?}");
        // A context of another tenant than the token's is refused before anything is read.
        assert!(reminders.feed_owner(&only(b), &a_token).await.is_err());
        let b_tokens = store.calendar_tokens(&only(b)).await.unwrap();
        assert_eq!(b_tokens.iter().map(|(u, _)| *u).collect::<Vec<_>>(), [b_owner]);

        if backend == Backend::Postgres {
            // The app role without a tenant setting sees no token at all.
            let conn = db.app_connection().await;
            let row = conn
                .query_one_raw(Statement::from_string(sea_orm::DbBackend::Postgres, "SELECT COUNT(*) AS n FROM calendar_tokens"))
                .await
                .unwrap()
                .unwrap();
            assert_eq!(row.try_get::<i64>("", "n").unwrap(), 0);
        }
    }
}
