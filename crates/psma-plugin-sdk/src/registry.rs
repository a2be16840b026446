//! The curated service registry: canonical service ids, their category, their ids in other
//! catalogues (TMDB provider ids), how they release shows and what they typically cost. PSMA
//! ships it as `contracts/registry/services.v1.json`; plugins receive it to map their own
//! service names to canonical ids.

use crate::fact::ReleasePattern;
use crate::text::{
    CountryCode, CurrencyCode, Decimal, ExternalNamespace, ExternalValue, Label, ServiceId,
    SourceRef, Title,
};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What kind of offer a service is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ServiceCategory {
    /// A subscription library (Netflix, Max).
    Svod,
    /// Free with ads (Tubi, Pluto TV).
    Avod,
    /// Rent or buy per title (Apple TV store, Amazon Video).
    Tvod,
    /// Live TV channels as a subscription (YouTube TV, Sling TV).
    LiveBundle,
    /// Not classified.
    Unknown,
}

impl ServiceCategory {
    /// The name, as serialised.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Svod => "svod",
            Self::Avod => "avod",
            Self::Tvod => "tvod",
            Self::LiveBundle => "live_bundle",
            Self::Unknown => "unknown",
        }
    }
}

/// A typical public price of one tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TypicalPrice {
    /// Where.
    pub country: CountryCode,
    /// The plan's name.
    pub tier: Label,
    /// The price per billing cycle.
    pub amount: Decimal,
    /// Its currency.
    pub currency: CurrencyCode,
    /// Days one payment covers.
    #[schemars(range(min = 1, max = 366))]
    pub billing_cycle_days: u16,
    /// When the price was checked.
    pub as_of: NaiveDate,
}

/// One service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceEntry {
    /// Its canonical id.
    pub service_id: ServiceId,
    /// Its name, as people know it.
    pub name: Title,
    /// What kind of offer it is.
    pub category: ServiceCategory,
    /// How it usually releases seasons (the knowledge base's default for it).
    pub release_pattern: ReleasePattern,
    /// Its ids in other catalogues, several per namespace when a catalogue splits it into
    /// tiers (`{"tmdb": ["8", "1796"]}`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub external_ids: BTreeMap<ExternalNamespace, Vec<ExternalValue>>,
    /// Countries where it is offered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<CountryCode>,
    /// Typical public prices, where known.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prices: Vec<TypicalPrice>,
    /// Its home page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub homepage: Option<SourceRef>,
}

/// The registry document, `psma-services/v1`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceRegistry {
    /// Always `psma-services/v1`.
    pub format: RegistryFormat,
    /// The services, ordered by id.
    pub services: Vec<ServiceEntry>,
}

/// The registry format marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum RegistryFormat {
    /// Version 1.
    #[serde(rename = "psma-services/v1")]
    V1,
}

/// What is wrong with a registry document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("service registry: {0}")]
pub struct RegistryError(pub String);

/// The registry PSMA ships, `contracts/registry/services.v1.json`, as text.
pub const BUNDLED_JSON: &str = include_str!("../../../contracts/registry/services.v1.json");

impl ServiceRegistry {
    /// The registry PSMA ships.
    ///
    /// # Errors
    /// [`RegistryError`] if the shipped file is broken (a test rules that out).
    pub fn bundled() -> Result<Self, RegistryError> {
        Self::from_json(BUNDLED_JSON)
    }

    /// Reads and checks a registry document: ids unique, external ids unambiguous.
    ///
    /// # Errors
    /// [`RegistryError`] naming the problem (with the JSON path for shape errors).
    pub fn from_json(text: &str) -> Result<Self, RegistryError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let registry: Self = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| RegistryError(format!("{}: {}", e.path(), e.inner())))?;
        registry.check()?;
        Ok(registry)
    }

    fn check(&self) -> Result<(), RegistryError> {
        let mut seen = std::collections::BTreeSet::new();
        let mut external = BTreeMap::new();
        for entry in &self.services {
            if !seen.insert(&entry.service_id) {
                return Err(RegistryError(format!(
                    "service id `{}` appears twice",
                    entry.service_id
                )));
            }
            for (namespace, values) in &entry.external_ids {
                for value in values {
                    if let Some(other) = external.insert((namespace, value), &entry.service_id) {
                        return Err(RegistryError(format!(
                            "{namespace} id `{value}` is claimed by both `{other}` and `{}`",
                            entry.service_id
                        )));
                    }
                }
            }
        }
        Ok(())
    }

    /// The service with this id.
    #[must_use]
    pub fn get(&self, id: &str) -> Option<&ServiceEntry> {
        self.services.iter().find(|s| s.service_id.as_str() == id)
    }

    /// Whether `id` is a known service.
    #[must_use]
    pub fn contains(&self, id: &str) -> bool {
        self.get(id).is_some()
    }

    /// The service a catalogue's id maps to (`("tmdb", "8")` → `netflix`).
    #[must_use]
    pub fn by_external_id(&self, namespace: &str, value: &str) -> Option<&ServiceEntry> {
        self.services.iter().find(|s| {
            s.external_ids
                .iter()
                .any(|(ns, vs)| ns.as_str() == namespace && vs.iter().any(|v| v.as_str() == value))
        })
    }

    /// Every known id, sorted.
    #[must_use]
    pub fn ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self
            .services
            .iter()
            .map(|s| s.service_id.as_str())
            .collect();
        ids.sort_unstable();
        ids
    }
}
