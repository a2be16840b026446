//! `GET /advice`: pending advice first, newest first within; `?status=` shows decided ones.

use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::state::ApiState;
use crate::ui::csrf::CsrfToken;
use crate::ui::format::{Instant, confidence};
use crate::ui::page::{Layout, Section, render};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use psma_core::access::Permission;
use psma_core::advice::contract::{AnswerFormat, AnswerType};
use psma_core::advice::records::{AdviceContent, AdviceStatus, StoredAdvice};
use psma_core::tenancy::TenantCtx;
use serde::Deserialize;

/// The filter and what just happened.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Query {
    #[serde(default)]
    status: String,
    #[serde(default)]
    done: String,
}

/// How a question is answered.
pub(crate) enum Input {
    /// One of these.
    Choices(Vec<String>),
    /// A day.
    Date,
    /// A whole number within bounds.
    Number(Option<i64>, Option<i64>),
    /// Text.
    Text,
}

/// One piece of advice as the inbox shows it.
pub(crate) struct Item {
    id: String,
    pending: bool,
    status: &'static str,
    created: Instant,
    /// A recommendation's summary or a question's prompt.
    headline: String,
    details: String,
    confidence: Option<String>,
    based_on: Vec<String>,
    question: Option<Input>,
    answer: Option<String>,
    error: Option<String>,
    /// What was typed, when an answer is shown again beside its error.
    typed: String,
}

/// A status filter link.
pub(crate) struct Filter {
    value: &'static str,
    label: &'static str,
    current: bool,
}

#[derive(Template)]
#[template(path = "pages/advice.html")]
pub(crate) struct Inbox {
    layout: Layout,
    csrf: String,
    can_decide: bool,
    items: Vec<Item>,
    filters: Vec<Filter>,
    pending_view: bool,
    notice: Option<(&'static str, &'static str)>,
}

const FILTERS: [(&str, &str); 6] = [
    ("", "To decide"),
    ("confirmed", "Confirmed"),
    ("declined", "Declined"),
    ("answered", "Answered"),
    ("expired", "Out of date"),
    ("all", "All"),
];

fn status_of(filter: &str) -> Option<Option<AdviceStatus>> {
    Some(match filter {
        "" | "pending" => Some(AdviceStatus::Pending),
        "confirmed" => Some(AdviceStatus::Confirmed),
        "declined" => Some(AdviceStatus::Declined),
        "answered" => Some(AdviceStatus::Answered),
        "expired" => Some(AdviceStatus::Expired),
        "all" => None,
        _ => return None,
    })
}

fn status_label(status: AdviceStatus) -> &'static str {
    match status {
        AdviceStatus::Pending => "To decide",
        AdviceStatus::Confirmed => "Confirmed",
        AdviceStatus::Declined => "Declined",
        AdviceStatus::Answered => "Answered",
        AdviceStatus::Expired => "Out of date",
    }
}

fn item(a: &StoredAdvice, error: Option<(&str, &str, &str)>) -> Item {
    let id = a.id.0.to_string();
    let (error, typed) = error
        .filter(|(for_id, _, _)| *for_id == id)
        .map_or((None, String::new()), |(_, message, typed)| {
            (Some(message.to_owned()), typed.to_owned())
        });
    let base = Item {
        pending: a.status == AdviceStatus::Pending,
        status: status_label(a.status),
        created: Instant::from(a.created_at),
        headline: String::new(),
        details: String::new(),
        confidence: None,
        based_on: Vec::new(),
        question: None,
        answer: a.answer.as_ref().map(|v| match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        }),
        error,
        typed,
        id,
    };
    match &a.content {
        AdviceContent::Recommendation(r) => Item {
            headline: r.summary.clone(),
            details: r.details.clone(),
            confidence: Some(confidence(r.confidence).0),
            based_on: r.based_on.clone(),
            ..base
        },
        AdviceContent::Question(q) => {
            let schema = &q.answer_schema;
            let input = if let Some(choices) = schema.choices.clone().filter(|c| !c.is_empty()) {
                Input::Choices(choices)
            } else if !q.options.is_empty() {
                Input::Choices(q.options.clone())
            } else if schema.format == Some(AnswerFormat::Date) {
                Input::Date
            } else if schema.value_type == AnswerType::Integer {
                Input::Number(schema.minimum, schema.maximum)
            } else {
                Input::Text
            };
            Item {
                headline: q.prompt.clone(),
                details: q.why_needed.clone(),
                question: Some(input),
                ..base
            }
        }
    }
}

impl Inbox {
    /// The inbox filtered by `filter`, with `error` (advice id, message, what was typed) shown
    /// beside the item it is about.
    pub(crate) async fn load(
        state: &ApiState,
        ctx: &TenantCtx,
        csrf: CsrfToken,
        filter: &str,
        error: Option<(&str, &str, &str)>,
    ) -> Result<Self, ApiError> {
        // An unknown filter shows what there is to decide.
        let filter = match filter {
            "pending" => "",
            f if status_of(f).is_some() => f,
            _ => "",
        };
        let status = status_of(filter).unwrap_or(Some(AdviceStatus::Pending));
        let advice = state.advising.list(ctx, status, 200).await?;
        Ok(Self {
            layout: Layout::new("Advice", Section::Advice),
            csrf: csrf.0,
            can_decide: ctx.grants().allows(Permission::ADVICE_WRITE),
            items: advice.iter().map(|a| item(a, error)).collect(),
            filters: FILTERS
                .iter()
                .map(|&(value, label)| Filter {
                    value,
                    label,
                    current: value == filter,
                })
                .collect(),
            pending_view: status == Some(AdviceStatus::Pending),
            notice: None,
        })
    }
}

pub(crate) async fn get(
    state: web::Data<ApiState>,
    PageCaller(ctx): PageCaller,
    csrf: CsrfToken,
    query: web::Query<Query>,
) -> Result<HttpResponse, ApiError> {
    let mut page = Inbox::load(&state, &ctx, csrf, &query.status, None).await?;
    page.notice = match query.done.as_str() {
        "confirmed" => Some((
            "ok",
            "Confirmed: the change is made and your plan is updated.",
        )),
        "answered" => Some((
            "ok",
            "Thank you: your answer is saved and your plan is updated.",
        )),
        "declined" => Some(("ok", "Declined: nothing was changed.")),
        "stale" => Some((
            "warn",
            "That advice went out of date before your decision (something it was based on changed); nothing was changed.",
        )),
        _ => None,
    };
    render(StatusCode::OK, &page)
}
