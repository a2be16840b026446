//! Settings: the member's country and planner settings (`GET`/`POST /settings`), and the
//! calendar feed's link (`POST /settings/calendar`, shown once, never put in a URL).

pub(crate) mod calendar;
pub(crate) mod get;
pub(crate) mod save;

use crate::error::ApiError;
use crate::state::ApiState;
use crate::ui::csrf::CsrfToken;
use crate::ui::fields::{Field, FieldErrors};
use crate::ui::page::{Layout, Section};
use askama::Template;
use psma_core::planning::profile::{PlannerSettings, SettingsOverrides, UserSettings};
use psma_core::tenancy::TenantCtx;
use psma_plugin_sdk::text::CountryCode;
use serde::Deserialize;

/// The settings form as sent: an empty field means "the server's default".
#[derive(Debug, Default, Deserialize)]
pub(crate) struct SettingsForm {
    #[serde(default)]
    country: String,
    #[serde(default, rename = "planner.unsubscribe_buffer_days")]
    unsubscribe_buffer_days: String,
    #[serde(default, rename = "planner.merge_adjacency_days")]
    merge_adjacency_days: String,
    #[serde(default, rename = "planner.unknown_end_horizon_days")]
    unknown_end_horizon_days: String,
    #[serde(default, rename = "planner.stale_after_days")]
    stale_after_days: String,
    #[serde(default, rename = "planner.min_confidence")]
    min_confidence: String,
    #[serde(default, rename = "planner.horizon_days")]
    horizon_days: String,
}

fn text<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

impl SettingsForm {
    fn of(o: &SettingsOverrides) -> Self {
        Self {
            country: text(o.country.as_ref()),
            unsubscribe_buffer_days: text(o.unsubscribe_buffer_days),
            merge_adjacency_days: text(o.merge_adjacency_days),
            unknown_end_horizon_days: text(o.unknown_end_horizon_days),
            stale_after_days: text(o.stale_after_days),
            min_confidence: text(o.min_confidence),
            horizon_days: text(o.horizon_days),
        }
    }

    fn read(&self) -> Result<SettingsOverrides, FieldErrors> {
        let mut errors = FieldErrors::default();
        let country = match self.country.trim().to_ascii_uppercase().as_str() {
            "" => None,
            code => CountryCode::parse(code).map_or_else(
                |_| {
                    errors.push(
                        "country",
                        "Enter a two-letter country code, such as US or GB.",
                    );
                    None
                },
                Some,
            ),
        };
        let min_confidence = match self.min_confidence.trim() {
            "" => None,
            t => match t.parse::<f64>() {
                Ok(v) if (0.0..=1.0).contains(&v) => Some(v),
                _ => {
                    errors.push(
                        "planner.min_confidence",
                        "Enter a number from 0 to 1, such as 0.6.",
                    );
                    None
                }
            },
        };
        let o = SettingsOverrides {
            country,
            unsubscribe_buffer_days: errors.number(
                "planner.unsubscribe_buffer_days",
                &self.unsubscribe_buffer_days,
                0,
                60,
            ),
            merge_adjacency_days: errors.number(
                "planner.merge_adjacency_days",
                &self.merge_adjacency_days,
                0,
                60,
            ),
            unknown_end_horizon_days: errors.number(
                "planner.unknown_end_horizon_days",
                &self.unknown_end_horizon_days,
                1,
                365,
            ),
            stale_after_days: errors.number(
                "planner.stale_after_days",
                &self.stale_after_days,
                1,
                365,
            ),
            min_confidence,
            horizon_days: errors.number("planner.horizon_days", &self.horizon_days, 1, 365),
        };
        if errors.is_empty() {
            Ok(o)
        } else {
            Err(errors)
        }
    }

    fn fields(&self, errors: &FieldErrors, d: &PlannerSettings) -> Vec<Field> {
        let empty = |v: String| format!("Empty: {v}.");
        vec![
            Field::new("country", "Country", "text")
                .value(&self.country)
                .hint(format!(
                    "Where you watch: two letters. {}",
                    empty(d.default_country.to_string())
                ))
                .error_from(errors),
            Field::new(
                "planner.unsubscribe_buffer_days",
                "Days to keep a service after you finish",
                "number",
            )
            .value(&self.unsubscribe_buffer_days)
            .range(0, 60)
            .hint(empty(d.unsubscribe_buffer_days.to_string()))
            .error_from(errors),
            Field::new(
                "planner.merge_adjacency_days",
                "Join subscriptions this close together (days)",
                "number",
            )
            .value(&self.merge_adjacency_days)
            .range(0, 60)
            .hint(format!(
                "Two stretches on one service closer than this become one. {}",
                empty(d.merge_adjacency_days.to_string())
            ))
            .error_from(errors),
            Field::new(
                "planner.unknown_end_horizon_days",
                "Assume an open-ended window lasts (days)",
                "number",
            )
            .value(&self.unknown_end_horizon_days)
            .range(1, 365)
            .hint(empty(d.unknown_end_horizon_days.to_string()))
            .error_from(errors),
            Field::new(
                "planner.stale_after_days",
                "Treat facts as stale after (days)",
                "number",
            )
            .value(&self.stale_after_days)
            .range(1, 365)
            .hint(empty(d.stale_after_days.to_string()))
            .error_from(errors),
            Field::new(
                "planner.min_confidence",
                "Ignore facts less sure than",
                "text",
            )
            .value(&self.min_confidence)
            .hint(format!(
                "A number from 0 to 1. {}",
                empty(
                    d.min_confidence
                        .map_or_else(|| "no minimum".to_owned(), |c| c.to_string())
                )
            ))
            .error_from(errors),
            Field::new(
                "planner.horizon_days",
                "Plan this many days ahead",
                "number",
            )
            .value(&self.horizon_days)
            .range(1, 365)
            .hint(empty(d.horizon_days.to_string()))
            .error_from(errors),
        ]
    }
}

#[derive(Template)]
#[template(path = "pages/settings.html")]
pub(crate) struct SettingsPage {
    layout: Layout,
    csrf: String,
    can_edit: bool,
    saved: bool,
    country: String,
    fields: Vec<Field>,
    errors: FieldErrors,
    /// The calendar feed's URL, just made (shown once).
    calendar_url: Option<String>,
}

impl SettingsPage {
    pub(crate) async fn load(
        state: &ApiState,
        ctx: &TenantCtx,
        csrf: CsrfToken,
        form: Option<&SettingsForm>,
        errors: FieldErrors,
    ) -> Result<Self, ApiError> {
        let settings: UserSettings = state.profiles.settings(ctx).await?;
        let stored = SettingsForm::of(&settings.overrides);
        let form = form.unwrap_or(&stored);
        let defaults = state.profiles.defaults();
        Ok(Self {
            layout: Layout::new("Settings", Section::Settings),
            csrf: csrf.0,
            can_edit: ctx
                .grants()
                .allows(psma_core::access::Permission::SETTINGS_WRITE),
            saved: false,
            country: settings.country.to_string(),
            fields: form.fields(&errors, defaults),
            errors,
            calendar_url: None,
        })
    }
}
