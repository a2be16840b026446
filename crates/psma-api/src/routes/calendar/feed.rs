//! `GET /calendar/{token}.ics`.

use super::ics;
use crate::error::ApiError;
use crate::extract::FeedOwner;
use crate::responses::{NotFound, Unavailable};
use crate::state::ApiState;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use actix_web::{HttpResponse, web};

/// The calendar feed of the token's owner (RFC 5545): one all-day event per event of their
/// current plan, each with a reminder the day before, `STATUS:TENTATIVE` when the date is
/// contested or rests on an assumption, and a UID that stays the same while the subscription it
/// belongs to starts on the same day. No session: the token is the credential. An unknown,
/// malformed or rotated token is 404, the same for each.
#[utoipa::path(get, path = "/calendar/{token}.ics", tag = "planning", operation_id = "get_calendar_feed",
    params(("token" = String, Path, description = "The secret token `POST /api/v1/calendar/token` returned",
        pattern = "^[0-9a-f]{32}_[0-9a-f]{64}$")),
    responses(
        (status = 200, description = "The feed", content_type = "text/calendar", body = String),
        NotFound, Unavailable),
    security(()))]
pub(crate) async fn handle(
    state: web::Data<ApiState>,
    FeedOwner(ctx): FeedOwner,
) -> Result<HttpResponse, ApiError> {
    let feed = state.reminders.feed(&ctx).await?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/calendar; charset=utf-8"))
        // The URL is a secret: no shared cache may keep the feed.
        .insert_header((CACHE_CONTROL, "private, no-cache"))
        .body(ics::render(&feed)))
}
