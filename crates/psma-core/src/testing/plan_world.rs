//! Worlds to plan in: small ones built by hand for the planner's tests and properties, and a
//! large deterministic one ([`World::large`]) at the scale of the planner's performance bar,
//! shared by its tests and `benches/plan.rs`. Days are counted from [`TODAY`].
#![expect(
    clippy::unwrap_used,
    reason = "fixtures of constants: a malformed one is a bug in the test"
)]

use crate::catalog::conflict::ConflictId;
use crate::catalog::records::FactId;
use crate::catalog::show::ShowId;
use crate::planning::availability::{Assessment, AvailableNow, ConfidenceBand, ReasonCode, Window};
use crate::planning::planner::{DEFAULT_SEARCH_BUDGET, EpisodeAir, Plan, PlanInput, Price, plan};
use crate::planning::plans::PlanningInputs;
use crate::planning::profile::{
    MyService, PlannerSettings, Selection, ServiceTerms, WatchMode, Wish,
};
use crate::planning::profile::{SettingsOverrides, UserSettings};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use psma_plugin_sdk::text::{CountryCode, Decimal, ServiceId};
use psma_plugin_sdk::{Monetization, ServiceCategory};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The first day of every world's plan.
pub const TODAY: &str = "2026-12-01";

/// [`TODAY`] as a date.
#[must_use]
pub fn today() -> NaiveDate {
    TODAY.parse().unwrap()
}

/// Today + `n` days.
#[must_use]
pub fn d(n: i64) -> NaiveDate {
    today() + Duration::days(n)
}

/// Show number `n`.
#[must_use]
pub fn show(n: u128) -> ShowId {
    ShowId(Uuid::from_u128(n))
}

/// A service id (panics on a malformed one: fixtures only).
#[must_use]
pub fn sid(s: &str) -> ServiceId {
    ServiceId::parse(s).unwrap()
}

/// A subscription assessment of show `n` on `service` in the US, window in days from today.
#[must_use]
pub fn av(n: u128, service: &str, from: Option<i64>, until: Option<i64>) -> Assessment {
    let mut codes = vec![ReasonCode::AvailableNow];
    if until.is_none() {
        codes.push(ReasonCode::NoEndDate);
    }
    Assessment {
        show_id: show(n),
        country: CountryCode::parse("US").unwrap(),
        service_id: sid(service),
        registry_service: true,
        category: ServiceCategory::Svod,
        monetization: Monetization::Flatrate,
        available_now: AvailableNow::True,
        window: Window::of(from.map(d), until.map(d)),
        band: ConfidenceBand::High,
        confidence: 0.9,
        retrieved_at: Utc.with_ymd_and_hms(2026, 11, 30, 6, 0, 0).unwrap(),
        winning_fact: FactId(Uuid::from_u128(
            n * 1000 + u128::from(from.unwrap_or(0).unsigned_abs()),
        )),
        reason_codes: codes,
        evidence: Vec::new(),
        contested: false,
        conflict_ids: Vec::new(),
    }
}

/// The same, disputed by conflict `c`.
#[must_use]
pub fn contested(mut a: Assessment, c: u128) -> Assessment {
    a.contested = true;
    a.conflict_ids = vec![ConflictId(Uuid::from_u128(c))];
    a.reason_codes.push(ReasonCode::Contested);
    a.reason_codes.sort();
    a
}

/// The same, marked below the minimum confidence.
#[must_use]
pub fn unsure(mut a: Assessment) -> Assessment {
    a.confidence = 0.3;
    a.band = ConfidenceBand::Low;
    a.reason_codes.push(ReasonCode::LowConfidence);
    a.reason_codes.sort();
    a
}

/// Show `n` on My Shows, watched in `mode`.
#[must_use]
pub fn sel(n: u128, mode: WatchMode, binge_days: u16) -> Selection {
    let at = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    Selection {
        show_id: show(n),
        wish: Wish {
            watch_mode: mode,
            binge_days,
            season: None,
            start_after: None,
            end_date: None,
        },
        created_at: at,
        updated_at: at,
    }
}

/// `service` on My Services, without a price.
#[must_use]
pub fn my(service: &str, permanent: bool, min_contract_days: Option<u16>) -> MyService {
    let at = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    MyService {
        service_id: sid(service),
        terms: ServiceTerms {
            permanent,
            monthly_price: None,
            currency: None,
            billing_cycle_days: None,
            min_contract_days,
        },
        created_at: at,
        updated_at: at,
    }
}

/// A price in USD.
#[must_use]
pub fn price(amount: &str, cycle: Option<u16>) -> Price {
    Price {
        amount: Decimal::parse(amount).unwrap(),
        currency: "USD".parse().unwrap(),
        billing_cycle_days: cycle,
    }
}

/// Episode `number` of `season` of show `n`, airing on day `day`.
#[must_use]
pub fn ep(n: u128, season: u16, number: u32, day: Option<i64>) -> EpisodeAir {
    EpisodeAir {
        show_id: show(n),
        season,
        number,
        air_date: day.map(d),
    }
}

/// Everything a plan is made of, owned.
#[derive(Debug, Clone)]
pub struct World {
    /// My Shows.
    pub selections: Vec<Selection>,
    /// My Services.
    pub services: Vec<MyService>,
    /// Availability of the shows.
    pub assessments: Vec<Assessment>,
    /// Episode air days.
    pub episodes: Vec<EpisodeAir>,
    /// Prices per service.
    pub prices: BTreeMap<ServiceId, Price>,
    /// Show titles.
    pub titles: BTreeMap<ShowId, String>,
    /// Planner settings.
    pub settings: PlannerSettings,
    /// The optimiser's budget.
    pub budget: u64,
    /// The household's country.
    pub country: CountryCode,
}

impl Default for World {
    fn default() -> Self {
        Self {
            selections: Vec::new(),
            services: Vec::new(),
            assessments: Vec::new(),
            episodes: Vec::new(),
            prices: BTreeMap::new(),
            titles: BTreeMap::new(),
            settings: PlannerSettings::default(),
            budget: DEFAULT_SEARCH_BUDGET,
            country: CountryCode::parse("US").unwrap(),
        }
    }
}

impl World {
    /// The planner's input.
    #[must_use]
    pub fn input(&self) -> PlanInput<'_> {
        PlanInput {
            today: today(),
            country: &self.country,
            selections: &self.selections,
            services: &self.services,
            assessments: &self.assessments,
            episodes: &self.episodes,
            prices: &self.prices,
            titles: &self.titles,
            settings: &self.settings,
            search_budget: self.budget,
        }
    }

    /// The plan of this world.
    #[must_use]
    pub fn plan(&self) -> Plan {
        plan(&self.input())
    }

    /// The same, with show `n` titled `title`.
    #[must_use]
    pub fn title(mut self, n: u128, title: &str) -> Self {
        self.titles.insert(show(n), title.to_owned());
        self
    }

    /// The same, owned as the stored-plan use cases gather it.
    #[must_use]
    pub fn planning_inputs(&self) -> PlanningInputs {
        PlanningInputs {
            today: today(),
            settings: UserSettings {
                country: self.country.clone(),
                planner: self.settings.clone(),
                overrides: SettingsOverrides::default(),
            },
            selections: self.selections.clone(),
            services: self.services.clone(),
            assessments: self.assessments.clone(),
            episodes: self.episodes.clone(),
            prices: self.prices.clone(),
            titles: self.titles.clone(),
            search_budget: self.budget,
        }
    }

    /// A household of `selections` shows all watched as aired, for the advice bar: even ones
    /// on Netflix (which releases whole seasons at once), odd ones on Max (weekly), every
    /// third also on Hulu; each with an eight-episode season airing within the next months.
    /// Registry services and US prices, so the advice rules have something to find.
    #[must_use]
    pub fn household(selections: u128) -> Self {
        let mut w = Self::default();
        for (service, amount) in [("netflix", "17.99"), ("max", "16.99"), ("hulu", "9.99")] {
            w.prices.insert(sid(service), price(amount, Some(30)));
        }
        for n in 1..=selections {
            w.selections.push(sel(n, WatchMode::AsAired, 14));
            let first = i64::try_from(n % 90).unwrap_or(0) + 5;
            let weekly = n % 2 == 1;
            for e in 0..8_u32 {
                let day = if weekly {
                    first + 7 * i64::from(e)
                } else {
                    first
                };
                w.episodes.push(ep(n, 1, e + 1, Some(day)));
            }
            let home = if weekly { "max" } else { "netflix" };
            w.assessments.push(av(n, home, Some(-30), None));
            if n % 3 == 0 {
                w.assessments.push(av(n, "hulu", Some(-30), None));
            }
            w.titles.insert(show(n), format!("Show {n}"));
        }
        w.assessments.sort_by(|a, b| {
            (a.show_id, &a.service_id, a.window).cmp(&(b.show_id, &b.service_id, b.window))
        });
        w
    }

    /// A deterministic world at the scale of the planner's performance bar: `selections`
    /// shows (half `as_aired`, half binged, a third with an eight-episode schedule), each
    /// offered ten times in each of four countries by `services` services (every 17th
    /// permanent, every 5th with a 30-day minimum contract), windows of 20–140 days or open.
    /// 500 × 50 gives 20,000 assessments.
    #[must_use]
    pub fn large(selections: u128, services: usize) -> Self {
        let mut r = Lcg(7);
        let mut w = Self::default();
        let ids: Vec<String> = (0..services).map(|i| format!("svc{i}")).collect();
        for (k, s) in ids.iter().enumerate() {
            w.services
                .push(my(s, k % 17 == 0, (k % 5 == 0).then_some(30)));
        }
        for n in 1..=selections {
            let mode = if r.next(2) == 0 {
                WatchMode::AsAired
            } else {
                WatchMode::BingeAfterSeason
            };
            w.selections.push(sel(n, mode, 7 + r.below_u16(14)));
            if r.next(3) == 0 {
                let first = r.signed(120) - 30;
                for e in 0..8_u32 {
                    w.episodes
                        .push(ep(n, 1, e + 1, Some(first + 7 * i64::from(e))));
                }
            }
            for c in ["US", "GB", "DE", "FR"] {
                for _ in 0..10 {
                    let from = r.signed(200) - 60;
                    let until = (r.next(2) == 0).then(|| from + 20 + r.signed(120));
                    let service = &ids[usize::try_from(r.next(ids.len() as u64)).unwrap_or(0)];
                    let mut a = av(n, service, Some(from), until);
                    a.country = CountryCode::parse(c).unwrap_or_else(|_| a.country.clone());
                    a.confidence = 0.5 + f64::from(r.below_u16(50)) / 100.0;
                    w.assessments.push(a);
                }
            }
        }
        w.assessments.sort_by(|a, b| {
            (a.show_id, &a.country, &a.service_id, a.window).cmp(&(
                b.show_id,
                &b.country,
                &b.service_id,
                b.window,
            ))
        });
        w
    }
}

/// A deterministic pseudo-random sequence (a 64-bit LCG), so large worlds are the same on
/// every machine.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }

    fn signed(&mut self, below: u16) -> i64 {
        i64::from(self.below_u16(below))
    }

    fn below_u16(&mut self, below: u16) -> u16 {
        u16::try_from(self.next(u64::from(below))).unwrap_or(0)
    }
}
