//! One handler per file; this module only lists them and says where each is mounted.

pub(crate) mod admin;
pub(crate) mod advice;
pub(crate) mod audit;
pub(crate) mod auth;
pub(crate) mod calendar;
pub(crate) mod catalog;
pub(crate) mod changes;
pub(crate) mod conflicts;
pub(crate) mod docs;
pub(crate) mod events;
pub(crate) mod health;
pub(crate) mod imports;
pub(crate) mod invitations;
pub(crate) mod jobs;
pub(crate) mod me;
pub(crate) mod metrics;
pub(crate) mod my_services;
pub(crate) mod my_shows;
pub(crate) mod plan_facade;
pub(crate) mod plans;
pub(crate) mod providers;
pub(crate) mod ready;
pub(crate) mod refresh_runs;
pub(crate) mod reminders;
pub(crate) mod roles;
pub(crate) mod services;
pub(crate) mod settings;
pub(crate) mod shows;
pub(crate) mod trash;
pub(crate) mod users;

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
            web::resource("/plan/v1/generate").route(web::post().to(plan_facade::generate::handle)),
        )
        .service(web::resource("/.well-known/jwks.json").route(web::get().to(auth::jwks::handle)))
        .service(web::resource("/api/v1/auth/login").route(web::post().to(auth::login::handle)))
        .service(web::resource("/api/v1/auth/refresh").route(web::post().to(auth::refresh::handle)))
        .service(web::resource("/api/v1/auth/logout").route(web::post().to(auth::logout::handle)))
        .service(
            web::resource("/api/v1/auth/oauth/{provider}/start")
                .route(web::get().to(auth::oauth::start::handle)),
        )
        .service(
            web::resource("/api/v1/auth/oauth/{provider}/callback")
                .route(web::get().to(auth::oauth::callback::handle)),
        )
        .service(
            web::resource("/api/v1/auth/password-reset")
                .route(web::post().to(auth::password_reset::handle)),
        )
        .service(
            web::resource("/api/v1/invitations").route(web::post().to(invitations::create::handle)),
        )
        .service(
            web::resource("/api/v1/invitations/accept")
                .route(web::post().to(invitations::accept::handle)),
        )
        .service(
            web::resource("/api/v1/users/{id}/password-reset")
                .route(web::post().to(users::password_reset::handle)),
        )
        .service(web::resource("/api/v1/users").route(web::get().to(users::list::handle)))
        .service(web::resource("/api/v1/users/{id}").route(web::delete().to(users::delete::handle)))
        .service(
            web::resource("/api/v1/users/{id}/restore")
                .route(web::post().to(users::restore::handle)),
        )
        .service(
            web::resource("/api/v1/users/{id}/roles").route(web::put().to(users::roles::handle)),
        )
        .service(
            web::resource("/api/v1/roles")
                .route(web::get().to(roles::list::handle))
                .route(web::post().to(roles::create::handle)),
        )
        .service(
            web::resource("/api/v1/roles/{name}")
                .route(web::get().to(roles::get::handle))
                .route(web::patch().to(roles::update::handle))
                .route(web::delete().to(roles::delete::handle)),
        )
        .service(web::resource("/api/v1/trash").route(web::delete().to(trash::purge::handle)))
        .service(
            web::resource("/api/v1/admin/tenants")
                .route(web::get().to(admin::tenants::list::handle))
                .route(web::post().to(admin::tenants::create::handle)),
        )
        .service(
            web::resource("/api/v1/me")
                .route(web::get().to(me::get::handle))
                .route(web::patch().to(me::patch::handle)),
        )
        .service(web::resource("/api/v1/me/password").route(web::post().to(me::password::handle)))
        .service(web::resource("/api/v1/imports").route(web::post().to(imports::create::handle)))
        .service(
            web::resource("/api/v1/shows")
                .route(web::get().to(shows::list::handle))
                .route(web::post().to(shows::add::handle)),
        )
        .service(web::resource("/api/v1/shows/{id}").route(web::get().to(shows::get::handle)))
        .service(web::resource("/api/v1/services").route(web::get().to(services::list::handle)))
        .service(web::resource("/api/v1/changes").route(web::get().to(changes::list::handle)))
        .service(web::resource("/api/v1/conflicts").route(web::get().to(conflicts::list::handle)))
        .service(
            web::resource("/api/v1/conflicts/{id}").route(web::get().to(conflicts::get::handle)),
        )
        .service(
            web::resource("/api/v1/conflicts/{id}/resolve")
                .route(web::post().to(conflicts::resolve::handle)),
        )
        .service(
            web::resource("/api/v1/conflicts/{id}/defer")
                .route(web::post().to(conflicts::defer::handle)),
        )
        .service(web::resource("/api/v1/jobs/{id}").route(web::get().to(jobs::get::handle)))
        .service(web::resource("/api/v1/advice").route(web::get().to(advice::list::handle)))
        .service(
            web::resource("/api/v1/advice/{id}/confirm")
                .route(web::post().to(advice::confirm::handle)),
        )
        .service(
            web::resource("/api/v1/advice/{id}/decline")
                .route(web::post().to(advice::decline::handle)),
        )
        .service(
            web::resource("/api/v1/advice/{id}/answer")
                .route(web::post().to(advice::answer::handle)),
        )
        .service(web::resource("/api/v1/events").route(web::get().to(events::stream::handle)))
        .service(web::resource("/api/v1/audit").route(web::get().to(audit::list::handle)))
        .service(web::resource("/api/v1/providers").route(web::get().to(providers::list::handle)))
        .service(
            web::resource("/api/v1/providers/{source_id}/search")
                .route(web::get().to(providers::search::handle)),
        )
        .service(
            web::resource("/api/v1/catalog/refresh")
                .route(web::post().to(catalog::refresh::handle)),
        )
        .service(
            web::resource("/api/v1/refresh-runs").route(web::get().to(refresh_runs::list::handle)),
        )
        .service(web::resource("/api/v1/my-shows").route(web::get().to(my_shows::list::handle)))
        .service(
            web::resource("/api/v1/my-shows/{show_id}/restore")
                .route(web::post().to(my_shows::restore::handle)),
        )
        .service(
            web::resource("/api/v1/my-services/{service_id}/restore")
                .route(web::post().to(my_services::restore::handle)),
        )
        .service(
            web::resource("/api/v1/my-shows/{show_id}")
                .route(web::put().to(my_shows::put::handle))
                .route(web::delete().to(my_shows::delete::handle)),
        )
        .service(
            web::resource("/api/v1/my-services").route(web::get().to(my_services::list::handle)),
        )
        .service(
            web::resource("/api/v1/my-services/{service_id}")
                .route(web::put().to(my_services::put::handle))
                .route(web::delete().to(my_services::delete::handle)),
        )
        .service(
            web::resource("/api/v1/reminders/upcoming")
                .route(web::get().to(reminders::upcoming::handle)),
        )
        .service(
            web::resource("/api/v1/calendar/token").route(web::post().to(calendar::token::handle)),
        )
        .service(
            web::resource("/calendar/{token}.ics").route(web::get().to(calendar::feed::handle)),
        )
        .service(web::resource("/api/v1/plans").route(web::post().to(plans::create::handle)))
        // `current` before `{id}`: resources match in the order they are registered.
        .service(
            web::resource("/api/v1/plans/current").route(web::get().to(plans::current::handle)),
        )
        .service(
            web::resource("/api/v1/plans/current/delta").route(web::get().to(plans::delta::handle)),
        )
        .service(web::resource("/api/v1/plans/{id}").route(web::get().to(plans::get::handle)))
        .service(
            web::resource("/api/v1/settings")
                .route(web::get().to(settings::get::handle))
                .route(web::put().to(settings::put::handle)),
        );
}
