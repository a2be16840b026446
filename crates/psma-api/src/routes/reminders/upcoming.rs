//! `GET /api/v1/reminders/upcoming`.

use crate::error::ApiError;
use crate::extract::{Caller, QueryParams};
use crate::responses::{Invalid, Unavailable};
use crate::routes::plans::ActionView;
use crate::state::ApiState;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use psma_core::planning::reminders::{DEFAULT_DAYS, DEFAULT_LIMIT, Reminder, UpcomingQuery};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Which events to list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UpcomingParams {
    /// The first day (default: today, or the plan's first day when it is later).
    pub from: Option<NaiveDate>,
    /// Days to look ahead, `from` included (default 365).
    #[param(minimum = 1, maximum = 730)]
    pub days: Option<u16>,
    /// At most this many events (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u16>,
}

/// A show an event is for.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReminderShow {
    /// The show (`GET /api/v1/shows/{id}`).
    pub show_id: Uuid,
    /// Its title; null when the caller can no longer see the show.
    pub title: Option<String>,
}

/// One upcoming plan event.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReminderView {
    /// The day.
    pub date: NaiveDate,
    /// Days from `from` to `date`.
    pub days_away: u32,
    /// Subscribe or unsubscribe.
    pub action: ActionView,
    /// The service.
    pub service_id: String,
    /// The service's name.
    pub service_name: String,
    /// The shows the subscription is for.
    pub shows: Vec<ReminderShow>,
    /// Why, for people.
    pub rationale: String,
    /// Why, as the planner's codes (`AS_AIRED`, `BUFFER`, …).
    pub reason_codes: Vec<String>,
    /// What the plan assumes here; the day may move when it turns out otherwise.
    pub assumptions: Vec<String>,
    /// Whether it rests on an availability that an open conflict disputes.
    pub contested: bool,
    /// Those conflicts (`GET /api/v1/conflicts/{id}`).
    pub conflict_ids: Vec<Uuid>,
}

/// The upcoming events of the caller's current plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct UpcomingView {
    /// The plan they come from; null when the caller has no plan yet (then `items` is empty).
    pub plan_id: Option<Uuid>,
    /// When that plan was made.
    pub generated_at: Option<DateTime<Utc>>,
    /// The first day listed.
    pub from: NaiveDate,
    /// The last day listed.
    pub until: NaiveDate,
    /// Whether the window holds more events than `limit` let through.
    pub truncated: bool,
    /// The events, by date.
    pub items: Vec<ReminderView>,
}

impl From<Reminder> for ReminderView {
    fn from(r: Reminder) -> Self {
        let e = r.event;
        Self {
            date: e.date,
            days_away: r.days_away,
            action: e.action.into(),
            service_id: e.service_id.as_str().to_owned(),
            service_name: r.service_name,
            shows: r
                .shows
                .into_iter()
                .map(|s| ReminderShow {
                    show_id: s.show_id.0,
                    title: s.title,
                })
                .collect(),
            rationale: e.rationale,
            reason_codes: e
                .reason_codes
                .iter()
                .filter_map(|c| serde_json::to_value(c).ok())
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            assumptions: e.assumptions,
            contested: e.contested,
            conflict_ids: e.conflict_ids.iter().map(|c| c.0).collect(),
        }
    }
}

/// The next events of the caller's current plan, with why each is planned. Without a plan yet
/// the list is empty (`plan_id` null), not an error: generate one with `POST /api/v1/plans`.
#[utoipa::path(get, path = "/api/v1/reminders/upcoming", tag = "planning",
    operation_id = "list_upcoming_reminders",
    params(UpcomingParams),
    responses((status = 200, description = "The upcoming events", body = UpcomingView),
        Invalid, Unavailable))]
pub(crate) async fn handle(
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    QueryParams(params): QueryParams<UpcomingParams>,
) -> Result<HttpResponse, ApiError> {
    let query = UpcomingQuery {
        from: params.from,
        days: params.days.unwrap_or(DEFAULT_DAYS),
        limit: params.limit.unwrap_or(DEFAULT_LIMIT),
    };
    let upcoming = state.reminders.upcoming(&ctx, query).await?;
    Ok(HttpResponse::Ok().json(UpcomingView {
        plan_id: upcoming.plan_id.map(|p| p.0),
        generated_at: upcoming.generated_at,
        from: upcoming.from,
        until: upcoming.until,
        truncated: upcoming.truncated,
        items: upcoming.items.into_iter().map(ReminderView::from).collect(),
    }))
}
