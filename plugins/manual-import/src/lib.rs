//! # psma-plugin-manual-import — catalogs from files
//!
//! Reads `psma-import/v1` documents — JSON with `shows`, `availability`, `episodes`,
//! `service_behavior` and `prices`, or CSV with one availability per line — into canonical
//! facts. Every problem is reported with its line or JSON pointer and field; unknown service ids
//! are refused with the list of known ones; an import is all or nothing. The file format is
//! documented in `docs/import-format.md` and its JSON Schema is
//! `contracts/jsonschema/import.v1.schema.json`.
//!
//! Two ways in: [`parse`] (what PSMA's import API and CLI use) and [`ManualImportFactory`], a
//! provider that refreshes from a file like any other source (the demo catalog is one).
//!
//! **Invariant:** depends on `psma-plugin-sdk` alone among PSMA's crates.

mod csv;
mod facts;
pub mod format;
mod json;
mod problem;
mod provider;

pub use crate::csv::COLUMNS as CSV_COLUMNS;
pub use facts::{DEFAULT_CONFIDENCE, DEFAULT_SOURCE, Imported};
pub use problem::{MAX_PROBLEMS, Problem};
pub use provider::ManualImportFactory;

use psma_plugin_sdk::ServiceRegistry;
use psma_plugin_sdk::chrono::{DateTime, Utc};
use psma_plugin_sdk::text::SourceId;

/// The two forms of an import file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// A `psma-import/v1` JSON document.
    Json,
    /// CSV, one availability per line.
    Csv,
}

/// Reads an import file into facts. `source_id` overrides the document's own (CSV has none:
/// default `manual_import`); records without a `retrieved_at` get `now`.
///
/// # Errors
/// Every problem found, up to [`MAX_PROBLEMS`], each with its location and field.
pub fn parse(
    bytes: &[u8],
    format: FileFormat,
    source_id: Option<&SourceId>,
    now: DateTime<Utc>,
    services: &ServiceRegistry,
) -> Result<Imported, Vec<Problem>> {
    match format {
        FileFormat::Json => {
            let (records, problems) = json::read(bytes);
            facts::from_records(records, problems, source_id, now, services)
        }
        FileFormat::Csv => {
            let source = match source_id {
                Some(id) => id.clone(),
                None => SourceId::parse(DEFAULT_SOURCE)
                    .map_err(|e| vec![Problem::new("line 1", None, e.0)])?,
            };
            csv::read(bytes, source, now, services)
        }
    }
}

/// The JSON Schema of the JSON form: `contracts/jsonschema/import.v1.schema.json`.
#[must_use]
pub fn import_schema() -> schemars::Schema {
    psma_plugin_sdk::contract::schema_with_id::<format::ImportDocument>("import.v1")
}
