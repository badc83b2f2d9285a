//! The pipeline: per feed, fetch → discover → extract → write. The only concurrent code.
//!
//! Feeds run concurrently (at most `settings.concurrency` at once) and, inside a feed,
//! item pages are fetched concurrently under the same bound; the fetcher's per-host
//! semaphores and delays keep that polite. HTML is parsed and extracted synchronously
//! between awaits (`scraper::Html` is not `Send`), and only owned data crosses them.
//! One feed failing never stops the others, and a failed feed's files stay as they were.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures_util::stream::{self, StreamExt};
use scraper::Html;
use url::Url;

use crate::config::{Config, FeedConfig};
use crate::discover::{self, DiscoverError, Discovery, ListedItem};
use crate::extract::{self, date::DateContext, Extracted};
use crate::fetch::{FetchError, Fetched, Fetcher};
use crate::model::{sort_items, Feed, Item};
use crate::write::{self, WriteError};

/// What to run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Feed ids to run; empty means all.
    pub feeds: Vec<String>,
}

/// Why one feed failed.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    /// The listing page could not be fetched.
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// No items could be found on it.
    #[error(transparent)]
    Discover(#[from] DiscoverError),
    /// The files could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// The listing page answered 304 although no validators were sent.
    #[error("fetch: {url}: unexpected 304 Not Modified")]
    UnexpectedNotModified {
        /// The listing page.
        url: Url,
    },
}

/// The outcome of one feed.
#[derive(Debug)]
pub struct FeedOutcome {
    /// The feed's id.
    pub id: String,
    /// Items written, or why the feed failed.
    pub result: Result<FeedSummary, FeedError>,
}

/// What a successful feed run did.
#[derive(Debug, Clone, Default)]
pub struct FeedSummary {
    /// Items in the written feed.
    pub items: usize,
    /// Item pages that could not be fetched (those items were published from the
    /// listing's data).
    pub item_errors: usize,
    /// Files whose bytes changed.
    pub files_written: usize,
    /// How discovery found the items.
    pub method: String,
}

/// The outcome of a run.
#[derive(Debug, Default)]
pub struct RunReport {
    /// One entry per feed run, in config order.
    pub feeds: Vec<FeedOutcome>,
    /// HTTP responses received.
    pub requests: u64,
    /// 304 answers.
    pub not_modified: u64,
    /// Body bytes received.
    pub bytes: u64,
}

impl RunReport {
    /// Whether any feed failed.
    pub fn any_failed(&self) -> bool {
        self.feeds.iter().any(|f| f.result.is_err())
    }
}

/// Errors that stop a whole run before any feed starts.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// A feed id given on the command line is not in the config.
    #[error("no feed with id `{id}` in {}", path.display())]
    UnknownFeed {
        /// The id asked for.
        id: String,
        /// The config file.
        path: std::path::PathBuf,
    },
    /// The HTTP client could not be built.
    #[error(transparent)]
    Client(#[from] FetchError),
}

/// Runs the selected feeds of a config once, at time `now`.
pub async fn run(config: &Config, opts: &RunOptions, now: DateTime<Utc>) -> Result<RunReport, RunError> {
    for id in &opts.feeds {
        if config.feed(id).is_none() {
            return Err(RunError::UnknownFeed {
                id: id.clone(),
                path: config.path.clone(),
            });
        }
    }
    let fetcher = Arc::new(Fetcher::new(&config.settings)?);
    let selected: Vec<&FeedConfig> = config
        .feeds
        .iter()
        .filter(|f| opts.feeds.is_empty() || opts.feeds.contains(&f.id))
        .collect();
    let mut outcomes: Vec<(usize, FeedOutcome)> = stream::iter(selected.into_iter().enumerate())
        .map(|(i, feed)| {
            let fetcher = fetcher.clone();
            async move {
                let result = run_feed(config, feed, &fetcher, now).await;
                match &result {
                    Ok(s) => tracing::info!(
                        "feed `{}`: {} items ({}), {} files changed",
                        feed.id,
                        s.items,
                        s.method,
                        s.files_written
                    ),
                    Err(e) => tracing::error!("feed `{}`: {e}", feed.id),
                }
                (
                    i,
                    FeedOutcome {
                        id: feed.id.clone(),
                        result,
                    },
                )
            }
        })
        .buffer_unordered(config.settings.concurrency)
        .collect()
        .await;
    outcomes.sort_by_key(|(i, _)| *i);
    use std::sync::atomic::Ordering::Relaxed;
    Ok(RunReport {
        feeds: outcomes.into_iter().map(|(_, o)| o).collect(),
        requests: fetcher.stats.requests.load(Relaxed),
        not_modified: fetcher.stats.not_modified.load(Relaxed),
        bytes: fetcher.stats.bytes.load(Relaxed),
    })
}

/// Fetches and discovers a feed's listing page, then extracts its items; writes
/// nothing. Used by `run` and by `pagefeed check`.
pub async fn collect(
    feed: &FeedConfig,
    fetcher: &Fetcher,
    concurrency: usize,
    now: DateTime<Utc>,
) -> Result<(Discovery, Vec<Item>, usize), FeedError> {
    let page = match fetcher.fetch(&feed.url, &feed.request, None).await? {
        Fetched::Page(p) => p,
        Fetched::NotModified => {
            return Err(FeedError::UnexpectedNotModified {
                url: feed.url.clone(),
            })
        }
    };
    let ctx = DateContext {
        now,
        tz: feed.timezone,
        lang: None,
    };
    let discovery = {
        let html = Html::parse_document(&page.text);
        discover::discover(&html, &page.url, feed.items.as_ref(), &ctx)?
    };
    let listed: Vec<ListedItem> = discovery.items.iter().take(feed.max_items).cloned().collect();
    let user_selectors = feed.items.is_some();
    let results: Vec<(usize, Option<Extracted>)> = stream::iter(listed.iter().enumerate())
        .map(|(i, li)| async move {
            if !feed.follow || li.link.scheme() == "file" && feed.url.scheme() != "file" {
                return (i, None);
            }
            match fetcher.fetch(&li.link, &feed.request, None).await {
                Ok(Fetched::Page(p)) => {
                    let html = Html::parse_document(&p.text);
                    (i, Some(extract::extract(&html, &p.url, &ctx)))
                }
                Ok(Fetched::NotModified) => (i, None),
                Err(e) => {
                    tracing::warn!(
                        "feed `{}`: item page failed, publishing the listing's data: {e}",
                        feed.id
                    );
                    (i, None)
                }
            }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let mut extracted: Vec<Option<Extracted>> = vec![None; listed.len()];
    let mut item_errors = 0;
    for (i, e) in results {
        if e.is_none() && feed.follow {
            item_errors += 1;
        }
        extracted[i] = e;
    }
    let mut items: Vec<Item> = Vec::with_capacity(listed.len());
    for (li, ex) in listed.iter().zip(extracted) {
        let item = merge(li, ex.as_ref(), user_selectors, &feed.url);
        if !items.iter().any(|i: &Item| i.guid == item.guid) {
            items.push(item);
        }
    }
    Ok((discovery, items, item_errors))
}

async fn run_feed(
    config: &Config,
    feed: &FeedConfig,
    fetcher: &Fetcher,
    now: DateTime<Utc>,
) -> Result<FeedSummary, FeedError> {
    let (discovery, mut items, item_errors) =
        collect(feed, fetcher, config.settings.concurrency, now).await?;
    sort_items(&mut items);
    items.truncate(feed.max_items);
    let updated = items
        .iter()
        .filter_map(|i| i.sort_time())
        .map(|t| t.with_timezone(&Utc))
        .max()
        .unwrap_or(now);
    let out = Feed {
        id: feed.id.clone(),
        title: feed
            .title
            .clone()
            .or(discovery.page_title.clone())
            .unwrap_or_else(|| feed.url.to_string()),
        // A listing read from disk names its public address in its canonical link.
        home_page: match (feed.url.scheme(), &discovery.page_canonical) {
            ("file", Some(c)) => c.clone(),
            _ => feed.url.clone(),
        },
        description: discovery.page_description.clone(),
        base_url: config.settings.base_url.clone(),
        updated,
        items,
    };
    let changed = write::write_feed(&out, &feed.formats, &config.settings.output_dir)?;
    Ok(FeedSummary {
        items: out.items.len(),
        item_errors,
        files_written: changed.len(),
        method: discovery.method,
    })
}

/// Combines what the listing showed with what the item's own page says. Values the
/// user's selectors picked win; otherwise the article page, which says more, wins.
fn merge(li: &ListedItem, ex: Option<&Extracted>, user_selectors: bool, listing: &Url) -> Item {
    let link = ex
        .and_then(|e| e.canonical.clone())
        .filter(|c| c != listing && !(c.path() == "/" && li.link.path() != "/"))
        .unwrap_or_else(|| li.link.clone());
    let pick = |listed: Option<String>, page: Option<String>| {
        if user_selectors {
            listed.or(page)
        } else {
            page.or(listed)
        }
    };
    let listed_authors = li
        .author
        .as_deref()
        .map(extract::author::clean_authors)
        .unwrap_or_default();
    let page_authors = ex.map(|e| e.authors.clone()).unwrap_or_default();
    let authors = if user_selectors && !listed_authors.is_empty() || page_authors.is_empty() {
        listed_authors
    } else {
        page_authors
    };
    let listed_date = li.date.map(|d| d.value);
    let page_date = ex.and_then(|e| e.published);
    let published = if user_selectors {
        listed_date.or(page_date)
    } else {
        page_date.or(listed_date)
    };
    Item {
        guid: link.to_string(),
        link,
        title: pick(li.title.clone(), ex.and_then(|e| e.title.clone())),
        authors,
        published,
        updated: ex.and_then(|e| e.modified).filter(|m| Some(*m) != published),
        summary: pick(li.summary.clone(), ex.and_then(|e| e.summary.clone())),
        content_html: None,
    }
}
