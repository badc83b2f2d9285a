//! An item's own page: fetched, then parsed and extracted on the CPU pool.

use chrono::{DateTime, Utc};
use url::Url;

use super::items;
use super::parse_pool::{cpu, CpuError};
use crate::config::FeedConfig;
use crate::date::DateContext;
use crate::extract::{self, Extracted};
use crate::fetch::{Fetched, Fetcher};
use crate::render::{self, Role};

/// Fetches and extracts an item's own page; `None` (logged) when that fails, so the
/// item is published from what the listing showed.
pub async fn fetch_item(
    feed: &FeedConfig,
    fetcher: &Fetcher,
    link: &Url,
    now: DateTime<Utc>,
) -> Option<Extracted> {
    // The listing is the source: a public listing's links may not reach private
    // addresses (SSRF guard), and only a listing read from disk may link to files.
    match render::fetch(fetcher, feed, link, Role::Item, None).await {
        Ok(Fetched::Page(p)) => {
            let (tz, full) = (feed.timezone, feed.full_content);
            let (text, url) = (p.text, p.url);
            let limit = feed.request.page_work_limit;
            match cpu(limit, move || extract_page(&text, &url, tz, now, full)).await {
                Ok(mut e) => {
                    items::header_language(&mut e, p.content_language.as_deref());
                    Some(e)
                }
                Err(e @ CpuError::TooSlow(_)) => {
                    tracing::warn!(
                        "feed `{}`: item page {link}: {e}; publishing the listing's data",
                        feed.id
                    );
                    None
                }
                Err(e) => {
                    tracing::error!("feed `{}`: extracting {link} failed: {e}", feed.id);
                    None
                }
            }
        }
        Ok(Fetched::NotModified) => None,
        Err(e) => {
            tracing::warn!(
                "feed `{}`: item page failed, publishing the listing's data: {e}",
                feed.id
            );
            None
        }
    }
}

/// Parses and extracts one article page (and its main content when asked): pure and
/// synchronous, so it runs on a parser thread (see [`cpu`]).
pub fn extract_page(
    text: &str,
    url: &Url,
    tz: chrono_tz::Tz,
    now: DateTime<Utc>,
    full_content: bool,
) -> Extracted {
    let ctx = DateContext {
        now,
        tz,
        lang: None,
    };
    let html = crate::html::parse_document(text);
    let mut e = extract::extract(&html, url, &ctx);
    if full_content {
        // Same DOM, parsed once; only feeds that publish full content pay for it.
        // A page read from disk resolves its links as on its public address.
        let base = match (url.scheme(), &e.canonical) {
            ("file", Some(c)) => c.clone(),
            _ => url.clone(),
        };
        e.content_html = crate::readability::main_content(&html, &base);
    }
    e
}
