//! proptest strategies for facts, for property tests of plugins and of PSMA's engines. Values
//! come from small pools so that generated facts collide on shows, services and keys the way
//! real data does.

use crate::fact::{
    Availability, Episode, Fact, Monetization, Price, Provenance, ReleasePattern, ServiceBehavior,
    ShowIdentity, ShowType,
};
use crate::text::{
    CountryCode, CurrencyCode, Decimal, ExternalNamespace, ExternalValue, Label, ServiceId,
    ShowKey, SourceId, Title,
};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use std::collections::BTreeMap;

fn pick<T: Clone + std::fmt::Debug + 'static>(items: Vec<T>) -> impl Strategy<Value = T> {
    proptest::sample::select(items)
}

fn parsed<T>(values: &[&str], parse: fn(&str) -> Result<T, crate::text::InvalidText>) -> Vec<T> {
    values.iter().filter_map(|v| parse(v).ok()).collect()
}

/// A source among `alpha`, `beta`, `gamma`.
pub fn source_id() -> impl Strategy<Value = SourceId> {
    pick(parsed(&["alpha", "beta", "gamma"], SourceId::parse))
}

/// A show key among a handful.
pub fn show_key() -> impl Strategy<Value = ShowKey> {
    pick(parsed(&["s1", "s2", "s3", "s4"], ShowKey::parse))
}

/// A service among four registry ids.
pub fn service_id() -> impl Strategy<Value = ServiceId> {
    pick(parsed(
        &["netflix", "max", "hulu", "disney-plus"],
        ServiceId::parse,
    ))
}

/// `US` or `GB`.
pub fn country() -> impl Strategy<Value = CountryCode> {
    pick(parsed(&["US", "GB"], CountryCode::parse))
}

/// A day in 2026 or 2027.
pub fn day() -> impl Strategy<Value = NaiveDate> {
    (0_i64..730).prop_map(|offset| {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default() + Duration::days(offset)
    })
}

/// An instant in November 2026.
pub fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    (0_i64..30 * 24).prop_map(|hours| {
        Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0)
            .single()
            .unwrap_or(DateTime::UNIX_EPOCH)
            + Duration::hours(hours)
    })
}

/// Provenance from `source`.
pub fn provenance_from(source: SourceId) -> impl Strategy<Value = Provenance> {
    (instant(), 0_u8..=10).prop_map(move |(retrieved_at, tenths)| Provenance {
        source_id: source.clone(),
        retrieved_at,
        confidence: f64::from(tenths) / 10.0,
        source_ref: None,
    })
}

/// A valid fact from `source`, of any kind.
pub fn fact_from(source: SourceId) -> impl Strategy<Value = Fact> {
    let p = move || provenance_from(source.clone());
    let titles = parsed(&["Severance", "The Bear", "Andor", "Shōgun"], Title::parse);
    prop_oneof![
        (
            p(),
            show_key(),
            pick(titles),
            proptest::option::of(2015_i32..2027),
            any::<bool>()
        )
            .prop_map(|(provenance, show, title, year, movie)| {
                let mut external_ids = BTreeMap::new();
                if let (Ok(ns), Ok(value)) = (
                    ExternalNamespace::parse("tmdb"),
                    ExternalValue::parse(&format!("tv:{}", show.as_str())),
                ) {
                    external_ids.insert(ns, value);
                }
                Fact::ShowIdentity(ShowIdentity {
                    provenance,
                    show,
                    title,
                    year,
                    show_type: if movie { ShowType::Movie } else { ShowType::Tv },
                    external_ids,
                    overview: None,
                    genres: Vec::new(),
                })
            }),
        (
            p(),
            show_key(),
            service_id(),
            country(),
            proptest::option::of(day()),
            0_i64..200,
            any::<bool>()
        )
            .prop_map(
                |(provenance, show, service_id, country, from, length, open)| {
                    Fact::Availability(Availability {
                        provenance,
                        show,
                        service_id,
                        country,
                        monetization: Monetization::Flatrate,
                        available_from: from,
                        available_until: if open {
                            None
                        } else {
                            from.map(|f| f + Duration::days(length))
                        },
                    })
                }
            ),
        (
            p(),
            show_key(),
            1_u16..4,
            1_u32..11,
            proptest::option::of(day())
        )
            .prop_map(
                |(provenance, show, season, number, air_date)| Fact::Episode(Episode {
                    provenance,
                    show,
                    season,
                    number,
                    title: None,
                    air_date,
                    airstamp: None,
                })
            ),
        (p(), service_id(), any::<bool>()).prop_map(|(provenance, service_id, weekly)| {
            Fact::ServiceBehavior(ServiceBehavior {
                provenance,
                service_id,
                release_pattern: if weekly {
                    ReleasePattern::Weekly
                } else {
                    ReleasePattern::AllAtOnce
                },
            })
        }),
        (p(), service_id(), country(), 1_u32..3000).prop_filter_map(
            "valid price",
            |(provenance, service_id, country, cents)| {
                Some(Fact::Price(Price {
                    provenance,
                    service_id,
                    country,
                    tier: Label::parse("Standard").ok()?,
                    amount: Decimal::parse(&format!("{}.{:02}", cents / 100, cents % 100)).ok()?,
                    currency: CurrencyCode::parse("USD").ok()?,
                    billing_cycle_days: 30,
                }))
            }
        ),
    ]
}

/// A valid fact from any of the pooled sources.
pub fn fact() -> impl Strategy<Value = Fact> {
    source_id().prop_flat_map(fact_from)
}
