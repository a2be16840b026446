use super::usecases::{check_overrides, check_terms};
use super::*;
use psma_plugin_sdk::text::{CountryCode, CurrencyCode, Decimal};

#[test]
fn a_users_settings_are_the_defaults_with_what_they_set() {
    let defaults = PlannerSettings::default();
    let none = UserSettings::resolve(&defaults, SettingsOverrides::default());
    assert_eq!((none.country.as_str(), &none.planner), ("US", &defaults));

    let mine = SettingsOverrides {
        country: Some(CountryCode::parse("GB").unwrap()),
        horizon_days: Some(90),
        min_confidence: Some(0.6),
        ..SettingsOverrides::default()
    };
    let resolved = UserSettings::resolve(&defaults, mine.clone());
    assert_eq!(resolved.country.as_str(), "GB");
    assert_eq!(resolved.planner.horizon_days, 90);
    assert_eq!(resolved.planner.min_confidence, Some(0.6));
    assert_eq!(
        resolved.planner.unsubscribe_buffer_days, 1,
        "unset: the default"
    );
    assert_eq!(resolved.overrides, mine);
}

#[test]
fn settings_out_of_range_name_their_field() {
    let bad = |o: SettingsOverrides| match check_overrides(&o) {
        Err(crate::Error::Validation { field, .. }) => field,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        bad(SettingsOverrides {
            horizon_days: Some(0),
            ..Default::default()
        }),
        "planner.horizon_days"
    );
    assert_eq!(
        bad(SettingsOverrides {
            min_confidence: Some(1.5),
            ..Default::default()
        }),
        "planner.min_confidence"
    );
    assert_eq!(
        bad(SettingsOverrides {
            unsubscribe_buffer_days: Some(61),
            ..Default::default()
        }),
        "planner.unsubscribe_buffer_days"
    );
    check_overrides(&SettingsOverrides {
        horizon_days: Some(365),
        unsubscribe_buffer_days: Some(0),
        ..Default::default()
    })
    .unwrap();
}

#[test]
fn a_price_needs_its_currency_and_cycles_are_bounded() {
    let terms = |price: Option<&str>, currency: Option<&str>, cycle: Option<u16>| ServiceTerms {
        permanent: false,
        monthly_price: price.map(|p| Decimal::parse(p).unwrap()),
        currency: currency.map(|c| CurrencyCode::parse(c).unwrap()),
        billing_cycle_days: cycle,
        min_contract_days: None,
    };
    let field = |t: ServiceTerms| match check_terms(&t) {
        Err(crate::Error::Validation { field, .. }) => field,
        other => panic!("{other:?}"),
    };
    assert_eq!(field(terms(Some("9.99"), None, None)), "currency");
    assert_eq!(field(terms(None, None, Some(0))), "billing_cycle_days");
    check_terms(&terms(Some("9.99"), Some("USD"), Some(30))).unwrap();
    check_terms(&terms(None, None, None)).unwrap();
}

#[test]
fn watch_modes_round_trip_their_names() {
    for mode in [WatchMode::AsAired, WatchMode::BingeAfterSeason] {
        assert_eq!(WatchMode::parse(mode.as_str()), Some(mode));
        assert_eq!(serde_json::to_value(mode).unwrap(), mode.as_str());
    }
    assert_eq!(WatchMode::parse("binge"), None);
}
