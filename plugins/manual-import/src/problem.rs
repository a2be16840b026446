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
    text.split(" at line ").next().unwrap_or(&text).to_owned()
}
