//! Reminders (DESIGN §2 "Reminder", §9a): the next events of a household member's current plan,
//! for the in-app upcoming list, and the calendar feed that calendar apps subscribe to at a
//! secret per-user URL (`docs/adr/0023-calendar-feed.md`).
//!
//! - [`upcoming`]: the events of a plan within a window of days, at most a number of them.
//! - [`calendar_entries`]: each event of a plan with a UID that is stable per (user, service,
//!   action, interval) — the interval named by its subscribe day — so a calendar app updates an
//!   event when a re-plan moves its cancel day instead of adding a second one, and whether the
//!   event is tentative (contested, or resting on an assumption).
//! - [`CalendarToken`]: the feed's secret: the tenant in clear (so the feed request can be
//!   confined to one tenant before anything is read) and 32 random bytes, of which only the
//!   SHA-256 is stored.
//! - [`Reminders`]: the use cases over the [`crate::planning::plans::PlanStore`], the
//!   [`CalendarTokenStore`] and the catalog (for show titles).

mod calendar;
mod ports;
mod upcoming;
mod usecases;

pub use crate::tenant_token::TokenHash;
pub use calendar::{CalendarEntry, calendar_entries, calendar_uid};
pub use ports::CalendarTokenStore;

/// The calendar feed's token (`/calendar/{token}.ics`).
pub type CalendarToken = crate::tenant_token::TenantToken;
pub use upcoming::{
    DEFAULT_DAYS, DEFAULT_LIMIT, MAX_DAYS, MAX_LIMIT, Reminder, ShowTitle, Upcoming, UpcomingQuery,
    upcoming,
};
pub use usecases::{CalendarFeed, Reminders};

#[cfg(test)]
mod tests;
