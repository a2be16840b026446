//! [`OutputSchema`]: the shape an answer must have, compiled once, and the check every
//! answer goes through.

use super::{LlmFailure, LlmFailureKind};
use crate::Error;
use serde_json::Value;
use std::fmt;
use std::sync::Arc;

/// A named JSON Schema, compiled once. Cloning shares the compiled validator.
#[derive(Clone)]
pub struct OutputSchema {
    name: String,
    schema: Arc<Value>,
    validator: Arc<jsonschema::Validator>,
}

impl OutputSchema {
    /// Compiles `schema` (its draft from `$schema`, 2020-12 when unset; formats asserted).
    ///
    /// # Errors
    /// [`Error::Validation`] on `schema.name` when the name is not 1–64 characters of ASCII
    /// letters, digits, `_` or `-` (what OpenAI-compatible servers accept), or on `schema` when
    /// it is not a valid JSON Schema.
    pub fn new(name: impl Into<String>, schema: Value) -> Result<Self, Error> {
        let name = name.into();
        let good_name = (1..=64).contains(&name.len())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !good_name {
            return Err(Error::validation(
                "schema.name",
                "must be 1–64 ASCII letters, digits, `_` or `-`",
            ));
        }
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .map_err(|e| Error::validation("schema", format!("not a valid JSON Schema: {e}")))?;
        Ok(Self {
            name,
            schema: Arc::new(schema),
            validator: Arc::new(validator),
        })
    }

    /// The schema's name, sent with it (`advice_v1`).
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The schema document.
    #[must_use]
    pub fn schema(&self) -> &Value {
        &self.schema
    }

    /// Checks an answer against the schema.
    ///
    /// # Errors
    /// [`LlmFailureKind::SchemaViolation`] listing the first few violations with their JSON
    /// pointers (`/recommendations/0/confidence: 1.5 is greater than the maximum of 1`).
    pub fn check(&self, value: &Value) -> Result<(), LlmFailure> {
        if self.validator.is_valid(value) {
            return Ok(());
        }
        let mut problems: Vec<String> = self
            .validator
            .iter_errors(value)
            .take(MAX_LISTED + 1)
            .map(|e| {
                let at = e.instance_path().to_string();
                let at = if at.is_empty() { "/".to_owned() } else { at };
                format!("{at}: {}", truncate(&e.to_string(), 200))
            })
            .collect();
        if problems.len() > MAX_LISTED {
            problems.truncate(MAX_LISTED);
            problems.push("…".to_owned());
        }
        Err(LlmFailure::new(
            LlmFailureKind::SchemaViolation,
            format!("the answer breaks `{}`: {}", self.name, problems.join("; ")),
        ))
    }
}

/// How many violations a [`LlmFailureKind::SchemaViolation`] lists.
const MAX_LISTED: usize = 5;

impl fmt::Debug for OutputSchema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutputSchema")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// `text` cut to at most `max` characters, with `…` when cut.
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max).collect();
    cut.push('…');
    cut
}
