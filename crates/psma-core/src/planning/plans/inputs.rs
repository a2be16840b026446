//! The planner's input, gathered and owned: what [`super::Plans::generate`] reads from the
//! profile and the catalog, turned into what [`crate::planning::planner::plan`] takes.

use crate::catalog::ShowId;
use crate::catalog::ports::ShowRecord;
use crate::planning::availability::{self, Assessment, AvailabilitySettings, ShowInput};
use crate::planning::planner::{EpisodeAir, PlanInput, Price, minor_units};
use crate::planning::profile::{MyService, Selection, UserSettings};
use chrono::NaiveDate;
use psma_plugin_sdk::text::{CountryCode, ServiceId};
use psma_plugin_sdk::{Fact, ServiceRegistry};
use std::collections::BTreeMap;

/// Everything one plan is made of, owned (so a use case can gather it and lend it to the
/// planner).
#[derive(Debug, Clone)]
pub struct PlanningInputs {
    /// The first day of the plan.
    pub today: NaiveDate,
    /// The user's settings, resolved over the configuration's.
    pub settings: UserSettings,
    /// My Shows.
    pub selections: Vec<Selection>,
    /// My Services.
    pub services: Vec<MyService>,
    /// Assessments of the selected shows, in the engine's order.
    pub assessments: Vec<Assessment>,
    /// Air days of the selected shows' episodes, by show, season and number.
    pub episodes: Vec<EpisodeAir>,
    /// A price per service that has one.
    pub prices: BTreeMap<ServiceId, Price>,
    /// Titles of the selected shows.
    pub titles: BTreeMap<ShowId, String>,
    /// The optimiser's budget.
    pub search_budget: u64,
}

impl PlanningInputs {
    /// Gathers the input: `records` are the selected shows as the household sees them (a
    /// selected show the catalog no longer shows has no record and is planned as unavailable).
    ///
    /// # Errors
    /// [`crate::Error::Validation`] when the settings' `min_confidence` is out of range (the
    /// profile refuses such a value, so only a broken configuration gets here).
    pub fn gather(
        today: NaiveDate,
        settings: UserSettings,
        selections: Vec<Selection>,
        services: Vec<MyService>,
        records: &[ShowRecord],
        registry: &ServiceRegistry,
        search_budget: u64,
    ) -> crate::Result<Self> {
        let engine = AvailabilitySettings::new(
            settings.planner.stale_after_days,
            settings.planner.min_confidence,
        )?;
        let shows: Vec<ShowInput<'_>> = records.iter().map(ShowInput::of).collect();
        let assessments = availability::assess(&shows, registry, &engine, today);
        let mut episodes: Vec<EpisodeAir> = shows
            .iter()
            .flat_map(|show| {
                show.view
                    .episodes
                    .iter()
                    .filter_map(|r| match &r.winner.fact {
                        Fact::Episode(e) => Some(EpisodeAir {
                            show_id: show.show_id,
                            season: e.season,
                            number: e.number,
                            air_date: e.day(),
                        }),
                        _ => None,
                    })
            })
            .collect();
        episodes.sort();
        let titles = records
            .iter()
            .map(|r| (r.show.id, r.show.title.as_str().to_owned()))
            .collect();
        let prices = prices(&services, registry, &settings.country);
        Ok(Self {
            today,
            settings,
            selections,
            services,
            assessments,
            episodes,
            prices,
            titles,
            search_budget,
        })
    }

    /// The planner's view of it.
    #[must_use]
    pub fn input(&self) -> PlanInput<'_> {
        PlanInput {
            today: self.today,
            country: &self.settings.country,
            selections: &self.selections,
            services: &self.services,
            assessments: &self.assessments,
            episodes: &self.episodes,
            prices: &self.prices,
            titles: &self.titles,
            settings: &self.settings.planner,
            search_budget: self.search_budget,
        }
    }
}

/// A price per service: the user's own terms when they gave an amount and a currency, else
/// the registry's cheapest typical price in `country` (the plan a cost-minded household would
/// pick; they can give their own).
fn prices(
    services: &[MyService],
    registry: &ServiceRegistry,
    country: &CountryCode,
) -> BTreeMap<ServiceId, Price> {
    let mut prices = BTreeMap::new();
    for entry in &registry.services {
        let cheapest = entry
            .prices
            .iter()
            .filter(|p| &p.country == country)
            .min_by_key(|p| (minor_units(&p.amount), p.tier.as_str().to_owned()));
        if let Some(p) = cheapest {
            prices.insert(
                entry.service_id.clone(),
                Price {
                    amount: p.amount.clone(),
                    currency: p.currency.clone(),
                    billing_cycle_days: Some(p.billing_cycle_days),
                },
            );
        }
    }
    for service in services {
        let terms = &service.terms;
        if let (Some(amount), Some(currency)) = (&terms.monthly_price, &terms.currency) {
            // The user's cycle, else a month: the price they gave is monthly.
            prices.insert(
                service.service_id.clone(),
                Price {
                    amount: amount.clone(),
                    currency: currency.clone(),
                    billing_cycle_days: Some(terms.billing_cycle_days.unwrap_or(30)),
                },
            );
        }
    }
    prices
}
