//! Re-planning in the worker (ADR 0024): a profile edit queues one re-plan per member (a burst
//! still one), a refresh that changes a selected show's facts re-plans exactly the members who
//! selected it, in any tenant, and the worker keeps the new plan, the previous one readable,
//! with a plan-changed event. Row-level security still confines a tenant to its own selections.

use crate::support::household;
use crate::support::{Backend, TestDatabase, on_both_backends};
use chrono::{Duration, Utc};
use psma::app::{self, CatalogWiring};
use psma_core::catalog::ports::{CatalogReader, NoProgress, PageRequest, ShowFilter};
use psma_core::catalog::{Refreshes, ShowId};
use psma_core::jobs::{JobQueue, JobStatus};
use psma_core::planning::plans::{PlanTrigger, Plans};
use psma_core::planning::profile::{Profiles, WatchMode, WishRequest};
use psma_core::planning::replan::{REPLAN_JOB, Replans};
use psma_core::ports::{Clock, SystemClock};
use psma_core::tenancy::{SystemCtx, TenantCtx, TenantId};
use psma_plugin_sdk::ServiceRegistry;
use psma_plugin_sdk::testkit::FixedClock;
use psma_plugin_sdk::text::SourceId;
use psma_worker::{Outcome, Worker};
use sea_orm::{ConnectionTrait, Statement, TransactionTrait};
use serde_json::json;
use std::path::PathBuf;
use std::sync::Arc;

/// A shared catalog of two shows on one service; the first show's window ends `until_days`
/// from today.
fn catalog(until_days: i64) -> serde_json::Value {
    let day = |n: i64| (Utc::now() + Duration::days(n)).date_naive().to_string();
    let (from, until, later) = (day(-30), day(until_days), day(300));
    json!({"format": "psma-import/v1",
        "shows": [{"ref": "a", "title": "Alpha Show", "year": 2024},
                  {"ref": "b", "title": "Beta Show", "year": 2024}],
        "availability": [
            {"show": "a", "service_id": "netflix", "country": "US",
             "available_from": from, "available_until": until},
            {"show": "b", "service_id": "netflix", "country": "US",
             "available_from": from, "available_until": later}]})
}

struct World {
    db: TestDatabase,
    _dir: tempfile::TempDir,
    seed: PathBuf,
    store: Arc<psma_store::Store>,
    refreshes: Refreshes,
    profiles: Profiles,
    plans: Plans,
    replans: Replans,
    worker: Worker,
}

async fn world(backend: Backend) -> World {
    let (db, store) = TestDatabase::migrated(backend).await;
    let store = Arc::new(store);
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("seed.json");
    std::fs::write(&seed, catalog(200).to_string()).unwrap();
    let mut settings = db.settings();
    settings.providers.clear();
    settings.providers.insert(
        "seed".into(),
        serde_json::from_value(json!({"plugin": "manual_import", "path": seed})).unwrap(),
    );
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let wiring = CatalogWiring::build(&settings, &store, &clock).unwrap();
    let services = Arc::new(ServiceRegistry::bundled().unwrap());
    let profiles = Profiles::new(
        store.clone(),
        store.clone(),
        services.clone(),
        settings.planner.clone(),
        clock.clone(),
    );
    let plans = Plans::new(
        store.clone(),
        profiles.clone(),
        store.clone(),
        services.clone(),
        clock.clone(),
    );
    let replans = app::replans(&settings, &store, services.clone(), &clock);
    let background = app::Background {
        refreshes: wiring.refreshes.clone(),
        replans: replans.clone(),
        advising: app::advising(&settings, &store, services, &clock).unwrap(),
    };
    // The worker runs a minute ahead, so a re-plan queued "2 s from now" is due at once.
    let ahead: Arc<dyn Clock> = Arc::new(FixedClock::at(Utc::now() + Duration::minutes(1)));
    let handlers = app::all_handlers(background, store.clone(), ahead.clone());
    let worker = app::build_worker(&settings, store.clone(), ahead, handlers);
    let world = World {
        db,
        _dir: dir,
        seed,
        store,
        refreshes: wiring.refreshes,
        profiles,
        plans,
        replans,
        worker,
    };
    world.refresh().await;
    world
}

impl World {
    async fn refresh(&self) {
        self.refreshes
            .run(
                &SystemCtx::establish("test"),
                &SourceId::parse("seed").unwrap(),
                &NoProgress,
            )
            .await
            .unwrap();
    }

    async fn show(&self, ctx: &TenantCtx, title: &str) -> ShowId {
        let page = self
            .store
            .list_shows(
                ctx,
                &ShowFilter {
                    q: None,
                    service_id: None,
                    country: None,
                    status: None,
                    today: Utc::now().date_naive(),
                },
                &PageRequest {
                    after: None,
                    limit: 50,
                },
            )
            .await
            .unwrap();
        page.items
            .iter()
            .find(|s| s.show.title.as_str() == title)
            .map(|s| s.show.id)
            .unwrap()
    }

    async fn select(&self, ctx: &TenantCtx, show: ShowId) {
        let wish = WishRequest {
            watch_mode: Some(WatchMode::AsAired),
            ..WishRequest::default()
        };
        self.profiles
            .put_my_show(ctx, show, wish, None)
            .await
            .unwrap();
    }

    /// The live re-plan jobs: (tenant, payload).
    async fn queued_replans(&self) -> Vec<(TenantId, serde_json::Value)> {
        let owner = self.db.owner().await;
        let rows = owner
            .query_all_raw(Statement::from_string(
                owner.get_database_backend(),
                format!("SELECT id FROM jobs WHERE kind = '{REPLAN_JOB}' AND status = 'queued' ORDER BY id"),
            ))
            .await
            .unwrap();
        let mut out = Vec::new();
        for row in rows {
            let id: uuid::Uuid = row.try_get("", "id").unwrap();
            let job = self.store.get(psma_core::jobs::JobId(id)).await.unwrap();
            out.push((job.tenant_id.unwrap(), job.payload));
        }
        out
    }

    /// Runs the worker until nothing is due; how many re-plan jobs succeeded (each kept plan
    /// also queues an advice run, which the worker runs too).
    async fn drain(&self) -> usize {
        let mut done = 0;
        loop {
            match self.worker.run_once().await.unwrap() {
                Outcome::Idle => return done,
                Outcome::Succeeded(id) => {
                    if self.store.get(id).await.unwrap().kind == REPLAN_JOB {
                        done += 1;
                    }
                }
                other => panic!("a job did not succeed: {other:?}"),
            }
        }
    }
}

on_both_backends! {
    async fn a_burst_of_profile_edits_is_one_replan_and_the_worker_keeps_the_new_plan(backend: Backend) {
        let w = world(backend).await;
        let me = household(&w.store, "home").await;
        let (alpha, beta) = (w.show(&me, "Alpha Show").await, w.show(&me, "Beta Show").await);

        w.select(&me, alpha).await;
        let queued = w.queued_replans().await;
        assert_eq!(queued.len(), 1, "one edit, one re-plan");
        assert_eq!(queued[0], (me.tenant_id(), json!({"user_id": me.user_id().unwrap(), "trigger": "profile_change"})));
        assert_eq!(w.drain().await, 1);
        let first = w.plans.current(&me).await.unwrap();
        assert_eq!((first.trigger, first.previous_id), (PlanTrigger::ProfileChange, None));

        // Two quick edits (a show and a setting) join one job.
        w.select(&me, beta).await;
        w.profiles.delete_my_show(&me, alpha, None).await.unwrap();
        assert_eq!(w.queued_replans().await.len(), 1, "a burst coalesces");
        assert_eq!(w.drain().await, 1);

        let current = w.plans.current(&me).await.unwrap();
        assert_eq!(current.trigger, PlanTrigger::ProfileChange);
        assert_eq!(current.previous_id, Some(first.id));
        assert_ne!(current.id, first.id);
        assert_eq!(w.plans.get(&me, first.id).await.unwrap(), first, "the previous plan stays readable");

        let events = w.replans.events(&me, None).await.unwrap();
        assert_eq!(events.len(), 2);
        assert_eq!((events[1].plan_id, events[1].previous_id, events[1].trigger), (current.id, Some(first.id), PlanTrigger::ProfileChange));
        assert!(events[0].id < events[1].id, "events are ordered");
        assert!(w.replans.events(&me, Some(events[1].id)).await.unwrap().is_empty());
    }
}

on_both_backends! {
    async fn a_refresh_re_plans_the_members_who_selected_a_changed_show_and_no_one_else(backend: Backend) {
        let w = world(backend).await;
        let a = household(&w.store, "alpha").await;
        let b = household(&w.store, "beta").await;
        w.select(&a, w.show(&a, "Alpha Show").await).await;
        w.select(&b, w.show(&b, "Beta Show").await).await;
        assert_eq!(w.drain().await, 2);
        let (a_before, b_before) = (w.plans.current(&a).await.unwrap(), w.plans.current(&b).await.unwrap());

        // The provider now says Alpha Show leaves earlier: only its selector is affected.
        std::fs::write(&w.seed, catalog(100).to_string()).unwrap();
        w.refresh().await;
        let queued = w.queued_replans().await;
        assert_eq!(queued, vec![(a.tenant_id(), json!({"user_id": a.user_id().unwrap(), "trigger": "catalog_refresh"}))]);

        // A refresh that changes nothing queues nothing.
        assert_eq!(w.drain().await, 1);
        w.refresh().await;
        assert!(w.queued_replans().await.is_empty());

        let a_now = w.plans.current(&a).await.unwrap();
        assert_eq!((a_now.trigger, a_now.previous_id), (PlanTrigger::CatalogRefresh, Some(a_before.id)));
        assert!(w.replans.events(&a, None).await.unwrap().last().unwrap().changed, "the window moved");
        assert_eq!(w.plans.current(&b).await.unwrap(), b_before, "tenant B's plan is untouched");
    }
}

on_both_backends! {
    async fn an_edit_during_a_running_replan_queues_the_next_one(backend: Backend) {
        let w = world(backend).await;
        let me = household(&w.store, "home").await;
        w.select(&me, w.show(&me, "Alpha Show").await).await;
        // A worker takes the job; as the handler starts, it frees the key ...
        let job = w.store.claim("w", Utc::now() + Duration::minutes(1), Duration::minutes(5)).await.unwrap().unwrap();
        w.store.release_unique_key(job.id).await.unwrap();
        // ... so an edit made while it runs is not folded into a run that may have read too early.
        w.select(&me, w.show(&me, "Beta Show").await).await;
        let queued = w.queued_replans().await;
        assert_eq!(queued.len(), 1);
        assert_eq!(w.store.get(job.id).await.unwrap().status, JobStatus::Running);
    }
}

#[tokio::test]
async fn row_level_security_still_confines_a_tenant_to_its_own_selections_on_postgres() {
    if !Backend::postgres_available() {
        return;
    }
    let w = world(Backend::Postgres).await;
    let a = household(&w.store, "alpha").await;
    let b = household(&w.store, "beta").await;
    w.select(&a, w.show(&a, "Alpha Show").await).await;
    w.select(&b, w.show(&b, "Beta Show").await).await;

    let conn = w.db.app_connection().await;

    let in_tenant = |ctx: &TenantCtx| {
        format!(
            "SELECT set_config('app.current_tenant_id', '{}', true)",
            ctx.tenant_id()
        )
    };

    // Tenant B's context sees its own selection only, even asking for all of them.
    let txn = conn.begin().await.unwrap();
    txn.execute_unprepared(&in_tenant(&b)).await.unwrap();
    assert_eq!(count(&txn, "SELECT COUNT(*) AS n FROM my_shows").await, 1);
    let a_rows = format!(
        "SELECT COUNT(*) AS n FROM my_shows WHERE tenant_id = '{}'",
        a.tenant_id()
    );
    assert_eq!(
        count(&txn, &a_rows).await,
        0,
        "B cannot read A's selections"
    );
    txn.rollback().await.unwrap();

    // No context: nothing.
    let txn = conn.begin().await.unwrap();
    assert_eq!(count(&txn, "SELECT COUNT(*) AS n FROM my_shows").await, 0);
    txn.rollback().await.unwrap();

    // The system context reads live selections for the fan-out, and may not change them.
    let txn = conn.begin().await.unwrap();
    txn.execute_unprepared("SELECT set_config('app.system_context', 'on', true)")
        .await
        .unwrap();
    assert_eq!(count(&txn, "SELECT COUNT(*) AS n FROM my_shows").await, 2);
    let updated = txn
        .execute_unprepared("UPDATE my_shows SET binge_days = 1")
        .await
        .unwrap();
    assert_eq!(
        updated.rows_affected(),
        0,
        "no write through the fan-out policy"
    );
    txn.rollback().await.unwrap();

    // Plan events are tenant rows too.
    assert_eq!(w.drain().await, 2);
    let txn = conn.begin().await.unwrap();
    txn.execute_unprepared(&in_tenant(&b)).await.unwrap();
    assert_eq!(
        count(&txn, "SELECT COUNT(*) AS n FROM plan_events").await,
        1
    );
    txn.rollback().await.unwrap();
}

async fn count(txn: &sea_orm::DatabaseTransaction, sql: &str) -> i64 {
    let stmt = Statement::from_string(sea_orm::DbBackend::Postgres, sql.to_owned());
    let row = txn.query_one_raw(stmt).await.unwrap().unwrap();
    row.try_get::<i64>("", "n").unwrap()
}
