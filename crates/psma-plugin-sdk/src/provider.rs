//! The provider port: what a data source plugin implements, and the factory it registers
//! through.

use crate::error::ProviderError;
use crate::fact::{Fact, FactKind, ShowIdentity};
use crate::registry::ServiceRegistry;
use crate::text::{
    CountryCode, ExternalNamespace, ExternalValue, Label, LongText, ShowKey, SourceId, SourceRef,
    Title,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use futures_util::stream::BoxStream;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The only source of "now" for plugins (and for PSMA's engines), so tests can fix it.
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;
}

/// The machine's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// What PSMA hands a plugin when it builds one: never the database, never the whole
/// configuration — only what a data source needs.
#[derive(Clone)]
pub struct PluginDeps {
    /// "Now", for `retrieved_at`.
    pub clock: Arc<dyn Clock>,
    /// The curated service registry, to map the source's service names to canonical ids.
    pub services: Arc<ServiceRegistry>,
}

/// Which part of its data a fetch asks a provider for.
#[derive(Debug, Clone, PartialEq)]
pub enum Scope {
    /// Everything the provider knows (a full snapshot).
    All,
    /// One show.
    Show(ShowQuery),
    /// Everything about one country.
    Country(CountryCode),
}

impl Scope {
    /// Its kind, as declared in [`Capabilities::scopes`].
    #[must_use]
    pub fn kind(&self) -> ScopeKind {
        match self {
            Self::All => ScopeKind::All,
            Self::Show(_) => ScopeKind::Show,
            Self::Country(_) => ScopeKind::Country,
        }
    }
}

/// The show a show-scoped fetch is about, as PSMA knows it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ShowQuery {
    /// This provider's key for it, when PSMA has seen one.
    pub key: Option<ShowKey>,
    /// Its ids in other catalogues.
    pub external_ids: BTreeMap<ExternalNamespace, ExternalValue>,
    /// Its title.
    pub title: Option<Title>,
    /// Its year.
    pub year: Option<i32>,
}

/// The kinds of [`Scope`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ScopeKind {
    /// [`Scope::All`]
    All,
    /// [`Scope::Show`]
    Show,
    /// [`Scope::Country`]
    Country,
}

impl ScopeKind {
    /// The name, as serialised.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Show => "show",
            Self::Country => "country",
        }
    }
}

/// What a provider can do, declared up front (PSMA never discovers it by failure).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Capabilities {
    /// The fetch scopes it supports.
    #[schemars(length(min = 1))]
    pub scopes: Vec<ScopeKind>,
    /// The kinds of fact it produces.
    #[schemars(length(min = 1))]
    pub fact_kinds: Vec<FactKind>,
    /// The countries it covers; empty means any.
    #[serde(default)]
    pub countries: Vec<CountryCode>,
    /// Whether it needs credentials (an API key) to work.
    pub needs_credentials: bool,
    /// Whether it answers [`Provider::search`] (people find shows to add through it).
    #[serde(default)]
    pub search: bool,
}

/// Whom to credit for the data, shown wherever it is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attribution {
    /// The required credit, word for word.
    pub text: LongText,
    /// A link to the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<SourceRef>,
    /// The data's licence (`CC BY-SA 4.0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<Label>,
}

/// How many requests a provider may make to its upstream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    /// Requests allowed…
    #[schemars(range(min = 1))]
    pub requests: u32,
    /// …per this many seconds.
    #[schemars(range(min = 1))]
    pub per_secs: u32,
}

/// A provider's description of itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProviderSpec {
    /// The source id its facts carry (for a plugin with several instances, the instance's).
    pub id: SourceId,
    /// A name for people.
    pub display_name: Title,
    /// The plugin's version.
    pub version: Label,
    /// What it can do.
    pub capabilities: Capabilities,
    /// The JSON Schema its configuration must satisfy.
    pub config_schema: serde_json::Value,
    /// Whom to credit.
    pub attribution: Attribution,
    /// The shortest interval between two scheduled refreshes, in seconds.
    pub min_refresh_interval_secs: u64,
    /// Its upstream's rate limit, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimit>,
}

/// A stream of facts; an item error of kind `Malformed` loses one record, any other ends the
/// fetch.
pub type FactStream<'a> = BoxStream<'a, Result<Fact, ProviderError>>;

/// A data source: describes itself, checks that its configuration works, and fetches facts.
#[async_trait]
pub trait Provider: Send + Sync {
    /// Its description. Every fact it yields carries `spec().id` as its `source_id`.
    fn spec(&self) -> &ProviderSpec;

    /// Checks that the configuration works (the upstream answers, the credentials are
    /// accepted) without fetching data.
    ///
    /// # Errors
    /// [`ProviderError::Auth`] for refused credentials, [`ProviderError::Upstream`] when the
    /// upstream cannot be reached, [`ProviderError::RateLimited`] when asked to wait.
    async fn check(&self) -> Result<(), ProviderError>;

    /// The facts in `scope`, as a stream. A scope not in [`Capabilities::scopes`] yields one
    /// [`ProviderError::Config`].
    ///
    /// # Errors
    /// Items are errors as described on [`FactStream`].
    fn fetch(&self, scope: Scope) -> FactStream<'_>;

    /// Shows matching `query` (words of a title), best first, as identity facts for a person to
    /// pick one from; each one's `show` key, or an id under the provider's source id in its
    /// `external_ids`, fetches it with [`Scope::Show`]. Called only when
    /// [`Capabilities::search`] says it can; the default refuses.
    ///
    /// # Errors
    /// [`ProviderError::Config`] on `search` when the provider cannot search; otherwise as
    /// [`Self::check`].
    async fn search(&self, query: &str) -> Result<Vec<ShowIdentity>, ProviderError> {
        let _ = query;
        Err(ProviderError::config(
            "search",
            format!("`{}` cannot search", self.spec().id),
        ))
    }
}

/// How a plugin registers: PSMA looks factories up by id and builds providers from each
/// configured `providers.<id>` section. Nobody matches on a closed list of plugins.
pub trait ProviderFactory: Send + Sync {
    /// The plugin's id (`manual_import`, `tmdb`): the `providers.<id>` key it answers to.
    fn id(&self) -> &'static str;

    /// The description of the providers it builds (instances may refine `id`).
    fn describe(&self) -> ProviderSpec;

    /// Checks `config` and builds a provider from it.
    ///
    /// # Errors
    /// [`ProviderError::Config`] naming the offending key; other kinds when building needs
    /// the upstream (a file that cannot be read is [`ProviderError::Upstream`]).
    fn build(
        &self,
        config: &serde_json::Value,
        deps: PluginDeps,
    ) -> Result<Arc<dyn Provider>, ProviderError>;
}

#[cfg(test)]
mod tests {
    use super::ScopeKind;

    #[test]
    fn scope_kind_names_are_their_serialised_names() {
        for kind in [ScopeKind::All, ScopeKind::Show, ScopeKind::Country] {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
    }
}
