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

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use futures_util::stream::{self, StreamExt};
use url::Url;

use crate::config::{Config, FeedConfig, Settings, Source};
use crate::date::DateContext;
use crate::discover::sitemap::{Sitemap, MAX_CHILD_SITEMAPS};
use crate::discover::{self, DiscoverError, Discovery, ListedItem};
use crate::extract::{self, Extracted};
use crate::fetch::{FetchError, Fetched, Fetcher, Page, Validators, MAX_STORED_RETRY_AFTER};
use crate::model::{Feed, Item};
use crate::store::{
    FeedStatus, FeedUpdate, StateLocation, Store, StoreError, StoredItem, MIN_HISTORY,
};
use crate::write::site::{self, FeedEntry};

mod items;
pub mod lease;
mod restore;
use crate::render::{self, Role};
use crate::write::{self, Output, WriteError};

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

/// When a feed is next due: its last run plus its interval, stretched by doubling
/// (up to a day, or the interval if longer) while it keeps failing. `None`: never run
/// (or its last run died holding a shared state's lease), so due now.
pub fn next_due(feed: &FeedConfig, status: Option<&FeedStatus>) -> Option<DateTime<Utc>> {
    let status = status.filter(|s| !s.lease_lapsed)?;
    let last = status.last_attempt()?;
    let base = chrono::Duration::from_std(feed.interval).unwrap_or_default();
    let wait = if status.consecutive_failures > 0 {
        let factor = 1i32 << (status.consecutive_failures - 1).min(10);
        let cap = base.max(chrono::Duration::days(1));
        (base * factor).min(cap)
    } else {
        base
    };
    Some(last + wait)
}

/// Whether a feed is due at `now`. A tenth of the interval is forgiven, so a cron job
/// firing every interval is not skipped because the last run ended a few seconds late.
pub fn is_due(feed: &FeedConfig, status: Option<&FeedStatus>, now: DateTime<Utc>) -> bool {
    match next_due(feed, status) {
        None => true,
        Some(due) => {
            let slack = chrono::Duration::from_std(feed.interval / 10).unwrap_or_default();
            due - slack <= now
        }
    }
}

/// Runs the selected feeds of a config once, at time `now`: those named in
/// `opts.feeds` (all when empty) that are due, or all of them with `opts.force`.
pub async fn run(
    config: &Config,
    opts: &RunOptions,
    now: DateTime<Utc>,
) -> Result<RunReport, RunError> {
    let started = std::time::Instant::now();
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
        .partition(|f| opts.force || is_due(f, statuses.get(&f.id), now));
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
                    let held = match lease::claim(store, feed, seen, now, opts.dry_run).await {
                        Ok(Some(held)) => held,
                        Ok(None) => return (i, Err(feed.id.clone())),
                        Err(e) => {
                            let result = Err(FeedError::Store(e));
                            let id = feed.id.clone();
                            return (i, Ok(FeedOutcome { id, result }));
                        }
                    };
                    let status = held.status.clone();
                    let result = run_feed(config, feed, &fetcher, store, &status, now, opts).await;
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
                                    record_failure(config, feed, store, &e.to_string(), now).await
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

/// Runs blocking work (a lock or database wait) on tokio's blocking threads, so the
/// async runtime keeps fetching meanwhile. A panic in it goes on as if it had happened
/// here.
async fn blocking<T: Send + 'static>(job: impl FnOnce() -> T + Send + 'static) -> T {
    match tokio::task::spawn_blocking(job).await {
        Ok(v) => v,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// Runs a database job on a blocking thread (see [`blocking`]): SQLite waits up to its
/// busy timeout while another process writes, and that wait must not stall the fetches
/// of every other feed.
async fn on_db_thread<T: Send + 'static>(
    store: &Arc<Mutex<Store>>,
    job: impl FnOnce(&mut Store) -> T + Send + 'static,
) -> T {
    let store = store.clone();
    blocking(move || {
        let mut st = store.lock().unwrap_or_else(|e| e.into_inner());
        job(&mut st)
    })
    .await
}

/// Records a failure; once a feed has failed `alert_after` times in a row its files get
/// a single warning item (same guid for the whole run of failures), so a reader sees it.
async fn record_failure(
    config: &Config,
    feed: &FeedConfig,
    store: &Arc<Mutex<Store>>,
    error: &str,
    now: DateTime<Utc>,
) -> Result<(), FeedError> {
    let (id, message, alert_after) = (feed.id.clone(), error.to_string(), feed.expect.alert_after);
    let (status, stored) = on_db_thread(store, move |st| -> Result<_, StoreError> {
        st.record_failure(&id, &message, now)?;
        let status = st.status(&id)?;
        let alert = status.consecutive_failures >= alert_after && status.content_updated.is_some();
        let stored = if alert { st.items(&id)? } else { Vec::new() };
        Ok((status, stored))
    })
    .await?;
    if status.consecutive_failures < feed.expect.alert_after || status.content_updated.is_none() {
        return Ok(());
    }
    let since = status.failing_since.unwrap_or(now);
    let home = status
        .home_page
        .as_deref()
        .and_then(|h| Url::parse(h).ok())
        .unwrap_or_else(|| feed.url.clone());
    let utc = chrono::FixedOffset::east_opt(0).expect("zero offset is valid");
    let alert = Item {
        guid: format!("urn:pagefeed:alert:{}:{}", feed.id, since.timestamp()),
        link: home.clone(),
        title: Some("pagefeed: this feed has stopped updating".into()),
        authors: vec!["pagefeed".into()],
        published: Some(since.with_timezone(&utc)),
        updated: None,
        summary: Some(format!(
            "pagefeed has not been able to update this feed since {} ({} attempts in a row). \
             The items below are from the last good run. Last error: {error}",
            since.format("%Y-%m-%d %H:%M UTC"),
            status.consecutive_failures
        )),
        content_html: None,
        image: None,
        categories: Vec::new(),
        language: None,
        enclosures: Vec::new(),
    };
    let items: HashMap<String, StoredItem> = stored
        .into_iter()
        .map(|s| (s.item.guid.clone(), s))
        .collect();
    let mut out = build_feed(
        config,
        feed,
        &status,
        home,
        items::publish_window(&items, feed, now),
        status.content_updated.unwrap_or(now),
    );
    out.items.insert(0, alert);
    out.items.truncate(feed.max_items.max(1));
    write_feed_files(config, feed, store, &out).await?;
    Ok(())
}

/// Writes a feed's files through the config's output, each only when its bytes change
/// (for a bucket: compared with the hashes the state recorded, which are then updated);
/// returns how many were written.
async fn write_feed_files(
    config: &Config,
    feed: &FeedConfig,
    store: &Arc<Mutex<Store>>,
    out: &crate::model::Feed,
) -> Result<usize, FeedError> {
    let output = Output::of(&config.settings)?;
    let names: Vec<String> = feed
        .formats
        .iter()
        .map(|f| output.show(&f.file_name(&feed.id)))
        .collect();
    let recorded = if output.uses_recorded() {
        on_db_thread(store, move |st| st.published(&names)).await?
    } else {
        HashMap::new()
    };
    let written = write::write_feed(out, &feed.formats, &output, &recorded).await?;
    let n = written.len();
    if output.uses_recorded() && n > 0 {
        on_db_thread(store, move |st| st.record_published(&written)).await?;
    }
    Ok(n)
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

/// Builds the written feed from its newest stored items.
fn build_feed(
    config: &Config,
    feed: &FeedConfig,
    status: &FeedStatus,
    home_page: Url,
    items: Vec<(String, StoredItem)>,
    updated: DateTime<Utc>,
) -> Feed {
    let items: Vec<Item> = items.into_iter().map(|(_, s)| published_item(s)).collect();
    Feed {
        id: feed.id.clone(),
        title: cap_feed_title(
            feed.title
                .clone()
                .or_else(|| status.title.clone())
                .unwrap_or_else(|| crate::credentials::public_url(&home_page)),
        ),
        home_page,
        description: cap(status.description.clone(), extract::MAX_SUMMARY_CHARS),
        base_url: config.settings.base_url.clone(),
        updated,
        language: crate::model::common_language(&items),
        items,
        stylesheet: config
            .settings
            .stylesheet
            .then(|| site::STYLESHEET_FILE.to_string()),
    }
}

/// Checks a run's items against `[feed.expect]`; the message says what fell short.
fn check_expectations(feed: &FeedConfig, items: &[&StoredItem]) -> Result<(), FeedError> {
    let e = &feed.expect;
    if items.len() < e.min_items {
        return Err(FeedError::Expectation {
            feed: feed.id.clone(),
            message: format!(
                "found {} items, expected at least {}",
                items.len(),
                e.min_items
            ),
        });
    }
    for field in &e.fields {
        let have = items
            .iter()
            .filter(|s| match field.as_str() {
                "title" => s.item.title.is_some(),
                "author" => !s.item.authors.is_empty(),
                "date" => s.item.published.is_some(),
                _ => s.item.summary.is_some(),
            })
            .count();
        let share = have as f32 / items.len().max(1) as f32;
        if share + 1e-6 < e.min_share {
            return Err(FeedError::Expectation {
                feed: feed.id.clone(),
                message: format!(
                    "{field} found on {have} of {} items ({:.0}%), expected at least {:.0}%",
                    items.len(),
                    share * 100.0,
                    e.min_share * 100.0
                ),
            });
        }
    }
    Ok(())
}

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

/// Runs CPU-bound work (HTML parsing and extraction) on a pool of one thread per core,
/// so the async side keeps the network busy while every core parses, and memory holds
/// no more DOMs than there are cores.
///
/// The pool's threads take the next job from a queue themselves: a finished job is
/// followed by the next one at once, whatever the thread that drives the feeds is
/// doing. (Handing out one permit per core from the async side left cores idle while
/// that thread wrote files or committed state: 1.5 of 2 cores busy in the loopback
/// benchmark.)
///
/// Each job runs under `limit` (`page_work_limit`, see [`crate::work`]).
async fn cpu<T: Send + 'static>(
    limit: std::time::Duration,
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<T, CpuError> {
    type Job = Box<dyn FnOnce() + Send>;
    static POOL: std::sync::LazyLock<std::sync::mpsc::Sender<Job>> =
        std::sync::LazyLock::new(|| {
            let (tx, rx) = std::sync::mpsc::channel::<Job>();
            let rx = Arc::new(Mutex::new(rx));
            let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
            for i in 0..cores {
                let rx = rx.clone();
                let spawned = std::thread::Builder::new()
                    .name(format!("pagefeed-cpu-{i}"))
                    .spawn(move || loop {
                        // The lock is held only to take a job, not to run it.
                        let job = match rx.lock() {
                            Ok(r) => r.recv(),
                            Err(poisoned) => poisoned.into_inner().recv(),
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    });
                if let Err(e) = spawned {
                    tracing::error!("starting a parser thread failed: {e}");
                }
            }
            tx
        });
    let (tx, rx) = tokio::sync::oneshot::channel();
    let wrapped: Job = Box::new(move || {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            crate::work::within(limit, job)
        }));
        let _ = tx.send(result);
    });
    if POOL.send(wrapped).is_err() {
        return Err(CpuError::Failed("the parser threads are gone".into()));
    }
    match rx.await {
        Ok(Ok(Ok(v))) => Ok(v),
        Ok(Ok(Err(exceeded))) => Err(CpuError::TooSlow(exceeded)),
        Ok(Err(panic)) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown cause".into());
            Err(CpuError::Failed(format!("panicked: {msg}")))
        }
        Err(_) => Err(CpuError::Failed("no parser thread took the page".into())),
    }
}

/// A parse or extraction job that did not finish (a panic, caught on its thread).
#[derive(Debug)]
enum CpuError {
    /// It ran past `page_work_limit` and was stopped.
    TooSlow(crate::work::Exceeded),
    /// It panicked, or the pool is gone.
    Failed(String),
}

impl std::fmt::Display for CpuError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CpuError::TooSlow(e) => e.fmt(f),
            CpuError::Failed(m) => f.write_str(m),
        }
    }
}

async fn run_feed(
    config: &Config,
    feed: &FeedConfig,
    fetcher: &Fetcher,
    store: &Arc<Mutex<Store>>,
    status: &FeedStatus,
    now: DateTime<Utc>,
    opts: &RunOptions,
) -> Result<FeedSummary, FeedError> {
    let dry_run = opts.dry_run;
    let listing_key = feed.url.as_str();
    let (id, key) = (feed.id.clone(), listing_key.to_string());
    let (stored, (validators, not_before)) =
        on_db_thread(store, move |st| -> Result<_, StoreError> {
            Ok((st.items(&id)?, st.http_state(&key)?))
        })
        .await?;
    // A history that is gone (a deleted or emptied state file) while the feed's files
    // are still there is rebuilt from those files, so items that have left the listing
    // are not lost from the feed.
    let (stored, restored) = if stored.is_empty() {
        match restore::from_files(feed, &*Output::of(&config.settings)?, now).await {
            Some((items, file)) => {
                tracing::warn!(
                    "feed `{}`: the state file {} has no history for this feed, but {} \
                     exists: rebuilt {} items from it (ids and dates kept)",
                    feed.id,
                    config.settings.state_file.display(),
                    file,
                    items.len()
                );
                let guids: Vec<String> = items.iter().map(|s| s.item.guid.clone()).collect();
                (items, guids)
            }
            None => (stored, Vec::new()),
        }
    } else {
        (stored, Vec::new())
    };
    // A stored "retry not before" is honoured unless `--force` says otherwise. One more
    // than `MAX_STORED_RETRY_AFTER` ahead was not written by this version (which caps
    // what it stores): it is ignored rather than blocking the feed for years.
    let retry_cap = chrono::Duration::from_std(MAX_STORED_RETRY_AFTER).unwrap_or_default();
    match not_before.filter(|t| *t > now) {
        Some(until) if until > now + retry_cap => tracing::warn!(
            "feed `{}`: ignoring a stored retry time of {until}, more than {} ahead",
            feed.id,
            humantime::format_duration(MAX_STORED_RETRY_AFTER)
        ),
        Some(until) if opts.force => tracing::info!(
            "feed `{}`: the server asked not to retry before {until}; --force runs it anyway",
            feed.id
        ),
        Some(until) => {
            return Err(FetchError::NotBefore {
                url: feed.url.clone(),
                until,
            }
            .into())
        }
        None => {}
    }
    // Only ask for a 304 when the files it would keep are all there.
    let output = Output::of(&config.settings)?;
    let names: Vec<String> = feed
        .formats
        .iter()
        .map(|f| output.show(&f.file_name(&feed.id)))
        .collect();
    let recorded = if output.uses_recorded() {
        on_db_thread(store, move |st| st.published(&names)).await?
    } else {
        HashMap::new()
    };
    let files_present = feed
        .formats
        .iter()
        .all(|f| output.present(&f.file_name(&feed.id), &recorded));
    let conditional = (files_present && !stored.is_empty()).then_some(&validators);
    let listing = match fetch_listing(feed, fetcher, conditional, now).await {
        Ok(l) => l,
        Err(FeedError::Fetch(FetchError::RetryLater { url, wait, status })) => {
            if !dry_run {
                // A server's wish is stored for a day at most: one answer must not block
                // a feed for longer than that.
                let stored = wait.min(MAX_STORED_RETRY_AFTER);
                if stored < wait {
                    tracing::warn!(
                        "feed `{}`: {url} asked to wait {}s; waiting {} (the cap) instead",
                        feed.id,
                        wait.as_secs(),
                        humantime::format_duration(MAX_STORED_RETRY_AFTER)
                    );
                }
                let until = now + chrono::Duration::from_std(stored).unwrap_or_default();
                let key = url.to_string();
                on_db_thread(store, move |st| st.set_retry_not_before(&key, until)).await?;
            }
            return Err(FetchError::RetryLater { url, status, wait }.into());
        }
        Err(e) => return Err(e),
    };

    let mut by_guid: HashMap<String, StoredItem> = stored
        .into_iter()
        .map(|s| (s.item.guid.clone(), s))
        .collect();
    let before_window = items::publish_window(&by_guid, feed, now);
    let known_lengths = items::known_lengths(&by_guid);
    let mut summary = FeedSummary::default();
    let mut update = FeedUpdate {
        feed: feed.id.clone(),
        keep: MIN_HISTORY.max(feed.max_items * 10),
        ..FeedUpdate::default()
    };
    // Without a new listing (304), the title, description and home page are the ones
    // stored from the last listing that was read.
    let mut page_title = status.title.clone();
    let mut page_description = status.description.clone();
    let mut home_page = status
        .home_page
        .as_deref()
        .and_then(|h| Url::parse(h).ok())
        .unwrap_or_else(|| feed.url.clone());
    match listing {
        None => summary.not_modified = true,
        Some(listing) => {
            summary.method = listing.discovery.method.clone();
            // A listing's title and description (`<title>`, `og:site_name`, meta
            // description, a source feed's channel) are capped like an item's.
            page_title = cap(
                listing.discovery.page_title.clone(),
                extract::MAX_TITLE_CHARS,
            );
            page_description = cap(
                listing.discovery.page_description.clone(),
                extract::MAX_SUMMARY_CHARS,
            );
            // The listing's own canonical address is the feed's home page (for a listing
            // read from disk, its public address).
            home_page = listing
                .discovery
                .page_canonical
                .clone()
                .unwrap_or_else(|| feed.url.clone());
            update.title = page_title.clone();
            update.description = page_description.clone();
            update.home_page = Some(home_page.to_string());
            update.listing_validators = Some((listing_key.to_string(), listing.validators.clone()));
            let listed: Vec<ListedItem> = listing
                .discovery
                .items
                .into_iter()
                .take(feed.max_items)
                .collect();
            let by_listed: HashMap<&str, &str> = by_guid
                .values()
                .map(|s| (s.listed_link.as_str(), s.item.guid.as_str()))
                .collect();
            // Which listed items need their page fetched.
            let known: Vec<Option<String>> = listed
                .iter()
                .map(|li| {
                    by_listed
                        .get(li.link.as_str())
                        .map(|g| g.to_string())
                        .or_else(|| {
                            by_guid
                                .contains_key(li.link.as_str())
                                .then(|| li.link.to_string())
                        })
                })
                .collect();
            let needs_page = |i: usize| -> bool {
                if !feed.follow {
                    return false;
                }
                match known[i].as_ref().and_then(|g| by_guid.get(g)) {
                    None => true,
                    Some(s) => match (s.extracted_at, feed.refresh_after) {
                        (None, _) => true,
                        (Some(_), Some(age)) => {
                            now - s.first_seen < chrono::Duration::from_std(age).unwrap_or_default()
                        }
                        (Some(_), None) => false,
                    },
                }
            };
            let to_fetch: Vec<usize> = (0..listed.len()).filter(|&i| needs_page(i)).collect();
            let fetched: Vec<(usize, Option<Extracted>)> = stream::iter(to_fetch)
                .map(|i| {
                    let link = &listed[i].link;
                    async move {
                        let e = fetch_item(feed, fetcher, link, now).await;
                        if let Some(p) = &opts.progress {
                            p.page_done();
                        }
                        (i, e)
                    }
                })
                .buffer_unordered(config.settings.concurrency)
                .collect()
                .await;
            let mut pages: Vec<Option<Option<Extracted>>> = vec![None; listed.len()];
            for (i, e) in fetched {
                if e.is_none() {
                    summary.item_errors += 1;
                } else {
                    summary.pages_extracted += 1;
                }
                pages[i] = Some(e);
            }
            let trust = Trust::of(feed);
            let site = Site {
                listing: &feed.url,
                home: Some(&home_page),
                allow_hosts: &feed.allow_hosts,
            };
            // Guids already taken by earlier items of this listing.
            let mut claimed: std::collections::HashSet<String> = std::collections::HashSet::new();
            for (i, (li, page)) in listed.iter().zip(pages).enumerate() {
                let prev_guid = known[i].clone();
                if let Some(g) = &prev_guid {
                    claimed.insert(g.clone());
                }
                let page = match (page, prev_guid.as_ref().and_then(|g| by_guid.get_mut(g))) {
                    (Some(page), _) => page,
                    // Known item, not refetched: only its sighting moves.
                    (None, Some(s)) => {
                        s.last_seen = now;
                        update.items.push(s.clone());
                        continue;
                    }
                    // New item that is not followed: published from the listing alone.
                    (None, None) => None,
                };
                let mut fresh = merge(li, page.as_ref(), trust, &site);
                let sources = page.as_ref().map(field_sources).unwrap_or_default();
                // Two listed links whose pages name the same canonical URL (a site that
                // points every canonical at one page) stay two items: the later one
                // keeps its own link.
                if prev_guid.is_none() && !claimed.insert(fresh.guid.clone()) {
                    fresh.link = li.link.clone();
                    fresh.guid = li.link.to_string();
                    claimed.insert(fresh.guid.clone());
                }
                // An item keeps the guid it was first stored under.
                let guid = prev_guid.unwrap_or_else(|| fresh.guid.clone());
                let entry = match by_guid.get(&guid).cloned() {
                    Some(mut old) => {
                        let mut item = fresh;
                        item.guid = old.item.guid.clone();
                        item.link = old.item.link.clone();
                        // A stored date never moves; a page that newly shows one may set it.
                        item.published = old.item.published.or(item.published);
                        let changed = item.title != old.item.title
                            || item.summary != old.item.summary
                            || item.content_html != old.item.content_html
                            || item.authors != old.item.authors;
                        if changed && page.is_some() {
                            old.changed_at = now;
                            summary
                                .changed
                                .push((item.link.to_string(), item.title.clone()));
                        }
                        old.item = item;
                        old.last_seen = now;
                        if page.is_some() {
                            old.extracted_at = Some(now);
                            old.sources = sources;
                        }
                        old
                    }
                    None => {
                        let mut item = fresh;
                        item.guid = guid.clone();
                        summary
                            .added
                            .push((item.link.to_string(), item.title.clone()));
                        // Undated items are ordered as the listing shows them: the
                        // first is the newest. The time is stored once and never moves.
                        let first_seen = now - chrono::Duration::seconds(i as i64);
                        StoredItem {
                            item,
                            listed_link: li.link.to_string(),
                            sources,
                            first_seen,
                            last_seen: now,
                            extracted_at: page.is_some().then_some(now),
                            changed_at: first_seen,
                            filtered: None,
                        }
                    }
                };
                by_guid.insert(guid, entry.clone());
                update.items.push(entry);
            }
        }
    }
    if !dry_run {
        let fresh = update.items.iter_mut().map(|s| &mut s.item);
        let n = config.settings.concurrency;
        items::fill_lengths(feed, fetcher, known_lengths, fresh, n).await;
        for s in &update.items {
            by_guid.insert(s.item.guid.clone(), s.clone());
        }
    }
    // Every run that publishes passes the expectations. A 304 publishes the listing last
    // read again, so the items that listing showed (all seen last at the same time) are
    // held to them: a raised `min_items` or a history that is not there fails here too.
    let this_run: Vec<&StoredItem> = if summary.not_modified {
        let last_read = by_guid.values().map(|s| s.last_seen).max();
        by_guid
            .values()
            .filter(|s| Some(s.last_seen) == last_read)
            .collect()
    } else {
        update.items.iter().collect()
    };
    // `[feed.expect]` counts what the files publish: the items the filter keeps.
    let this_run: Vec<&StoredItem> = this_run
        .into_iter()
        .filter(|s| feed.rules.apply(&s.item, s.first_seen, now).1.is_none())
        .collect();
    check_expectations(feed, &this_run)?;
    // Rebuilt items the listing no longer shows are stored again as they were.
    summary.restored = restored.len();
    for guid in &restored {
        if !update.items.iter().any(|s| &s.item.guid == guid) {
            if let Some(s) = by_guid.get(guid) {
                update.items.push(s.clone());
            }
        }
    }
    summary.filtered = items::mark_filtered(&mut by_guid, &mut update.items, feed, now);
    let after_window = items::publish_window(&by_guid, feed, now);
    for (guid, s) in &before_window {
        if !after_window.iter().any(|(g, _)| g == guid) {
            summary
                .dropped
                .push((s.item.link.to_string(), s.item.title.clone()));
        }
    }
    // A filter or rewrite edited since the last run changes what the files show.
    let republished = before_window.len() != after_window.len()
        || before_window
            .iter()
            .zip(&after_window)
            .any(|(a, b)| a.0 != b.0 || a.1.item != b.1.item);
    update.content_changed = !summary.added.is_empty()
        || !summary.changed.is_empty()
        || republished
        || status.content_updated.is_none();
    summary.items = after_window.len();
    if dry_run {
        return Ok(summary);
    }
    let content_changed = update.content_changed;
    on_db_thread(store, move |st| st.commit_feed(&update, now)).await?;
    let content_updated = if content_changed {
        now
    } else {
        status.content_updated.unwrap_or(now)
    };
    let status = FeedStatus {
        title: page_title,
        description: page_description,
        ..status.clone()
    };
    let out = build_feed(
        config,
        feed,
        &status,
        home_page,
        after_window,
        content_updated,
    );
    summary.files_written = write_feed_files(config, feed, store, &out).await?;
    Ok(summary)
}

/// The newest `max` items of a history: date (or first sighting) descending, then link.
fn window(items: &HashMap<String, StoredItem>, max: usize) -> Vec<(String, StoredItem)> {
    let mut v: Vec<(String, StoredItem)> =
        items.iter().map(|(g, s)| (g.clone(), s.clone())).collect();
    v.sort_by(|a, b| {
        b.1.sort_time()
            .cmp(&a.1.sort_time())
            .then_with(|| a.1.item.link.as_str().cmp(b.1.item.link.as_str()))
    });
    v.truncate(max);
    v
}

/// The item as a feed shows it: undated items carry their first sighting as date, and
/// an item whose content changed after it was first seen carries that as `updated`.
fn published_item(s: StoredItem) -> Item {
    let mut item = s.item;
    let utc = chrono::FixedOffset::east_opt(0).expect("zero offset is valid");
    if item.published.is_none() {
        item.published = Some(s.first_seen.with_timezone(&utc));
    }
    if s.changed_at > s.first_seen {
        let changed = s.changed_at.with_timezone(&utc);
        item.updated = Some(item.updated.map_or(changed, |u| u.max(changed)));
    }
    item
}

/// Which source won each field, for the history.
fn field_sources(e: &Extracted) -> HashMap<String, String> {
    e.verdicts
        .iter()
        .filter_map(|(f, v)| {
            Some((
                f.name().to_string(),
                e.candidates.get(v.winner?)?.source.clone(),
            ))
        })
        .collect()
}

/// Which side wins when the listing and the item's page both give a value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Trust {
    /// The listing's title, author and date win (the user's selectors picked them, or
    /// a feed declared them).
    listed_fields: bool,
    /// The listing's summary wins (only for selectors: a feed's summary is often the
    /// cut-short teaser the user wants replaced).
    listed_summary: bool,
}

impl Trust {
    pub(crate) fn of(feed: &FeedConfig) -> Trust {
        // The user's own selectors or JSONPath rules picked the listed values.
        let selectors = feed.items.is_some() || feed.source == Source::Json;
        Trust {
            listed_fields: selectors || feed.source == Source::Feed,
            listed_summary: selectors,
        }
    }
}

/// The site a feed's items belong to, for [`merge`]: the listing's URL, its public
/// address (the listing's canonical, for a saved page) and the feed's `allow_hosts`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Site<'a> {
    /// The feed's `url`.
    pub(crate) listing: &'a Url,
    /// The listing page's canonical URL, when it names one.
    pub(crate) home: Option<&'a Url>,
    /// The feed's `allow_hosts`.
    pub(crate) allow_hosts: &'a [String],
}

/// Combines what the listing showed with what the item's own page says. Values the
/// user's selectors picked (or a feed declared) win; otherwise the article page, which
/// says more, wins.
pub(crate) fn merge(
    li: &ListedItem,
    ex: Option<&Extracted>,
    trust: Trust,
    site: &Site<'_>,
) -> Item {
    let user_selectors = trust.listed_fields;
    // The page's canonical URL replaces the listed link only on the same site (the
    // item's, the listing's or its public address', or `allow_hosts`): a canonical to
    // another host would carry the item, link and id, off the site it was listed on.
    let link = ex
        .and_then(|e| e.canonical.clone())
        .filter(|c| c != site.listing && !(c.path() == "/" && li.link.path() != "/"))
        .filter(|c| {
            let mut sites = vec![&li.link, site.listing];
            sites.extend(site.home);
            discover::on_site(c, &sites, site.allow_hosts)
        })
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
    let media = items::merge_media(&li.media, ex, trust.listed_fields);
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
        // Listing values (selectors, a source feed, a sitemap) are capped here as the
        // extractor caps a page's, so every published title and summary is bounded.
        title: cap(
            pick(li.title.clone(), ex.and_then(|e| e.title.clone())),
            extract::MAX_TITLE_CHARS,
        ),
        authors: authors
            .into_iter()
            .map(|a| crate::text::truncate_chars(&a, extract::MAX_TITLE_CHARS))
            .collect(),
        published,
        // Only a modification after the publication is an update.
        updated: ex
            .and_then(|e| e.modified)
            .filter(|m| published.is_none_or(|p| *m > p)),
        summary: cap(
            if trust.listed_summary {
                li.summary
                    .clone()
                    .or_else(|| ex.and_then(|e| e.summary.clone()))
            } else {
                ex.and_then(|e| e.summary.clone())
                    .or_else(|| li.summary.clone())
            },
            extract::MAX_SUMMARY_CHARS,
        ),
        content_html: ex.and_then(|e| e.content_html.clone()),
        image: media.image,
        categories: media.categories,
        language: media.language,
        enclosures: media.enclosures,
    }
}

/// `s` cut to at most `max` characters (see [`crate::text::truncate_chars`]).
fn cap(s: Option<String>, max: usize) -> Option<String> {
    s.map(|s| crate::text::truncate_chars(&s, max))
}

/// A feed's title as published: the title limit of items applies.
fn cap_feed_title(s: String) -> String {
    crate::text::truncate_chars(&s, extract::MAX_TITLE_CHARS)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Another process writing the state file makes SQLite wait (up to its busy timeout)
    /// for the lock. That wait runs on a blocking thread: the runtime, here a single
    /// thread, goes on with other work meanwhile (which here is what ends the other
    /// process's transaction). Were the wait on the runtime's thread, the other work
    /// could not run until SQLite gave up, and the write would fail as "database is
    /// locked".
    #[test]
    fn a_database_wait_does_not_hold_the_async_runtime() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("state.sqlite");
        let location = StateLocation::Sqlite(path.clone());
        let store = Arc::new(Mutex::new(Store::open(&location).expect("state opens")));
        let other = rusqlite::Connection::open(&path).expect("second connection");
        other
            .execute_batch("BEGIN IMMEDIATE; INSERT INTO feeds (id) VALUES ('other');")
            .expect("the other process takes the write lock");
        let settings = Settings {
            state_file: path.clone(),
            output_dir: dir.path().join("feeds"),
            ..Settings::default()
        };
        let feed = FeedConfig::for_url(
            Url::parse("http://127.0.0.1:9/").expect("static URL"),
            &settings,
        );
        let config = Config {
            path: dir.path().join("pagefeed.toml"),
            settings,
            feeds: vec![feed.clone()],
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a test runtime starts");
        let now = Utc::now();
        rt.block_on(async {
            let release = async move {
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                other
                    .execute_batch("COMMIT")
                    .expect("the other process commits");
            };
            let write = record_failure(&config, &feed, &store, "fetch: boom", now);
            let ((), written) = tokio::join!(release, write);
            written.expect("the failure is recorded once the other process is done");
        });
        let mut st = store.lock().expect("store");
        let statuses = st.statuses().expect("statuses");
        assert_eq!(statuses["check"].consecutive_failures, 1);
        assert_eq!(statuses["check"].last_error.as_deref(), Some("fetch: boom"));
        assert!(statuses.contains_key("other"));
    }

    #[test]
    fn parser_pool_reports_a_panic_and_keeps_working() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a test runtime starts");
        rt.block_on(async {
            let limit = std::time::Duration::from_secs(60);
            let err = cpu(limit, || -> u32 { panic!("malformed page") })
                .await
                .expect_err("a panicking job is an error");
            assert_eq!(err.to_string(), "panicked: malformed page");
            // Every parser thread still takes jobs, in parallel.
            let jobs = (0..8u32).map(|i| cpu(limit, move || i * 2));
            let results = futures_util::future::join_all(jobs).await;
            let values: Vec<u32> = results.into_iter().map(|r| r.expect("job runs")).collect();
            assert_eq!(values, (0..8).map(|i| i * 2).collect::<Vec<_>>());
        });
    }
}
