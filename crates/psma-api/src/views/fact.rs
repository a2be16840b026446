use chrono::{DateTime, Utc};
use psma_core::catalog::{DataScope, SourceInfo, StoredFact};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// Whose a record is.
#[derive(Debug, Clone, Copy, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ScopeView {
    /// The shared catalog, from provider refreshes.
    Shared,
    /// The caller's household: its imports and confirmations.
    Private,
}

impl From<DataScope> for ScopeView {
    fn from(scope: DataScope) -> Self {
        match scope {
            DataScope::Global => Self::Shared,
            DataScope::Tenant(_) => Self::Private,
        }
    }
}

/// One stored version of a fact: the provider's assertion (with its provenance) and when PSMA
/// held it live.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FactVersionView {
    /// This version's id (cited by conflicts and used to resolve them).
    pub id: Uuid,
    /// Shared, or the caller's own.
    pub scope: ScopeView,
    /// The canonical show it is about.
    pub show_id: Option<Uuid>,
    /// When PSMA stored it.
    pub recorded_at: DateTime<Utc>,
    /// When a later run ended it; null while live.
    pub ended_at: Option<DateTime<Utc>>,
    /// The fact, as its provider asserted it (see `provider-facts.v1.schema.json`).
    #[schema(schema_with = crate::openapi::fact_schema)]
    pub fact: serde_json::Value,
}

impl FactVersionView {
    /// The view of `stored`.
    #[must_use]
    pub fn new(stored: &StoredFact) -> Self {
        Self {
            id: stored.id.0,
            scope: stored.scope.into(),
            show_id: stored.show_id.map(|s| s.0),
            recorded_at: stored.recorded_at,
            ended_at: stored.ended_at,
            // A fact always serialises; `null` would only mean a bug in its types.
            fact: serde_json::to_value(&stored.fact).unwrap_or_default(),
        }
    }
}

/// Whom to credit for a source's data.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceView {
    /// The source.
    pub source_id: String,
    /// Its name.
    pub name: String,
    /// The credit to show, word for word.
    pub attribution: String,
    /// A link to the source.
    pub url: Option<String>,
    /// The data's licence.
    pub license: Option<String>,
}

impl From<&SourceInfo> for SourceView {
    fn from(s: &SourceInfo) -> Self {
        Self {
            source_id: s.source_id.to_string(),
            name: s.display_name.clone(),
            attribution: s.attribution.text.to_string(),
            url: s.attribution.url.as_ref().map(ToString::to_string),
            license: s.attribution.license.as_ref().map(ToString::to_string),
        }
    }
}
