//! The plan as a picture: one lane per service, a bar per subscribed stretch, laid out for an
//! inline SVG the server renders (ADR 0032). Pure: the plan and `today` in, coordinates out —
//! so the same plan always draws the same chart.
//!
//! The SVG keeps its aspect ratio (text is never stretched): a fixed 1000-unit-wide canvas,
//! lane names on the left, the dated area to the right, months ticked along the top.

use chrono::{Datelike, NaiveDate};
use psma_core::planning::planner::{Action, PlanEvent};
use std::collections::BTreeMap;

/// Where the dated area starts, in canvas units (the lane names are left of it).
pub(crate) const AREA_X: f64 = 190.0;
/// How wide the dated area is.
pub(crate) const AREA_W: f64 = 790.0;
/// Above the first lane: the month labels.
const TOP: f64 = 30.0;
/// One lane's height.
const LANE_H: f64 = 36.0;
/// The shortest bar drawn, so a one-day stretch is still something to point at.
const MIN_BAR_W: f64 = 4.0;

/// One subscribed stretch of a service.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bar {
    /// Canvas x of its start.
    pub x: f64,
    /// Its width.
    pub w: f64,
    /// Canvas y of its top.
    pub y: f64,
    /// Its height.
    pub h: f64,
    /// Subscribe day.
    pub from: NaiveDate,
    /// Cancel day; `None`: the plan never cancels it within its horizon.
    pub until: Option<NaiveDate>,
    /// Whether it rests on an availability a source disputes.
    pub contested: bool,
    /// The id of its entry in the explanation list (the subscribe event's).
    pub anchor: String,
    /// What a screen reader and the hover title say.
    pub label: String,
}

/// One service's lane.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Lane {
    /// The service's name.
    pub name: String,
    /// Canvas y of the lane name's baseline.
    pub text_y: f64,
    /// Canvas y of the lane's separator line.
    pub rule_y: f64,
    /// Its bars, by start.
    pub bars: Vec<Bar>,
}

/// A month boundary along the top.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tick {
    /// Canvas x.
    pub x: f64,
    /// `Jan 2027`, or `Jan` after the first of a year.
    pub label: String,
}

/// The whole chart.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Timeline {
    /// Lanes, in the order services first appear in the plan.
    pub lanes: Vec<Lane>,
    /// Month ticks.
    pub ticks: Vec<Tick>,
    /// Canvas x of today.
    pub today_x: f64,
    /// The canvas height.
    pub height: f64,
    /// The bottom of the lanes (ticks and the today line run down to it).
    pub bottom: f64,
}

/// The anchor of `event`'s entry in the explanation list.
pub(crate) fn anchor(event: &PlanEvent) -> String {
    let action = match event.action {
        Action::Subscribe => "on",
        Action::Unsubscribe => "off",
    };
    format!(
        "ev-{}-{}-{action}",
        event.service_id,
        event.date.format("%Y%m%d")
    )
}

/// Lays out `events` (a plan's, in any order) from `today`; `name` gives a service's name.
pub(crate) fn layout(
    events: &[PlanEvent],
    today: NaiveDate,
    name: impl Fn(&str) -> String,
) -> Timeline {
    let mut sorted: Vec<&PlanEvent> = events.iter().collect();
    // Stable by date, then cancel before subscribe on one day (a stretch ends before the
    // next begins), then service.
    sorted.sort_by(|a, b| {
        (a.date, a.action == Action::Subscribe, a.service_id.as_str()).cmp(&(
            b.date,
            b.action == Action::Subscribe,
            b.service_id.as_str(),
        ))
    });
    let start = sorted.first().map_or(today, |e| e.date.min(today));
    let last = sorted.last().map_or(today, |e| e.date.max(today));
    let end = if sorted.is_empty() {
        today + chrono::Days::new(30)
    } else {
        last + chrono::Days::new(14)
    };
    let span = (end - start).num_days().max(1) as f64;
    let x_of = |d: NaiveDate| AREA_X + AREA_W * ((d - start).num_days() as f64 / span);

    // Stretches per service, in the order services first subscribe.
    let mut order: Vec<&str> = Vec::new();
    let mut open: BTreeMap<&str, &PlanEvent> = BTreeMap::new();
    let mut stretches: BTreeMap<&str, Vec<(&PlanEvent, Option<NaiveDate>)>> = BTreeMap::new();
    for event in &sorted {
        let service = event.service_id.as_str();
        match event.action {
            Action::Subscribe => {
                if !order.contains(&service) {
                    order.push(service);
                }
                // A second subscribe while one is open starts a new stretch the day it says.
                if let Some(previous) = open.insert(service, event) {
                    stretches
                        .entry(service)
                        .or_default()
                        .push((previous, Some(event.date)));
                }
            }
            Action::Unsubscribe => {
                if let Some(begun) = open.remove(service) {
                    stretches
                        .entry(service)
                        .or_default()
                        .push((begun, Some(event.date)));
                }
            }
        }
    }
    for (service, begun) in open {
        stretches.entry(service).or_default().push((begun, None));
    }

    let lanes: Vec<Lane> = order
        .iter()
        .enumerate()
        .map(|(i, service)| {
            let top = TOP + LANE_H * i as f64;
            let display = name(service);
            let mut bars: Vec<Bar> = stretches
                .get(service)
                .into_iter()
                .flatten()
                .map(|(begun, until)| {
                    let x = x_of(begun.date);
                    let x_end = until.map_or(AREA_X + AREA_W, x_of);
                    let w = (x_end - x).max(MIN_BAR_W).min(AREA_X + AREA_W - x).max(0.0);
                    let mut label = format!(
                        "{display}: subscribe {}, {}",
                        begun.date.format("%-d %b %Y"),
                        until.map_or_else(
                            || "keep it".to_owned(),
                            |d| format!("cancel {}", d.format("%-d %b %Y"))
                        )
                    );
                    if begun.contested {
                        label.push_str(" (contested)");
                    }
                    Bar {
                        x,
                        w,
                        y: top + 6.0,
                        h: LANE_H - 12.0,
                        from: begun.date,
                        until: *until,
                        contested: begun.contested,
                        anchor: anchor(begun),
                        label,
                    }
                })
                .collect();
            bars.sort_by_key(|b| b.from);
            Lane {
                name: display,
                text_y: top + LANE_H / 2.0 + 5.0,
                rule_y: top + LANE_H,
                bars,
            }
        })
        .collect();

    let mut ticks = Vec::new();
    let mut month = NaiveDate::from_ymd_opt(start.year(), start.month(), 1).unwrap_or(start);
    let mut first = true;
    while month <= end {
        if month >= start {
            let label = if first || month.month() == 1 {
                month.format("%b %Y").to_string()
            } else {
                month.format("%b").to_string()
            };
            first = false;
            ticks.push(Tick {
                x: x_of(month),
                label,
            });
        }
        month = month
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(end + chrono::Days::new(1));
    }
    let bottom = TOP + LANE_H * lanes.len().max(1) as f64;
    Timeline {
        today_x: x_of(today),
        height: bottom + 8.0,
        bottom,
        lanes,
        ticks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use psma_plugin_sdk::text::ServiceId;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn event(action: Action, service: &str, date: &str, contested: bool) -> PlanEvent {
        PlanEvent {
            action,
            service_id: ServiceId::parse(service).unwrap(),
            date: day(date),
            show_ids: Vec::new(),
            rationale: String::new(),
            reason_codes: Vec::new(),
            assumptions: Vec::new(),
            contested,
            conflict_ids: Vec::new(),
            alternatives: Vec::new(),
        }
    }

    #[test]
    fn stretches_pair_subscribe_with_cancel_per_service() {
        use Action::{Subscribe, Unsubscribe};
        let events = vec![
            event(Unsubscribe, "max", "2027-02-10", false),
            event(Subscribe, "netflix", "2027-01-05", false),
            event(Subscribe, "max", "2027-01-01", true),
            event(Unsubscribe, "netflix", "2027-01-20", false),
            event(Subscribe, "netflix", "2027-03-01", false),
        ];
        let t = layout(&events, day("2027-01-01"), |s| s.to_uppercase());
        let names: Vec<&str> = t.lanes.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(
            names,
            ["MAX", "NETFLIX"],
            "lanes in order of first subscription"
        );
        let max = &t.lanes[0].bars;
        assert_eq!(max.len(), 1);
        assert!(max[0].contested && max[0].label.ends_with("(contested)"));
        assert_eq!(
            (max[0].from, max[0].until),
            (day("2027-01-01"), Some(day("2027-02-10")))
        );
        assert_eq!(max[0].anchor, "ev-max-20270101-on");
        let netflix = &t.lanes[1].bars;
        assert_eq!(netflix.len(), 2);
        assert_eq!(netflix[1].until, None, "never cancelled: runs to the end");
        assert!((netflix[1].x + netflix[1].w - (AREA_X + AREA_W)).abs() < 1e-9);
        assert!(netflix[1].label.contains("keep it"));
        assert!((t.today_x - AREA_X).abs() < 1e-9);
        let months: Vec<&str> = t.ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(months, ["Jan 2027", "Feb", "Mar"]);
    }

    #[test]
    fn an_empty_plan_draws_an_empty_chart() {
        let t = layout(&[], day("2027-05-15"), str::to_owned);
        assert!(t.lanes.is_empty());
        assert!(!t.ticks.is_empty());
        assert!(t.height > TOP);
    }

    /// Over many generated plans: every bar lies inside the dated area, bars in a lane never
    /// overlap, and the layout does not depend on the order events come in.
    #[test]
    fn bars_stay_inside_and_apart_for_any_plan() {
        use Action::{Subscribe, Unsubscribe};
        let services = ["a", "b", "c"];
        let base = day("2027-01-01");
        let mut seed: u64 = 0x5eed;
        let mut next = |n: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) % n
        };
        for _ in 0..300 {
            let mut events = Vec::new();
            for service in services {
                let mut d = base + chrono::Days::new(next(20));
                for _ in 0..next(4) {
                    let from = d;
                    let until = from + chrono::Days::new(1 + next(60));
                    events.push(event(Subscribe, service, &from.to_string(), next(5) == 0));
                    if next(4) != 0 {
                        events.push(event(Unsubscribe, service, &until.to_string(), false));
                    }
                    d = until + chrono::Days::new(1 + next(30));
                }
            }
            let t = layout(&events, base, str::to_owned);
            let mut reversed = events.clone();
            reversed.reverse();
            assert_eq!(
                t,
                layout(&reversed, base, str::to_owned),
                "order of events matters not"
            );
            for lane in &t.lanes {
                for bar in &lane.bars {
                    assert!(bar.x >= AREA_X - 1e-9 && bar.w >= 0.0);
                    assert!(bar.x + bar.w <= AREA_X + AREA_W + 1e-9, "{bar:?}");
                }
                for pair in lane.bars.windows(2) {
                    assert!(pair[0].until.is_some_and(|u| u <= pair[1].from), "{pair:?}");
                }
            }
        }
    }
}
