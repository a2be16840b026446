//! `GET /plan/delta`: what changed between the current plan and the one it replaced — steps
//! added, dropped and moved, and the totals before and after — as `GET /api/v1/plans/current/delta`.

use super::{ShowRef, Step, shows};
use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::state::ApiState;
use crate::ui::format::Day;
use crate::ui::page::{Layout, Section, render};
use crate::ui::pages::service_name;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use psma_core::planning::planner::Action;
use std::collections::BTreeSet;

/// A step that moved.
pub(crate) struct Moved {
    what: String,
    from: Day,
    to: Day,
    days: i64,
    shows: Vec<ShowRef>,
}

/// A count or amount before and after.
pub(crate) struct Change {
    label: String,
    before: String,
    after: String,
}

#[derive(Template)]
#[template(path = "pages/delta.html")]
struct DeltaPage {
    layout: Layout,
    /// `None`: no plan at all yet.
    delta: Option<Shown>,
}

pub(crate) struct Shown {
    previous: Option<Day>,
    unchanged: bool,
    added: Vec<Step>,
    removed: Vec<Step>,
    moved: Vec<Moved>,
    changes: Vec<Change>,
}

pub(crate) async fn get(
    state: web::Data<ApiState>,
    PageCaller(ctx): PageCaller,
) -> Result<HttpResponse, ApiError> {
    let stored = match state.plans.delta(&ctx).await {
        Ok(delta) => Some(delta),
        Err(psma_core::Error::NotFound { .. }) => None,
        Err(err) => return Err(err.into()),
    };
    let delta = match stored {
        None => None,
        Some(stored) => {
            let d = &stored.delta;
            let ids: BTreeSet<_> = d
                .added
                .iter()
                .chain(&d.removed)
                .flat_map(|e| e.show_ids.iter().copied())
                .chain(d.moved.iter().flat_map(|m| m.show_ids.iter().copied()))
                .collect();
            let titles = state
                .catalog
                .titles(&ctx, &ids.into_iter().collect::<Vec<_>>())
                .await?;
            let mut changes = vec![
                Change {
                    label: "Days subscribed".to_owned(),
                    before: d.subscribed_days.before.to_string(),
                    after: d.subscribed_days.after.to_string(),
                },
                Change {
                    label: "Most services at once".to_owned(),
                    before: d.peak_concurrent_subscriptions.before.to_string(),
                    after: d.peak_concurrent_subscriptions.after.to_string(),
                },
            ];
            for (currency, cost) in &d.cost {
                let amount = |a: &Option<psma_plugin_sdk::text::Decimal>| {
                    a.as_ref()
                        .map_or_else(|| "unknown".to_owned(), |a| format!("{a} {currency}"))
                };
                changes.push(Change {
                    label: format!("Cost in {currency}"),
                    before: amount(&cost.before),
                    after: amount(&cost.after),
                });
            }
            Some(Shown {
                previous: stored.previous_today.map(Day::from),
                unchanged: d.is_empty(),
                added: d
                    .added
                    .iter()
                    .map(|e| Step::of(e, &state, &titles))
                    .collect(),
                removed: d
                    .removed
                    .iter()
                    .map(|e| Step::of(e, &state, &titles))
                    .collect(),
                moved: d
                    .moved
                    .iter()
                    .map(|m| Moved {
                        what: match m.action {
                            Action::Subscribe => format!(
                                "Subscribe to {}",
                                service_name(&state, m.service_id.as_str())
                            ),
                            Action::Unsubscribe => {
                                format!("Cancel {}", service_name(&state, m.service_id.as_str()))
                            }
                        },
                        from: Day::from(m.from),
                        to: Day::from(m.to),
                        days: m.days,
                        shows: shows(&m.show_ids, &titles),
                    })
                    .collect(),
                changes,
            })
        }
    };
    let page = DeltaPage {
        layout: Layout::new("What changed", Section::Plan),
        delta,
    };
    render(StatusCode::OK, &page)
}
