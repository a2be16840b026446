//! Importing a file (`GET /import`, `POST /import`): a `psma-import/v1` JSON document or an
//! availability CSV, uploaded from a form that works without JavaScript, through the same
//! use case as `POST /api/v1/imports`; the summary, or every problem by line and field.

pub(crate) mod get;
pub(crate) mod upload;

use crate::ui::csrf::CsrfToken;
use crate::ui::page::{Layout, Section};
use askama::Template;

/// A problem in the file: where, which field, what.
pub(crate) struct Problem {
    pub place: String,
    pub field: String,
    pub message: String,
}

/// What an import did.
pub(crate) struct Summary {
    pub source: String,
    pub lines: Vec<(&'static str, u64)>,
    pub notes: Vec<String>,
}

#[derive(Template)]
#[template(path = "pages/import.html")]
pub(crate) struct ImportPage {
    pub layout: Layout,
    pub csrf: String,
    pub can_import: bool,
    pub source_id: String,
    pub summary: Option<Summary>,
    /// Why the file was refused (nothing was imported).
    pub refused: Option<String>,
    pub problems: Vec<Problem>,
    /// An error about a form field (`file`, `source_id`).
    pub field_error: Option<(String, String)>,
}

impl ImportPage {
    pub(crate) fn new(csrf: CsrfToken, can_import: bool) -> Self {
        Self {
            layout: Layout::new("Import", Section::Import),
            csrf: csrf.0,
            can_import,
            source_id: String::new(),
            summary: None,
            refused: None,
            problems: Vec::new(),
            field_error: None,
        }
    }

    fn error_for(&self, field: &str) -> Option<&str> {
        self.field_error
            .as_ref()
            .filter(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}
