//! The next events of a plan, within a window of days.

use crate::catalog::show::ShowId;
use crate::planning::planner::{Plan, PlanEvent};
use crate::planning::plans::PlanId;
use chrono::{DateTime, Days, NaiveDate, Utc};

/// Days the upcoming list looks ahead unless asked otherwise: a whole plan's horizon.
pub const DEFAULT_DAYS: u16 = 365;
/// The longest window that may be asked for (two horizons: a plan's events can reach past its
/// horizon by the unsubscribe buffer and a minimum contract).
pub const MAX_DAYS: u16 = 730;
/// Events listed unless asked otherwise.
pub const DEFAULT_LIMIT: u16 = 20;
/// The most events that may be asked for.
pub const MAX_LIMIT: u16 = 100;

/// What the caller asks of the upcoming list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UpcomingQuery {
    /// The first day (default: today, or the plan's first day when that is later — a plan made
    /// as of a future day starts there).
    pub from: Option<NaiveDate>,
    /// How many days from `from` on, `from` included (1 to [`MAX_DAYS`]).
    pub days: u16,
    /// At most this many events (1 to [`MAX_LIMIT`]).
    pub limit: u16,
}

impl Default for UpcomingQuery {
    fn default() -> Self {
        Self {
            from: None,
            days: DEFAULT_DAYS,
            limit: DEFAULT_LIMIT,
        }
    }
}

impl UpcomingQuery {
    /// Refuses a window or a limit out of bounds.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] naming `days` or `limit`.
    pub fn check(&self) -> crate::Result<()> {
        if !(1..=MAX_DAYS).contains(&self.days) {
            return Err(crate::Error::validation(
                "days",
                format!("must be between 1 and {MAX_DAYS}"),
            ));
        }
        if !(1..=MAX_LIMIT).contains(&self.limit) {
            return Err(crate::Error::validation(
                "limit",
                format!("must be between 1 and {MAX_LIMIT}"),
            ));
        }
        Ok(())
    }
}

/// A show an event is for, with its title when the catalog still has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShowTitle {
    /// The show.
    pub show_id: ShowId,
    /// Its title; `None` when the caller can no longer see the show.
    pub title: Option<String>,
}

/// One upcoming plan event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    /// The event, as the plan has it.
    pub event: PlanEvent,
    /// The service's name, as people know it.
    pub service_name: String,
    /// Its shows with their titles, in the event's order.
    pub shows: Vec<ShowTitle>,
    /// Days from the window's first day to the event (0: that day).
    pub days_away: u32,
}

/// The upcoming events of the caller's current plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upcoming {
    /// The plan they come from; `None` when the caller has no plan yet (and no events).
    pub plan_id: Option<PlanId>,
    /// When that plan was made.
    pub generated_at: Option<DateTime<Utc>>,
    /// The window's first day.
    pub from: NaiveDate,
    /// The window's last day.
    pub until: NaiveDate,
    /// Whether the plan has more events in the window than the limit let through.
    pub truncated: bool,
    /// The events, in the plan's order (by date, service, subscribe before unsubscribe).
    pub items: Vec<Reminder>,
}

/// The last day of a window of `days` days from `from`.
pub(super) fn window_end(from: NaiveDate, days: u16) -> NaiveDate {
    from.checked_add_days(Days::new(u64::from(days.saturating_sub(1))))
        .unwrap_or(NaiveDate::MAX)
}

/// The events of `plan` dated `from` to `until` (both included), at most `limit` of them, and
/// whether more were left out.
#[must_use]
pub fn upcoming(
    plan: &Plan,
    from: NaiveDate,
    until: NaiveDate,
    limit: usize,
) -> (Vec<&PlanEvent>, bool) {
    let mut within = plan
        .events
        .iter()
        .filter(|e| e.date >= from && e.date <= until);
    let taken: Vec<&PlanEvent> = within.by_ref().take(limit).collect();
    let more = within.next().is_some();
    (taken, more)
}
