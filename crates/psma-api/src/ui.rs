//! # The web UI
//!
//! Server-rendered pages for people (ADR 0032): askama templates (`templates/`), compiled into
//! the binary with their assets (`assets/`, served under content-hashed names). Every page
//! reads and writes through the same use cases as the API — there is no second path to the
//! data — and works without JavaScript; the one script only enhances (local dates, live
//! updates).
//!
//! **Invariants:** a page's caller comes from [`crate::extract::PageCaller`] (the API's own
//! path to a `TenantCtx`); no inline script or style (the page CSP forbids both); errors are
//! the API's problems rendered as pages ([`errors`]).

pub(crate) mod assets;
mod csrf;
pub(crate) mod errors;
mod fields;
mod form;
mod format;
pub(crate) mod page;
mod pages;
pub(crate) mod session;
mod timeline;

use actix_web::middleware::from_fn;
use actix_web::{Resource, web};
use pages::{
    advice, catalog, conflicts, home, import, my_services, my_shows, plan, providers, settings,
    show,
};

/// A page's resource: every page gets the visit's form token and refuses cross-site posts.
fn page(
    path: &str,
) -> Resource<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    web::resource(path).wrap(from_fn(csrf::protect))
}

/// Mounts every page and the assets.
pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(page("/").route(web::get().to(home::get)))
        .service(page("/catalog").route(web::get().to(catalog::get)))
        .service(page("/shows/{id}").route(web::get().to(show::get)))
        .service(page("/my-shows").route(web::get().to(my_shows::list::get)))
        .service(
            page("/my-shows/{id}")
                .route(web::get().to(my_shows::edit::get))
                .route(web::post().to(my_shows::save::post)),
        )
        .service(page("/my-shows/{id}/remove").route(web::post().to(my_shows::remove::post)))
        .service(page("/my-shows/{id}/restore").route(web::post().to(my_shows::restore::post)))
        .service(
            page("/my-services")
                .route(web::get().to(my_services::list::get))
                .route(web::post().to(my_services::add::post)),
        )
        .service(
            page("/my-services/{id}")
                .route(web::get().to(my_services::edit::get))
                .route(web::post().to(my_services::save::post)),
        )
        .service(page("/my-services/{id}/remove").route(web::post().to(my_services::remove::post)))
        .service(
            page("/my-services/{id}/restore").route(web::post().to(my_services::restore::post)),
        )
        .service(
            page("/settings")
                .route(web::get().to(settings::get::get))
                .route(web::post().to(settings::save::post)),
        )
        .service(page("/settings/calendar").route(web::post().to(settings::calendar::post)))
        .service(
            page("/plan")
                .route(web::get().to(plan::get::get))
                .route(web::post().to(plan::make::post)),
        )
        .service(page("/plan/delta").route(web::get().to(plan::delta::get)))
        .service(page("/advice").route(web::get().to(advice::list::get)))
        .service(page("/advice/{id}/confirm").route(web::post().to(advice::confirm::post)))
        .service(page("/advice/{id}/decline").route(web::post().to(advice::decline::post)))
        .service(page("/advice/{id}/answer").route(web::post().to(advice::answer::post)))
        .service(page("/conflicts").route(web::get().to(conflicts::list::get)))
        .service(page("/conflicts/{id}").route(web::get().to(conflicts::detail::get)))
        .service(page("/conflicts/{id}/resolve").route(web::post().to(conflicts::resolve::post)))
        .service(page("/conflicts/{id}/defer").route(web::post().to(conflicts::defer::post)))
        .service(
            page("/import")
                .route(web::get().to(import::get::get))
                .route(web::post().to(import::upload::post)),
        )
        .service(page("/providers").route(web::get().to(providers::get::get)))
        .service(page("/providers/refresh").route(web::post().to(providers::refresh::post)))
        .service(page("/events").route(web::get().to(pages::events::get)))
        .service(
            page("/login")
                .route(web::get().to(pages::session::login::get))
                .route(web::post().to(pages::session::login::post)),
        )
        .service(page("/session/logout").route(web::post().to(pages::session::logout::post)))
        .service(page("/session/renew").route(web::get().to(pages::session::renew::get)))
        .service(
            page("/invitations/accept")
                .route(web::get().to(pages::session::invitation::get))
                .route(web::post().to(pages::session::invitation::post)),
        )
        .service(web::resource("/assets/{file}").route(web::get().to(assets::get)));
}
