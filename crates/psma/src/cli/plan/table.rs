//! A plan as a table for people: one line per event, then what the plan leaves out, its
//! questions, and its totals against the naive plan.

use psma_core::catalog::ShowId;
use psma_core::catalog::ports::CatalogReader;
use psma_core::planning::planner::{Action, Plan};
use psma_core::planning::plans::StoredPlan;
use psma_core::tenancy::TenantCtx;
use psma_plugin_sdk::ServiceRegistry;
use psma_plugin_sdk::text::{CurrencyCode, Decimal, ServiceId};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Show titles of the plan (a show the household can no longer see is named by its id).
async fn titles(
    plan: &Plan,
    ctx: &TenantCtx,
    catalog: &dyn CatalogReader,
) -> anyhow::Result<BTreeMap<ShowId, String>> {
    let mut titles = BTreeMap::new();
    let shows = plan
        .events
        .iter()
        .flat_map(|e| e.show_ids.iter().copied())
        .chain(plan.blocked.iter().map(|b| b.show_id))
        .chain(plan.covered.iter().map(|c| c.show_id));
    for id in shows {
        if titles.contains_key(&id) {
            continue;
        }
        let title = catalog
            .show(ctx, id)
            .await?
            .map_or_else(|| id.to_string(), |r| r.show.title.as_str().to_owned());
        titles.insert(id, title);
    }
    Ok(titles)
}

fn service_name(registry: &ServiceRegistry, id: &ServiceId) -> String {
    registry
        .get(id.as_str())
        .map_or_else(|| id.as_str().to_owned(), |e| e.name.as_str().to_owned())
}

fn money(cost: &BTreeMap<CurrencyCode, Decimal>) -> String {
    if cost.is_empty() {
        return "unknown".to_owned();
    }
    cost.iter()
        .map(|(currency, amount)| format!("{} {}", amount.as_str(), currency.as_str()))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The table.
pub(super) async fn render(
    stored: &StoredPlan,
    ctx: &TenantCtx,
    catalog: &dyn CatalogReader,
    registry: &ServiceRegistry,
) -> anyhow::Result<String> {
    let plan = &stored.plan;
    let titles = titles(plan, ctx, catalog).await?;
    let name = |id: &ShowId| titles.get(id).cloned().unwrap_or_else(|| id.to_string());
    let mut out = String::new();
    writeln!(
        out,
        "plan {} from {} (made {})",
        stored.id,
        stored.today,
        stored.generated_at.format("%Y-%m-%d %H:%M UTC")
    )?;
    if plan.events.is_empty() {
        writeln!(out, "\nno events: nothing to subscribe to")?;
    } else {
        let rows: Vec<[String; 5]> = plan
            .events
            .iter()
            .map(|e| {
                [
                    e.date.to_string(),
                    match e.action {
                        Action::Subscribe => "subscribe".to_owned(),
                        Action::Unsubscribe => "cancel".to_owned(),
                    },
                    service_name(registry, &e.service_id),
                    e.show_ids.iter().map(&name).collect::<Vec<_>>().join(", "),
                    match (e.contested, e.assumptions.is_empty()) {
                        (true, _) => "contested".to_owned(),
                        (false, false) => "assumed".to_owned(),
                        (false, true) => String::new(),
                    },
                ]
            })
            .collect();
        let header = ["DATE", "ACTION", "SERVICE", "SHOWS", "NOTE"];
        let width = |i: usize| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        };
        let widths: Vec<usize> = (0..4).map(width).collect();
        writeln!(out)?;
        for row in std::iter::once(header.map(str::to_owned)).chain(rows) {
            let line = format!(
                "{:w0$}  {:w1$}  {:w2$}  {:w3$}  {}",
                row[0],
                row[1],
                row[2],
                row[3],
                row[4],
                w0 = widths[0],
                w1 = widths[1],
                w2 = widths[2],
                w3 = widths[3],
            );
            writeln!(out, "{}", line.trim_end())?;
        }
    }
    for covered in &plan.covered {
        writeln!(
            out,
            "covered: {} on {} (kept permanently)",
            name(&covered.show_id),
            service_name(registry, &covered.service_id)
        )?;
    }
    for blocked in &plan.blocked {
        let reason = serde_json::to_value(blocked.reason)?;
        writeln!(
            out,
            "left out: {} ({})",
            name(&blocked.show_id),
            reason.as_str().unwrap_or("blocked")
        )?;
    }
    if !plan.questions.is_empty() {
        writeln!(out, "\nquestions:")?;
        for q in &plan.questions {
            writeln!(out, "  {}: {}", q.id, q.text)?;
        }
    }
    let t = &plan.totals;
    writeln!(
        out,
        "\ntotal: {} subscribed days, cost {}; naive plan: {} days, cost {}",
        t.subscribed_days,
        money(&t.cost),
        t.naive_subscribed_days,
        money(&t.naive_cost)
    )?;
    if !plan.search.optimal {
        writeln!(
            out,
            "the search stopped at its budget: the plan may not be the cheapest"
        )?;
    }
    Ok(out.trim_end().to_owned())
}
