//! My Shows: the list (`GET /my-shows`), one show's wish (`GET /my-shows/{id}`), saving it
//! (`POST /my-shows/{id}`, also "Add to My Shows"), removing it and undoing that.

pub(crate) mod edit;
pub(crate) mod list;
pub(crate) mod remove;
pub(crate) mod restore;
pub(crate) mod save;

use crate::ui::fields::{Field, FieldErrors};
use chrono::NaiveDate;
use psma_core::planning::profile::{WatchMode, Wish, WishRequest};
use serde::Deserialize;

/// The wish form as sent: text, read by [`WishForm::read`].
#[derive(Debug, Default, Deserialize)]
pub(crate) struct WishForm {
    #[serde(default)]
    watch_mode: String,
    #[serde(default)]
    binge_days: String,
    #[serde(default)]
    season: String,
    #[serde(default)]
    start_after: String,
    #[serde(default)]
    end_date: String,
    /// `show`: go back to the show's page afterwards (the "Add" button there).
    #[serde(default)]
    next: String,
}

impl WishForm {
    /// The stored wish as the form shows it.
    fn of(wish: &Wish) -> Self {
        let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        Self {
            watch_mode: wish.watch_mode.as_str().to_owned(),
            binge_days: wish.binge_days.to_string(),
            season: wish.season.map(|s| s.to_string()).unwrap_or_default(),
            start_after: day(wish.start_after),
            end_date: day(wish.end_date),
            next: String::new(),
        }
    }

    /// The request for the use case, or what is wrong with each field.
    fn read(&self) -> Result<WishRequest, FieldErrors> {
        let mut errors = FieldErrors::default();
        let watch_mode = WatchMode::parse(self.watch_mode.trim());
        if watch_mode.is_none() {
            errors.push("watch_mode", "Choose how you will watch it.");
        }
        let request = WishRequest {
            watch_mode,
            binge_days: errors.number("binge_days", &self.binge_days, 1, 365),
            season: errors.number("season", &self.season, 0, 9999),
            start_after: errors.date("start_after", &self.start_after),
            end_date: errors.date("end_date", &self.end_date),
        };
        if errors.is_empty() {
            Ok(request)
        } else {
            Err(errors)
        }
    }

    /// The form's inputs (besides the watch mode), with their errors.
    fn fields(&self, errors: &FieldErrors, default_binge_days: u16) -> Vec<Field> {
        vec![
            Field::new("binge_days", "Days to watch a season", "number")
                .value(&self.binge_days)
                .range(1, 365)
                .hint(format!(
                    "When you binge: how long you need the service once a season is out. Empty: {default_binge_days}."
                ))
                .error_from(errors),
            Field::new("season", "Season", "number")
                .value(&self.season)
                .range(0, 9999)
                .hint("Only this season. Empty: the next one to air.")
                .error_from(errors),
            Field::new("start_after", "Start after", "date")
                .value(&self.start_after)
                .hint("Not before this day. Empty: from today.")
                .error_from(errors),
            Field::new("end_date", "End by", "date")
                .value(&self.end_date)
                .hint("When you will have finished, if you know. Empty: the planner estimates it.")
                .error_from(errors),
        ]
    }
}

/// How a watch mode reads.
pub(crate) fn mode_label(mode: WatchMode) -> &'static str {
    match mode {
        WatchMode::AsAired => "As episodes air",
        WatchMode::BingeAfterSeason => "All at once, after the season ends",
    }
}
