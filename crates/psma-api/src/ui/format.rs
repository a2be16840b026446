//! How values read on a page. The server writes an unambiguous English form (`3 Dec 2026`,
//! `14:05 UTC`) inside `<time datetime>`; the page script rewrites it in the reader's own
//! locale and time zone (ADR 0032), so a page without JavaScript is still exact.

use chrono::{DateTime, NaiveDate, Utc};

/// A calendar day: the same day everywhere, never shifted by a time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Day {
    /// `2026-12-03`, for `<time datetime>`.
    pub iso: String,
    /// `3 Dec 2026`.
    pub text: String,
}

impl From<NaiveDate> for Day {
    fn from(date: NaiveDate) -> Self {
        Self {
            iso: date.format("%Y-%m-%d").to_string(),
            text: date.format("%-d %b %Y").to_string(),
        }
    }
}

/// A moment: shown in UTC, labelled, until the reader's browser says where they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Instant {
    /// RFC 3339, for `<time datetime>`.
    pub iso: String,
    /// `3 Dec 2026, 14:05 UTC`.
    pub text: String,
}

impl From<DateTime<Utc>> for Instant {
    fn from(at: DateTime<Utc>) -> Self {
        Self {
            iso: at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            text: at.format("%-d %b %Y, %H:%M UTC").to_string(),
        }
    }
}

/// A confidence of 0 to 1 as a person reads it: `90%`, and a word for its band.
#[must_use]
pub(crate) fn confidence(value: f64) -> (String, &'static str) {
    let percent = (value.clamp(0.0, 1.0) * 100.0).round();
    let band = if value >= 0.8 {
        "high"
    } else if value >= 0.5 {
        "medium"
    } else {
        "low"
    };
    (format!("{percent}%"), band)
}

/// A count with its noun: `1 show`, `3 shows`.
#[must_use]
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_instants_read_unambiguously() {
        let day = Day::from(NaiveDate::from_ymd_opt(2026, 3, 7).unwrap());
        assert_eq!(
            (day.iso.as_str(), day.text.as_str()),
            ("2026-03-07", "7 Mar 2026")
        );
        let at = DateTime::parse_from_rfc3339("2026-12-03T14:05:09Z")
            .unwrap()
            .with_timezone(&Utc);
        let instant = Instant::from(at);
        assert_eq!(instant.iso, "2026-12-03T14:05:09Z");
        assert_eq!(instant.text, "3 Dec 2026, 14:05 UTC");
    }

    #[test]
    fn confidence_has_a_percentage_and_a_band() {
        assert_eq!(confidence(0.9), ("90%".to_owned(), "high"));
        assert_eq!(confidence(0.55), ("55%".to_owned(), "medium"));
        assert_eq!(confidence(0.2), ("20%".to_owned(), "low"));
        assert_eq!(confidence(1.7).0, "100%");
        assert_eq!(count(1, "show", "shows"), "1 show");
        assert_eq!(count(0, "show", "shows"), "0 shows");
    }
}
