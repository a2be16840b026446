//! `available_now` and the confidence band.

use super::*;

#[test]
fn bands_start_at_the_thresholds() {
    assert_eq!(
        one(&[av(1).confidence(0.8).build()]).band,
        ConfidenceBand::High
    );
    assert_eq!(
        one(&[av(1).confidence(0.79).build()]).band,
        ConfidenceBand::Medium
    );
    assert_eq!(
        one(&[av(1).confidence(0.5).build()]).band,
        ConfidenceBand::Medium
    );
    assert_eq!(
        one(&[av(1).confidence(0.49).build()]).band,
        ConfidenceBand::Low
    );
    assert_eq!(ConfidenceBand::of(1.0), ConfidenceBand::High);
    assert_eq!(ConfidenceBand::of(0.0), ConfidenceBand::Low);
    assert_eq!(ConfidenceBand::of(f64::NAN), ConfidenceBand::Low);
    assert!(ConfidenceBand::Low < ConfidenceBand::Medium);
    assert!(ConfidenceBand::Medium < ConfidenceBand::High);
}

#[test]
fn a_snapshot_older_than_the_horizon_drops_exactly_one_band() {
    // 14 days before today is still fresh; 15 is stale.
    let fresh = one(&[av(1).confidence(0.9).retrieved("2026-11-08").build()]);
    assert_eq!(fresh.band, ConfidenceBand::High);
    assert!(!fresh.has(ReasonCode::StaleSnapshot));
    for (confidence, band) in [
        (0.9, ConfidenceBand::Medium),
        (0.6, ConfidenceBand::Low),
        (0.2, ConfidenceBand::Low),
    ] {
        let stale = one(&[av(1).confidence(confidence).retrieved("2026-11-07").build()]);
        assert_eq!(stale.band, band, "confidence {confidence}");
        assert!(stale.has(ReasonCode::StaleSnapshot));
        assert_eq!(stale.confidence, confidence, "the number is not changed");
        assert_eq!(
            stale.available_now,
            AvailableNow::True,
            "dated windows stay true"
        );
    }
}

#[test]
fn the_staleness_horizon_is_a_setting() {
    let facts = [av(1).retrieved("2026-11-19").build()];
    let strict = AvailabilitySettings::new(2, None).unwrap();
    let a = &run_with(&facts, &[], &strict)[0];
    assert!(a.has(ReasonCode::StaleSnapshot));
    assert_eq!(a.band, ConfidenceBand::Medium);
    let lenient = AvailabilitySettings::new(3, None).unwrap();
    assert!(!run_with(&facts, &[], &lenient)[0].has(ReasonCode::StaleSnapshot));
}

#[test]
fn a_live_bundle_without_schedule_data_is_low_whatever_its_confidence() {
    let bundle = av(1).service("youtube-tv").confidence(1.0);
    let without = one(&[bundle.clone().build()]);
    assert_eq!(without.category, ServiceCategory::LiveBundle);
    assert_eq!(without.band, ConfidenceBand::Low);
    assert!(without.has(ReasonCode::LiveBundleNoSchedule));

    let aired_only = one(&[bundle.clone().build(), episode(10, "2026-11-01")]);
    assert_eq!(
        aired_only.band,
        ConfidenceBand::Low,
        "past episodes are no schedule"
    );

    let scheduled = one(&[bundle.build(), episode(10, "2026-11-29")]);
    assert_eq!(scheduled.band, ConfidenceBand::High);
    assert!(!scheduled.has(ReasonCode::LiveBundleNoSchedule));
    assert!(scheduled.is_subscription_candidate());
}

#[test]
fn windows_decide_available_now_by_today() {
    let cases = [
        (
            Some("2026-12-01"),
            None,
            AvailableNow::False,
            ReasonCode::WindowNotStarted,
        ),
        (
            Some("2026-01-01"),
            Some("2026-11-21"),
            AvailableNow::False,
            ReasonCode::WindowEnded,
        ),
        (
            Some("2026-11-22"),
            None,
            AvailableNow::True,
            ReasonCode::AvailableNow,
        ),
        (
            None,
            Some("2026-11-22"),
            AvailableNow::True,
            ReasonCode::AvailableNow,
        ),
        (
            Some("2026-01-01"),
            Some("2026-12-31"),
            AvailableNow::True,
            ReasonCode::AvailableNow,
        ),
        (None, None, AvailableNow::True, ReasonCode::AvailableNow),
    ];
    for (from, until, now, code) in cases {
        let a = one(&[av(1).window(from, until).build()]);
        assert_eq!(a.available_now, now, "{from:?}..{until:?}");
        assert!(a.has(code), "{from:?}..{until:?}: {:?}", a.reason_codes);
        assert_eq!(a.window, Window::of(from.map(day), until.map(day)));
        assert_eq!(a.has(ReasonCode::NoStartDate), from.is_none());
        assert_eq!(a.has(ReasonCode::NoEndDate), until.is_none());
    }
    assert_eq!(one(&[av(1).window(None, None).build()]).window, None);
}

#[test]
fn a_stale_bare_available_now_is_unknown_but_a_stale_dated_window_is_not() {
    let bare = one(&[av(1).window(None, None).retrieved("2026-10-01").build()]);
    assert_eq!(bare.available_now, AvailableNow::Unknown);
    assert!(bare.has(ReasonCode::StaleWithoutDates));
    assert!(!bare.has(ReasonCode::AvailableNow));

    let dated = one(&[av(1)
        .window(None, Some("2026-12-31"))
        .retrieved("2026-10-01")
        .build()]);
    assert_eq!(dated.available_now, AvailableNow::True);
}

#[test]
fn a_conflict_about_whether_the_window_has_started_makes_today_unknown() {
    let facts = [
        av(1)
            .source("alpha")
            .confidence(0.6)
            .window(Some("2026-11-01"), None)
            .build(),
        av(2)
            .source("beta")
            .confidence(0.5)
            .window(Some("2026-12-15"), None)
            .build(),
    ];
    let found = detect(show(), &facts, &MergePolicy::default(), day(TODAY));
    assert_eq!(found.len(), 1);
    let conflicts = [conflict(1, found[0].fact_ids.clone(), ConflictStatus::Open)];
    let a = &run_with(&facts, &conflicts, &AvailabilitySettings::default())[0];
    assert_eq!(a.available_now, AvailableNow::Unknown);
    assert!(a.has(ReasonCode::SourcesDisagreeOnNow));
    assert!(a.has(ReasonCode::Contested));
    assert_eq!(
        a.winning_fact, facts[0].id,
        "the working assumption is still the winner"
    );
    assert_eq!(a.window.and_then(|w| w.from), Some(day("2026-11-01")));

    // Without the conflict (the merge settled it), the winner decides.
    assert_eq!(run(&facts)[0].available_now, AvailableNow::True);
}

#[test]
fn a_users_confirmation_never_goes_stale() {
    let a = one(&[av(1)
        .source(crate::catalog::merge::USER_CONFIRMATION)
        .confidence(1.0)
        .window(None, None)
        .retrieved("2026-01-01")
        .build()]);
    assert_eq!(a.band, ConfidenceBand::High);
    assert_eq!(a.available_now, AvailableNow::True);
    assert!(a.has(ReasonCode::UserConfirmed));
    assert!(!a.has(ReasonCode::StaleSnapshot));
}
