//! The pipeline: per feed, fetch → discover → extract → store → write. The only
//! concurrent code.
//!
//! Feeds run concurrently (at most `settings.concurrency` at once) and, inside a feed,
//! item pages are fetched concurrently under the same bound; the fetcher's per-host
//! semaphores and delays keep that polite. HTML is parsed and extracted on a pool of
//! one parser thread per core (`scraper::Html` is not `Send`: a page's DOM lives and
//! dies inside one job), and only owned data crosses back.
//!
//! Incremental: the listing is requested conditionally; an item whose page was
//! extracted before is not fetched again (unless `refresh_after` says so); the feed
//! file is the newest `max_items` of the stored history. One feed failing never stops
//! the others, and a failed feed's files and state stay as they were. State is
//! committed (one transaction per feed) before the files are written, and the files are
//! a pure function of the state, so a crash between the two heals on the next run.
//!
//! Files: this one runs the feeds (bounded streams) and writes the site files;
//! [`feed`] is one feed's run as named steps; `listing` reads a listing (pages,
//! sitemap children); `page` fetches and extracts an item's page; `parse_pool` is the
//! CPU pool and the blocking threads. The decisions without I/O (merge policy, history window, expectations, the alert item)
//! are in [`crate::reconcile`], the schedule in [`crate::schedule`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use futures_util::stream::{self, StreamExt};

use crate::config::{Config, FeedConfig};
use crate::discover::DiscoverError;
use crate::fetch::{FetchError, Fetcher};
use crate::reconcile::cap_feed_title;
use crate::store::{StateLocation, Store, StoreError};
use crate::write::site::{self, FeedEntry};
use crate::write::{self, Output, WriteError};

mod feed;
mod items;
pub mod lease;
mod listing;
mod page;
mod parse_pool;
mod restore;

pub use crate::schedule::{is_due, next_due};
pub use listing::{fetch_listing, Listing};
pub use page::{extract_page, fetch_item};
use parse_pool::{blocking, on_db_thread};

/// Receives progress events (the CLI draws a progress bar from them on a terminal).
pub trait Progress: Send + Sync {
    /// `n` feeds are about to run.
    fn feeds_total(&self, n: usize);
    /// An item page was fetched (or failed).
    fn page_done(&self);
    /// A feed finished.
    fn feed_done(&self, id: &str, ok: bool);
}

/// What to run.
#[derive(Clone, Default)]
pub struct RunOptions {
    /// Feed ids to run; empty means all.
    pub feeds: Vec<String>,
    /// Compute and report changes, but write neither state nor files.
    pub dry_run: bool,
    /// Wait for another run's lock instead of giving up.
    pub wait: bool,
    /// Run feeds even if they are not due.
    pub force: bool,
    /// Progress events, when someone watches.
    pub progress: Option<Arc<dyn Progress>>,
}

impl std::fmt::Debug for RunOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunOptions")
            .field("feeds", &self.feeds)
            .field("dry_run", &self.dry_run)
            .field("wait", &self.wait)
            .field("force", &self.force)
            .finish_non_exhaustive()
    }
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
    /// The state file could not be read or written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Analysing the listing page took longer than `page_work_limit`.
    #[error("feed `{feed}`: {url}: {exceeded}")]
    TooMuchWork {
        /// The feed id.
        feed: String,
        /// The listing page.
        url: String,
        /// The limit that was passed.
        exceeded: crate::work::Exceeded,
    },
    /// Processing a page panicked (a bug); the feed is treated as failed.
    #[error("feed `{feed}`: internal error while processing a page: {message}")]
    Crashed {
        /// The feed id.
        feed: String,
        /// The panic's message.
        message: String,
    },
    /// The run's result fell short of `[feed.expect]`; the last good feed is kept.
    #[error("expect: feed `{feed}`: {message}; keeping the last good feed")]
    Expectation {
        /// The feed id.
        feed: String,
        /// What fell short.
        message: String,
    },
}

/// The outcome of one feed.
#[derive(Debug)]
pub struct FeedOutcome {
    /// The feed's id.
    pub id: String,
    /// What the run did, or why the feed failed.
    pub result: Result<FeedSummary, FeedError>,
}

/// What a successful feed run did.
#[derive(Debug, Clone, Default)]
pub struct FeedSummary {
    /// Items in the written feed.
    pub items: usize,
    /// Items new in this run (link, title).
    pub added: Vec<(String, Option<String>)>,
    /// Items whose title, summary or content changed (link, title).
    pub changed: Vec<(String, Option<String>)>,
    /// Items that left the feed file (link, title).
    pub dropped: Vec<(String, Option<String>)>,
    /// Item pages that could not be fetched (those items were published from the
    /// listing's data).
    pub item_errors: usize,
    /// Item pages fetched and extracted.
    pub pages_extracted: usize,
    /// Files whose bytes changed.
    pub files_written: usize,
    /// Whether the listing answered 304 Not Modified.
    pub not_modified: bool,
    /// How discovery found the items ("" when the listing was not modified).
    pub method: String,
    /// Items rebuilt from the feed's own files because the state file had no history
    /// for it (deleted or emptied).
    pub restored: usize,
    /// Items of this run's listing that `[feed.filter]` leaves out of the files (link,
    /// title, why).
    pub filtered: Vec<(String, Option<String>, String)>,
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
    /// Feeds selected but not due, so not run.
    pub skipped: Vec<String>,
    /// Wall time of the run.
    pub seconds: f64,
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
    /// The state file could not be opened.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The output (`output_url`) could not be opened.
    #[error(transparent)]
    Output(#[from] WriteError),
}

/// Runs the selected feeds of a config once, at time `now`: those named in
/// `opts.feeds` (all when empty) that are due, or all of them with `opts.force`.
pub async fn run(
    config: &Config,
    opts: &RunOptions,
    now: DateTime<Utc>,
) -> Result<RunReport, RunError> {
    let started = std::time::Instant::now();
    // Due-ness is judged at the exact time, as the daemon judged it when it chose the
    // feeds; what is stored is in whole seconds.
    let exact = now;
    // Whole seconds: the state file stores seconds, and a feed rebuilt from it must be
    // byte-identical to the one written from memory.
    let now = chrono::SubsecRound::trunc_subsecs(now, 0);
    for id in &opts.feeds {
        if config.feed(id).is_none() {
            return Err(RunError::UnknownFeed {
                id: id.clone(),
                path: config.path.clone(),
            });
        }
    }
    // Waiting for the run lock or for SQLite's own lock (another process writing) must
    // not hold the async runtime: every database call runs on a blocking thread.
    let (location, wait) = (StateLocation::of(&config.settings)?, opts.wait);
    let (_lock, store, statuses) = blocking(move || -> Result<_, StoreError> {
        let lock = location.run_lock(wait)?;
        let mut store = Store::open(&location)?;
        let statuses = store.statuses()?;
        Ok((lock, store, statuses))
    })
    .await?;
    // Other processes share the state (and maybe the folder): their temp files are live.
    let shared = store.shared();
    let (selected, skipped): (Vec<&FeedConfig>, Vec<&FeedConfig>) = config
        .feeds
        .iter()
        .filter(|f| opts.feeds.is_empty() || opts.feeds.contains(&f.id))
        .partition(|f| opts.force || is_due(f, statuses.get(&f.id), exact));
    for f in &skipped {
        tracing::debug!(
            "feed `{}`: not due yet; skipped (--force runs it anyway)",
            f.id
        );
    }
    let mut report = RunReport {
        skipped: skipped.iter().map(|f| f.id.clone()).collect(),
        ..RunReport::default()
    };
    if selected.is_empty() {
        // Nothing due: the cron path that runs every minute stops here, before any
        // client is built.
        return Ok(report);
    }
    let output = Output::of(&config.settings)?;
    if !opts.dry_run && !shared {
        output.remove_stale_temp_files();
    }
    let fetcher = Arc::new(Fetcher::new(&config.settings)?);
    if let Some(p) = &opts.progress {
        p.feeds_total(selected.len());
    }
    let store = Arc::new(Mutex::new(store));
    let store = &store;
    let statuses = &statuses;
    let mut outcomes: Vec<(usize, Result<FeedOutcome, String>)> =
        stream::iter(selected.into_iter().enumerate())
            .map(|(i, feed)| {
                let fetcher = fetcher.clone();
                async move {
                    let seen = statuses.get(&feed.id);
                    let held = match lease::claim(store, feed, seen, exact, opts.dry_run).await {
                        Ok(Some(held)) => held,
                        Ok(None) => return (i, Err(feed.id.clone())),
                        Err(e) => {
                            let result = Err(FeedError::Store(e));
                            let id = feed.id.clone();
                            return (i, Ok(FeedOutcome { id, result }));
                        }
                    };
                    let status = held.status.clone();
                    let result =
                        feed::run_feed(config, feed, &fetcher, store, &status, now, opts).await;
                    if let Some(p) = &opts.progress {
                        p.feed_done(&feed.id, result.is_ok());
                    }
                    crate::sys::release_free_memory();
                    match &result {
                        Ok(s) => tracing::info!(
                            "feed `{}`: {} items, {} new, {} changed{}, {} files changed",
                            feed.id,
                            s.items,
                            s.added.len(),
                            s.changed.len(),
                            if s.not_modified {
                                " (listing not modified)"
                            } else {
                                ""
                            },
                            s.files_written
                        ),
                        Err(e) => {
                            tracing::error!("feed `{}`: {e}", feed.id);
                            if !opts.dry_run {
                                if let Err(se) =
                                    feed::record_failure(config, feed, store, &e.to_string(), now)
                                        .await
                                {
                                    tracing::error!("feed `{}`: {se}", feed.id);
                                }
                            }
                        }
                    }
                    held.release().await;
                    (
                        i,
                        Ok(FeedOutcome {
                            id: feed.id.clone(),
                            result,
                        }),
                    )
                }
            })
            .buffer_unordered(config.settings.concurrency)
            .collect()
            .await;
    outcomes.sort_by_key(|(i, _)| *i);
    fetcher.browser.close().await;
    // Feeds another process holds (or has just run) count as skipped here.
    let (outcomes, elsewhere) = lease::split(outcomes);
    report.skipped.extend(elsewhere);
    if !opts.dry_run {
        if let Err(e) = write_site_files(config, store, &output).await {
            tracing::error!("{e}");
        }
    }
    use std::sync::atomic::Ordering::Relaxed;
    report.feeds = outcomes;
    report.requests = fetcher.stats.requests.load(Relaxed);
    report.not_modified = fetcher.stats.not_modified.load(Relaxed);
    report.bytes = fetcher.stats.bytes.load(Relaxed);
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// How long the site files' lease lasts: writing them takes a few requests at most.
const SITE_LEASE: std::time::Duration = std::time::Duration::from_secs(30);

/// Writes `index.html` and `feeds.opml` (and the stylesheet when configured), each
/// only when its bytes change, under the site files' lease (a store shared by several
/// processes: one writes them at a time, from the statuses read once it holds the
/// lease, so the last writer has seen every commit before it).
async fn write_site_files(
    config: &Config,
    store: &Arc<Mutex<Store>>,
    output: &Output,
) -> Result<(), FeedError> {
    let waited = std::time::Instant::now();
    while !on_db_thread(store, |st| st.claim_site(SITE_LEASE)).await? {
        if waited.elapsed() > SITE_LEASE * 2 {
            tracing::warn!(
                "{} and {}: another process has held their lease for {}s; not written",
                output.show(site::INDEX_FILE),
                output.show(site::OPML_FILE),
                waited.elapsed().as_secs()
            );
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let result = write_site_files_held(config, store, output).await;
    if let Err(e) = on_db_thread(store, |st| st.release_site()).await {
        tracing::warn!("{e}");
    }
    result
}

async fn write_site_files_held(
    config: &Config,
    store: &Arc<Mutex<Store>>,
    output: &Output,
) -> Result<(), FeedError> {
    let mut names = vec![site::INDEX_FILE, site::OPML_FILE];
    if config.settings.stylesheet {
        names.push(site::STYLESHEET_FILE);
    }
    let urls: Vec<String> = names.iter().map(|n| output.show(n)).collect();
    let uses_recorded = output.uses_recorded();
    let (statuses, recorded) = on_db_thread(store, move |st| -> Result<_, StoreError> {
        let recorded = if uses_recorded {
            st.published(&urls)?
        } else {
            HashMap::new()
        };
        Ok((st.statuses()?, recorded))
    })
    .await?;
    let mut entries: Vec<FeedEntry> = Vec::new();
    for f in &config.feeds {
        entries.push({
            let st = statuses.get(&f.id);
            let home_page = st
                .and_then(|s| s.home_page.as_deref())
                .map(crate::credentials::public_url_str)
                .unwrap_or_else(|| crate::credentials::public_url(&f.url));
            let mut entry = FeedEntry {
                id: f.id.clone(),
                // The same title the feed files carry.
                title: cap_feed_title(
                    f.title
                        .clone()
                        .or_else(|| st.and_then(|s| s.title.clone()))
                        .unwrap_or_else(|| home_page.clone()),
                ),
                home_page: Some(home_page).filter(|h| h.starts_with("http")),
                updated: st.and_then(|s| s.content_updated),
                items: st.map(|s| s.items.min(f.max_items)).unwrap_or(0),
                formats: f.formats.clone(),
            };
            // A failing feed's files may hold less than its state: a write that failed
            // after the state was committed left the older files. The index says what
            // the files say (read back only for failing feeds: the others' files are a
            // function of their state).
            if st.is_some_and(|s| s.consecutive_failures > 0) {
                let written = site::read_written(output, &f.id, &f.formats).await;
                entry.items = written.items;
                entry.updated = written.updated;
                if let Some(t) = written.title {
                    entry.title = cap_feed_title(t);
                }
            }
            entry
        });
    }
    let newest = entries.iter().filter_map(|e| e.updated).max();
    let mut files = vec![
        site::index_html(&entries).into_bytes(),
        site::opml(&entries, config.settings.base_url.as_ref(), newest).into_bytes(),
    ];
    if config.settings.stylesheet {
        files.push(site::STYLESHEET.as_bytes().to_vec());
    }
    let files = names.iter().map(|n| n.to_string()).zip(files).collect();
    let written = write::put_all(output, files, &recorded).await?;
    if uses_recorded && !written.is_empty() {
        on_db_thread(store, move |st| st.record_published(&written)).await?;
    }
    Ok(())
}
