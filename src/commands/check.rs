//! `pagefeed check`: a feed fetched, discovered and extracted as `run` would, with no
//! state or file read or written, rendered as a table (or, when nothing is found, the
//! page's candidate blocks and why discovery chose what it chose).

use std::path::Path;

use chrono::{DateTime, Utc};
use futures_util::stream::{self, StreamExt};
use url::Url;

use crate::config::{FeedConfig, Settings};
use crate::date::DateContext;
use crate::discover::{self, DiscoverError, Discovery, ListedItem};
use crate::extract::Extracted;
use crate::fetch::{Fetched, Fetcher};
use crate::model::Item;
use crate::pipeline::{fetch_item, fetch_listing, FeedError};
use crate::reconcile::{merge, Site, Trust};
use crate::render::{self, Role};
use crate::text::join_authors;

/// Groups of links shown when `pagefeed check` finds no list.
pub const CHECK_CANDIDATE_BLOCKS: usize = 5;

/// Groups of links shown by `pagefeed check --explain`.
pub const CHECK_EXPLAIN_BLOCKS: usize = 8;

/// What `pagefeed check` was given: a page URL, or a feed id of the config.
#[derive(Debug, Clone, PartialEq)]
pub enum CheckTarget {
    /// An `http(s)://` or `file://` URL, or the path of a saved page.
    Url(Url),
    /// A feed id.
    Feed(String),
}

impl CheckTarget {
    /// A URL when `target` has a scheme (or names an existing file), else a feed id.
    pub fn parse(target: &str) -> CheckTarget {
        let t = target.trim();
        if t.contains("://") || t.starts_with("file:") {
            if let Ok(u) = Url::parse(t) {
                return CheckTarget::Url(u);
            }
        }
        let path = Path::new(t);
        if !crate::config::valid_id(t) && path.exists() {
            if let Some(u) = std::path::absolute(path)
                .ok()
                .and_then(|p| Url::from_file_path(p).ok())
            {
                return CheckTarget::Url(u);
            }
        }
        CheckTarget::Feed(t.to_string())
    }
}

/// What `pagefeed check` prints.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// The table (or, when nothing was found, the page's candidate blocks), for stdout.
    pub output: String,
    /// Why nothing was found, for stderr.
    pub error: Option<String>,
    /// Whether any item was found (exit 0, else 2).
    pub found: bool,
}

/// `pagefeed check`: fetches, discovers and extracts a feed, and renders what it found.
/// With `explain`, also why automatic discovery chose its list: the best candidate
/// blocks with the evidence for and against each, and every link of the chosen list's
/// container that was left out with the rule that left it out. Writes no file and no
/// state.
pub async fn check(
    feed: &crate::config::FeedConfig,
    settings: &crate::config::Settings,
    now: DateTime<Utc>,
    explain: bool,
) -> CheckReport {
    use crate::discover::DiscoverError;
    use crate::pipeline::FeedError;
    let automatic = feed.items.is_none() && feed.source == crate::config::Source::Html;
    let explanation = || async {
        match explain_listing(feed, settings, now, CHECK_EXPLAIN_BLOCKS).await {
            Ok(x) => format_explanation(&feed.url, &x),
            Err(e) => format!("cannot explain the page's discovery: {e}\n"),
        }
    };
    match check_feed(feed, settings, now).await {
        Ok(checked) => {
            let mut output = format_check(feed, &checked);
            if explain && automatic {
                output.push('\n');
                output.push_str(&explanation().await);
            }
            CheckReport {
                found: !checked.items.is_empty(),
                output,
                error: None,
            }
        }
        Err(
            e @ FeedError::Discover(
                DiscoverError::NothingFound { .. } | DiscoverError::SelectorMatchedNothing { .. },
            ),
        ) => {
            let output = if explain && automatic {
                explanation().await
            } else {
                match explain_listing(feed, settings, now, CHECK_CANDIDATE_BLOCKS).await {
                    Ok(x) => format_candidates(&feed.url, &x.groups),
                    Err(e) => format!("cannot show the page's candidate blocks: {e}\n"),
                }
            };
            let output = match crate::render::scripted_hint(feed, settings).await {
                Some(hint) => format!("{hint}\n{output}"),
                None => output,
            };
            CheckReport {
                output,
                error: Some(e.to_string()),
                found: false,
            }
        }
        Err(e) => CheckReport {
            output: String::new(),
            error: Some(e.to_string()),
            found: false,
        },
    }
}

/// Renders [`crate::discover::auto::Explanation`] for `pagefeed check --explain`.
pub fn format_explanation(url: &Url, x: &crate::discover::auto::Explanation) -> String {
    let mut out = format!("discovery on {url}: {}\n", x.method);
    if x.groups.is_empty() {
        out.push_str("no candidate blocks: the page has no repeated links to its own site\n");
        return out;
    }
    out.push_str("candidate blocks, best first:\n");
    for (i, g) in x.groups.iter().enumerate() {
        out.push_str(&format!(
            "{:>2}. {}  {} links, quality {:.1}, score {:.1}: {}\n",
            i + 1,
            g.block,
            g.items,
            g.quality,
            g.score,
            g.verdict
        ));
        let list = |terms: &[(&str, f32)]| {
            terms
                .iter()
                .map(|(n, v)| format!("{n} {v:+.1}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !g.evidence_for.is_empty() {
            out.push_str(&format!("      for: {}\n", list(&g.evidence_for)));
        }
        if !g.evidence_against.is_empty() {
            out.push_str(&format!("      against: {}\n", list(&g.evidence_against)));
        }
        for (what, n) in &g.against_links {
            out.push_str(&format!("        {n} of {} links {what}\n", g.items));
        }
        for (link, title) in &g.sample {
            out.push_str(&format!(
                "      {link}  {}\n",
                title.as_deref().unwrap_or("(no title)")
            ));
        }
    }
    if !x.dropped.is_empty() {
        out.push_str("links in the chosen list's container that are not items:\n");
        for d in &x.dropped {
            let text = crate::text::truncate_chars(&d.text, 40);
            out.push_str(&format!("   {}  \"{text}\": {}\n", d.url, d.rule));
        }
    }
    out
}

/// Renders found items as a table: title, date (UTC), author, image (file name),
/// categories, link.
pub fn format_check(feed: &crate::config::FeedConfig, c: &Checked) -> String {
    use crate::text::truncate_chars;
    let mut out = format!("{}\n", feed.url);
    out.push_str(&format!(
        "found {} items with {}\n",
        c.discovery.items.len(),
        c.discovery.method
    ));
    if c.items.len() < c.discovery.items.len() {
        out.push_str(&format!(
            "showing the first {} (max_items)\n",
            c.items.len()
        ));
    }
    if feed.follow {
        out.push_str(&format!(
            "item pages: {} extracted, {} failed\n",
            c.pages_extracted, c.item_errors
        ));
    }
    out.push('\n');
    let row = |title: &str, date: &str, author: &str, image: &str, cats: &str, link: &str| {
        format!("{title:<50}  {date:<16}  {author:<24}  {image:<28}  {cats:<28}  {link}\n")
    };
    out.push_str(&row(
        "TITLE",
        "DATE (UTC)",
        "AUTHOR",
        "IMAGE",
        "CATEGORIES",
        "LINK",
    ));
    for item in &c.items {
        let title = truncate_chars(item.title.as_deref().unwrap_or("-"), 50);
        let date = item
            .published
            .map(|d| d.with_timezone(&Utc).format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_else(|| "-".into());
        let author = if item.authors.is_empty() {
            "-".to_string()
        } else {
            truncate_chars(&join_authors(&item.authors), 24)
        };
        // The image's file name (its URL is long; `extract --json` prints it whole).
        let image = item
            .image
            .as_ref()
            .map(|u| {
                let name = u
                    .path_segments()
                    .and_then(|mut p| p.next_back())
                    .unwrap_or("");
                truncate_chars(if name.is_empty() { u.as_str() } else { name }, 28)
            })
            .unwrap_or_else(|| "-".into());
        let cats = if item.categories.is_empty() {
            "-".to_string()
        } else {
            truncate_chars(&item.categories.join(", "), 28)
        };
        out.push_str(&row(
            &title,
            &date,
            &author,
            &image,
            &cats,
            item.link.as_str(),
        ));
    }
    for f in &c.discovery.advertised_feeds {
        out.push_str(&format!(
            "\nthis page advertises a feed: {f} — consider `source = \"feed\"` or subscribing to it directly\n"
        ));
    }
    out
}

/// Renders the page's candidate blocks, best first, for a page where no list was found.
pub fn format_candidates(url: &Url, groups: &[crate::discover::auto::CandidateGroup]) -> String {
    if groups.is_empty() {
        return format!(
            "no candidate blocks on {url}: the page has no repeated links to its own site\n"
        );
    }
    let mut out = format!("candidate blocks on {url}, best first:\n");
    for (i, g) in groups.iter().enumerate() {
        out.push_str(&format!(
            "{:>2}. {}  {} links, quality {:.1}, score {:.1}\n",
            i + 1,
            g.block,
            g.items,
            g.quality,
            g.score
        ));
        for (link, title) in &g.sample {
            out.push_str(&format!(
                "      {link}  {}\n",
                title.as_deref().unwrap_or("(no title)")
            ));
        }
    }
    out.push_str(
        "Write [feed.items] selectors for the block that holds the items \
         (`selector` = the block, e.g. \"article\" or \"li.post\").\n",
    );
    out
}

/// What `pagefeed check` found for one feed: the listing and each item as the feed
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
