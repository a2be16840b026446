//! `PUT /api/v1/my-shows/{show_id}`.

use super::{MyShowView, WatchModeView};
use crate::error::ApiError;
use crate::extract::{Caller, JsonBody};
use crate::middleware::telemetry::request_id;
use crate::params::path_id;
use crate::responses::{
    Forbidden, Invalid, Malformed, NotFound, TooLarge, Unavailable, WrongMediaType,
};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;
use psma_core::catalog::ShowId;
use psma_core::planning::profile::WishRequest;
use serde::Deserialize;
use utoipa::ToSchema;

/// How the caller wants to watch the show.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MyShowBody {
    /// `as_aired` or `binge_after_season`.
    pub watch_mode: WatchModeView,
    /// Days to watch a season in once started (default `planner.binge_days`, 14).
    #[schema(minimum = 1, maximum = 365)]
    #[serde(default, deserialize_with = "crate::params::optional_whole_u16")]
    pub binge_days: Option<u16>,
    /// Only this season.
    #[schema(minimum = 0, maximum = 9999)]
    #[serde(default, deserialize_with = "crate::params::optional_whole_u16")]
    pub season: Option<u16>,
    /// Not before this day.
    pub start_after: Option<NaiveDate>,
    /// The last day you need the show; answers the plan's question `show:<id>:end_date` (a
    /// day before `start_after` means that first day only).
    pub end_date: Option<NaiveDate>,
}

/// Puts a show on the caller's list, or changes how they watch it: `201` when it was not on
/// the list (or had been removed), else `200`. Audited (`my_show.put`).
#[utoipa::path(put, path = "/api/v1/my-shows/{show_id}", tag = "planning", operation_id = "put_my_show",
    params(("show_id" = Uuid, Path, description = "The show")),
    request_body(content = MyShowBody, content_type = "application/json"),
    responses(
        (status = 201, description = "Added", body = MyShowView),
        (status = 200, description = "Changed", body = MyShowView),
        Malformed, Forbidden, NotFound, TooLarge, WrongMediaType, Invalid, Unavailable))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    show_id: web::Path<String>,
    JsonBody(body): JsonBody<MyShowBody>,
) -> Result<HttpResponse, ApiError> {
    let show = ShowId(path_id(&show_id, "show")?);
    let request = WishRequest {
        watch_mode: Some(body.watch_mode.into()),
        binge_days: body.binge_days,
        season: body.season,
        start_after: body.start_after,
        end_date: body.end_date,
    };
    let saved = state
        .profiles
        .put_my_show(&ctx, show, request, request_id(&req))
        .await?;
    let view = MyShowView::from(&saved.item);
    Ok(if saved.created {
        HttpResponse::Created().json(view)
    } else {
        HttpResponse::Ok().json(view)
    })
}
