//! A feed's listing, whatever its source: HTML pages (following "next" links), a
//! sitemap and its children, a source feed or a JSON document.

use chrono::{DateTime, Utc};
use url::Url;

use super::parse_pool::{cpu, CpuError};
use super::FeedError;
use crate::config::{FeedConfig, Source};
use crate::date::DateContext;
use crate::discover::sitemap::{Sitemap, MAX_CHILD_SITEMAPS};
use crate::discover::{self, DiscoverError, Discovery};
use crate::fetch::{Fetched, Fetcher, Page, Validators};
use crate::render::{self, Role};

/// The listing page, discovered: what `pagefeed check` prints and `run` builds on.
pub struct Listing {
    /// What discovery found.
    pub discovery: Discovery,
    /// Validators of the listing response.
    pub validators: Validators,
}

/// Fetches and discovers a feed's listing, whatever its source: an HTML page (and up to
/// `pages - 1` further pages, following each page's "next" link), a sitemap (an index
/// is followed one level) or an existing feed. `Ok(None)` when the first request
/// answered 304: only that request is conditional, so an unchanged first page stands
/// for the whole listing.
pub async fn fetch_listing(
    feed: &FeedConfig,
    fetcher: &Fetcher,
    validators: Option<&Validators>,
    now: DateTime<Utc>,
) -> Result<Option<Listing>, FeedError> {
    let page = match render::fetch(fetcher, feed, &feed.url, Role::Listing, validators).await? {
        Fetched::Page(p) => p,
        Fetched::NotModified => return Ok(None),
    };
    let ctx = DateContext {
        now,
        tz: feed.timezone,
        lang: None,
    };
    let validators = page.validators.clone();
    let discovery = match feed.source {
        Source::Html => html_listing(feed, fetcher, page, &ctx).await?,
        Source::Sitemap => sitemap_listing(feed, fetcher, page, &ctx).await?,
        Source::Feed => {
            if page.truncated {
                return Err(DiscoverError::FeedTooLarge {
                    url: page.url,
                    max: feed.request.max_body_size,
                }
                .into());
            }
            // Only the first `max_items` entries can be published: only those are read.
            discover::feed::parse_first(&page.text, &page.url, &ctx, feed.max_items)?
        }
        Source::Json => json_listing(feed, &page, &ctx)?,
    };
    Ok(Some(Listing {
        discovery,
        validators,
    }))
}

/// A `source = "json"` document, read with the feed's `[feed.json]` rules; one cut at
/// the size cap is refused, as a cut feed is.
fn json_listing(
    feed: &FeedConfig,
    page: &Page,
    ctx: &DateContext<'_>,
) -> Result<Discovery, DiscoverError> {
    let rules = match (&feed.json, page.truncated) {
        (Some(rules), false) => rules,
        (None, _) => {
            return Err(DiscoverError::JsonEmpty {
                url: page.url.clone(),
            })
        }
        (_, true) => {
            return Err(DiscoverError::FeedTooLarge {
                url: page.url.clone(),
                max: feed.request.max_body_size,
            })
        }
    };
    discover::json::parse(&page.text, &page.url, rules, ctx)
}

/// Discovers one HTML listing page; also returns its "next" link when more pages are
/// wanted. Synchronous, so the DOM (not `Send`) never lives across an await.
fn discover_html_page(
    feed: &FeedConfig,
    page: Page,
    ctx: &DateContext<'_>,
) -> Result<(Discovery, Option<Url>), DiscoverError> {
    let Page { url, text, .. } = page;
    let html = crate::html::parse_document(&text);
    // The DOM holds everything from here on; the body need not stay in memory too.
    drop(text);
    let discovery =
        discover::discover_allowing(&html, &url, feed.items.as_ref(), &feed.allow_hosts, ctx)?;
    let next = if feed.pages > 1 {
        discover::next_page(&html, &url)
    } else {
        None
    };
    Ok((discovery, next))
}

/// [`discover_html_page`] on a parser thread (see [`cpu`]).
async fn discover_html_page_off_thread(
    feed: &FeedConfig,
    page: Page,
    ctx: &DateContext<'_>,
) -> Result<(Discovery, Option<Url>), FeedError> {
    let owned = feed.clone();
    let (now, tz) = (ctx.now, ctx.tz);
    let url = page.url.to_string();
    cpu(feed.request.page_work_limit, move || {
        let ctx = DateContext {
            now,
            tz,
            lang: None,
        };
        discover_html_page(&owned, page, &ctx)
    })
    .await
    .map_err(|e| match e {
        CpuError::TooSlow(exceeded) => FeedError::TooMuchWork {
            feed: feed.id.clone(),
            url,
            exceeded,
        },
        CpuError::Failed(message) => FeedError::Crashed {
            feed: feed.id.clone(),
            message,
        },
    })?
    .map_err(FeedError::from)
}

/// The first listing page and up to `feed.pages - 1` more, items concatenated in page
/// order and de-duplicated. A later page that fails (fetch or discovery) ends the walk
/// with a warning: the pages read so far still make a good listing.
async fn html_listing(
    feed: &FeedConfig,
    fetcher: &Fetcher,
    first: Page,
    ctx: &DateContext<'_>,
) -> Result<Discovery, FeedError> {
    let mut visited = vec![feed.url.clone(), first.url.clone()];
    let (mut discovery, mut next) = discover_html_page_off_thread(feed, first, ctx).await?;
    let mut read = 1;
    while read < feed.pages {
        let Some(url) = next.take() else { break };
        if visited.contains(&url) {
            break;
        }
        visited.push(url.clone());
        // The next page is a link found on the listing: the SSRF guard applies as to
        // any item link.
        let page = match render::fetch(fetcher, feed, &url, Role::NextPage, None).await {
            Ok(Fetched::Page(p)) => p,
            Ok(Fetched::NotModified) => break,
            Err(e) => {
                tracing::warn!(
                    "feed `{}`: listing page {} failed, keeping the first {read}: {e}",
                    feed.id,
                    read + 1
                );
                break;
            }
        };
        match discover_html_page_off_thread(feed, page, ctx).await {
            Ok((more, after)) => {
                discovery.items.extend(more.items);
                next = after;
                read += 1;
            }
            Err(e) => {
                tracing::warn!(
                    "feed `{}`: listing page {} ({url}): {e}; keeping the first {read}",
                    feed.id,
                    read + 1
                );
                break;
            }
        }
    }
    discovery.items = discover::dedup(discovery.items);
    if read > 1 {
        discovery.method = format!("{}, over {read} pages", discovery.method);
    }
    Ok(discovery)
}

/// Reads one fetched sitemap; a body cut at the size cap is refused, never half-read.
fn read_sitemap(
    feed: &FeedConfig,
    page: &Page,
    ctx: &DateContext<'_>,
) -> Result<Sitemap, DiscoverError> {
    if page.truncated {
        return Err(DiscoverError::SitemapTooLarge {
            url: page.url.clone(),
            max: feed.request.max_body_size,
        });
    }
    // A gzipped sitemap arrives unpacked: the fetcher gunzips gzip files. Only the
    // newest `max_items` pages can be published, so only those are kept.
    discover::sitemap::parse(&page.text, &page.url, ctx, feed.max_items)
}

/// A sitemap's items, newest first; an index's newest [`MAX_CHILD_SITEMAPS`] children
/// are read (one level: an index inside an index is skipped) and merged. A child that
/// cannot be fetched is skipped with a warning; one over the size cap fails the feed,
/// as a top-level sitemap would.
async fn sitemap_listing(
    feed: &FeedConfig,
    fetcher: &Fetcher,
    page: Page,
    ctx: &DateContext<'_>,
) -> Result<Discovery, FeedError> {
    let url = page.url.clone();
    let (items, method) = match read_sitemap(feed, &page, ctx)? {
        Sitemap::Urls { items, total } => {
            let method = format!("sitemap ({total} URLs)");
            (items, method)
        }
        Sitemap::Index(children) => {
            drop(page);
            let total = children.len();
            let mut items = Vec::new();
            let mut read = 0;
            let mut urls = 0;
            let mut first_error: Option<FeedError> = None;
            for child in children.into_iter().take(MAX_CHILD_SITEMAPS) {
                let result = match fetcher.fetch_linked(&child, &feed.url, &feed.request).await {
                    Ok(Fetched::Page(p)) => read_sitemap(feed, &p, ctx).map_err(FeedError::from),
                    Ok(Fetched::NotModified) => continue,
                    Err(e) => Err(e.into()),
                };
                match result {
                    Ok(Sitemap::Urls { items: v, total: n }) => {
                        read += 1;
                        urls += n;
                        items.extend(v);
                    }
                    Ok(Sitemap::Index(_)) => tracing::warn!(
                        "feed `{}`: {child} is itself a sitemap index; indexes are followed \
                         one level only, so it is skipped",
                        feed.id
                    ),
                    Err(e @ FeedError::Discover(DiscoverError::SitemapTooLarge { .. })) => {
                        return Err(e)
                    }
                    Err(e) => {
                        tracing::warn!("feed `{}`: child sitemap skipped: {e}", feed.id);
                        first_error.get_or_insert(e);
                    }
                }
            }
            if items.is_empty() {
                return Err(first_error.unwrap_or(DiscoverError::SitemapEmpty { url }.into()));
            }
            discover::sitemap::newest_first(&mut items);
            let mut items = discover::dedup(items);
            items.truncate(feed.max_items.max(1));
            let method = format!("sitemap index ({read} of {total} sitemaps, {urls} URLs)");
            (items, method)
        }
    };
    let home = match url.scheme() {
        "http" | "https" => url.join("/").ok(),
        _ => None,
    };
    Ok(Discovery {
        items,
        method,
        page_title: None,
        page_canonical: home,
        page_description: None,
        advertised_feeds: Vec::new(),
    })
}
