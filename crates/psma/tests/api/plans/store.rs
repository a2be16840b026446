//! The plan store under the use case: a user's plans form one chain, the current one is the
//! last kept, a stale link is refused, and nothing crosses tenants.

use crate::support::household;
use crate::support::{TestDatabase, on_both_backends};
use psma_core::audit::{AuditDraft, AuditLog};
use psma_core::planning::plans::{PlanStore, PlanTrigger, Plans};
use psma_core::planning::profile::{PlannerSettings, Profiles};
use psma_core::ports::{Clock, SystemClock};
use psma_core::tenancy::{Role, TenantCtx, UserId};
use psma_plugin_sdk::ServiceRegistry;
use std::sync::Arc;

fn plans(store: &psma_store::Store) -> Plans {
    let store = Arc::new(store.clone());
    let registry = Arc::new(ServiceRegistry::bundled().unwrap());
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let profiles = Profiles::new(
        store.clone(),
        store.clone(),
        registry.clone(),
        PlannerSettings::default(),
        clock.clone(),
    );
    Plans::new(store.clone(), profiles, store, registry, clock)
}

on_both_backends! {
    async fn a_users_plans_form_one_chain_confined_to_their_tenant(backend: Backend) {
        let (_db, store) = TestDatabase::migrated(backend).await;
        let alpha = household(&store, "alpha").await;
        let beta = household(&store, "beta").await;
        let plans = plans(&store);
        let today = "2027-01-10".parse().unwrap();

        assert!(store.current(&alpha).await.unwrap().is_none());
        let first = plans.generate(&alpha, Some(today), PlanTrigger::Request, None).await.unwrap();
        let second = plans.generate(&alpha, None, PlanTrigger::ProfileChange, Some("req-2".into())).await.unwrap();
        assert_eq!((first.previous_id, second.previous_id), (None, Some(first.id)));
        assert_eq!(first.today, today);
        assert_eq!(store.current(&alpha).await.unwrap(), Some(second.clone()), "the last kept is current, read back whole");
        assert_eq!(plans.get(&alpha, first.id).await.unwrap(), first, "the previous plan stays readable");

        // A plan that does not replace the current one is refused.
        let mut stale = first.clone();
        stale.id = psma_core::planning::plans::PlanId::generate();
        let draft = AuditDraft::new(&alpha, "plan.generate", "plan", stale.id, chrono::Utc::now());
        assert!(matches!(store.save(&alpha, &stale, draft, None).await, Err(psma_core::Error::Conflict(_))));

        // Another member of the household sees none of it…
        let member = TenantCtx::establish(alpha.tenant_id(), Some(UserId::generate()), vec![Role::MEMBER], Role::grants_of(&[Role::MEMBER]));
        assert!(store.current(&member).await.unwrap().is_none());
        assert!(store.get(&member, first.id).await.unwrap().is_none());
        // …nor does another household.
        assert!(store.current(&beta).await.unwrap().is_none());
        assert!(store.get(&beta, first.id).await.unwrap().is_none());
        assert!(matches!(plans.get(&beta, second.id).await, Err(psma_core::Error::NotFound { .. })));

        let chain = store.chain(&alpha).await.unwrap();
        let generated: Vec<_> = chain.iter().filter(|e| e.action == "plan.generate").collect();
        assert_eq!(generated.len(), 2, "one audit entry per kept plan, none for the refused one");
        assert_eq!(generated[1].request_id.as_deref(), Some("req-2"));
        psma_core::audit::verify_chain(&chain).unwrap();
    }
}
