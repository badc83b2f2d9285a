//! Discovery: finds the items a source lists.
//!
//! Contract: given a parsed listing page, its URL, the feed's selectors (if any) and a
//! date context, return the ordered list of items the page lists (first item of the page
//! first), each with an absolute, canonical link and whatever title, date, author and
//! summary the list itself shows. Pure: no I/O, no clock (the time comes in
//! [`DateContext`]). It must not follow links or decide what the feed keeps.
//!
//! The other sources have their own modules with the same shape: [`sitemap`] (a
//! sitemap, newest first, or an index's child sitemaps) and [`feed`] (an existing
//! RSS/Atom/JSON feed). [`pagination::next_page`] finds a listing's next page; the
//! pipeline fetches it.

pub mod auto;
pub mod feed;
mod feed_head;
pub mod json;
pub mod pagination;
pub mod scripted;
mod selectors;
pub mod sitemap;
pub mod state;

pub use crate::html::base_url;
pub use pagination::next_page;

use scraper::Html;
use url::Url;

use crate::config::ItemRules;
use crate::date::{DateContext, ParsedDate};
use crate::html::site::{host_allowed, registrable};

/// One item as the listing page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedItem {
    /// Absolute, canonical link to the item's own page.
    pub link: Url,
    /// Title as shown on the listing.
    pub title: Option<String>,
    /// Date as shown on the listing.
    pub date: Option<ParsedDate>,
    /// Author as shown on the listing.
    pub author: Option<String>,
    /// Teaser text as shown on the listing.
    pub summary: Option<String>,
    /// The card's image, category label and media (an upstream feed's own enclosures,
    /// categories and image).
    pub media: crate::html::media::Media,
}

/// What discovery found on one listing page.
#[derive(Debug, Clone, PartialEq)]
pub struct Discovery {
    /// Items in page order.
    pub items: Vec<ListedItem>,
    /// How they were found, for `pagefeed check` and logs (e.g. "selectors").
    pub method: String,
    /// The listing page's own title (site name), for the feed title.
    pub page_title: Option<String>,
    /// The listing page's canonical URL (`<link rel=canonical>`, `og:url`), if any.
    pub page_canonical: Option<Url>,
    /// The listing page's description, for the feed description.
    pub page_description: Option<String>,
    /// Feeds the page advertises with `<link rel="alternate">`.
    pub advertised_feeds: Vec<Url>,
}

/// Why discovery found nothing usable.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    /// The configured item selector matched nothing.
    #[error("discover: the selector `items.selector` matched no element on {url}")]
    SelectorMatchedNothing {
        /// The listing page.
        url: Url,
    },
    /// Automatic detection found no list of items.
    #[error(
        "discover: no repeated items found on {url}; add [feed.items] selectors — \
         `pagefeed check {url}` shows the page's candidate blocks"
    )]
    NothingFound {
        /// The listing page.
        url: Url,
    },
    /// A sitemap was cut at the body-size cap; a partial sitemap would silently lose
    /// items, so it is refused.
    #[error(
        "discover: sitemap {url} is larger than max_body_size ({max} bytes); \
         raise max_body_size or use a smaller sitemap"
    )]
    SitemapTooLarge {
        /// The sitemap.
        url: Url,
        /// The cap, in bytes.
        max: u64,
    },
    /// The sitemap is gzip-compressed (`.xml.gz`), which the fetcher hands over as
    /// undecoded bytes.
    #[error(
        "discover: sitemap {url} is gzip-compressed; pagefeed reads uncompressed sitemaps \
         only — point `url` at the .xml sitemap"
    )]
    SitemapCompressed {
        /// The sitemap.
        url: Url,
    },
    /// The document is not a sitemap (not XML, or another root element).
    #[error("discover: {url} is not a sitemap: {message}")]
    NotASitemap {
        /// The URL read.
        url: Url,
        /// What is wrong with it.
        message: String,
    },
    /// The sitemap (or index) lists no URLs.
    #[error("discover: sitemap {url} lists no URLs")]
    SitemapEmpty {
        /// The sitemap.
        url: Url,
    },
    /// A feed was cut at the body-size cap.
    #[error(
        "discover: feed {url} is larger than max_body_size ({max} bytes); raise max_body_size"
    )]
    FeedTooLarge {
        /// The feed.
        url: Url,
        /// The cap, in bytes.
        max: u64,
    },
    /// The document is not a feed feed-rs can read.
    #[error("discover: {url} is not an RSS, Atom or JSON feed: {message}")]
    NotAFeed {
        /// The URL read.
        url: Url,
        /// The parser's message.
        message: String,
    },
    /// The document of a `source = "json"` feed is not JSON.
    #[error("discover: {url} is not JSON: {message}")]
    NotJson {
        /// The URL read.
        url: Url,
        /// The parser's message.
        message: String,
    },
    /// The JSON's rules select no item with a link.
    #[error(
        "discover: the JSON at {url} has no item with a link \
         (check [feed.json] `items` and `link`)"
    )]
    JsonEmpty {
        /// The document.
        url: Url,
    },
    /// The feed has no item with a link to follow.
    #[error("discover: the feed {url} has no items with a link")]
    FeedEmpty {
        /// The feed.
        url: Url,
    },
}

/// Finds the items on a listing page: with the feed's selectors when given, else
/// automatically.
pub fn discover(
    html: &Html,
    page_url: &Url,
    rules: Option<&ItemRules>,
    ctx: &DateContext,
) -> Result<Discovery, DiscoverError> {
    discover_allowing(html, page_url, rules, &[], ctx)
}

/// [`discover`], with the feed's `allow_hosts`: automatic detection also counts links
/// to those hosts as items (selectors take what they match, on any host).
pub fn discover_allowing(
    html: &Html,
    page_url: &Url,
    rules: Option<&ItemRules>,
    allow_hosts: &[String],
    ctx: &DateContext,
) -> Result<Discovery, DiscoverError> {
    let base = base_url(html, page_url);
    let (items, method) = match rules {
        Some(rules) => {
            let items = selectors::items(html, &base, rules, ctx);
            if items.is_empty() {
                return Err(DiscoverError::SelectorMatchedNothing {
                    url: page_url.clone(),
                });
            }
            (items, "selectors".to_string())
        }
        None => {
            let found = auto::detect_listing(html, &base, page_url, ctx, allow_hosts);
            if found.items.is_empty() {
                // No item list in the markup: the page's own app state may hold one.
                state::items(html, &base, allow_hosts, ctx).ok_or_else(|| {
                    DiscoverError::NothingFound {
                        url: page_url.clone(),
                    }
                })?
            } else {
                (found.items, found.method)
            }
        }
    };
    Ok(Discovery {
        items: dedup(items),
        method,
        page_title: page_title(html),
        page_canonical: crate::html::canonical_url(html, page_url),
        page_description: meta_content(html, "description"),
        advertised_feeds: advertised_feeds(html, &base),
    })
}

/// Whether `url` (http or https) is on the site of one of `sites`: the same registrable
/// domain by the Public Suffix List (`www.example.com` and `news.example.com` are one
/// site, `alice.github.io` and `bob.github.io` two), or a host of `allow_hosts` (or a
/// subdomain of one). For an article's canonical URL, which may replace its link only
/// on its own site.
pub fn on_site(url: &Url, sites: &[&Url], allow_hosts: &[String]) -> bool {
    if !matches!(url.scheme(), "http" | "https") {
        return false;
    }
    let Some(host) = url.host_str() else {
        return false;
    };
    let domain = registrable(host);
    host_allowed(host, allow_hosts)
        || sites.iter().any(|s| {
            matches!(s.scheme(), "http" | "https")
                && s.host_str().is_some_and(|h| registrable(h) == domain)
        })
}

/// Drops later duplicates of a link, keeping the first (page order) but filling its
/// missing fields from the duplicates.
pub fn dedup(items: Vec<ListedItem>) -> Vec<ListedItem> {
    let mut out: Vec<ListedItem> = Vec::with_capacity(items.len());
    // Link → index in `out`: one lookup per item, not a scan (a listing may hold
    // 100,000 links).
    let mut seen: std::collections::HashMap<String, usize> =
        std::collections::HashMap::with_capacity(items.len());
    for it in items {
        let at = seen.get(it.link.as_str()).copied();
        if let Some(prev) = at.map(|i| &mut out[i]) {
            prev.title = prev.title.take().or(it.title);
            prev.date = prev.date.take().or(it.date);
            prev.author = prev.author.take().or(it.author);
            prev.summary = prev.summary.take().or(it.summary);
        } else {
            seen.insert(it.link.to_string(), out.len());
            out.push(it);
        }
    }
    out
}

fn page_title(html: &Html) -> Option<String> {
    meta_property(html, "og:site_name").or_else(|| {
        html.select(selector!("title"))
            .next()
            .and_then(|t| crate::text::clean_opt(&t.text().collect::<String>()))
    })
}

fn meta_content(html: &Html, name: &str) -> Option<String> {
    html.select(selector!("meta[name][content]"))
        .find(|m| {
            m.value()
                .attr("name")
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
        .and_then(|m| crate::text::clean_opt(m.value().attr("content").unwrap_or("")))
}

fn meta_property(html: &Html, prop: &str) -> Option<String> {
    html.select(selector!("meta[property][content]"))
        .find(|m| m.value().attr("property") == Some(prop))
        .and_then(|m| crate::text::clean_opt(m.value().attr("content").unwrap_or("")))
}

fn advertised_feeds(html: &Html, base: &Url) -> Vec<Url> {
    html.select(selector!("link[rel][href][type]"))
        .filter(|l| {
            let rel = l.value().attr("rel").unwrap_or("");
            let ty = l.value().attr("type").unwrap_or("").to_ascii_lowercase();
            rel.split_ascii_whitespace()
                .any(|r| r.eq_ignore_ascii_case("alternate"))
                && matches!(
                    ty.as_str(),
                    "application/rss+xml" | "application/atom+xml" | "application/feed+json"
                )
        })
        .filter_map(|l| base.join(l.value().attr("href")?.trim()).ok())
        .collect()
}

/// Query parameters that only track the visitor and never select content.
fn is_tracking_param(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.starts_with("utm_")
        || matches!(
            n.as_str(),
            "fbclid" | "gclid" | "dclid" | "msclkid" | "mc_cid" | "mc_eid" | "igshid" | "yclid"
        )
}

/// Makes a link absolute and canonical: resolved against `base`, fragment and userinfo
/// dropped, tracking parameters removed. `None` for links that are not http(s) pages
/// (`mailto:`, `javascript:`, …) and for links longer than
/// [`crate::model::MAX_URL_BYTES`].
pub fn canonical_link(base: &Url, href: &str) -> Option<Url> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') {
        return None;
    }
    if href.len() > crate::model::MAX_URL_BYTES {
        return None;
    }
    let mut url = base.join(href).ok()?;
    if url.as_str().len() > crate::model::MAX_URL_BYTES {
        return None;
    }
    // A file link is only followed from a page that was itself read from disk.
    match url.scheme() {
        "http" | "https" => {}
        "file" if base.scheme() == "file" => {}
        _ => return None,
    }
    url.set_fragment(None);
    // A `user:pw@` in a link is never published nor sent.
    crate::credentials::strip_userinfo(&mut url);
    if url.query().is_some() {
        let kept: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| !is_tracking_param(k))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if kept.is_empty() {
            url.set_query(None);
        } else {
            url.query_pairs_mut().clear().extend_pairs(kept);
        }
    }
    Some(url)
}

/// The fixed date context of the discovery unit tests: 15 January 2026, noon UTC.
#[cfg(test)]
pub(crate) fn test_ctx() -> DateContext<'static> {
    use chrono::TimeZone;
    DateContext {
        now: chrono::Utc
            .with_ymd_and_hms(2026, 1, 15, 12, 0, 0)
            .single()
            .expect("a valid date"),
        tz: chrono_tz::UTC,
        lang: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_hosts_admits_items_on_another_host() {
        let mut page = String::from("<html><body><main>");
        for i in 1..=4 {
            page.push_str(&format!(
                "<article><h2><a href=\"https://stories.example.net/2026/01/0{i}/story-number-{i}\">\
                 Story number {i} about the harbour and the boats</a></h2>\
                 <time datetime=\"2026-01-0{i}\">Jan {i}</time></article>"
            ));
        }
        page.push_str("</main></body></html>");
        let html = Html::parse_document(&page);
        let url = Url::parse("https://www.example.com/news/").unwrap();
        assert!(matches!(
            discover(&html, &url, None, &test_ctx()),
            Err(DiscoverError::NothingFound { .. })
        ));
        let d = discover_allowing(&html, &url, None, &["example.net".to_string()], &test_ctx())
            .unwrap();
        assert_eq!(d.items.len(), 4);
        assert_eq!(
            d.items[0].link.as_str(),
            "https://stories.example.net/2026/01/01/story-number-1"
        );
    }

    #[test]
    fn on_site_is_the_registrable_domain_or_an_allowed_host() {
        let u = |s: &str| Url::parse(s).unwrap();
        let item = u("https://www.example.co.uk/news/1");
        let allow = vec!["partner.org".to_string()];
        assert!(on_site(&u("https://news.example.co.uk/a"), &[&item], &[]));
        assert!(!on_site(&u("https://example.com/a"), &[&item], &[]));
        assert!(!on_site(&u("https://evil.co.uk/a"), &[&item], &[]));
        assert!(on_site(&u("https://cdn.partner.org/a"), &[&item], &allow));
        assert!(!on_site(&u("https://notpartner.org/a"), &[&item], &allow));
        let pages = u("https://alice.github.io/post");
        assert!(!on_site(&u("https://bob.github.io/post"), &[&pages], &[]));
        let saved = u("file:///srv/saved/index.html");
        assert!(!on_site(&u("https://example.com/a"), &[&saved], &[]));
        assert!(!on_site(&saved, &[&saved], &[]));
    }

    #[test]
    fn canonical_link_drops_fragment_and_tracking() {
        let base = Url::parse("https://example.com/news/").unwrap();
        assert_eq!(
            canonical_link(&base, "a/b?utm_source=x&id=3&fbclid=y#top")
                .unwrap()
                .as_str(),
            "https://example.com/news/a/b?id=3"
        );
        assert_eq!(
            canonical_link(&base, "/x?utm_medium=1").unwrap().as_str(),
            "https://example.com/x"
        );
        assert!(canonical_link(&base, "mailto:a@b.c").is_none());
        assert!(canonical_link(&base, "javascript:void(0)").is_none());
        assert!(canonical_link(&base, "#comments").is_none());
    }
}
