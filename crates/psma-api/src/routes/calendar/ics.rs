//! A calendar feed as RFC 5545 text, written with the `icalendar` crate (line folding and
//! escaping are its job): one all-day VEVENT per plan event, with a display alarm the day
//! before.

use chrono::{DateTime, Days, Duration, Utc};
use icalendar::{Alarm, Calendar, Component, Event, EventLike, EventStatus, Property};
use psma_core::planning::planner::Action;
use psma_core::planning::reminders::{CalendarEntry, CalendarFeed};

/// How often calendar apps are asked to fetch the feed again.
const REFRESH_HOURS: i64 = 12;

/// The title of the event: "Subscribe to Max", "Cancel Netflix".
pub(crate) fn summary(entry: &CalendarEntry) -> String {
    match entry.event.action {
        Action::Subscribe => format!("Subscribe to {}", entry.service_name),
        Action::Unsubscribe => format!("Cancel {}", entry.service_name),
    }
}

/// Why, what is assumed, and whether sources disagree.
fn description(entry: &CalendarEntry) -> String {
    let event = &entry.event;
    let mut text = event.rationale.clone();
    if !event.assumptions.is_empty() {
        text.push_str("\n\nAssumptions:");
        for assumption in &event.assumptions {
            text.push_str("\n- ");
            text.push_str(assumption);
        }
    }
    if event.contested {
        text.push_str(
            "\n\nContested: sources disagree about this availability; the date may change.",
        );
    }
    text
}

fn event(entry: &CalendarEntry, stamp: DateTime<Utc>) -> Event {
    let date = entry.event.date;
    let title = summary(entry);
    let mut event = Event::new();
    event
        .uid(&entry.uid)
        .timestamp(stamp)
        .summary(&title)
        .description(&description(entry))
        .starts(date)
        // All-day: DTEND is the day after (exclusive), as RFC 5545 has it.
        .ends(date.checked_add_days(Days::new(1)).unwrap_or(date))
        .status(if entry.tentative {
            EventStatus::Tentative
        } else {
            EventStatus::Confirmed
        })
        .add_property("TRANSP", "TRANSPARENT")
        .alarm(
            Alarm::display(&format!("Tomorrow: {title}"), -Duration::days(1))
                // The crate writes a day as `-PT86400S`; `-P1D` is the same trigger, as people
                // (and RFC 5545's examples) write it.
                .add_property("TRIGGER", "-P1D")
                // The crate stamps every component it writes, alarms too, with a DTSTAMP and a
                // UID, made up at each write when not given: give both, derived from the event,
                // so the feed is the same text at every fetch (RFC 9074 gives alarms UIDs).
                .uid(&format!("alarm-{}", entry.uid))
                .timestamp(stamp)
                .done(),
        );
    event.done()
}

/// The feed's calendar text. Without a plan it is a valid calendar with no events.
pub(crate) fn render(feed: &CalendarFeed) -> String {
    let mut calendar = Calendar::empty();
    for (key, value) in [
        ("VERSION", "2.0"),
        ("PRODID", "-//PSMA//Subscription plan//EN"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
    ] {
        calendar.append_property(Property::new(key, value));
    }
    calendar
        .name("PSMA subscription plan")
        .ttl(&Duration::hours(REFRESH_HOURS));
    if let Some(stamp) = feed.generated_at {
        for entry in &feed.entries {
            calendar.push(event(entry, stamp));
        }
    }
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone};
    use psma_core::planning::planner::PlanEvent;
    use psma_core::tenancy::UserId;
    use psma_plugin_sdk::text::ServiceId;

    fn entry(tentative: bool, rationale: &str) -> CalendarEntry {
        let date = NaiveDate::from_ymd_opt(2027, 1, 10).unwrap();
        CalendarEntry {
            uid: "0123@psma".to_owned(),
            interval_start: date,
            tentative,
            service_name: "Max".to_owned(),
            event: PlanEvent {
                action: Action::Subscribe,
                service_id: ServiceId::parse("max").unwrap(),
                date,
                show_ids: Vec::new(),
                rationale: rationale.to_owned(),
                reason_codes: Vec::new(),
                assumptions: vec!["The end date is unknown; 30 days are assumed".to_owned()],
                contested: false,
                conflict_ids: Vec::new(),
                alternatives: Vec::new(),
            },
        }
    }

    fn feed(entries: Vec<CalendarEntry>) -> CalendarFeed {
        CalendarFeed {
            user_id: UserId(uuid::Uuid::nil()),
            generated_at: Some(Utc.with_ymd_and_hms(2027, 1, 9, 8, 30, 0).unwrap()),
            entries,
        }
    }

    #[test]
    fn an_event_is_all_day_with_its_stamp_status_and_an_alarm_the_day_before() {
        let text = render(&feed(vec![entry(true, "Severance, The Bear")]));
        for line in [
            "BEGIN:VCALENDAR",
            "PRODID:-//PSMA//Subscription plan//EN",
            "UID:0123@psma",
            "DTSTAMP:20270109T083000Z",
            "DTSTART;VALUE=DATE:20270110",
            "DTEND;VALUE=DATE:20270111",
            "SUMMARY:Subscribe to Max",
            "STATUS:TENTATIVE",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "TRIGGER:-P1D",
        ] {
            assert!(text.contains(&format!("{line}\r\n")), "{line}:\n{text}");
        }
        assert!(
            text.contains("Severance\\, The Bear"),
            "commas escaped:\n{text}"
        );
        assert!(text.contains("UID:alarm-0123@psma\r\n"), "{text}");
        assert_eq!(
            text.matches("DTSTAMP:20270109T083000Z").count(),
            2,
            "the event's and its alarm's, both the plan's time:\n{text}"
        );
        let again = render(&feed(vec![entry(true, "Severance, The Bear")]));
        assert_eq!(text, again, "the same text at every fetch");
        assert!(!render(&feed(vec![entry(false, "x")])).contains("TENTATIVE"));
    }

    #[test]
    fn long_lines_are_folded_at_75_octets() {
        let text = render(&feed(vec![entry(false, &"Severance ".repeat(40))]));
        assert!(text.split("\r\n").all(|line| line.len() <= 75), "{text}");
        assert!(
            text.contains("\r\n "),
            "continuation lines begin with a space"
        );
    }

    #[test]
    fn a_feed_without_a_plan_is_a_calendar_without_events() {
        let text = render(&CalendarFeed {
            user_id: UserId(uuid::Uuid::nil()),
            generated_at: None,
            entries: Vec::new(),
        });
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
        assert!(!text.contains("VEVENT"));
    }
}
