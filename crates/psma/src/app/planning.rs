//! Planning and advice wiring: the use cases the request path and the worker share, and the
//! background work a worker process runs.

use super::handlers;
use crate::settings::Settings;
use psma_core::advice::jobs::advise_job;
use psma_core::advice::usecases::{Advising, AdvisingParts};
use psma_core::catalog::{Conflicts, Refreshes};
use psma_core::jobs::JobQueue;
use psma_core::planning::plans::Plans;
use psma_core::planning::profile::Profiles;
use psma_core::planning::replan::Replans;
use psma_core::ports::Clock;
use psma_plugin_sdk::ServiceRegistry;
use psma_store::Store;
use psma_worker::{AdviseHandler, HandlerRegistry, ReplanHandler};
use std::sync::Arc;

/// The use cases the worker runs jobs through.
#[derive(Clone)]
pub struct Background {
    /// Provider refreshes.
    pub refreshes: Refreshes,
    /// Re-plans after profile and catalog changes.
    pub replans: Replans,
    /// Advice runs after each plan.
    pub advising: Advising,
}

/// Every kind of background work a worker process runs: refreshes, re-plans, advice runs.
#[must_use]
pub fn all_handlers(
    background: Background,
    queue: Arc<dyn JobQueue>,
    clock: Arc<dyn Clock>,
) -> HandlerRegistry {
    handlers(background.refreshes)
        .with(Arc::new(ReplanHandler::new(
            background.replans,
            queue.clone(),
            clock,
        )))
        .with(Arc::new(AdviseHandler::new(background.advising, queue)))
}

/// Re-plans in the background on `store` (ADR 0024): the plans of members whose profile or
/// selected shows changed, made as the request path makes them.
#[must_use]
pub fn replans(
    settings: &Settings,
    store: &Arc<Store>,
    services: Arc<ServiceRegistry>,
    clock: &Arc<dyn Clock>,
) -> Replans {
    Replans::new(
        planning(settings, store, services, clock),
        store.clone(),
        clock.clone(),
    )
}

/// The planning use cases on `store`: the profile and the plans made from it. Every plan kept
/// queues the member's advice run in its transaction.
#[must_use]
pub fn planning(
    settings: &Settings,
    store: &Arc<Store>,
    services: Arc<ServiceRegistry>,
    clock: &Arc<dyn Clock>,
) -> Plans {
    let profiles = Profiles::new(
        store.clone(),
        store.clone(),
        services.clone(),
        settings.planner.clone(),
        clock.clone(),
    );
    Plans::new(
        store.clone(),
        profiles,
        store.clone(),
        services,
        clock.clone(),
    )
    .followed_by(advise_job)
}

/// The advice use cases on `store`, worded by the `[llm]` adapter (ADR 0027).
///
/// # Errors
/// When `[llm]` is refused (naming the key).
pub fn advising(
    settings: &Settings,
    store: &Arc<Store>,
    services: Arc<ServiceRegistry>,
    clock: &Arc<dyn Clock>,
) -> anyhow::Result<Advising> {
    let llm = crate::llm::build(&settings.llm)?;
    Ok(Advising::new(AdvisingParts {
        store: store.clone(),
        plans: planning(settings, store, services.clone(), clock),
        catalog: store.clone(),
        conflicts: Conflicts::new(
            store.clone(),
            store.clone(),
            services.clone(),
            clock.clone(),
        ),
        registry: services,
        llm,
        clock: clock.clone(),
    }))
}
