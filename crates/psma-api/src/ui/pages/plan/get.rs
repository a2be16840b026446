//! `GET /plan`: the member's current plan as a timeline (inline SVG), its totals against the
//! naive plan, the questions the planner asks, and every step explained below the chart — the
//! chart's bars link to their explanation, so the page reads the same without JavaScript.

use super::{ShowRef, Step, shows};
use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::state::ApiState;
use crate::ui::csrf::CsrfToken;
use crate::ui::format::{Instant, count};
use crate::ui::page::{Layout, Section, render};
use crate::ui::pages::service_name;
use crate::ui::timeline::{Timeline, layout};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use psma_core::access::Permission;
use psma_core::planning::plans::StoredPlan;
use std::collections::BTreeSet;

/// A question, with where to answer it.
pub(crate) struct Ask {
    text: String,
    href: Option<String>,
}

/// A show the plan leaves out or needs no subscription for.
pub(crate) struct Aside {
    show: ShowRef,
    why: String,
}

/// A total against the naive plan.
pub(crate) struct Total {
    label: &'static str,
    plan: String,
    naive: String,
}

#[derive(Template)]
#[template(path = "pages/plan.html")]
struct PlanPage {
    layout: Layout,
    csrf: String,
    can_plan: bool,
    /// `None`: no plan yet.
    plan: Option<Shown>,
    has_shows: bool,
}

/// A plan as the page shows it.
pub(crate) struct Shown {
    generated: Instant,
    timeline: Timeline,
    steps: Vec<Step>,
    totals: Vec<Total>,
    saving: Option<String>,
    questions: Vec<Ask>,
    covered: Vec<Aside>,
    blocked: Vec<Aside>,
    optimal: bool,
}

pub(crate) async fn get(
    state: web::Data<ApiState>,
    PageCaller(ctx): PageCaller,
    csrf: CsrfToken,
) -> Result<HttpResponse, ApiError> {
    let plan = match state.plans.current(&ctx).await {
        Ok(plan) => Some(plan),
        Err(psma_core::Error::NotFound { .. }) => None,
        Err(err) => return Err(err.into()),
    };
    let has_shows = plan.is_some() || !state.profiles.my_shows(&ctx).await?.is_empty();
    let shown = match plan {
        Some(stored) => Some(shown(&state, &ctx, &stored).await?),
        None => None,
    };
    let page = PlanPage {
        layout: Layout::new("Plan", Section::Plan),
        csrf: csrf.0,
        can_plan: ctx.grants().allows(Permission::PLANS_WRITE),
        plan: shown,
        has_shows,
    };
    render(StatusCode::OK, &page)
}

async fn shown(
    state: &ApiState,
    ctx: &psma_core::tenancy::TenantCtx,
    stored: &StoredPlan,
) -> Result<Shown, ApiError> {
    let plan = &stored.plan;
    let ids: BTreeSet<_> = plan
        .events
        .iter()
        .flat_map(|e| e.show_ids.iter().copied())
        .chain(plan.blocked.iter().map(|b| b.show_id))
        .chain(plan.covered.iter().map(|c| c.show_id))
        .chain(plan.questions.iter().filter_map(|q| q.show_id))
        .collect();
    let ids: Vec<_> = ids.into_iter().collect();
    let titles = state.catalog.titles(ctx, &ids).await?;
    let t = &plan.totals;
    let money = |m: &std::collections::BTreeMap<_, psma_plugin_sdk::text::Decimal>| {
        if m.is_empty() {
            "unknown".to_owned()
        } else {
            m.iter()
                .map(|(currency, amount)| format!("{amount} {currency}"))
                .collect::<Vec<_>>()
                .join(" + ")
        }
    };
    let mut totals = vec![Total {
        label: "Days subscribed",
        plan: count(t.subscribed_days as usize, "day", "days"),
        naive: count(t.naive_subscribed_days as usize, "day", "days"),
    }];
    if !t.cost.is_empty() || !t.naive_cost.is_empty() {
        totals.push(Total {
            label: "Cost",
            plan: money(&t.cost),
            naive: money(&t.naive_cost),
        });
    }
    let saved_days = i64::from(t.naive_subscribed_days) - i64::from(t.subscribed_days);
    let saving = (saved_days > 0).then(|| {
        format!(
            "{} fewer than subscribing to each show's first service for as long as it is needed",
            count(saved_days.unsigned_abs() as usize, "day", "days")
        )
    });
    let questions = plan
        .questions
        .iter()
        .map(|q| Ask {
            text: q.text.clone(),
            href: answer_href(&q.id),
        })
        .collect();
    Ok(Shown {
        generated: Instant::from(stored.generated_at),
        // The "today" line is the reader's today, not the day the plan was made.
        timeline: layout(&plan.events, state.clock.now().date_naive(), |id| {
            service_name(state, id)
        }),
        steps: plan
            .events
            .iter()
            .map(|e| Step::of(e, state, &titles))
            .collect(),
        totals,
        saving,
        questions,
        covered: plan
            .covered
            .iter()
            .map(|c| Aside {
                show: shows(&[c.show_id], &titles).remove(0),
                why: c.rationale.clone(),
            })
            .collect(),
        blocked: plan
            .blocked
            .iter()
            .map(|b| Aside {
                show: shows(&[b.show_id], &titles).remove(0),
                why: blocked_reason(b.reason).to_owned(),
            })
            .collect(),
        optimal: plan.search.optimal,
    })
}

/// Where a question is answered: `show:<id>:end_date` on the show's wish, `show:<id>:service`
/// on the show's page, `service:<id>:min_contract_days` on My Services.
fn answer_href(id: &str) -> Option<String> {
    let mut parts = id.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("show"), Some(show), Some("end_date")) => Some(format!("/my-shows/{show}")),
        (Some("show"), Some(show), Some(_)) => Some(format!("/shows/{show}")),
        (Some("service"), Some(_), Some(_)) => Some("/my-services".to_owned()),
        _ => None,
    }
}

fn blocked_reason(reason: psma_core::planning::planner::BlockReason) -> &'static str {
    use psma_core::planning::planner::BlockReason;
    match reason {
        BlockReason::NoCandidate => "No service offers it by subscription in your country.",
        BlockReason::BelowMinConfidence => {
            "Services offer it, but no source is sure enough (see the minimum in Settings)."
        }
        BlockReason::NotAvailableInTime => "It is offered, but not when you need it.",
        BlockReason::BeyondHorizon => "You will not need it before the end of the plan.",
    }
}
