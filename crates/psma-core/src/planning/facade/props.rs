//! Properties of the façade over generated requests: deterministic to the byte, independent of
//! the order of assessments and permanent services, and never planning what it must not.

use super::*;
use proptest::prelude::*;

const SERVICES: [&str; 6] = [
    "netflix",
    "max",
    "hulu",
    "apple-tv-plus",
    "unknown-tmdb-provider-8",
    "paramount-plus",
];
const COUNTRIES: [&str; 2] = ["US", "GB"];
const TITLES: [&str; 5] = ["t1", "t2", "t3", "t4", "t5"];

fn now() -> DateTime<Utc> {
    "2026-12-03T10:00:00.250Z".parse().unwrap()
}

fn assessment() -> impl Strategy<Value = FacadeAssessment> {
    (
        0..TITLES.len(),
        0..COUNTRIES.len(),
        0..SERVICES.len(),
        prop_oneof![
            3 => Just(AvailableNow::True),
            1 => Just(AvailableNow::False),
            1 => Just(AvailableNow::Unknown),
        ],
        prop_oneof![
            Just(Confidence::Low),
            Just(Confidence::Medium),
            Just(Confidence::High)
        ],
        proptest::bool::weighted(0.1),
    )
        .prop_map(
            |(title, country, service, availability_now, confidence, unknown)| FacadeAssessment {
                title_id: TITLES[title].to_owned(),
                country: COUNTRIES[country].to_owned(),
                service_id: SERVICES[service].to_owned(),
                availability_now,
                confidence,
                reason_codes: if unknown {
                    vec![SERVICE_ID_UNKNOWN.to_owned()]
                } else {
                    vec![]
                },
            },
        )
}

fn input() -> impl Strategy<Value = FacadeInput> {
    (
        prop_oneof![
            Just(MIN_CONTRACT_DAYS),
            Just(ESTIMATED_WATCH_DAYS),
            Just("notes")
        ],
        0_u32..120,
        any::<bool>(),
        proptest::option::of(0..SERVICES.len()),
    )
        .prop_map(|(key, days, as_string, service)| FacadeInput {
            key: key.to_owned(),
            value: match (key, as_string) {
                (ESTIMATED_WATCH_DAYS, false) => json!(f64::from(days) / 4.0),
                (_, true) => json!(days.to_string()),
                (_, false) => json!(days),
            },
            service_id: service.map(|s| SERVICES[s].to_owned()),
        })
}

fn request() -> impl Strategy<Value = FacadeRequest> {
    (
        0..COUNTRIES.len(),
        1_i64..=120,
        proptest::collection::vec(0..SERVICES.len(), 0..3),
        proptest::collection::vec(assessment(), 0..12),
        proptest::collection::vec(input(), 0..12),
    )
        .prop_map(
            |(country, horizon_days, permanent, assessments, inputs)| FacadeRequest {
                country: COUNTRIES[country].to_owned(),
                horizon_days,
                permanent_service_ids: permanent
                    .into_iter()
                    .map(|s| SERVICES[s].to_owned())
                    .collect(),
                assessments,
                inputs,
            },
        )
}

fn json_of(plan: &FacadePlan) -> String {
    serde_json::to_string(plan).unwrap()
}

proptest! {
    #[test]
    fn the_same_request_gives_byte_identical_json(r in request()) {
        let once = json_of(&generate(&r, now()).unwrap());
        let again = json_of(&generate(&r.clone(), now()).unwrap());
        prop_assert_eq!(once, again);
    }

    #[test]
    fn the_order_of_assessments_and_permanent_services_does_not_matter(r in request(), seed in any::<usize>()) {
        let mut shuffled = r.clone();
        let len = shuffled.assessments.len().max(1);
        shuffled.assessments.rotate_left(seed % len);
        shuffled.assessments.reverse();
        shuffled.permanent_service_ids.reverse();
        prop_assert_eq!(json_of(&generate(&r, now()).unwrap()), json_of(&generate(&shuffled, now()).unwrap()));
    }

    #[test]
    fn the_plan_keeps_to_the_rules(r in request()) {
        let plan = generate(&r, now()).unwrap();
        let now = now().trunc_subsecs(0);
        let horizon = now + Duration::days(r.horizon_days);
        for event in &plan.events {
            let service = event.service_id.as_str();
            prop_assert!(!r.permanent_service_ids.iter().any(|p| p == service), "permanent: {event:?}");
            prop_assert!(!service.starts_with(UNKNOWN_SERVICE_PREFIX), "{event:?}");
            prop_assert!(!r.assessments.iter().any(|a| a.service_id == service
                && a.reason_codes.iter().any(|c| c == SERVICE_ID_UNKNOWN)), "flagged: {event:?}");
            prop_assert!(r.assessments.iter().any(|a| a.service_id == service
                && a.country == r.country && a.availability_now == AvailableNow::True));
            prop_assert!(event.effective_at >= now && event.effective_at <= horizon, "{event:?}");
            prop_assert!(event.title_ids.windows(2).all(|w| w[0] < w[1]), "sorted, unique: {event:?}");
        }
        let keys: Vec<_> = plan.events.iter().map(|e| (e.effective_at, e.action, &e.service_id)).collect();
        prop_assert!(keys.windows(2).all(|w| w[0] < w[1]), "ordered, one event per service and action");
        let ids: Vec<&str> = plan.questions.iter().map(|q| q.id.as_str()).collect();
        prop_assert!(ids.windows(2).all(|w| w[0] < w[1]), "questions ordered and unique: {ids:?}");
        for subscribe in plan.events.iter().filter(|e| e.action == Action::Subscribe) {
            let service = &subscribe.service_id;
            let unsubscribes = plan.events.iter()
                .filter(|e| e.action == Action::Unsubscribe && &e.service_id == service).count();
            let asked = plan.questions.iter().filter(|q| q.service_id.as_ref() == Some(service)).count();
            // Either an end, or questions for it, or an end past the horizon (said so).
            prop_assert!(unsubscribes + asked > 0 || subscribe.assumptions.iter().any(|a| a.contains("horizon")),
                "{subscribe:?}");
            prop_assert!(unsubscribes == 0 || asked == 0);
        }
    }
}
