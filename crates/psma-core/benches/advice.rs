//! The advice job's pure work for one member with 50 selections, offline (issue 8 bar: under
//! 20 ms, LLM latency excluded): the rules over the current plan — each binge candidate
//! re-plans the household with that one wish changed — and the offline wording of each finding
//! (`advice::wording::word` without a model, as `Advising::run` calls it).
//! `cargo xtask bench advice` runs it and checks the bar.

use criterion::{Criterion, criterion_group, criterion_main};
use futures_util::FutureExt;
use psma_core::advice::rules::{AdviceInputs, findings};
use psma_core::advice::wording::word;
use psma_core::planning::planner::plan;
use psma_core::testing::plan_world::{World, today};
use psma_plugin_sdk::ServiceRegistry;
use std::hint::black_box;
use std::time::Duration;

fn advice_job(c: &mut Criterion) {
    let world = World::household(50);
    let planning = world.planning_inputs();
    let current = plan(&planning.input());
    let Ok(registry) = ServiceRegistry::bundled() else {
        return;
    };
    let inputs = AdviceInputs {
        planning: &planning,
        plan: &current,
        delta: None,
        registry: &registry,
        service_behaviors: &[],
        conflicts: &[],
    };
    let found = findings(&inputs, today());
    // 25 shows are binge candidates (each re-planned); some of them save.
    assert!(!found.is_empty(), "the household must give the rules work");
    let mut group = c.benchmark_group("advice");
    group.measurement_time(Duration::from_secs(10));
    group.sample_size(50);
    group.bench_function("advice job 50 selections offline", |b| {
        // The job's wording step without a model: a draft per finding (no await suspends).
        b.iter(|| word(&findings(black_box(&inputs), today()), None).now_or_never());
    });
    group.finish();
}

criterion_group!(benches, advice_job);
criterion_main!(benches);
