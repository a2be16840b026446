//! A plan change: what was added, dropped and moved, and what it does to the totals.

use super::recommendation;
use super::words::{action, count, list, plural};
use crate::advice::contract::{ProposedChange, Recommendation, RecommendationType};
use crate::advice::rules::PlanChanged;

/// The explanation of a plan change.
pub(super) fn word(f: &PlanChanged) -> Recommendation {
    let mut parts = Vec::new();
    for (n, what) in [
        (f.added.len(), "added"),
        (f.removed.len(), "removed"),
        (f.moved.len(), "moved"),
    ] {
        if n > 0 {
            parts.push(format!("{} {what}", plural(count(n), "event", "events")));
        }
    }
    let days = f.subscribed_days.change;
    let days_text = match days {
        0 => "the same subscribed days".to_owned(),
        d if d < 0 => format!(
            "{} fewer subscribed",
            plural(d.unsigned_abs(), "day", "days")
        ),
        d => format!(
            "{} more subscribed",
            plural(d.unsigned_abs(), "day", "days")
        ),
    };
    let summary = format!("Your plan changed: {}; {days_text}.", list(parts));
    let name = |ids: &[crate::catalog::ShowId]| {
        list(
            ids.iter()
                .map(|s| f.titles.get(s).cloned().unwrap_or_else(|| s.to_string())),
        )
    };
    let mut lines: Vec<String> = Vec::new();
    for (events, verb) in [(&f.added, "New"), (&f.removed, "Dropped")] {
        lines.extend(events.iter().map(|e| {
            format!(
                "{verb}: {} {} on {} ({}).",
                action(e.action),
                e.service_id,
                e.date,
                name(&e.show_ids)
            )
        }));
    }
    lines.extend(f.moved.iter().map(|m| {
        format!(
            "Moved: {} {} from {} to {} ({}).",
            action(m.action),
            m.service_id,
            m.from,
            m.to,
            name(&m.show_ids)
        )
    }));
    lines.push(format!(
        "Subscribed days: {} before, {} now.",
        f.subscribed_days.before, f.subscribed_days.after
    ));
    for (currency, c) in &f.cost {
        lines.push(format!("Cost in {currency}: change {}.", c.change));
    }
    let based_on = f
        .added
        .iter()
        .chain(&f.removed)
        .map(crate::advice::rules::ChangedEvent::reference)
        .chain(
            f.moved
                .iter()
                .map(|m| crate::advice::rules::event_ref(m.to, m.service_id.as_str(), m.action)),
        )
        .collect();
    recommendation(
        RecommendationType::PlanExplanation,
        summary,
        lines.join("\n"),
        1.0,
        based_on,
        ProposedChange::None,
    )
}
