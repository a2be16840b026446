//! Building and starting the HTTP server.

use crate::live::Shutdown;
use crate::middleware::hosts::HostPolicy;
use crate::middleware::{edge, problems, telemetry};
use crate::routes;
use crate::settings::ServerSettings;
use crate::state::ApiState;
use crate::ui;
pub use actix_web::dev::Server;
use actix_web::middleware::{Condition, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};
use metrics_exporter_prometheus::PrometheusHandle;
use psma_core::ports::Readiness;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use utoipa_swagger_ui::SwaggerUi;

/// HTTP worker threads: `server.workers` as given, or when 0 one per core (actix's default).
/// Until issue #7 the automatic count was capped at 4 to save idle memory (~0.45 MiB a worker:
/// ~43 MiB idle with 64); that cap also capped throughput, and the stateless façade
/// (`POST /plan/v1/generate`) uses every core (docs/benchmarks.md). Operators who prefer the
/// memory set a number.
fn worker_threads(configured: usize) -> usize {
    if configured > 0 {
        return configured;
    }
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// CORS for `origins` (browser pages elsewhere that may call the API); without any, the
/// middleware is not mounted and browsers keep cross-origin pages out.
fn cors(origins: &[String]) -> actix_cors::Cors {
    let mut cors = actix_cors::Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            actix_web::http::header::AUTHORIZATION,
            actix_web::http::header::CONTENT_TYPE,
            actix_web::http::header::HeaderName::from_static("x-request-id"),
        ])
        .expose_headers(["x-request-id", "retry-after"])
        .max_age(3600);
    for origin in origins {
        cors = cors.allowed_origin(origin);
    }
    cors
}

/// Binds the listening socket (separately from [`serve`], so callers learn the port first).
///
/// # Errors
/// When the address is taken or cannot be parsed.
pub fn bind(settings: &ServerSettings) -> std::io::Result<TcpListener> {
    TcpListener::bind(&settings.bind)
}

/// Builds the server on `listener`; run it by awaiting the returned [`Server`]. It stops
/// gracefully on SIGINT/SIGTERM: live-update streams end at once, in-flight requests finish
/// within the configured timeout. Call it within a Tokio runtime (it watches for the signals).
///
/// # Errors
/// When the listener cannot be used.
pub fn serve(
    listener: TcpListener,
    state: ApiState,
    settings: &ServerSettings,
    metrics: Option<PrometheusHandle>,
) -> std::io::Result<Server> {
    let readiness: web::Data<dyn Readiness> = web::Data::from(state.readiness.clone());
    let state = web::Data::new(state);
    let metrics = metrics.map(web::Data::new);
    let document = (*state.openapi).clone();
    let cors_origins = settings.cors_origins.clone();
    let hosts = web::Data::new(HostPolicy::from_settings(settings));
    let (stopping, shutdown) = watch::channel(false);
    let shutdown = web::Data::new(Shutdown(shutdown));
    let server = HttpServer::new(move || {
        let mut app = App::new()
            .app_data(state.clone())
            .app_data(readiness.clone())
            .app_data(hosts.clone())
            .app_data(shutdown.clone());
        if let Some(metrics) = &metrics {
            app = app.app_data(metrics.clone());
        }
        app.configure(routes::configure)
            .configure(ui::configure)
            .service(
                SwaggerUi::new("/api/docs/{_:.*}").external_urls_from_iter_unchecked([(
                    "/api/v1/openapi.json",
                    document.clone(),
                )]),
            )
            .default_service(web::to(|| async { HttpResponse::NotFound().finish() }))
            .wrap(from_fn(edge::guard))
            .wrap(problems::render())
            .wrap(Condition::new(
                !cors_origins.is_empty(),
                cors(&cors_origins),
            ))
            .wrap(from_fn(telemetry::track))
    })
    .listen(listener)?
    .shutdown_timeout(settings.shutdown_timeout_secs)
    .client_request_timeout(Duration::from_secs(30))
    .disable_signals();
    let server = server.workers(worker_threads(settings.workers)).run();
    // Signals are handled here, not by actix: live-update streams never finish by themselves,
    // so they are told to end first; then in-flight requests finish (Ctrl+C and SIGTERM alike).
    let handle = server.handle();
    tokio::spawn(async move {
        stop_signal().await;
        tracing::info!("stopping: finishing the requests in flight (again to stop at once)");
        let _ = stopping.send(true);
        let graceful = handle.clone();
        tokio::select! {
            () = graceful.stop(true) => {}
            () = stop_signal() => handle.stop(false).await,
        }
    });
    Ok(server)
}

/// Ctrl+C, or SIGTERM where there is one.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Builds the small server a `psma worker` process runs beside its jobs: `/health`, `/ready`
/// and `/metrics` only, so orchestrators can probe workers like API replicas. It does not react
/// to signals itself; the caller stops it through [`Server::handle`].
///
/// # Errors
/// When the listener cannot be used.
pub fn serve_operations(
    listener: TcpListener,
    readiness: Arc<dyn Readiness>,
    metrics: Option<PrometheusHandle>,
) -> std::io::Result<Server> {
    let readiness: web::Data<dyn Readiness> = web::Data::from(readiness);
    let metrics = metrics.map(web::Data::new);
    let server = HttpServer::new(move || {
        let mut app = App::new().app_data(readiness.clone());
        if let Some(metrics) = &metrics {
            app = app.app_data(metrics.clone());
        }
        app.configure(routes::operations)
            .default_service(web::to(|| async { HttpResponse::NotFound().finish() }))
            .wrap(from_fn(edge::secure_only))
            .wrap(problems::render())
            .wrap(from_fn(telemetry::track))
    })
    .listen(listener)?
    .workers(1)
    .disable_signals()
    .shutdown_timeout(5);
    Ok(server.run())
}
