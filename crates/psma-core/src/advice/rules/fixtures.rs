//! Worlds to advise in, for the rules' and the offline adviser's tests.

use super::AdviceInputs;
use crate::catalog::conflict::{Conflict, ConflictId, ConflictKind, ConflictStatus, ConflictView};
use crate::catalog::records::{FactId, RunId, StoredFact};
use crate::catalog::show::DataScope;
use crate::planning::planner::Plan;
use crate::planning::plans::{PlanDelta, PlanningInputs, delta};
use crate::planning::profile::WatchMode;
use crate::testing::plan_world::{World, av, ep, price, sel, show, sid};
use chrono::{DateTime, TimeZone, Utc};
use psma_plugin_sdk::text::SourceId;
use psma_plugin_sdk::{
    Availability, Fact, Monetization, Provenance, ReleasePattern, ServiceBehavior, ServiceRegistry,
};
use uuid::Uuid;

/// Everything the rules look at, owned.
pub(crate) struct Scene {
    pub planning: PlanningInputs,
    pub plan: Plan,
    pub delta: Option<PlanDelta>,
    pub registry: ServiceRegistry,
    pub behaviors: Vec<StoredFact>,
    pub conflicts: Vec<ConflictView>,
}

impl Scene {
    /// A scene of `world`, planned, with the bundled registry and nothing else.
    pub fn of(world: &World) -> Self {
        let planning = world.planning_inputs();
        let plan = crate::planning::planner::plan(&planning.input());
        Self {
            planning,
            plan,
            delta: None,
            registry: ServiceRegistry::bundled().unwrap(),
            behaviors: Vec::new(),
            conflicts: Vec::new(),
        }
    }

    /// With the delta from the plan of `before` to this scene's plan.
    pub fn after(mut self, before: &World) -> Self {
        self.delta = Some(delta(Some(&before.plan()), &self.plan));
        self
    }

    pub fn inputs(&self) -> AdviceInputs<'_> {
        AdviceInputs {
            planning: &self.planning,
            plan: &self.plan,
            delta: self.delta.as_ref(),
            registry: &self.registry,
            service_behaviors: &self.behaviors,
            conflicts: &self.conflicts,
        }
    }
}

pub(crate) fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, 6, 0, 0).unwrap()
}

fn provenance(source: &str, confidence: f64, retrieved: u32) -> Provenance {
    Provenance {
        source_id: SourceId::parse(source).unwrap(),
        retrieved_at: at(retrieved),
        confidence,
        source_ref: None,
    }
}

pub(crate) fn fact_id(n: u128) -> FactId {
    FactId(Uuid::from_u128(n))
}

/// A live `service_behavior` fact.
pub(crate) fn behavior(n: u128, service: &str, pattern: ReleasePattern) -> StoredFact {
    StoredFact {
        id: fact_id(n),
        scope: DataScope::Global,
        show_id: None,
        fact: Fact::ServiceBehavior(ServiceBehavior {
            provenance: provenance("sbkb_curated", 0.95, 20),
            service_id: sid(service),
            release_pattern: pattern,
        }),
        recorded_at: at(20),
        ended_at: None,
    }
}

/// An availability fact of show 1 on `service`, from `source`.
pub(crate) fn claim(
    n: u128,
    source: &str,
    confidence: f64,
    retrieved: u32,
    until: &str,
) -> StoredFact {
    StoredFact {
        id: fact_id(n),
        scope: DataScope::Global,
        show_id: Some(show(1)),
        fact: Fact::Availability(Availability {
            provenance: provenance(source, confidence, retrieved),
            show: "tv:1".parse().unwrap(),
            service_id: sid("hulu"),
            country: "US".parse().unwrap(),
            monetization: Monetization::Flatrate,
            available_from: Some("2026-11-01".parse().unwrap()),
            available_until: Some(until.parse().unwrap()),
        }),
        recorded_at: at(retrieved),
        ended_at: None,
    }
}

/// An open availability conflict `c` about show 1 on hulu between `facts`.
pub(crate) fn conflict(c: u128, status: ConflictStatus, facts: Vec<StoredFact>) -> ConflictView {
    ConflictView {
        conflict: Conflict {
            id: ConflictId(Uuid::from_u128(c)),
            scope: DataScope::Global,
            kind: ConflictKind::Availability,
            subject: format!("availability/{}/US/hulu", show(1)),
            show_id: show(1),
            other_show_id: None,
            service_id: Some(sid("hulu")),
            country: Some("US".parse().unwrap()),
            fact_ids: facts.iter().map(|f| f.id).collect(),
            summary: "Sources disagree on when The Bear leaves Hulu.".to_owned(),
            detected_at: at(25),
            run_id: RunId(Uuid::from_u128(9)),
            cleared_at: None,
        },
        status,
        decision: None,
        facts,
    }
}

/// The Bear (show 1), watched as it airs on Hulu at $9.99 a month: eight weekly episodes from
/// today.
pub(crate) fn the_bear(mode: WatchMode) -> World {
    World {
        selections: vec![sel(1, mode, 7)],
        assessments: vec![av(1, "hulu", Some(-5), None)],
        episodes: (0..8)
            .map(|e| ep(1, 1, e + 1, Some(7 * i64::from(e))))
            .collect(),
        prices: [(sid("hulu"), price("9.99", Some(30)))].into(),
        ..World::default()
    }
    .title(1, "The Bear")
}
