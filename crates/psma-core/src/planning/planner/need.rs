//! Required viewing intervals (DESIGN §5.1) and the candidate options of each selection.

use super::types::{BlockReason, EpisodeAir, PlanReason};
use crate::catalog::show::ShowId;
use crate::planning::availability::Assessment;
use crate::planning::profile::{PlannerSettings, Selection, WatchMode};
use chrono::{Duration, NaiveDate};

/// Days are offsets from `today`.
pub(super) type Day = i64;

/// One way to watch a selection: a service's window and the interval it needs there.
#[derive(Debug, Clone)]
pub(super) struct Opt {
    /// The assessment (index into the input's).
    pub assessment: usize,
    /// First and last day needed, inclusive.
    pub start: Day,
    pub end: Day,
    /// The latest the interval may start (binge windows may move; `== start` otherwise).
    pub latest_start: Day,
    pub reasons: Vec<PlanReason>,
    pub assumptions: Vec<String>,
    /// The end is assumed (a question asks for it).
    pub unknown_end: bool,
}

/// What the schedule says about the wanted season.
#[derive(Debug, Clone, Copy)]
struct Schedule {
    first: Day,
    last: Day,
    /// Every wanted episode has an air day.
    complete: bool,
}

pub(super) fn offset(today: NaiveDate, day: NaiveDate) -> Day {
    (day - today).num_days()
}

pub(super) fn date(today: NaiveDate, day: Day) -> NaiveDate {
    today + Duration::days(day)
}

/// The wanted episodes' schedule: the selection's season, else the season airing next, else
/// the latest season; specials only when asked for.
fn schedule(sel: &Selection, episodes: &[&EpisodeAir], today: NaiveDate) -> Option<Schedule> {
    let season = sel.wish.season.or_else(|| {
        let regular = episodes.iter().filter(|e| e.season > 0);
        let next = regular
            .clone()
            .filter_map(|e| e.air_date.filter(|d| *d >= today).map(|d| (d, e.season)))
            .min()
            .map(|(_, s)| s);
        next.or_else(|| regular.map(|e| e.season).max())
    })?;
    let wanted: Vec<&&EpisodeAir> = episodes.iter().filter(|e| e.season == season).collect();
    let days: Vec<Day> = wanted
        .iter()
        .filter_map(|e| e.air_date.map(|d| offset(today, d)))
        .collect();
    Some(Schedule {
        first: *days.iter().min()?,
        last: *days.iter().max()?,
        complete: days.len() == wanted.len(),
    })
}

/// The option of a selection on one assessment's window, or why there is none.
pub(super) fn option(
    sel: &Selection,
    title: &str,
    episodes: &[&EpisodeAir],
    (index, a): (usize, &Assessment),
    settings: &PlannerSettings,
    today: NaiveDate,
) -> Result<Opt, BlockReason> {
    let horizon = Day::from(settings.horizon_days);
    let from = a.window.and_then(|w| w.from).map(|d| offset(today, d));
    let until = a.window.and_then(|w| w.until).map(|d| offset(today, d));
    let earliest = sel.wish.start_after.map_or(0, |d| offset(today, d).max(0));
    let avail = earliest.max(from.unwrap_or(0));
    let binge = Day::from(if sel.wish.binge_days > 0 {
        sel.wish.binge_days
    } else {
        settings.binge_days
    })
    .max(1);
    let guess = Day::from(settings.unknown_end_horizon_days).max(1);
    // The member's answer to `show:<id>:end_date`, where the catalog leaves the end unknown.
    let given_end = sel.wish.end_date.map(|d| offset(today, d));
    let service = a.service_id.as_str();
    let mut reasons = Vec::new();
    let mut assumptions = Vec::new();
    let mut unknown_end = false;
    let mut flexible = false;
    let on = |d: Day| date(today, d);
    let (start, end) = match (sel.wish.watch_mode, schedule(sel, episodes, today)) {
        (WatchMode::AsAired, Some(s)) if s.last >= 0 => {
            reasons.push(PlanReason::AsAired);
            let start = avail.max(s.first);
            let end = if s.complete {
                s.last
            } else if let Some(given) = given_end {
                s.last.max(given).max(start)
            } else {
                unknown_end = true;
                reasons.push(PlanReason::UnknownEnd);
                let end = s.last.max(start + guess - 1);
                assumptions.push(format!(
                    "{title}: the last episode's air date is unknown; assumed needed until {}",
                    on(end)
                ));
                end
            };
            (start, end)
        }
        (WatchMode::BingeAfterSeason, Some(s)) if s.last >= 0 || !s.complete => {
            reasons.push(PlanReason::BingeAfterSeason);
            // An incomplete season is complete on the member's day when they gave one.
            let complete_on = match (s.complete, given_end) {
                (false, Some(given)) => s.last.max(given),
                (false, None) => {
                    unknown_end = true;
                    reasons.push(PlanReason::UnknownEnd);
                    assumptions.push(format!(
                        "{title}: the season's last air date is unknown; assumed complete by {}",
                        on(s.last.max(avail))
                    ));
                    s.last
                }
                (true, _) => s.last,
            };
            flexible = true;
            let start = avail.max(complete_on);
            (start, start + binge - 1)
        }
        (WatchMode::AsAired, None) => {
            reasons.push(PlanReason::AvailabilityWindow);
            // The window's end, else the member's day.
            let known = until.or_else(|| given_end.map(|given| given.max(avail)));
            let end = known.unwrap_or_else(|| {
                unknown_end = true;
                reasons.push(PlanReason::UnknownEnd);
                let end = avail + guess - 1;
                assumptions.push(format!(
                    "{title}: no episode schedule and no end date on {service}; assumed needed \
                     until {} ({guess} days)",
                    on(end)
                ));
                end
            });
            (avail, end)
        }
        (mode, schedule) => {
            reasons.push(PlanReason::BackCatalog);
            if schedule.is_none() && mode == WatchMode::BingeAfterSeason {
                assumptions.push(format!(
                    "{title}: no episode schedule; assumed the season is complete on {service}"
                ));
            }
            flexible = true;
            (avail, avail + binge - 1)
        }
    };
    if start > horizon {
        return Err(BlockReason::BeyondHorizon);
    }
    if until.is_some_and(|u| u < start) {
        return Err(BlockReason::NotAvailableInTime);
    }
    let mut end = end;
    if let Some(u) = until.filter(|u| *u < end) {
        end = u;
        reasons.push(PlanReason::WindowEnds);
        assumptions.push(format!("{title} leaves {service} after {}", on(u)));
        flexible = false;
    }
    if end > horizon {
        end = horizon;
        reasons.push(PlanReason::Horizon);
    }
    let limit = until.unwrap_or(horizon).min(horizon);
    let latest_start = if flexible {
        (limit - (end - start)).min(start + binge).max(start)
    } else {
        start
    };
    Ok(Opt {
        assessment: index,
        start,
        end,
        latest_start,
        reasons,
        assumptions,
        unknown_end,
    })
}

/// The show's title for people, or its id.
pub(super) fn title_of(titles: &std::collections::BTreeMap<ShowId, String>, id: ShowId) -> String {
    titles.get(&id).cloned().unwrap_or_else(|| id.to_string())
}
