//! The catalog's shared/private split: a household's import is its own, the shared catalog is
//! everyone's and written only in a system context — by the store's filters on both backends
//! and by row-level security on PostgreSQL.

use crate::support::household;
use crate::support::{Backend, TestDatabase, on_both_backends};
use chrono::Utc;
use psma_core::catalog::merge::MergePolicy;
use psma_core::catalog::ports::{CatalogReader, ImportFormat, NoProgress, PageRequest, ShowFilter};
use psma_core::catalog::{Conflicts, ImportRequest, Ingestion, Resolution};
use psma_core::ports::SystemClock;
use psma_core::tenancy::{SystemCtx, TenantCtx};
use psma_plugin_sdk::{PluginDeps, ProviderFactory, ServiceRegistry};
use sea_orm::{ConnectionTrait, Statement, TransactionTrait};
use std::sync::Arc;

struct World {
    db: TestDatabase,
    store: Arc<psma_store::Store>,
    ingestion: Ingestion,
    conflicts: Conflicts,
    a: TenantCtx,
    b: TenantCtx,
}

async fn world(backend: Backend) -> World {
    let db = TestDatabase::create(backend).await;
    let owner = db.owner_store().await;
    owner.migrate_up().await.unwrap();
    owner.close().await;
    let store = Arc::new(db.store().await);
    let services = Arc::new(ServiceRegistry::bundled().unwrap());
    let ingestion = Ingestion::new(
        store.clone(),
        Arc::new(psma::catalog::ManualImportParser::new(services.clone())),
        Arc::new(SystemClock),
        MergePolicy::default(),
    )
    .unwrap();
    let conflicts = Conflicts::new(
        store.clone(),
        store.clone(),
        services,
        Arc::new(SystemClock),
    );
    let a = household(&store, "alpha").await;
    let b = household(&store, "beta").await;
    World {
        db,
        store,
        ingestion,
        conflicts,
        a,
        b,
    }
}

fn private_catalog(title: &str) -> Vec<u8> {
    serde_json::json!({"format": "psma-import/v1", "source_id": "mine",
        "shows": [{"ref": "s", "title": title, "year": 2021}],
        "availability": [{"show": "s", "service_id": "netflix", "country": "US"}]})
    .to_string()
    .into_bytes()
}

async fn import(world: &World, ctx: &TenantCtx, title: &str) {
    let request = ImportRequest {
        body: private_catalog(title),
        format: ImportFormat::Json,
        source_id: None,
    };
    world
        .ingestion
        .import(ctx, request, None, &NoProgress)
        .await
        .unwrap();
}

/// Every show, or those whose title has the words of `q`.
fn by_title(q: Option<String>) -> ShowFilter {
    ShowFilter {
        q,
        service_id: None,
        country: None,
        status: None,
        today: Utc::now().date_naive(),
    }
}

async fn titles(world: &World, ctx: &TenantCtx) -> Vec<String> {
    let filter = by_title(None);
    let page = world
        .store
        .list_shows(
            ctx,
            &filter,
            &PageRequest {
                after: None,
                limit: 100,
            },
        )
        .await
        .unwrap();
    page.items
        .iter()
        .map(|s| s.show.title.to_string())
        .collect()
}

on_both_backends! {
    async fn a_households_import_is_invisible_to_another(backend: Backend) {
        let world = world(backend).await;
        import(&world, &world.a, "Alpha's Secret Show").await;
        assert_eq!(titles(&world, &world.a).await, ["Alpha's Secret Show"]);
        assert!(titles(&world, &world.b).await.is_empty());
        let show = world.store.list_shows(&world.a, &ShowFilter { q: None, service_id: None, country: None, status: None, today: Utc::now().date_naive() }, &PageRequest { after: None, limit: 1 }).await.unwrap().items.remove(0).show.id;
        assert!(world.store.show(&world.b, show).await.unwrap().is_none(), "B cannot open A's show by id");
        let changes = world.store.changes(&world.b, None, &PageRequest { after: None, limit: 100 }).await.unwrap();
        assert!(changes.items.is_empty(), "B sees none of A's changes");
        // B's import of the same source id is B's own snapshot: it ends nothing of A's.
        import(&world, &world.b, "Beta's Show").await;
        assert_eq!(titles(&world, &world.a).await, ["Alpha's Secret Show"]);
        assert_eq!(titles(&world, &world.b).await, ["Beta's Show"]);
    }
}

on_both_backends! {
    async fn the_shared_catalog_is_everyones_and_decisions_on_it_are_each_households(backend: Backend) {
        let world = world(backend).await;
        let deps = PluginDeps { clock: Arc::new(SystemClock), services: Arc::new(ServiceRegistry::bundled().unwrap()) };
        let providers = psma::catalog::demo_providers(&deps).unwrap();
        let system = SystemCtx::establish("test");
        assert_eq!(world.ingestion.seed(&system, &providers).await.unwrap().len(), 2);
        assert!(world.ingestion.seed(&system, &providers).await.unwrap().is_empty(), "only into an empty catalog");
        let (a_titles, b_titles) = (titles(&world, &world.a).await, titles(&world, &world.b).await);
        assert!(a_titles.len() >= 40);
        assert_eq!(a_titles, b_titles);

        let open = world.conflicts.list(&world.a, None, None, 50).await.unwrap();
        let conflict = open.items.iter().find(|c| c.conflict.service_id.is_some()).unwrap();
        let id = conflict.conflict.id;
        world.conflicts.resolve(&world.a, id, Resolution::ChoseFact(conflict.conflict.fact_ids[0]), None, None).await.unwrap();
        assert_eq!(world.conflicts.get(&world.a, id).await.unwrap().status.as_str(), "resolved");
        assert_eq!(world.conflicts.get(&world.b, id).await.unwrap().status.as_str(), "open", "A's decision is A's");
    }
}

/// A transaction on the app role's connection with `setting` set as the store sets it.
async fn begin_with(db: &TestDatabase, setting: &str, value: &str) -> sea_orm::DatabaseTransaction {
    let app = db.app_connection().await;
    let txn = app.begin().await.unwrap();
    txn.execute_raw(Statement::from_sql_and_values(
        sea_orm::DbBackend::Postgres,
        "SELECT set_config($1, $2, true)",
        [setting.into(), value.into()],
    ))
    .await
    .unwrap();
    txn
}

fn insert_fact(tenant: Option<uuid::Uuid>) -> Statement {
    Statement::from_sql_and_values(
        sea_orm::DbBackend::Postgres,
        "INSERT INTO facts (id, tenant_id, source_id, kind, fact_key, subject_key, content_hash, \
         confidence, retrieved_at, payload, recorded_at) \
         VALUES ($1, $2, 'forged', 'price', $3, $3, $3, 1, now(), '{}', now())",
        [
            uuid::Uuid::now_v7().into(),
            tenant.into(),
            format!("{:032x}", rand_key()).into(),
        ],
    )
}

fn rand_key() -> u128 {
    uuid::Uuid::new_v4().as_u128()
}

async fn count(conn: &impl ConnectionTrait, sql: &str) -> i64 {
    conn.query_one_raw(Statement::from_string(
        sea_orm::DbBackend::Postgres,
        sql.to_owned(),
    ))
    .await
    .unwrap()
    .unwrap()
    .try_get::<i64>("", "n")
    .unwrap()
}

#[tokio::test]
async fn row_level_security_keeps_shared_rows_to_the_system_and_private_rows_to_their_household() {
    if !Backend::postgres_available() {
        return;
    }
    let world = world(Backend::Postgres).await;
    import(&world, &world.a, "Alpha's Secret Show").await;
    let deps = PluginDeps {
        clock: Arc::new(SystemClock),
        services: Arc::new(ServiceRegistry::bundled().unwrap()),
    };
    world
        .ingestion
        .seed(
            &SystemCtx::establish("test"),
            &psma::catalog::demo_providers(&deps).unwrap(),
        )
        .await
        .unwrap();
    let (a, b) = (
        world.a.tenant_id().to_string(),
        world.b.tenant_id().to_string(),
    );

    // B's context reads the shared rows, none of A's.
    let txn = begin_with(&world.db, "app.current_tenant_id", &b).await;
    assert_eq!(
        count(
            &txn,
            "SELECT COUNT(*) AS n FROM facts WHERE tenant_id IS NOT NULL"
        )
        .await,
        0
    );
    assert!(count(&txn, "SELECT COUNT(*) AS n FROM facts").await > 0);
    assert_eq!(
        count(
            &txn,
            "SELECT COUNT(*) AS n FROM shows WHERE title = 'Alpha''s Secret Show'"
        )
        .await,
        0
    );
    // …cannot write a shared fact, nor end one.
    let err = txn.execute_raw(insert_fact(None)).await.unwrap_err();
    assert!(err.to_string().contains("row-level security"), "{err}");
    txn.rollback().await.unwrap();
    let txn = begin_with(&world.db, "app.current_tenant_id", &b).await;
    let ended = txn
        .execute_unprepared("UPDATE facts SET ended_at = now() WHERE tenant_id IS NULL")
        .await
        .unwrap();
    assert_eq!(
        ended.rows_affected(),
        0,
        "a tenant context cannot end shared facts"
    );
    // …and writes only its own rows.
    txn.execute_raw(insert_fact(Some(world.b.tenant_id().0)))
        .await
        .unwrap();
    let err = txn
        .execute_raw(insert_fact(Some(world.a.tenant_id().0)))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("row-level security"), "{err}");
    txn.rollback().await.unwrap();

    // A's context sees its private rows.
    let txn = begin_with(&world.db, "app.current_tenant_id", &a).await;
    assert!(
        count(
            &txn,
            "SELECT COUNT(*) AS n FROM facts WHERE tenant_id IS NOT NULL"
        )
        .await
            > 0
    );
    txn.rollback().await.unwrap();

    // The system context writes shared rows, sees no private ones, and cannot write them.
    let txn = begin_with(&world.db, "app.system_context", "on").await;
    txn.execute_raw(insert_fact(None)).await.unwrap();
    assert_eq!(
        count(
            &txn,
            "SELECT COUNT(*) AS n FROM facts WHERE tenant_id IS NOT NULL"
        )
        .await,
        0
    );
    let err = txn
        .execute_raw(insert_fact(Some(world.a.tenant_id().0)))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("row-level security"), "{err}");
    txn.rollback().await.unwrap();

    // With no setting at all: shared rows only, and no writes.
    let app = world.db.app_connection().await;
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) AS n FROM facts WHERE tenant_id IS NOT NULL"
        )
        .await,
        0
    );
    assert!(app.execute_raw(insert_fact(None)).await.is_err());
    for table in ["conflict_decisions", "fact_overrules"] {
        assert_eq!(
            count(&app, &format!("SELECT COUNT(*) AS n FROM {table}")).await,
            0
        );
    }
}

/// A refresh of the shared catalog from a manual-import source holding `shows` (ref, title,
/// TMDB id), each on netflix in the US.
async fn refresh_shared(world: &World, shows: &[(&str, &str, &str)]) {
    let deps = PluginDeps {
        clock: Arc::new(SystemClock),
        services: Arc::new(ServiceRegistry::bundled().unwrap()),
    };
    let content = serde_json::json!({"format": "psma-import/v1",
        "shows": shows.iter().map(|(r, title, tmdb)| serde_json::json!(
            {"ref": r, "title": title, "year": 2020, "external_ids": {"tmdb": tmdb}})).collect::<Vec<_>>(),
        "availability": shows.iter().map(|(r, _, _)| serde_json::json!(
            {"show": r, "service_id": "netflix", "country": "US"})).collect::<Vec<_>>()});
    let config = serde_json::json!({"content": content.to_string(), "source_id": "listings",
        "display_name": "Listings", "attribution": "Test listings."});
    let provider = psma_plugin_manual_import::ManualImportFactory
        .build(&config, deps)
        .unwrap();
    let system = SystemCtx::establish("test");
    world
        .ingestion
        .refresh(&system, provider.as_ref(), &NoProgress)
        .await
        .unwrap();
}

/// Every title of the netflix/US list as `ctx` pages through it, `limit` at a time.
async fn netflix_titles(world: &World, ctx: &TenantCtx, limit: u32) -> Vec<String> {
    let filter = ShowFilter {
        q: None,
        service_id: Some("netflix".parse().unwrap()),
        country: Some("US".parse().unwrap()),
        status: None,
        today: Utc::now().date_naive(),
    };
    let (mut titles, mut after) = (Vec::new(), None);
    loop {
        let page = world
            .store
            .list_shows(ctx, &filter, &PageRequest { after, limit })
            .await
            .unwrap();
        titles.extend(page.items.iter().map(|s| s.show.title.to_string()));
        match page.next {
            Some(next) => after = Some(next),
            None => break titles,
        }
    }
}

async fn shared_show_id(world: &World, title: &str) -> psma_core::catalog::ShowId {
    let filter = by_title(Some(title.to_lowercase()));
    let page = world
        .store
        .list_shows(
            &world.b,
            &filter,
            &PageRequest {
                after: None,
                limit: 10,
            },
        )
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1, "one show titled {title}");
    page.items[0].show.id
}

on_both_backends! {
    // A narrow filter orders shows by the shared catalog's titles kept in memory: a refresh that
    // renames and adds shared shows shows at once, and a household's own shows fall in between.
    async fn a_filtered_list_follows_the_shared_catalog_and_mixes_in_a_households_shows(backend: Backend) {
        let world = world(backend).await;
        refresh_shared(&world, &[("b", "Bravo", "tv:2"), ("d", "Delta", "tv:4")]).await;
        // Household A's first list is the shared catalog's page, which is then kept.
        assert_eq!(netflix_titles(&world, &world.a, 50).await, ["Bravo", "Delta"]);
        import(&world, &world.a, "Charlie").await;
        assert_eq!(netflix_titles(&world, &world.a, 50).await, ["Bravo", "Charlie", "Delta"], "not the kept shared page");
        assert_eq!(netflix_titles(&world, &world.a, 2).await, ["Bravo", "Charlie", "Delta"]);
        assert_eq!(netflix_titles(&world, &world.b, 50).await, ["Bravo", "Delta"]);

        let delta = shared_show_id(&world, "Delta").await;
        refresh_shared(&world, &[("b", "Bravo", "tv:2"), ("d", "Alpha", "tv:4"), ("e", "Echo", "tv:5")]).await;
        assert_eq!(shared_show_id(&world, "Alpha").await, delta, "the same show, renamed");
        assert_eq!(netflix_titles(&world, &world.a, 1).await, ["Alpha", "Bravo", "Charlie", "Echo"]);
        assert_eq!(netflix_titles(&world, &world.b, 50).await, ["Alpha", "Bravo", "Echo"]);
    }
}
