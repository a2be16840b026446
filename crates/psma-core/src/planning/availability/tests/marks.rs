//! What the planner reads besides the verdict: registry, offer, conflicts, minimum, order,
//! evidence, the input and the serialised form.

use super::*;

#[test]
fn a_service_the_registry_does_not_know_is_flagged_and_never_a_candidate() {
    let a = one(&[av(1).service("unknown-tmdb-provider-8").build()]);
    assert!(!a.registry_service);
    assert_eq!(a.category, ServiceCategory::Unknown);
    assert!(a.has(ReasonCode::ServiceIdUnknown));
    assert!(!a.is_subscription_candidate());
    assert_eq!(a.available_now, AvailableNow::True, "still assessed");

    let known = one(&[av(1).build()]);
    assert!(known.registry_service);
    assert!(!known.has(ReasonCode::ServiceIdUnknown));
    assert!(known.is_subscription_candidate());
}

#[test]
fn rent_buy_and_free_offers_are_kept_but_marked() {
    for (service, monetization, code) in [
        (
            "apple-tv-store",
            Monetization::Buy,
            ReasonCode::PurchaseOnly,
        ),
        ("netflix", Monetization::Rent, ReasonCode::PurchaseOnly),
        (
            "apple-tv-store",
            Monetization::Flatrate,
            ReasonCode::PurchaseOnly,
        ),
        ("tubi", Monetization::Ads, ReasonCode::FreeOffer),
        ("pluto-tv", Monetization::Flatrate, ReasonCode::FreeOffer),
        ("netflix", Monetization::Free, ReasonCode::FreeOffer),
    ] {
        let a = one(&[av(1).service(service).monetization(monetization).build()]);
        assert!(
            a.has(code),
            "{service} {monetization:?}: {:?}",
            a.reason_codes
        );
        assert!(!a.is_subscription_candidate(), "{service} {monetization:?}");
        assert_eq!(a.monetization, monetization);
    }
}

#[test]
fn an_unresolved_conflict_on_a_fact_of_the_window_contests_it() {
    // Ten weeks apart on the end: a dates conflict, as detection finds it.
    let facts = [
        av(1)
            .source("alpha")
            .confidence(0.7)
            .window(Some("2026-01-01"), Some("2027-06-30"))
            .build(),
        av(2)
            .source("beta")
            .confidence(0.6)
            .window(Some("2026-01-01"), Some("2027-04-15"))
            .build(),
    ];
    let found = detect(show(), &facts, &MergePolicy::default(), day(TODAY));
    assert_eq!(found.len(), 1);
    let ids = found[0].fact_ids.clone();
    for (status, contested) in [
        (ConflictStatus::Open, true),
        (ConflictStatus::Deferred, true),
        (ConflictStatus::Resolved, false),
    ] {
        let conflicts = [
            conflict(9, ids.clone(), status),
            conflict(3, ids.clone(), status),
        ];
        let a = &run_with(&facts, &conflicts, &AvailabilitySettings::default())[0];
        assert_eq!(a.contested, contested, "{status:?}");
        assert_eq!(a.has(ReasonCode::Contested), contested);
        assert_eq!(a.has(ReasonCode::SeveralSourcesAgree), !contested);
        let expected: Vec<ConflictId> = if contested {
            vec![
                ConflictId(Uuid::from_u128(3)),
                ConflictId(Uuid::from_u128(9)),
            ]
        } else {
            Vec::new()
        };
        assert_eq!(a.conflict_ids, expected);
        assert_eq!(a.available_now, AvailableNow::True, "both cover today");
    }

    let elsewhere = [conflict(
        4,
        vec![FactId(Uuid::from_u128(99))],
        ConflictStatus::Open,
    )];
    assert!(!run_with(&facts, &elsewhere, &AvailabilitySettings::default())[0].contested);

    let mut cleared = conflict(5, ids, ConflictStatus::Open);
    cleared.conflict.cleared_at = Some(Utc.with_ymd_and_hms(2026, 11, 21, 0, 0, 0).unwrap());
    assert!(!run_with(&facts, &[cleared], &AvailabilitySettings::default())[0].contested);
}

#[test]
fn below_min_confidence_is_marked() {
    let settings = AvailabilitySettings::new(14, Some(0.7)).unwrap();
    let low = &run_with(&[av(1).confidence(0.69).build()], &[], &settings)[0];
    assert!(low.has(ReasonCode::LowConfidence));
    assert!(!low.meets_min_confidence());
    let at = &run_with(&[av(1).confidence(0.7).build()], &[], &settings)[0];
    assert!(at.meets_min_confidence());
    assert!(
        one(&[av(1).confidence(0.01).build()]).meets_min_confidence(),
        "no minimum set"
    );
}

#[test]
fn settings_refuse_a_minimum_outside_zero_to_one() {
    assert!(AvailabilitySettings::new(14, Some(1.5)).is_err());
    assert!(AvailabilitySettings::new(14, Some(-0.1)).is_err());
    assert!(AvailabilitySettings::new(14, Some(f64::NAN)).is_err());
    assert_eq!(
        AvailabilitySettings::new(14, None).unwrap(),
        AvailabilitySettings::default()
    );
}

#[test]
fn codes_are_named_in_screaming_snake_case_and_sort_by_name() {
    let names: Vec<&str> = ReasonCode::ALL.iter().map(|c| c.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "declared in name order");
    for code in ReasonCode::ALL {
        assert_eq!(
            serde_json::to_value(code).unwrap(),
            serde_json::json!(code.as_str())
        );
        assert_eq!(ReasonCode::parse(code.as_str()), Some(code));
        assert!(
            code.as_str()
                .chars()
                .all(|c| c.is_ascii_uppercase() || c == '_')
        );
    }
}

#[test]
fn evidence_is_every_fact_of_the_window_by_id_and_codes_are_sorted() {
    let facts = [
        av(30).source("gamma").confidence(0.9).build(),
        av(10)
            .source("alpha")
            .confidence(0.4)
            .window(Some("2026-01-03"), None)
            .build(),
        av(20)
            .source("beta")
            .confidence(0.6)
            .window(Some("2026-01-02"), None)
            .build(),
    ];
    let a = one(&facts);
    assert_eq!(a.winning_fact, FactId(Uuid::from_u128(30)));
    let ids: Vec<u128> = a.evidence.iter().map(|e| e.fact_id.0.as_u128()).collect();
    assert_eq!(ids, vec![10, 20, 30]);
    assert_eq!(a.evidence[0].source_id.as_str(), "alpha");
    assert_eq!(a.evidence[0].confidence, 0.4);
    assert!(a.reason_codes.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(
        a.reason_codes,
        vec![
            ReasonCode::AvailableNow,
            ReasonCode::NoEndDate,
            ReasonCode::SeveralSourcesAgree
        ]
    );
}

#[test]
fn assessments_come_by_show_country_service_and_window() {
    let facts = [
        av(1).service("netflix").country("US").build(),
        av(2)
            .service("max")
            .country("US")
            .window(Some("2027-03-01"), None)
            .build(),
        av(3)
            .service("max")
            .country("US")
            .window(Some("2026-01-01"), Some("2026-06-30"))
            .build(),
        av(4).service("netflix").country("GB").build(),
    ];
    let other = ShowId(Uuid::from_u128(0));
    let other_facts = [av(5).build()];
    let first = ShowInput {
        show_id: show(),
        view: merge(&facts, &BTreeSet::new()),
        conflicts: &[],
    };
    let second = ShowInput {
        show_id: other,
        view: merge(&other_facts, &BTreeSet::new()),
        conflicts: &[],
    };
    let all = assess(
        &[first, second],
        &registry(),
        &AvailabilitySettings::default(),
        day(TODAY),
    );
    let keys: Vec<(u128, &str, &str, Option<NaiveDate>)> = all
        .iter()
        .map(|a| {
            (
                a.show_id.0.as_u128(),
                a.country.as_str(),
                a.service_id.as_str(),
                a.window.and_then(|w| w.from),
            )
        })
        .collect();
    assert_eq!(
        keys,
        vec![
            (0, "US", "netflix", Some(day("2026-01-01"))),
            (1, "GB", "netflix", Some(day("2026-01-01"))),
            (1, "US", "max", Some(day("2026-01-01"))),
            (1, "US", "max", Some(day("2027-03-01"))),
            (1, "US", "netflix", Some(day("2026-01-01"))),
        ]
    );
    assert_eq!(all[2].available_now, AvailableNow::False);
    assert_eq!(all[3].available_now, AvailableNow::False);
}

#[test]
fn the_input_of_a_record_leaves_out_the_households_overruled_facts() {
    let facts = vec![
        av(1).source("alpha").confidence(0.9).build(),
        av(2).source("beta").confidence(0.5).build(),
    ];
    let record = ShowRecord {
        show: Show {
            id: show(),
            scope: DataScope::Global,
            title: Title::parse("Severance").unwrap(),
            year: Some(2022),
            show_type: ShowType::Tv,
            external_ids: BTreeMap::new(),
            overview: None,
            genres: Vec::new(),
        },
        facts,
        overruled: BTreeSet::from([FactId(Uuid::from_u128(1))]),
        conflicts: Vec::new(),
        sources: Vec::new(),
    };
    let input = ShowInput::of(&record);
    let a = assess_show(
        &input,
        &registry(),
        &AvailabilitySettings::default(),
        day(TODAY),
    );
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].winning_fact, FactId(Uuid::from_u128(2)));
    assert_eq!(a[0].evidence.len(), 1);
    assert_eq!(a[0].band, ConfidenceBand::Medium);
}

#[test]
fn an_assessment_serialises_in_the_domains_words() {
    let a = one(&[av(1).window(Some("2026-01-01"), None).build()]);
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["available_now"], "true");
    assert_eq!(json["band"], "high");
    assert_eq!(json["category"], "svod");
    assert_eq!(json["monetization"], "flatrate");
    assert_eq!(
        json["window"],
        serde_json::json!({"from": "2026-01-01", "until": null})
    );
    assert_eq!(
        json["reason_codes"],
        serde_json::json!(["AVAILABLE_NOW", "NO_END_DATE"])
    );
    assert_eq!(json["evidence"][0]["source_id"], "alpha");
}
