//! Form fields as a page shows them — label, value as typed, hint, the error beside it — and
//! reading typed values out of the text a form sends.

use crate::error::ApiError;
use chrono::NaiveDate;

/// One input with its label, hint and error.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    /// The form name, also the element id (the API's JSON name).
    pub name: &'static str,
    /// What the label says.
    pub label: &'static str,
    /// `text`, `number` or `date`.
    pub kind: &'static str,
    /// The value as typed (or as stored).
    pub value: String,
    /// What to enter, and what an empty field means.
    pub hint: String,
    /// Why the value was refused.
    pub error: Option<String>,
    /// `min` for a number.
    pub min: Option<u32>,
    /// `max` for a number.
    pub max: Option<u32>,
}

impl Field {
    pub(crate) fn new(name: &'static str, label: &'static str, kind: &'static str) -> Self {
        Self {
            name,
            label,
            kind,
            value: String::new(),
            hint: String::new(),
            error: None,
            min: None,
            max: None,
        }
    }

    pub(crate) fn value(mut self, value: impl Into<String>) -> Self {
        self.value = value.into();
        self
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = hint.into();
        self
    }

    pub(crate) fn range(mut self, min: u32, max: u32) -> Self {
        self.min = Some(min);
        self.max = Some(max);
        self
    }

    /// Takes the error `errors` has for this field, if any.
    pub(crate) fn error_from(mut self, errors: &FieldErrors) -> Self {
        self.error = errors.get(self.name).map(str::to_owned);
        self
    }
}

/// Errors by field name, in the form's order, for the summary and beside each field.
#[derive(Debug, Clone, Default)]
pub(crate) struct FieldErrors(pub Vec<(String, String)>);

impl FieldErrors {
    pub(crate) fn push(&mut self, field: &str, message: impl Into<String>) {
        if self.get(field).is_none() {
            self.0.push((field.to_owned(), message.into()));
        }
    }

    pub(crate) fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The field errors a use case refused with, or the error itself when it is not about
    /// fields (not found, forbidden, unavailable…), for the error page.
    pub(crate) fn from_core(err: psma_core::Error) -> Result<Self, ApiError> {
        let mut errors = Self::default();
        match err {
            psma_core::Error::Validation { field, message } => errors.push(&field, message),
            psma_core::Error::Rejected { problems, .. }
                if problems.iter().all(|p| p.field.is_some()) =>
            {
                for p in problems {
                    errors.push(p.field.as_deref().unwrap_or(""), p.message);
                }
            }
            other => return Err(other.into()),
        }
        Ok(errors)
    }

    /// A whole number in `min..=max`, or `None` for an empty field.
    pub(crate) fn number(&mut self, field: &str, text: &str, min: u16, max: u16) -> Option<u16> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        match text.parse::<u16>() {
            Ok(n) if (min..=max).contains(&n) => Some(n),
            _ => {
                self.push(field, format!("Enter a whole number from {min} to {max}."));
                None
            }
        }
    }

    /// A date (`YYYY-MM-DD`, what date inputs send), or `None` for an empty field.
    pub(crate) fn date(&mut self, field: &str, text: &str) -> Option<NaiveDate> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d").map_or_else(
            |_| {
                self.push(field, "Enter a date, such as 2027-03-31.");
                None
            },
            Some,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_dates_are_read_or_named() {
        let mut errors = FieldErrors::default();
        assert_eq!(errors.number("binge_days", " 14 ", 1, 365), Some(14));
        assert_eq!(errors.number("binge_days", "", 1, 365), None);
        assert!(errors.is_empty());
        assert_eq!(errors.number("season", "0.5", 0, 9999), None);
        assert_eq!(errors.number("binge_days", "400", 1, 365), None);
        assert_eq!(errors.date("end_date", "2027-02-30"), None);
        assert_eq!(
            errors.date("start_after", "2027-03-01"),
            NaiveDate::from_ymd_opt(2027, 3, 1)
        );
        let named: Vec<&str> = errors.0.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(named, ["season", "binge_days", "end_date"]);
        assert!(errors.get("binge_days").unwrap().contains("1 to 365"));
    }
}
