//! Browsing the catalog: shows, one show's canonical view, the services, and the changes.

use super::merge::{ShowView, merge};
use super::ports::{
    AvailabilityStatus, CatalogReader, Page, PageRequest, ShowCursor, ShowFilter, ShowRecord,
    ShowSummary,
};
use super::records::{ChangeId, ChangeRecord, SourceInfo, StoredFact};
use super::show::{ShowId, normalize_title};
use crate::Error;
use crate::access::Permission;
use crate::ports::Clock;
use crate::tenancy::TenantCtx;
use chrono::{DateTime, NaiveDate, Utc};
use psma_plugin_sdk::text::{CountryCode, ServiceId};
use psma_plugin_sdk::{Fact, ServiceEntry, ServiceRegistry};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The largest page any list returns.
pub const MAX_PAGE_SIZE: u32 = 200;

/// Checks a requested page size.
///
/// # Errors
/// [`Error::Validation`] on `limit` outside 1 to [`MAX_PAGE_SIZE`].
pub fn page_size(limit: u32) -> crate::Result<u32> {
    if (1..=MAX_PAGE_SIZE).contains(&limit) {
        Ok(limit)
    } else {
        Err(Error::validation(
            "limit",
            format!("must be between 1 and {MAX_PAGE_SIZE}, got {limit}"),
        ))
    }
}

/// What the show list is asked for.
#[derive(Debug, Clone, Default)]
pub struct ShowQuery {
    /// Words in the title.
    pub q: Option<String>,
    /// On this service.
    pub service_id: Option<ServiceId>,
    /// In this country.
    pub country: Option<CountryCode>,
    /// With this status.
    pub status: Option<AvailabilityStatus>,
    /// Page size.
    pub limit: u32,
    /// After this position.
    pub after: Option<ShowCursor>,
}

/// One show as a tenant sees it, with the day its view is judged on.
#[derive(Debug, Clone, PartialEq)]
pub struct ShowDetail {
    /// The show, its facts, decisions and conflicts.
    pub record: ShowRecord,
    /// Today, for "available now" and "upcoming".
    pub today: NaiveDate,
}

impl ShowDetail {
    /// The canonical view: the tenant's overruled facts left out.
    #[must_use]
    pub fn view(&self) -> ShowView<'_> {
        merge(&self.record.facts, &self.record.overruled)
    }
}

/// A service from the registry with what the knowledge base says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceOverview {
    /// The registry entry.
    pub entry: ServiceEntry,
    /// Live service-behaviour facts about it, best first.
    pub behaviors: Vec<StoredFact>,
    /// Live price facts about it.
    pub prices: Vec<StoredFact>,
}

/// Reading the catalog.
#[derive(Clone)]
pub struct Catalog {
    reader: Arc<dyn CatalogReader>,
    registry: Arc<ServiceRegistry>,
    clock: Arc<dyn Clock>,
}

impl Catalog {
    /// Wires the use cases to their ports.
    #[must_use]
    pub fn new(
        reader: Arc<dyn CatalogReader>,
        registry: Arc<ServiceRegistry>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            reader,
            registry,
            clock,
        }
    }

    /// The service registry.
    #[must_use]
    pub fn registry(&self) -> &ServiceRegistry {
        &self.registry
    }

    /// Shows the caller can see, filtered, by title.
    ///
    /// # Errors
    /// [`Error::Validation`] on `limit`; [`Error::Unavailable`] from the store.
    pub async fn shows(
        &self,
        ctx: &TenantCtx,
        query: ShowQuery,
    ) -> crate::Result<Page<ShowSummary, ShowCursor>> {
        ctx.require(Permission::CATALOG_READ, "browsing the catalog")?;
        let limit = page_size(query.limit)?;
        let q = query
            .q
            .as_deref()
            .map(normalize_title)
            .filter(|q| !q.is_empty());
        let filter = ShowFilter {
            q,
            service_id: query.service_id,
            country: query.country,
            status: query.status,
            today: self.clock.now().date_naive(),
        };
        let page = PageRequest {
            after: query.after,
            limit,
        };
        self.reader.list_shows(ctx, &filter, &page).await
    }

    /// The titles of `shows`, as far as the caller can see them (unknown ids are left out).
    ///
    /// # Errors
    /// [`Error::Forbidden`] without `catalog:read`; [`Error::Unavailable`] from the store.
    pub async fn titles(
        &self,
        ctx: &TenantCtx,
        shows: &[ShowId],
    ) -> crate::Result<BTreeMap<ShowId, String>> {
        ctx.require(Permission::CATALOG_READ, "reading show titles")?;
        if shows.is_empty() {
            return Ok(BTreeMap::new());
        }
        self.reader.titles(ctx, shows).await
    }

    /// The sources of what the caller can see, with the credit each requires.
    ///
    /// # Errors
    /// [`Error::Forbidden`] without `catalog:read`; [`Error::Unavailable`] from the store.
    pub async fn sources(&self, ctx: &TenantCtx) -> crate::Result<Vec<SourceInfo>> {
        ctx.require(Permission::CATALOG_READ, "reading the catalog's sources")?;
        self.reader.sources(ctx).await
    }

    /// One show with its facts, decisions and conflicts.
    ///
    /// # Errors
    /// [`Error::NotFound`] when the caller cannot see it.
    pub async fn show(&self, ctx: &TenantCtx, id: ShowId) -> crate::Result<ShowDetail> {
        ctx.require(Permission::CATALOG_READ, "reading a show")?;
        let record = self
            .reader
            .show(ctx, id)
            .await?
            .ok_or_else(|| Error::NotFound {
                resource: "show",
                id: id.to_string(),
            })?;
        Ok(ShowDetail {
            record,
            today: self.clock.now().date_naive(),
        })
    }

    /// The registry's services by id, each with the knowledge base's facts about it.
    ///
    /// # Errors
    /// [`Error::Validation`] on `limit`; [`Error::Unavailable`] from the store.
    pub async fn services(
        &self,
        ctx: &TenantCtx,
        after: Option<&str>,
        limit: u32,
    ) -> crate::Result<Page<ServiceOverview, ServiceId>> {
        ctx.require(Permission::CATALOG_READ, "reading services")?;
        let limit = page_size(limit)? as usize;
        let mut facts = self.reader.service_facts(ctx).await?;
        facts.sort_by(super::merge::rank);
        let mut entries: Vec<&ServiceEntry> = self
            .registry
            .services
            .iter()
            .filter(|s| after.is_none_or(|a| s.service_id.as_str() > a))
            .collect();
        entries.sort_by(|a, b| a.service_id.cmp(&b.service_id));
        let more = entries.len() > limit;
        entries.truncate(limit);
        let items: Vec<ServiceOverview> = entries
            .into_iter()
            .map(|entry| {
                let about = |f: &&StoredFact| f.fact.service_id() == Some(&entry.service_id);
                ServiceOverview {
                    entry: entry.clone(),
                    behaviors: facts
                        .iter()
                        .filter(about)
                        .filter(|f| matches!(f.fact, Fact::ServiceBehavior(_)))
                        .cloned()
                        .collect(),
                    prices: facts
                        .iter()
                        .filter(about)
                        .filter(|f| matches!(f.fact, Fact::Price(_)))
                        .cloned()
                        .collect(),
                }
            })
            .collect();
        let next = if more {
            items.last().map(|s| s.entry.service_id.clone())
        } else {
            None
        };
        Ok(Page { items, next })
    }

    /// Changes the caller can see since `since`, oldest first.
    ///
    /// # Errors
    /// [`Error::Validation`] on `limit`; [`Error::Unavailable`] from the store.
    pub async fn changes(
        &self,
        ctx: &TenantCtx,
        since: Option<DateTime<Utc>>,
        after: Option<ChangeId>,
        limit: u32,
    ) -> crate::Result<Page<ChangeRecord, ChangeId>> {
        ctx.require(Permission::CATALOG_READ, "reading changes")?;
        let page = PageRequest {
            after,
            limit: page_size(limit)?,
        };
        self.reader.changes(ctx, since, &page).await
    }
}
