//! A problem in an import file: where (a line or a JSON pointer), which field, what is wrong.

use std::fmt;

/// The most problems one import reports; beyond that the file is surely not what was meant.
pub const MAX_PROBLEMS: usize = 100;

/// One problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `line 7` (CSV, or a JSON syntax error) or a JSON pointer (`/availability/3`).
    pub location: String,
    /// The offending field (`available_from`), when one is to blame.
    pub field: Option<String>,
    /// What is wrong, for a person.
    pub message: String,
}

impl Problem {
    pub(crate) fn new(
        location: impl Into<String>,
        field: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            location: location.into(),
            field: field.map(str::to_owned),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{}: {field}: {}", self.location, self.message),
            None => write!(f, "{}: {}", self.location, self.message),
        }
    }
}

/// Collects problems up to [`MAX_PROBLEMS`].
#[derive(Debug, Default)]
pub(crate) struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn push(&mut self, problem: Problem) {
        if self.0.len() < MAX_PROBLEMS {
            self.0.push(problem);
        }
    }

    pub fn is_full(&self) -> bool {
        self.0.len() >= MAX_PROBLEMS
    }

    pub fn into_result<T>(self, value: T) -> Result<T, Vec<Problem>> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.0)
        }
    }
}

/// The message of a serde error without serde's " at line … column …" suffix (the location is
/// reported separately).
pub(crate) fn serde_message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let message = text.split(" at line ").next().unwrap_or(&text);
    if CHRONO_MESSAGES.contains(&message) {
        // chrono's words alone ("premature end of input") do not say what was expected; the
        // usual slip is a date-time without its UTC offset.
        return format!(
            "is not a valid date (2026-05-01) or date-time with its UTC offset \
             (2026-05-01T20:00:00Z or 2026-05-01T22:00:00+02:00): {message}"
        );
    }
    message.to_owned()
}

/// What chrono says when a date or date-time does not parse.
const CHRONO_MESSAGES: [&str; 7] = [
    "premature end of input",
    "input contains invalid characters",
    "input is out of range",
    "trailing input",
    "input is not enough for unique date and time",
    "no possible date and time matching input",
    "bad or unsupported format string",
];
