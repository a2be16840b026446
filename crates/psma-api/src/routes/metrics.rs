//! `GET /metrics`: Prometheus text exposition.

use actix_web::{HttpResponse, web};
use metrics_exporter_prometheus::PrometheusHandle;

/// The process's metrics in Prometheus text format.
#[utoipa::path(get, path = "/metrics", tag = "operations", operation_id = "metrics",
    responses((status = 200, description = "Prometheus text format 0.0.4", content_type = "text/plain", body = String)),
    security(()))]
pub(crate) async fn get(handle: Option<web::Data<PrometheusHandle>>) -> HttpResponse {
    let text = handle.map(|h| h.render()).unwrap_or_default();
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(text)
}
