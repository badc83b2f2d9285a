//! `pagefeed check`'s dry run: a feed fetched, discovered and extracted as `run` would,
//! with no state or file read or written.

use chrono::{DateTime, Utc};
use futures_util::stream::{self, StreamExt};

use super::{fetch_item, fetch_listing, FeedError};
use crate::config::{FeedConfig, Settings};
use crate::date::DateContext;
use crate::discover::{self, DiscoverError, Discovery, ListedItem};
use crate::extract::Extracted;
use crate::fetch::{Fetched, Fetcher};
use crate::model::Item;
use crate::reconcile::{merge, Site, Trust};
use crate::render::{self, Role};

/// would publish it.
#[derive(Debug)]
pub struct Checked {
    /// The listing's discovery (method, advertised feeds, listed items).
    pub discovery: Discovery,
    /// The first `max_items` items, merged with their pages when followed.
    pub items: Vec<Item>,
    /// Item pages fetched and extracted.
    pub pages_extracted: usize,
    /// Item pages that could not be fetched.
    pub item_errors: usize,
}

/// Fetches, discovers and extracts a feed as `run` would, without reading or writing
/// any state or file (`pagefeed check`). Item pages are fetched concurrently under
/// `settings.concurrency`, like a run.
pub async fn check_feed(
    feed: &FeedConfig,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<Checked, FeedError> {
    let fetcher = Fetcher::new(settings)?;
    let listing = fetch_listing(feed, &fetcher, None, now).await;
    let listing = match listing {
        Ok(l) => l,
        Err(e) => {
            fetcher.browser.close().await;
            return Err(e);
        }
    };
    let Some(listing) = listing else {
        // Unreachable in practice: a request without validators cannot be answered 304.
        return Err(DiscoverError::NothingFound {
            url: feed.url.clone(),
        }
        .into());
    };
    let listed: Vec<ListedItem> = listing
        .discovery
        .items
        .iter()
        .take(feed.max_items)
        .cloned()
        .collect();
    let mut pages: Vec<(usize, Option<Extracted>)> = if feed.follow {
        let fetcher = &fetcher;
        stream::iter(listed.iter().enumerate())
            .map(|(i, li)| async move { (i, fetch_item(feed, fetcher, &li.link, now).await) })
            .buffer_unordered(settings.concurrency)
            .collect()
            .await
    } else {
        Vec::new()
    };
    fetcher.browser.close().await;
    pages.sort_by_key(|(i, _)| *i);
    let mut by_index: Vec<Option<Extracted>> = vec![None; listed.len()];
    let (mut pages_extracted, mut item_errors) = (0, 0);
    for (i, e) in pages {
        if e.is_some() {
            pages_extracted += 1;
        } else {
            item_errors += 1;
        }
        by_index[i] = e;
    }
    let trust = Trust::of(feed);
    let site = Site {
        listing: &feed.url,
        home: listing.discovery.page_canonical.as_ref(),
        allow_hosts: &feed.allow_hosts,
    };
    let items = listed
        .iter()
        .zip(by_index)
        .map(|(li, ex)| merge(li, ex.as_ref(), trust, &site))
        .collect();
    Ok(Checked {
        discovery: listing.discovery,
        items,
        pages_extracted,
        item_errors,
    })
}

/// Why automatic discovery finds what it finds on the feed's listing page (the best
/// `limit` candidate blocks with their evidence, and the links it left out), for
/// `pagefeed check --explain` and for `check` when nothing was found.
pub async fn explain_listing(
    feed: &FeedConfig,
    settings: &Settings,
    now: DateTime<Utc>,
    limit: usize,
) -> Result<discover::auto::Explanation, FeedError> {
    let fetcher = Fetcher::new(settings)?;
    let page = render::fetch(&fetcher, feed, &feed.url, Role::Listing, None).await;
    fetcher.browser.close().await;
    let page = match page? {
        Fetched::Page(p) => p,
        Fetched::NotModified => {
            return Err(DiscoverError::NothingFound {
                url: feed.url.clone(),
            }
            .into())
        }
    };
    let ctx = DateContext {
        now,
        tz: feed.timezone,
        lang: None,
    };
    let html = crate::html::parse_document(&page.text);
    let base = discover::base_url(&html, &page.url);
    Ok(discover::auto::explain_listing(
        &html,
        &base,
        &page.url,
        &ctx,
        &feed.allow_hosts,
        limit,
    ))
}
