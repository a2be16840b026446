//! The planner at the scale of its performance bar (issue 7: under 50 ms for 500 selections,
//! 50 services and 20,000 assessments on one core). `cargo xtask bench plan` runs it and
//! checks the bar.

use criterion::{Criterion, criterion_group, criterion_main};
use psma_core::planning::planner::plan;
use psma_core::testing::plan_world::World;
use std::hint::black_box;
use std::time::Duration;

fn large_plan(c: &mut Criterion) {
    let world = World::large(500, 50);
    let mut group = c.benchmark_group("planner");
    group.measurement_time(Duration::from_secs(10));
    group.sample_size(50);
    group.bench_function("plan 500 selections x 50 services x 20k assessments", |b| {
        b.iter(|| plan(black_box(&world.input())));
    });
    // A household: 20 shows on the same services.
    let household = World::large(20, 50);
    group.bench_function("plan 20 selections x 50 services", |b| {
        b.iter(|| plan(black_box(&household.input())));
    });
    group.finish();
}

criterion_group!(benches, large_plan);
criterion_main!(benches);
