//! One feed's run, as named steps: load its history (or rebuild it from the files),
//! honour a stored retry time, fetch the listing, fetch the item pages that need it,
//! reconcile the listing with the history, hold the result to `[feed.expect]`, commit
//! the state and write the files. And the failure path: record it, and after
//! `alert_after` failures put the warning item in the files.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use futures_util::stream::{self, StreamExt};
use url::Url;

use super::parse_pool::on_db_thread;
use super::RunOptions;
use super::{fetch_item, fetch_listing, items, restore, FeedError, FeedSummary, Listing};
use crate::config::{Config, FeedConfig};
use crate::discover::ListedItem;
use crate::extract::{self, Extracted};
use crate::fetch::{FetchError, Fetcher, Validators, MAX_STORED_RETRY_AFTER};
use crate::model::Feed;
use crate::reconcile::{self, cap, cap_feed_title, merge, Site, Trust};
use crate::store::{FeedStatus, FeedUpdate, Store, StoreError, StoredItem, MIN_HISTORY};
use crate::write::{self, site, Output};

/// Runs one feed: see the module documentation for the steps.
pub(super) async fn run_feed(
    config: &Config,
    feed: &FeedConfig,
    fetcher: &Fetcher,
    store: &Arc<Mutex<Store>>,
    status: &FeedStatus,
    now: DateTime<Utc>,
    opts: &RunOptions,
) -> Result<FeedSummary, FeedError> {
    let dry_run = opts.dry_run;
    let history = load_history(config, feed, store, now).await?;
    honour_retry_time(feed, history.not_before, now, opts.force)?;
    let listing =
        fetch_listing_or_note_retry(config, feed, fetcher, store, &history, now, dry_run).await?;
    let History {
        stored, restored, ..
    } = history;

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
    let mut page = ListingPage::stored(feed, status);
    match listing {
        None => summary.not_modified = true,
        Some(listing) => {
            summary.method = listing.discovery.method.clone();
            page = ListingPage::read(feed, &listing);
            update.title = page.title.clone();
            update.description = page.description.clone();
            update.home_page = Some(page.home.to_string());
            let key = feed.url.as_str().to_string();
            update.listing_validators = Some((key, listing.validators.clone()));
            let listed: Vec<ListedItem> = listing
                .discovery
                .items
                .into_iter()
                .take(feed.max_items)
                .collect();
            let known = known_guids(&listed, &by_guid);
            let to_fetch: Vec<usize> = (0..listed.len())
                .filter(|&i| needs_page(feed, known[i].as_ref(), &by_guid, now))
                .collect();
            let pages = fetch_pages(
                config,
                feed,
                fetcher,
                &listed,
                to_fetch,
                now,
                opts,
                &mut summary,
            )
            .await;
            let listed = Listed {
                items: &listed,
                known,
                pages,
                home: &page.home,
            };
            reconcile_listed(feed, listed, &mut by_guid, &mut update, &mut summary, now);
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
    check_this_run(feed, &summary, &by_guid, &update, now)?;
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
    note_changes(
        status,
        &before_window,
        &after_window,
        &mut update,
        &mut summary,
    );
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
        title: page.title,
        description: page.description,
        ..status.clone()
    };
    let out = build_feed(
        config,
        feed,
        &status,
        page.home,
        after_window,
        content_updated,
    );
    summary.files_written = write_feed_files(config, feed, store, &out).await?;
    Ok(summary)
}

/// A feed's stored history and the listing's HTTP state, as a run starts.
struct History {
    /// The stored items (rebuilt from the files when the state had none).
    stored: Vec<StoredItem>,
    /// Guids of the items rebuilt from the files.
    restored: Vec<String>,
    /// The listing's stored validators.
    validators: Validators,
    /// The server's stored "retry not before".
    not_before: Option<DateTime<Utc>>,
}

/// Reads the feed's history and the listing's HTTP state. A history that is gone (a
/// deleted or emptied state file) while the feed's files are still there is rebuilt
/// from those files, so items that have left the listing are not lost from the feed.
async fn load_history(
    config: &Config,
    feed: &FeedConfig,
    store: &Arc<Mutex<Store>>,
    now: DateTime<Utc>,
) -> Result<History, FeedError> {
    let (id, key) = (feed.id.clone(), feed.url.as_str().to_string());
    let (stored, (validators, not_before)) =
        on_db_thread(store, move |st| -> Result<_, StoreError> {
            Ok((st.items(&id)?, st.http_state(&key)?))
        })
        .await?;
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
    Ok(History {
        stored,
        restored,
        validators,
        not_before,
    })
}

/// A stored "retry not before" is honoured unless `--force` says otherwise. One more
/// than `MAX_STORED_RETRY_AFTER` ahead was not written by this version (which caps
/// what it stores): it is ignored rather than blocking the feed for years.
fn honour_retry_time(
    feed: &FeedConfig,
    not_before: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    force: bool,
) -> Result<(), FeedError> {
    let retry_cap = chrono::Duration::from_std(MAX_STORED_RETRY_AFTER).unwrap_or_default();
    match not_before.filter(|t| *t > now) {
        Some(until) if until > now + retry_cap => tracing::warn!(
            "feed `{}`: ignoring a stored retry time of {until}, more than {} ahead",
            feed.id,
            humantime::format_duration(MAX_STORED_RETRY_AFTER)
        ),
        Some(until) if force => tracing::info!(
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
    Ok(())
}

/// Fetches the listing, conditionally when the files a 304 would keep are all there. A
/// server that asks to be left alone has its wish stored (outside a dry run).
async fn fetch_listing_or_note_retry(
    config: &Config,
    feed: &FeedConfig,
    fetcher: &Fetcher,
    store: &Arc<Mutex<Store>>,
    history: &History,
    now: DateTime<Utc>,
    dry_run: bool,
) -> Result<Option<Listing>, FeedError> {
    // Only ask for a 304 when the files it would keep are all there.
    let output = Output::of(&config.settings)?;
    let recorded = recorded_hashes(feed, store, &output).await?;
    let files_present = feed
        .formats
        .iter()
        .all(|f| output.present(&f.file_name(&feed.id), &recorded));
    let conditional = (files_present && !history.stored.is_empty()).then_some(&history.validators);
    match fetch_listing(feed, fetcher, conditional, now).await {
        Ok(l) => Ok(l),
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
            Err(FetchError::RetryLater { url, status, wait }.into())
        }
        Err(e) => Err(e),
    }
}

/// What the files say about the listing page: its title, description and home page.
struct ListingPage {
    title: Option<String>,
    description: Option<String>,
    home: Url,
}

impl ListingPage {
    /// The values stored from the last listing that was read.
    fn stored(feed: &FeedConfig, status: &FeedStatus) -> ListingPage {
        ListingPage {
            title: status.title.clone(),
            description: status.description.clone(),
            home: status
                .home_page
                .as_deref()
                .and_then(|h| Url::parse(h).ok())
                .unwrap_or_else(|| feed.url.clone()),
        }
    }

    /// The values of a listing just read.
    fn read(feed: &FeedConfig, listing: &Listing) -> ListingPage {
        ListingPage {
            // A listing's title and description (`<title>`, `og:site_name`, meta
            // description, a source feed's channel) are capped like an item's.
            title: cap(
                listing.discovery.page_title.clone(),
                extract::MAX_TITLE_CHARS,
            ),
            description: cap(
                listing.discovery.page_description.clone(),
                extract::MAX_SUMMARY_CHARS,
            ),
            // The listing's own canonical address is the feed's home page (for a listing
            // read from disk, its public address).
            home: listing
                .discovery
                .page_canonical
                .clone()
                .unwrap_or_else(|| feed.url.clone()),
        }
    }
}

/// For each listed item, the guid of the stored item it is (by its listed link, or by a
/// guid equal to the link).
fn known_guids(
    listed: &[ListedItem],
    by_guid: &HashMap<String, StoredItem>,
) -> Vec<Option<String>> {
    let by_listed: HashMap<&str, &str> = by_guid
        .values()
        .map(|s| (s.listed_link.as_str(), s.item.guid.as_str()))
        .collect();
    listed
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
        .collect()
}

/// Whether a listed item's page is fetched: followed feeds fetch new items, items never
/// extracted, and (with `refresh_after`) items younger than that.
fn needs_page(
    feed: &FeedConfig,
    known: Option<&String>,
    by_guid: &HashMap<String, StoredItem>,
    now: DateTime<Utc>,
) -> bool {
    if !feed.follow {
        return false;
    }
    match known.and_then(|g| by_guid.get(g)) {
        None => true,
        Some(s) => match (s.extracted_at, feed.refresh_after) {
            (None, _) => true,
            (Some(_), Some(age)) => {
                now - s.first_seen < chrono::Duration::from_std(age).unwrap_or_default()
            }
            (Some(_), None) => false,
        },
    }
}

/// Fetches and extracts the pages `to_fetch` names, concurrently under
/// `settings.concurrency`. Per listed item: `None` when not fetched, `Some(None)` when
/// the fetch failed.
#[allow(clippy::too_many_arguments)]
async fn fetch_pages(
    config: &Config,
    feed: &FeedConfig,
    fetcher: &Fetcher,
    listed: &[ListedItem],
    to_fetch: Vec<usize>,
    now: DateTime<Utc>,
    opts: &RunOptions,
    summary: &mut FeedSummary,
) -> Vec<Option<Option<Extracted>>> {
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
    pages
}

/// A read listing's items with what is known about each.
struct Listed<'a> {
    /// The first `max_items` listed items.
    items: &'a [ListedItem],
    /// The stored guid of each (see [`known_guids`]).
    known: Vec<Option<String>>,
    /// The page of each (see [`fetch_pages`]).
    pages: Vec<Option<Option<Extracted>>>,
    /// The listing's home page.
    home: &'a Url,
}

/// Merges each listed item with its page and its stored self: new items are added,
/// known ones updated (their guid, link and date kept), and every one goes into the
/// update.
fn reconcile_listed(
    feed: &FeedConfig,
    listed: Listed<'_>,
    by_guid: &mut HashMap<String, StoredItem>,
    update: &mut FeedUpdate,
    summary: &mut FeedSummary,
    now: DateTime<Utc>,
) {
    let trust = Trust::of(feed);
    let site = Site {
        listing: &feed.url,
        home: Some(listed.home),
        allow_hosts: &feed.allow_hosts,
    };
    let known = listed.known;
    // Guids already taken by earlier items of this listing.
    let mut claimed: HashSet<String> = HashSet::new();
    for (i, (li, page)) in listed.items.iter().zip(listed.pages).enumerate() {
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
        let sources = page
            .as_ref()
            .map(reconcile::field_sources)
            .unwrap_or_default();
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

/// Every run that publishes passes the expectations. A 304 publishes the listing last
/// read again, so the items that listing showed (all seen last at the same time) are
/// held to them: a raised `min_items` or a history that is not there fails here too.
/// `[feed.expect]` counts what the files publish: the items the filter keeps.
fn check_this_run(
    feed: &FeedConfig,
    summary: &FeedSummary,
    by_guid: &HashMap<String, StoredItem>,
    update: &FeedUpdate,
    now: DateTime<Utc>,
) -> Result<(), FeedError> {
    let this_run: Vec<&StoredItem> = if summary.not_modified {
        let last_read = by_guid.values().map(|s| s.last_seen).max();
        by_guid
            .values()
            .filter(|s| Some(s.last_seen) == last_read)
            .collect()
    } else {
        update.items.iter().collect()
    };
    let this_run: Vec<&StoredItem> = this_run
        .into_iter()
        .filter(|s| feed.rules.apply(&s.item, s.first_seen, now).1.is_none())
        .collect();
    reconcile::check_expectations(feed, &this_run).map_err(|message| FeedError::Expectation {
        feed: feed.id.clone(),
        message,
    })
}

/// Notes the items that left the published window and whether the content changed
/// (new or changed items, a window that differs, or a feed never published).
fn note_changes(
    status: &FeedStatus,
    before_window: &[(String, StoredItem)],
    after_window: &[(String, StoredItem)],
    update: &mut FeedUpdate,
    summary: &mut FeedSummary,
) {
    for (guid, s) in before_window {
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
            .zip(after_window)
            .any(|(a, b)| a.0 != b.0 || a.1.item != b.1.item);
    update.content_changed = !summary.added.is_empty()
        || !summary.changed.is_empty()
        || republished
        || status.content_updated.is_none();
    summary.items = after_window.len();
}

/// Records a failure; once a feed has failed `alert_after` times in a row its files get
/// a single warning item (same guid for the whole run of failures), so a reader sees it.
pub(super) async fn record_failure(
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
    let alert = reconcile::alert_item(feed, &status, since, home.clone(), error);
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
/// The SHA-256 the state recorded for each of the feed's files, by the name `output`
/// shows them under; empty for a local folder, whose files are checked on disk.
async fn recorded_hashes(
    feed: &FeedConfig,
    store: &Arc<Mutex<Store>>,
    output: &Output,
) -> Result<HashMap<String, String>, FeedError> {
    if !output.uses_recorded() {
        return Ok(HashMap::new());
    }
    let names: Vec<String> = feed
        .formats
        .iter()
        .map(|f| output.show(&f.file_name(&feed.id)))
        .collect();
    Ok(on_db_thread(store, move |st| st.published(&names)).await?)
}

async fn write_feed_files(
    config: &Config,
    feed: &FeedConfig,
    store: &Arc<Mutex<Store>>,
    out: &Feed,
) -> Result<usize, FeedError> {
    let output = Output::of(&config.settings)?;
    let recorded = recorded_hashes(feed, store, &output).await?;
    let written = write::write_feed(out, &feed.formats, &output, &recorded).await?;
    let n = written.len();
    if output.uses_recorded() && n > 0 {
        on_db_thread(store, move |st| st.record_published(&written)).await?;
    }
    Ok(n)
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
    let items: Vec<_> = items
        .into_iter()
        .map(|(_, s)| reconcile::published_item(s))
        .collect();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;
    use crate::store::StateLocation;

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
}
