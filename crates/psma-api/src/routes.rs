//! One handler per file; this module only lists them and says where each is mounted.

pub(crate) mod docs;
pub(crate) mod health;
pub(crate) mod me;
pub(crate) mod metrics;
pub(crate) mod ready;

use actix_web::web;

/// The routes every PSMA process serves, API or worker: liveness, readiness, metrics.
pub(crate) fn operations(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/health").route(web::get().to(health::get)))
        .service(web::resource("/ready").route(web::get().to(ready::get)))
        .service(web::resource("/metrics").route(web::get().to(metrics::get)));
}

/// Every route of the API server.
pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    operations(cfg);
    cfg.service(web::resource("/api/docs").route(web::get().to(docs::redirect)))
        .service(
            web::resource("/api/v1/me")
                .route(web::get().to(me::get::handle))
                .route(web::patch().to(me::patch::handle)),
        );
}
