//! From a read document to canonical facts: references resolved, services checked against the
//! registry, duplicates refused, every remaining rule checked — all problems reported at once.

use crate::json::Records;
use crate::problem::{Problem, Problems};
use psma_plugin_sdk::chrono::{DateTime, Utc};
use psma_plugin_sdk::text::{Label, ServiceId, ShowKey, SourceId, SourceRef};
use psma_plugin_sdk::{
    Availability, Episode, Fact, Price, Provenance, ServiceBehavior, ServiceRegistry, ShowIdentity,
};
use std::collections::{HashMap, HashSet};
use std::fmt;

/// The source id of imports that name none.
pub const DEFAULT_SOURCE: &str = "manual_import";
/// The confidence of an imported record that states none: the household's own data.
pub const DEFAULT_CONFIDENCE: f64 = 0.9;
/// The billing cycle of a price that states none.
pub const DEFAULT_BILLING_DAYS: u16 = 30;

/// What reading a file yields.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The source the facts belong to.
    pub source_id: SourceId,
    /// The facts.
    pub facts: Vec<Fact>,
}

/// Where a record of a JSON document is (`/availability/3`), written out only for a problem:
/// a large file has a million records and few problems.
pub(crate) struct Pointer(pub &'static str, pub usize);

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "/{}/{}", self.0, self.1)
    }
}

/// Builds provenance for one record.
pub(crate) struct Stamp<'a> {
    pub source_id: &'a SourceId,
    pub retrieved_at: DateTime<Utc>,
}

impl Stamp<'_> {
    pub fn provenance(
        &self,
        confidence: Option<f64>,
        source_ref: Option<&SourceRef>,
    ) -> Provenance {
        Provenance {
            source_id: self.source_id.clone(),
            retrieved_at: self.retrieved_at,
            confidence: confidence.unwrap_or(DEFAULT_CONFIDENCE),
            source_ref: source_ref.cloned(),
        }
    }
}

/// Checks a record's confidence and, when the service is given, that the registry knows it.
pub(crate) fn check_common(
    at: &dyn fmt::Display,
    confidence: Option<f64>,
    service: Option<&ServiceId>,
    services: &ServiceRegistry,
    problems: &mut Problems,
) {
    if let Some(c) = confidence
        && !(0.0..=1.0).contains(&c)
    {
        problems.push(Problem::new(
            at.to_string(),
            Some("confidence"),
            format!("must be between 0 and 1, got {c}"),
        ));
    }
    if let Some(service) = service
        && !services.contains(service.as_str())
    {
        problems.push(Problem::new(
            at.to_string(),
            Some("service_id"),
            format!(
                "unknown service `{service}`; known services: {}",
                services.ids().join(", ")
            ),
        ));
    }
}

/// Checks a fact's remaining rules (ranges, window order) and reports them at `at`. Its
/// confidence is left out: [`check_common`] has reported that for the record already.
pub(crate) fn check_fact(at: &dyn fmt::Display, fact: &Fact, problems: &mut Problems) {
    if let Err(errors) = fact.validate() {
        for e in errors {
            if e.field == "provenance.confidence" {
                continue;
            }
            let field = e
                .field
                .strip_prefix("provenance.")
                .unwrap_or(&e.field)
                .to_owned();
            problems.push(Problem::new(at.to_string(), Some(&field), e.message));
        }
    }
}

/// The facts of a JSON document's records; `found` are the problems reading them gave.
pub(crate) fn from_records(
    doc: Records,
    found: Vec<Problem>,
    source_override: Option<&SourceId>,
    now: DateTime<Utc>,
    services: &ServiceRegistry,
) -> Result<Imported, Vec<Problem>> {
    let source_id = match (source_override, &doc.source_id) {
        (Some(given), _) => given.clone(),
        (None, Some(own)) => own.clone(),
        (None, None) => {
            SourceId::parse(DEFAULT_SOURCE).map_err(|e| vec![Problem::new("/", None, e.0)])?
        }
    };
    let stamp = Stamp {
        source_id: &source_id,
        retrieved_at: doc.retrieved_at.unwrap_or(now),
    };
    let mut problems = Problems(found);
    let mut facts = Vec::new();

    // Hash maps: a large file has a million records to look up, in no order that matters.
    let mut refs: HashMap<&ShowKey, usize> = HashMap::new();
    for (i, show) in &doc.shows {
        let at = Pointer("shows", *i);
        if let Some(first) = refs.insert(&show.reference, *i) {
            problems.push(Problem::new(
                at.to_string(),
                Some("ref"),
                format!("`{}` is also the ref of /shows/{first}", show.reference),
            ));
        }
        check_common(&at, show.confidence, None, services, &mut problems);
        let fact = Fact::ShowIdentity(ShowIdentity {
            provenance: stamp.provenance(show.confidence, show.source_ref.as_ref()),
            show: show.reference.clone(),
            title: show.title.clone(),
            year: show.year,
            show_type: show.kind,
            external_ids: show.external_ids.clone(),
            overview: show.overview.clone(),
            genres: show.genres.clone(),
        });
        check_fact(&at, &fact, &mut problems);
        facts.push(fact);
    }
    let known_show = |at: &Pointer, show: &ShowKey, problems: &mut Problems| {
        if !refs.contains_key(show) && !doc.broken_refs.contains(show.as_str()) {
            problems.push(Problem::new(
                at.to_string(),
                Some("show"),
                format!("no show has the ref `{show}` (refs are defined in `shows`)"),
            ));
        }
    };

    let mut seen = HashMap::new();
    for (i, a) in &doc.availability {
        let at = Pointer("availability", *i);
        known_show(&at, &a.show, &mut problems);
        check_common(
            &at,
            a.confidence,
            Some(&a.service_id),
            services,
            &mut problems,
        );
        let key = (
            &a.show,
            &a.service_id,
            &a.country,
            a.monetization,
            a.available_from,
        );
        if let Some(first) = seen.insert(key, *i) {
            problems.push(Problem::new(at.to_string(), None, format!("repeats /availability/{first} (same show, service, country, monetization and start)")));
        }
        let fact = Fact::Availability(Availability {
            provenance: stamp.provenance(a.confidence, a.source_ref.as_ref()),
            show: a.show.clone(),
            service_id: a.service_id.clone(),
            country: a.country.clone(),
            monetization: a.monetization,
            available_from: a.available_from,
            available_until: a.available_until,
        });
        check_fact(&at, &fact, &mut problems);
        facts.push(fact);
    }

    let mut seen = HashMap::new();
    for (i, e) in &doc.episodes {
        let at = Pointer("episodes", *i);
        known_show(&at, &e.show, &mut problems);
        check_common(&at, e.confidence, None, services, &mut problems);
        if let Some(first) = seen.insert((&e.show, e.season, e.number), *i) {
            problems.push(Problem::new(
                at.to_string(),
                None,
                format!("repeats /episodes/{first} (same show, season and number)"),
            ));
        }
        let fact = Fact::Episode(Episode {
            provenance: stamp.provenance(e.confidence, e.source_ref.as_ref()),
            show: e.show.clone(),
            season: e.season,
            number: e.number,
            title: e.title.clone(),
            air_date: e.air_date,
            airstamp: e.airstamp,
        });
        check_fact(&at, &fact, &mut problems);
        facts.push(fact);
    }

    let mut seen = HashSet::new();
    for (i, b) in &doc.service_behavior {
        let at = Pointer("service_behavior", *i);
        check_common(
            &at,
            b.confidence,
            Some(&b.service_id),
            services,
            &mut problems,
        );
        if !seen.insert(&b.service_id) {
            problems.push(Problem::new(
                at.to_string(),
                Some("service_id"),
                format!("`{}` appears twice in service_behavior", b.service_id),
            ));
        }
        facts.push(Fact::ServiceBehavior(ServiceBehavior {
            provenance: stamp.provenance(b.confidence, b.source_ref.as_ref()),
            service_id: b.service_id.clone(),
            release_pattern: b.release_pattern,
        }));
    }

    let standard = Label::parse("standard").map_err(|e| vec![Problem::new("/", None, e.0)])?;
    let mut seen = HashMap::new();
    for (i, p) in &doc.prices {
        let at = Pointer("prices", *i);
        check_common(
            &at,
            p.confidence,
            Some(&p.service_id),
            services,
            &mut problems,
        );
        let tier = p.tier.clone().unwrap_or_else(|| standard.clone());
        if let Some(first) = seen.insert((p.service_id.clone(), p.country.clone(), tier.clone()), i)
        {
            problems.push(Problem::new(
                at.to_string(),
                Some("tier"),
                format!("repeats /prices/{first} (same service, country and tier)"),
            ));
        }
        let fact = Fact::Price(Price {
            provenance: stamp.provenance(p.confidence, p.source_ref.as_ref()),
            service_id: p.service_id.clone(),
            country: p.country.clone(),
            tier,
            amount: p.amount.clone(),
            currency: p.currency.clone(),
            billing_cycle_days: p.billing_cycle_days.unwrap_or(DEFAULT_BILLING_DAYS),
        });
        check_fact(&at, &fact, &mut problems);
        facts.push(fact);
    }
    problems.into_result(Imported { source_id, facts })
}
