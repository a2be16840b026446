//! The composition root: builds every adapter from the settings and wires them into the core.
//! Used by `main` and by the test harness alike, so tests run the real wiring.

use crate::settings::Settings;
use anyhow::Context;
use psma_api::ApiState;
use psma_core::accounts::{Accounts, Platform, Trash};
use psma_core::audit::AuditTrail;
use psma_core::catalog::merge::MergePolicy;
use psma_core::catalog::ports::Progress;
use psma_core::catalog::{
    Catalog, Conflicts, Ingestion, ProviderDirectory, Providers, RefreshPorts, Refreshes,
};
use psma_core::jobs::{JobQueue, Jobs};
use psma_core::planning::reminders::Reminders;
use psma_core::planning::replan::Replans;
use psma_core::ports::{Clock, OsEntropy, Readiness, SystemClock};
use psma_plugin_sdk::{PluginDeps, ServiceRegistry};
use psma_store::{Backend, DatabaseUrl, Store};
use psma_worker::{GovernorPace, HandlerRegistry, RefreshHandler, RefreshSchedule, Worker};
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

mod auth;
mod planning;

pub use auth::{AuthWiring, auth, invitations, roles};
pub use planning::{Background, advising, all_handlers, planning, replans};

/// A built, bound, not yet running PSMA server.
pub struct Application {
    startup: crate::banner::Startup,
    server: psma_api::Server,
    worker: Option<JoinHandle<()>>,
    stop_worker: CancellationToken,
    store: Store,
}

impl Application {
    /// Opens the database (migrating it when configured), ensures the local tenant in local
    /// mode, binds the listener and prepares the embedded worker.
    ///
    /// # Errors
    /// When the database cannot be opened or migrated, the schema is not current, or the
    /// address cannot be bound.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let settings = settings.resolve()?;
        let store = open_ready_store(&settings).await?;
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let store_arc = Arc::new(store.clone());
        let accounts = Accounts::new(store_arc.clone(), store_arc.clone(), clock.clone());
        let AuthWiring {
            authenticator,
            sessions,
            invitations,
            jwks,
            oauth,
        } = auth(&settings, &store_arc, &clock)?;
        let local = settings.auth.mode == psma_auth::AuthMode::Local;
        if local {
            accounts
                .ensure_local_tenant()
                .await
                .context("creating the local tenant")?;
        }
        let CatalogWiring {
            services,
            deps,
            providers,
            ingestion,
            refreshes,
        } = CatalogWiring::build(&settings, &store_arc, &clock)?;
        crate::providers::log_configured(&providers);
        let demo_shows = if settings.catalog.load_demo.unwrap_or(local) {
            crate::catalog::load_demo(&ingestion, &deps).await?
        } else {
            None
        };

        let listener = psma_api::bind(&settings.server)
            .with_context(|| format!("cannot listen on {}", settings.server.bind))?;
        let address = listener.local_addr()?;
        let plans = planning(&settings, &store_arc, services.clone(), &clock);
        let profiles = plans.profiles().clone();
        let replans = Replans::new(plans.clone(), store_arc.clone(), clock.clone());
        let advising = advising(&settings, &store_arc, services.clone(), &clock)?;
        let platform = invitations
            .clone()
            .map(|invitations| Platform::new(accounts.clone(), invitations));
        let state = ApiState {
            accounts,
            ingestion,
            catalog: Catalog::new(store_arc.clone(), services.clone(), clock.clone()),
            conflicts: Conflicts::new(
                store_arc.clone(),
                store_arc.clone(),
                services.clone(),
                clock.clone(),
            ),
            providers: ProviderDirectory::new(providers, store_arc.clone(), clock.clone()),
            refreshes: refreshes.clone(),
            jobs: Jobs::new(store_arc.clone()),
            reminders: Reminders::new(
                store_arc.clone(),
                store_arc.clone(),
                store_arc.clone(),
                services.clone(),
                clock.clone(),
                Arc::new(OsEntropy),
            ),
            plans,
            replans: replans.clone(),
            profiles,
            advising: advising.clone(),
            audit: AuditTrail::new(store_arc.clone()),
            authenticator,
            sessions,
            platform,
            invitations,
            roles: auth::roles(&store_arc, &clock),
            trash: Trash::new(store_arc.clone(), clock.clone()),
            jwks,
            oauth,
            public_url: settings.server.public_url.clone(),
            readiness: store_arc.clone(),
            clock: clock.clone(),
            rate_limits: Arc::new(psma_api::RateLimits::new(
                &settings.server.rate_limits,
                !local,
            )),
            trusted_proxies: settings.server.trusted_proxies.clone(),
            max_header_bytes: settings.server.max_header_bytes,
            max_body_bytes: settings.server.max_body_bytes,
            openapi: Arc::new(crate::catalog::openapi_document()),
        };
        let server = psma_api::serve(
            listener,
            state,
            &settings.server,
            psma_api::install_metrics_recorder(),
        )?;

        let stop_worker = CancellationToken::new();
        let worker = settings.worker.embedded.then(|| {
            start_worker(
                &settings,
                store_arc.clone(),
                clock.clone(),
                Background {
                    refreshes,
                    replans,
                    advising: advising.clone(),
                },
                stop_worker.clone(),
            )
        });
        // A wildcard bind is reachable on loopback: log a URL a browser can open.
        let url = crate::banner::open_url(address, None);
        tracing::info!(%address, backend = ?store.backend(), "PSMA is listening on {url}");
        let startup = crate::banner::Startup {
            address,
            public_url: settings.server.public_url.clone(),
            database: settings.database_url()?.clone(),
            demo_shows,
        };
        Ok(Self {
            startup,
            server,
            worker,
            stop_worker,
            store,
        })
    }

    /// The bound port (useful with `server.bind = "…:0"`).
    #[must_use]
    pub fn port(&self) -> u16 {
        self.startup.address.port()
    }

    /// What `psma serve` tells a person at a terminal: where to open it, where the data is.
    #[must_use]
    pub fn startup(&self) -> &crate::banner::Startup {
        &self.startup
    }

    /// Serves until SIGINT/SIGTERM: in-flight requests finish, then the worker settles its job
    /// in hand and the database pool closes.
    ///
    /// # Errors
    /// When the server fails.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let result = self.server.await;
        self.stop_worker.cancel();
        if let Some(worker) = self.worker {
            tracing::info!("stopping: the worker finishes its job in hand");
            // A panicked worker has nothing left to settle.
            let _ = worker.await;
        }
        self.store.close().await;
        tracing::info!("PSMA stopped");
        result.context("HTTP server failed")
    }
}

/// What the catalog's use cases are built from: the service registry, what plugins get, the
/// configured providers and the ingestion pipeline.
pub struct CatalogWiring {
    /// The bundled service registry.
    pub services: Arc<ServiceRegistry>,
    /// What plugins are built with.
    pub deps: PluginDeps,
    /// The configured providers.
    pub providers: Providers,
    /// The ingestion pipeline.
    pub ingestion: Ingestion,
    /// Provider refreshes: asked for, scheduled, run.
    pub refreshes: Refreshes,
}

impl CatalogWiring {
    /// Builds them on `store`.
    ///
    /// # Errors
    /// When a provider's configuration is refused (naming its key) or the registry or the
    /// contract schemas do not load.
    pub fn build(
        settings: &Settings,
        store: &Arc<Store>,
        clock: &Arc<dyn Clock>,
    ) -> anyhow::Result<Self> {
        let services = Arc::new(ServiceRegistry::bundled()?);
        let deps = PluginDeps {
            clock: clock.clone(),
            services: services.clone(),
        };
        let providers = crate::providers::configured(
            &settings.providers,
            &crate::providers::factories(),
            &deps,
        )?;
        let ingestion = Ingestion::new(
            store.clone(),
            Arc::new(crate::catalog::ManualImportParser::new(services.clone())),
            clock.clone(),
            merge_policy(settings),
        )?;
        let refreshes = Refreshes::new(
            providers.clone(),
            ingestion.clone(),
            RefreshPorts {
                queue: store.clone(),
                runs: store.clone(),
                targets: store.clone(),
                pace: Arc::new(GovernorPace::default()),
                clock: clock.clone(),
            },
        );
        Ok(Self {
            services,
            deps,
            providers,
            ingestion,
            refreshes,
        })
    }
}

/// The job handlers: each kind of background work and the use case that does it.
#[must_use]
pub fn handlers(refreshes: Refreshes) -> HandlerRegistry {
    HandlerRegistry::default().with(Arc::new(RefreshHandler::new(refreshes)))
}

/// [`handlers`], with refreshes reporting their stages to `progress`.
#[must_use]
pub fn handlers_showing(refreshes: Refreshes, progress: Arc<dyn Progress>) -> HandlerRegistry {
    HandlerRegistry::default().with(Arc::new(RefreshHandler::with_progress(refreshes, progress)))
}

/// Starts the job worker (running refreshes, re-plans and advice runs) and the refresh
/// schedule; both stop at `stop` (the worker after settling its job in hand). The handle ends
/// when both have.
pub fn start_worker(
    settings: &Settings,
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
    background: Background,
    stop: CancellationToken,
) -> JoinHandle<()> {
    let refreshes = background.refreshes.clone();
    let handlers = all_handlers(background, store.clone(), clock.clone());
    let worker = build_worker(settings, store, clock.clone(), handlers);
    let schedule = RefreshSchedule::new(refreshes, clock);
    tokio::spawn(async move {
        tokio::join!(worker.run_until(stop.clone()), schedule.run_until(stop));
    })
}

/// Builds the job runner with `handlers`.
pub fn build_worker(
    settings: &Settings,
    queue: Arc<dyn JobQueue>,
    clock: Arc<dyn Clock>,
    handlers: HandlerRegistry,
) -> Worker {
    let id = format!(
        "{}-{}",
        std::process::id(),
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    );
    Worker::new(id, queue, clock, handlers, settings.worker.clone())
}

/// Opens the database (migrating it when configured) and checks that its schema is current.
///
/// # Errors
/// When the database cannot be opened or migrated, or migrations are pending.
pub async fn open_ready_store(settings: &Settings) -> anyhow::Result<Store> {
    let store = open_store(settings).await?;
    let applied = if migrate_on_start(settings)? {
        migrate_up(settings, &store).await?
    } else {
        0
    };
    let report = store.check().await;
    if !report.is_ready() {
        anyhow::bail!(
            "the database is not ready (reachable: {}, pending migrations: {:?}); run `psma migrate up`",
            report.database_reachable,
            report.pending_migrations
        );
    }
    // One line in place of the migrator's two a step (kept below the default log level).
    let schema = if applied == 0 {
        "schema up to date".to_owned()
    } else {
        format!("{applied} migrations applied")
    };
    tracing::info!(backend = ?store.backend(), migrations_applied = applied, "database ready ({schema})");
    Ok(store)
}

/// Opens the application's database pool.
///
/// # Errors
/// When the database cannot be opened.
pub async fn open_store(settings: &Settings) -> anyhow::Result<Store> {
    let url = settings.database_url()?;
    Ok(Store::connect(
        url,
        settings.database.max_connections,
        Duration::from_millis(settings.database.acquire_timeout_ms),
    )
    .await?)
}

/// The URL migrations run with: `database.migration_url`, else `database.url`.
///
/// # Errors
/// When called before the settings are resolved.
pub fn migration_url(settings: &Settings) -> anyhow::Result<&DatabaseUrl> {
    match &settings.database.migration_url {
        Some(url) => Ok(url),
        None => settings.database_url(),
    }
}

/// The merge policy the `[catalog]` settings ask for.
#[must_use]
pub fn merge_policy(settings: &Settings) -> MergePolicy {
    MergePolicy {
        date_tolerance_days: i64::from(settings.catalog.conflict_date_tolerance_days),
        confidence_margin: settings.catalog.conflict_confidence_margin,
    }
}

fn migrate_on_start(settings: &Settings) -> anyhow::Result<bool> {
    Ok(match settings.database.migrate_on_start {
        Some(explicit) => explicit,
        None => Backend::of(settings.database_url()?)? == Backend::Sqlite,
    })
}

/// Applies the pending migrations; how many there were.
async fn migrate_up(settings: &Settings, app_store: &Store) -> anyhow::Result<usize> {
    if settings.database.migration_url.is_none() {
        return apply_pending(app_store).await;
    }
    let owner = Store::connect(migration_url(settings)?, 1, Duration::from_secs(10)).await?;
    let result = apply_pending(&owner).await;
    owner.close().await;
    result
}

async fn apply_pending(store: &Store) -> anyhow::Result<usize> {
    let pending = store
        .migration_status()
        .await?
        .iter()
        .filter(|(_, applied)| !applied)
        .count();
    store.migrate_up().await?;
    Ok(pending)
}
