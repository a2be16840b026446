//! Pages of the show list, kept until the catalog they were read from changes.
//!
//! Browsing asks for the same few pages again and again (the first page of a service in a
//! country), and the catalog changes only when a run or a decision commits. A page is kept
//! under the counters of the catalog it was read from ([`Generations`]): a change bumps a
//! counter, so later requests miss the old entry, which ages out. Nothing is ever invalidated
//! by hand, and a page can never be served for a catalog newer than the one it shows.
//!
//! A household without data of its own (no imports, no decisions) sees exactly the shared
//! catalog, so such households share entries; one with its own data has entries of its own.

use super::generations::Generations;
use psma_core::catalog::ports::{Page, PageRequest, ShowCursor, ShowFilter, ShowSummary};
use psma_core::tenancy::TenantId;
use quick_cache::Weighter;
use quick_cache::sync::Cache;
use std::sync::Arc;

/// A page of the show list.
pub(crate) type ShowPage = Page<ShowSummary, ShowCursor>;

/// What a page was read for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct PageKey {
    /// The household whose own data the page includes; `None` for the shared catalog alone.
    owner: Option<TenantId>,
    generations: Generations,
    filter: ShowFilter,
    page: PageRequest<ShowCursor>,
}

impl PageKey {
    /// The key of `page` of the shows `tenant` sees through `filter`, as of `generations`.
    pub(crate) fn new(
        tenant: TenantId,
        generations: Generations,
        filter: &ShowFilter,
        page: &PageRequest<ShowCursor>,
    ) -> Self {
        Self {
            owner: (generations.own != 0).then_some(tenant),
            generations,
            filter: filter.clone(),
            page: page.clone(),
        }
    }
}

/// About how many bytes the cache may hold: some 600 pages of 50 shows.
const CAPACITY_BYTES: u64 = 16 * 1024 * 1024;

/// A rough size of a show in a page (title, ids, genres, overview), enough to bound memory.
const BYTES_PER_SHOW: u64 = 512;

/// The cache, shared by the clones of a store.
#[derive(Debug)]
pub(crate) struct ShowPages {
    pages: Cache<PageKey, Arc<ShowPage>, PageWeight>,
}

impl Default for ShowPages {
    fn default() -> Self {
        Self {
            pages: Cache::with_weighter(
                (CAPACITY_BYTES / (50 * BYTES_PER_SHOW)) as usize,
                CAPACITY_BYTES,
                PageWeight,
            ),
        }
    }
}

impl ShowPages {
    /// The page kept under `key`, if any.
    pub(crate) fn get(&self, key: &PageKey) -> Option<Arc<ShowPage>> {
        self.pages.get(key)
    }

    /// Keeps `page` under `key`.
    pub(crate) fn keep(&self, key: PageKey, page: Arc<ShowPage>) {
        self.pages.insert(key, page);
    }
}

#[derive(Debug, Clone, Copy)]
struct PageWeight;

impl Weighter<PageKey, Arc<ShowPage>> for PageWeight {
    fn weight(&self, _key: &PageKey, page: &Arc<ShowPage>) -> u64 {
        BYTES_PER_SHOW * (page.items.len() as u64 + 1)
    }
}
