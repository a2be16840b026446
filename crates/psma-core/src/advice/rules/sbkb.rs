//! The service behaviour knowledge base as the rules read it: a live `service_behavior` fact
//! the household sees (the best by the merge policy) over the curated registry entry.

use super::AdviceInputs;
use crate::catalog::merge;
use crate::catalog::records::StoredFact;
use psma_plugin_sdk::text::ServiceId;
use psma_plugin_sdk::{Fact, ReleasePattern};
use serde::Serialize;

/// How confident the curated registry is taken to be (it is reviewed with the code).
pub const REGISTRY_CONFIDENCE: f64 = 0.9;

/// What the SBKB says about how one service releases seasons, and where that comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SbkbEntry {
    /// The service.
    pub service_id: ServiceId,
    /// Its name for people (the registry's, else its id).
    pub service_name: String,
    /// How it releases seasons.
    pub release_pattern: ReleasePattern,
    /// The `based_on` reference: `fact:<id>` for a fact, `sbkb:<service_id>` for the registry.
    pub reference: String,
    /// The source (`registry` for the curated registry).
    pub source: String,
    /// How sure the source is.
    pub confidence: f64,
}

/// The SBKB's word on `service`, if it has one.
#[must_use]
pub fn release_pattern(inputs: &AdviceInputs<'_>, service: &ServiceId) -> Option<SbkbEntry> {
    let entry = inputs.registry.get(service.as_str());
    let service_name = entry.map_or_else(
        || service.as_str().to_owned(),
        |e| e.name.as_str().to_owned(),
    );
    let mut facts: Vec<&StoredFact> = inputs
        .service_behaviors
        .iter()
        .filter(|f| f.ended_at.is_none())
        .filter(|f| matches!(&f.fact, Fact::ServiceBehavior(b) if &b.service_id == service))
        .collect();
    facts.sort_by(|a, b| merge::rank(a, b));
    if let Some(best) = facts.first()
        && let Fact::ServiceBehavior(behavior) = &best.fact
    {
        return Some(SbkbEntry {
            service_id: service.clone(),
            service_name,
            release_pattern: behavior.release_pattern,
            reference: format!("fact:{}", best.id),
            source: best.source_id().as_str().to_owned(),
            confidence: best.confidence(),
        });
    }
    entry.map(|e| SbkbEntry {
        service_id: service.clone(),
        service_name,
        release_pattern: e.release_pattern,
        reference: format!("sbkb:{service}"),
        source: "registry".to_owned(),
        confidence: REGISTRY_CONFIDENCE,
    })
}
