//! The store: item history and HTTP state in one SQLite file.
//!
//! Contract: every item a feed has shown is kept with its first and last sighting and
//! where each field came from, so a feed file is the newest `max_items` of the history,
//! not a snapshot of the listing page; an item's guid and published date never change
//! once stored; validators (ETag, Last-Modified) and "retry not before" times are kept
//! per URL. All writes for one feed happen in one transaction ([`Store::commit_feed`]),
//! so a crash leaves the previous state whole. The schema is versioned with
//! `PRAGMA user_version` and migrated forward on open. No network, no HTML here.
//!
//! Two implementations sit behind one interface ([`Backend`], used through [`Store`]):
//! this module's SQLite file (the default, one process at a time under [`RunLock`]) and
//! PostgreSQL ([`postgres`]), shared by many processes that lease feeds from it. The
//! pipeline only sees [`Store`].

mod backend;
pub mod migrate;
pub mod postgres;
mod sqlite;

pub use backend::{
    Backend, Lease, Snapshot, StateLocation, Store, UrlState, SITE_FILES, STATE_URL_ENV,
};

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use url::Url;

use crate::fetch::Validators;
use crate::model::Item;

mod media;

/// Migrations, in order; `user_version` is the number applied.
const MIGRATIONS: &[&str] = &[
    // 1: item history, HTTP cache, feed status.
    "CREATE TABLE items (
        feed TEXT NOT NULL,
        guid TEXT NOT NULL,
        link TEXT NOT NULL,
        listed_link TEXT NOT NULL,
        title TEXT,
        authors TEXT NOT NULL DEFAULT '[]',
        published TEXT,
        modified TEXT,
        summary TEXT,
        content TEXT,
        sources TEXT NOT NULL DEFAULT '{}',
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        extracted_at TEXT,
        changed_at TEXT NOT NULL,
        sort_time TEXT NOT NULL,
        PRIMARY KEY (feed, guid)
    );
    CREATE INDEX items_listed ON items (feed, listed_link);
    CREATE TABLE http_cache (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        retry_not_before TEXT
    );
    CREATE TABLE feeds (
        id TEXT PRIMARY KEY,
        content_updated TEXT,
        last_success TEXT,
        last_failure TEXT,
        last_error TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        title TEXT,
        description TEXT,
        home_page TEXT,
        failing_since TEXT
    );",
    // 2: an item's image, categories, language and enclosures (`media`, JSON), and why
    // the feed's filter leaves it out of the files (`filtered`, NULL when published).
    "ALTER TABLE items ADD COLUMN media TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE items ADD COLUMN filtered TEXT;",
    // 3: the SHA-256 of each file last written to a bucket, by its `s3://` URL, so an
    // unchanged file is not uploaded again (the bucket is never read to decide).
    "CREATE TABLE published (
        file TEXT PRIMARY KEY,
        hash TEXT NOT NULL
    );",
];

/// Items kept per feed in the history, at least; older ones beyond this are pruned.
pub const MIN_HISTORY: usize = 500;

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be opened, read or written.
    #[error("store: {}: {cause}", path.display())]
    Sqlite {
        /// The state file.
        path: PathBuf,
        /// SQLite's error.
        cause: rusqlite::Error,
    },
    /// The folder for the state file could not be created.
    #[error("store: cannot create {}: {cause}", path.display())]
    Dir {
        /// The folder.
        path: PathBuf,
        /// The I/O error (in the message, with the operating system's reason).
        cause: std::io::Error,
    },
    /// Another run holds the lock.
    #[error("store: another pagefeed run holds {}; it ends on its own, or use --wait to wait for it", path.display())]
    Locked {
        /// The lock file.
        path: PathBuf,
    },
    /// The lock file could not be opened or locked.
    #[error("store: cannot lock {}: {cause}", path.display())]
    Lock {
        /// The lock file.
        path: PathBuf,
        /// The I/O error (in the message, with the operating system's reason).
        cause: std::io::Error,
    },
    /// The PostgreSQL server could not be reached, read or written.
    #[error("store: {url}: {}", postgres::message(cause))]
    Postgres {
        /// The state URL, without its password.
        url: String,
        /// The client's error.
        cause: ::postgres::Error,
    },
    /// `state_url` or `PAGEFEED_STATE_URL` is not a PostgreSQL URL.
    #[error("store: {key}: {message}")]
    StateUrl {
        /// The key or environment variable.
        key: String,
        /// What is wrong with it.
        message: String,
    },
    /// Another process took over this feed's lease (this one ran past its expiry), so
    /// this run's result is dropped rather than committed twice.
    #[error("store: feed `{feed}`: the lease was taken over by another process; this run's result is dropped")]
    LeaseLost {
        /// The feed id.
        feed: String,
    },
    /// The PostgreSQL schema was written by a newer pagefeed.
    #[error("store: {url} has schema version {found}, newer than this pagefeed knows ({known}); upgrade pagefeed")]
    TooNewServer {
        /// The state URL, without its password.
        url: String,
        /// Version in the database.
        found: i64,
        /// Newest version known.
        known: i64,
    },
    /// The file was written by a newer pagefeed.
    #[error("store: {} has schema version {found}, newer than this pagefeed knows ({known}); upgrade pagefeed", path.display())]
    TooNew {
        /// The state file.
        path: PathBuf,
        /// Version in the file.
        found: i64,
        /// Newest version known.
        known: i64,
    },
}

/// An item as stored, with its history.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredItem {
    /// The item as it is published.
    pub item: Item,
    /// The link the listing page showed (before canonicalisation by the item's page).
    pub listed_link: String,
    /// Where each field came from (`"title" → "json-ld headline"`).
    pub sources: HashMap<String, String>,
    /// When the item was first seen.
    pub first_seen: DateTime<Utc>,
    /// When it was last seen on the listing.
    pub last_seen: DateTime<Utc>,
    /// When its page was last extracted (`None`: published from the listing only).
    pub extracted_at: Option<DateTime<Utc>>,
    /// When its title, summary or content last changed.
    pub changed_at: DateTime<Utc>,
    /// Why the feed's `[feed.filter]` leaves it out of the files (as of the last run),
    /// `None` when it is published.
    pub filtered: Option<String>,
}

impl StoredItem {
    /// The time the item is ordered by: its date, else its first sighting.
    pub fn sort_time(&self) -> DateTime<Utc> {
        self.item
            .published
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or(self.first_seen)
    }
}

/// A feed's status row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeedStatus {
    /// The feed id.
    pub id: String,
    /// When the feed's content last changed.
    pub content_updated: Option<DateTime<Utc>>,
    /// Last successful run.
    pub last_success: Option<DateTime<Utc>>,
    /// Last failed run.
    pub last_failure: Option<DateTime<Utc>>,
    /// Why it last failed.
    pub last_error: Option<String>,
    /// Failures since the last success.
    pub consecutive_failures: u32,
    /// Items in the history.
    pub items: usize,
    /// The listing page's title when it was last read.
    pub title: Option<String>,
    /// The listing page's description when it was last read.
    pub description: Option<String>,
    /// The feed's home page when the listing was last read.
    pub home_page: Option<String>,
    /// When the current run of failures began.
    pub failing_since: Option<DateTime<Utc>>,
    /// A process that shared the state took the feed's lease and let it lapse (it died
    /// mid-run, perhaps between commit and writing the files): due now, whatever its
    /// last run says. Always `false` for the SQLite file.
    pub lease_lapsed: bool,
}

impl FeedStatus {
    /// The last run, successful or not.
    pub fn last_attempt(&self) -> Option<DateTime<Utc>> {
        self.last_success.max(self.last_failure)
    }
}

/// The SQLite state file.
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
}

fn ts(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn parse_ts(s: Option<String>) -> Option<DateTime<Utc>> {
    s.and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
        .map(|d| d.with_timezone(&Utc))
}

/// A `feeds` row (id, content_updated, last_success, last_failure, last_error,
/// consecutive_failures, title, description, home_page, failing_since) as a status
/// without its item count.
fn status_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<FeedStatus> {
    Ok(FeedStatus {
        id: r.get(0)?,
        content_updated: parse_ts(r.get(1)?),
        last_success: parse_ts(r.get(2)?),
        last_failure: parse_ts(r.get(3)?),
        last_error: r.get(4)?,
        consecutive_failures: r.get::<_, i64>(5)?.max(0) as u32,
        title: r.get(6)?,
        description: r.get(7)?,
        home_page: r.get(8)?,
        failing_since: parse_ts(r.get(9)?),
        items: 0,
        lease_lapsed: false,
    })
}

fn parse_fixed(s: Option<String>) -> Option<DateTime<FixedOffset>> {
    s.and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
}

impl SqliteStore {
    /// Opens (creating if needed) and migrates the state file.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|cause| StoreError::Dir {
                path: dir.to_path_buf(),
                cause,
            })?;
        }
        let conn = Connection::open(path).map_err(|cause| StoreError::Sqlite {
            path: path.to_path_buf(),
            cause,
        })?;
        let mut store = SqliteStore {
            conn,
            path: path.to_path_buf(),
        };
        store.init()?;
        Ok(store)
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        |cause| StoreError::Sqlite {
            path: self.path.clone(),
            cause,
        }
    }

    fn init(&mut self) -> Result<(), StoreError> {
        let path = self.path.clone();
        let e = |cause| StoreError::Sqlite {
            path: path.clone(),
            cause,
        };
        // WAL: readers never block the writer and a kill -9 loses at most the open
        // transaction; busy_timeout lets a second process wait briefly for the lock.
        self.conn
            .execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;")
            .map_err(e)?;
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(e)?;
        let known = MIGRATIONS.len() as i64;
        if version > known {
            return Err(StoreError::TooNew {
                path,
                found: version,
                known,
            });
        }
        let tx = self.conn.transaction().map_err(e)?;
        for (i, m) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(m).map_err(e)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)
                .map_err(e)?;
        }
        tx.commit().map_err(e)?;
        Ok(())
    }

    /// Every stored item of a feed, keyed by guid.
    pub fn items(&self, feed: &str) -> Result<Vec<StoredItem>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT guid, link, listed_link, title, authors, published, modified, summary,
                        content, sources, first_seen, last_seen, extracted_at, changed_at,
                        media, filtered
                 FROM items WHERE feed = ?1",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([feed], |r| {
                let link: String = r.get(1)?;
                Ok((
                    r.get::<_, String>(0)?,
                    link,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, Option<String>>(8)?,
                    r.get::<_, String>(9)?,
                    r.get::<_, String>(10)?,
                    r.get::<_, String>(11)?,
                    r.get::<_, Option<String>>(12)?,
                    r.get::<_, String>(13)?,
                    (r.get::<_, String>(14)?, r.get::<_, Option<String>>(15)?),
                ))
            })
            .map_err(self.err())?;
        let mut out = Vec::new();
        for row in rows {
            let (
                guid,
                link,
                listed,
                title,
                authors,
                published,
                modified,
                summary,
                content,
                sources,
                first,
                last,
                extracted,
                changed,
                (media, filtered),
            ) = row.map_err(self.err())?;
            // A row whose link no longer parses is skipped rather than failing the feed.
            let Ok(link) = Url::parse(&link) else {
                continue;
            };
            let first_seen = parse_ts(Some(first)).unwrap_or_default();
            let mut item = Item {
                guid,
                link,
                title,
                authors: serde_json::from_str(&authors).unwrap_or_default(),
                published: parse_fixed(published),
                updated: parse_fixed(modified),
                summary,
                content_html: content,
                image: None,
                categories: Vec::new(),
                language: None,
                enclosures: Vec::new(),
            };
            media::apply(&media, &mut item);
            out.push(StoredItem {
                item,
                listed_link: listed,
                sources: serde_json::from_str(&sources).unwrap_or_default(),
                first_seen,
                last_seen: parse_ts(Some(last)).unwrap_or(first_seen),
                extracted_at: parse_ts(extracted),
                changed_at: parse_ts(Some(changed)).unwrap_or(first_seen),
                filtered,
            });
        }
        Ok(out)
    }

    /// Validators and retry time stored for a URL.
    pub fn http_state(&self, url: &str) -> Result<(Validators, Option<DateTime<Utc>>), StoreError> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT etag, last_modified, retry_not_before FROM http_cache WHERE url = ?1",
            )
            .map_err(self.err())?
            .query_row([url], |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            })
            .optional()
            .map_err(self.err())?;
        Ok(match row {
            Some((etag, last_modified, retry)) => (
                Validators {
                    etag,
                    last_modified,
                },
                parse_ts(retry),
            ),
            None => (Validators::default(), None),
        })
    }

    /// Every URL with a stored "retry not before" time (from a long `Retry-After`), in
    /// one query.
    pub fn retry_times(&self) -> Result<HashMap<String, DateTime<Utc>>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT url, retry_not_before FROM http_cache WHERE retry_not_before IS NOT NULL",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
            })
            .map_err(self.err())?;
        let mut out = HashMap::new();
        for row in rows {
            let (url, when) = row.map_err(self.err())?;
            if let Some(when) = parse_ts(when) {
                out.insert(url, when);
            }
        }
        Ok(out)
    }

    /// A feed's status: one row of each table, not every feed's (see [`Store::statuses`]).
    pub fn status(&self, feed: &str) -> Result<FeedStatus, StoreError> {
        let items: i64 = self
            .conn
            .prepare_cached("SELECT COUNT(*) FROM items WHERE feed = ?1")
            .map_err(self.err())?
            .query_row([feed], |r| r.get(0))
            .map_err(self.err())?;
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, content_updated, last_success, last_failure, last_error, consecutive_failures,
                        title, description, home_page, failing_since FROM feeds WHERE id = ?1",
            )
            .map_err(self.err())?;
        let status = stmt
            .query_row([feed], status_row)
            .optional()
            .map_err(self.err())?;
        let mut status = status.unwrap_or_else(|| FeedStatus {
            id: feed.to_string(),
            ..FeedStatus::default()
        });
        status.items = items.max(0) as usize;
        Ok(status)
    }

    /// Per feed, how many stored items have a title, an author, a date and a summary,
    /// and how many there are: `[title, author, date, summary, all]`. One query, for
    /// `pagefeed status`.
    pub fn coverage(&self) -> Result<HashMap<String, [usize; 5]>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT feed, COUNT(title), SUM(authors <> '[]'), COUNT(published),
                        COUNT(summary), COUNT(*)
                 FROM items GROUP BY feed",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| {
                let mut n = [0usize; 5];
                for (i, v) in n.iter_mut().enumerate() {
                    *v = r.get::<_, Option<i64>>(i + 1)?.unwrap_or(0).max(0) as usize;
                }
                Ok((r.get::<_, String>(0)?, n))
            })
            .map_err(self.err())?;
        let mut out = HashMap::new();
        for row in rows {
            let (feed, n) = row.map_err(self.err())?;
            out.insert(feed, n);
        }
        Ok(out)
    }

    /// Every stored feed's status, with its item count, in one pass.
    pub fn statuses(&self) -> Result<HashMap<String, FeedStatus>, StoreError> {
        let mut counts: HashMap<String, usize> = HashMap::new();
        {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT feed, COUNT(*) FROM items GROUP BY feed")
                .map_err(self.err())?;
            let rows = stmt
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
                .map_err(self.err())?;
            for row in rows {
                let (feed, n) = row.map_err(self.err())?;
                counts.insert(feed, n.max(0) as usize);
            }
        }
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, content_updated, last_success, last_failure, last_error, consecutive_failures,
                        title, description, home_page, failing_since FROM feeds",
            )
            .map_err(self.err())?;
        let rows = stmt.query_map([], status_row).map_err(self.err())?;
        let rows: Vec<FeedStatus> = rows.collect::<Result<_, _>>().map_err(self.err())?;
        Ok(with_counts(rows, counts))
    }

    /// Records a failed run of a feed (its items stay as they were).
    pub fn record_failure(
        &mut self,
        feed: &str,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO feeds (id, last_failure, last_error, consecutive_failures, failing_since)
                 VALUES (?1, ?2, ?3, 1, ?2)
                 ON CONFLICT(id) DO UPDATE SET last_failure = ?2, last_error = ?3,
                    consecutive_failures = consecutive_failures + 1,
                    failing_since = COALESCE(failing_since, ?2)",
                params![feed, ts(&now), error],
            )
            .map_err(self.err())?;
        Ok(())
    }

    /// Records that a URL must not be requested before `when` (a long `Retry-After`).
    pub fn set_retry_not_before(
        &mut self,
        url: &str,
        when: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO http_cache (url, retry_not_before) VALUES (?1, ?2)
                 ON CONFLICT(url) DO UPDATE SET retry_not_before = ?2",
                params![url, ts(&when)],
            )
            .map_err(self.err())?;
        Ok(())
    }

    /// Applies one feed's successful update in a single transaction: upserts the
    /// items, stores the listing's validators, prunes old history and updates the
    /// feed's status. `content_changed` moves the feed's `content_updated` to `now`.
    pub fn commit_feed(
        &mut self,
        update: &FeedUpdate,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let path = self.path.clone();
        let e = |cause| StoreError::Sqlite {
            path: path.clone(),
            cause,
        };
        let tx = self.conn.transaction().map_err(e)?;
        {
            let mut upsert = tx
                .prepare_cached(
                    "INSERT INTO items (feed, guid, link, listed_link, title, authors, published, modified,
                        summary, content, sources, first_seen, last_seen, extracted_at, changed_at, sort_time,
                        media, filtered)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)
                     ON CONFLICT(feed, guid) DO UPDATE SET link = ?3, listed_link = ?4, title = ?5,
                        authors = ?6, published = ?7, modified = ?8, summary = ?9, content = ?10,
                        sources = ?11, last_seen = ?13, extracted_at = ?14, changed_at = ?15,
                        sort_time = ?16, media = ?17, filtered = ?18",
                )
                .map_err(e)?;
            for s in &update.items {
                let it = &s.item;
                upsert
                    .execute(params![
                        update.feed,
                        it.guid,
                        it.link.as_str(),
                        s.listed_link,
                        it.title,
                        serde_json::to_string(&it.authors).unwrap_or_else(|_| "[]".into()),
                        it.published.map(|d| d.to_rfc3339()),
                        it.updated.map(|d| d.to_rfc3339()),
                        it.summary,
                        it.content_html,
                        serde_json::to_string(&s.sources).unwrap_or_else(|_| "{}".into()),
                        ts(&s.first_seen),
                        ts(&s.last_seen),
                        s.extracted_at.as_ref().map(ts),
                        ts(&s.changed_at),
                        ts(&s.sort_time()),
                        media::to_json(it),
                        s.filtered,
                    ])
                    .map_err(e)?;
            }
        }
        if let Some((url, v)) = &update.listing_validators {
            tx.execute(
                "INSERT INTO http_cache (url, etag, last_modified, retry_not_before) VALUES (?1, ?2, ?3, NULL)
                 ON CONFLICT(url) DO UPDATE SET etag = ?2, last_modified = ?3, retry_not_before = NULL",
                params![url, v.etag, v.last_modified],
            )
            .map_err(e)?;
        }
        // Prune: keep the newest `keep` items by their sort time.
        tx.execute(
            "DELETE FROM items WHERE feed = ?1 AND guid NOT IN (
                SELECT guid FROM items WHERE feed = ?1
                ORDER BY sort_time DESC LIMIT ?2)",
            params![update.feed, update.keep as i64],
        )
        .map_err(e)?;
        let content_updated = if update.content_changed {
            Some(ts(&now))
        } else {
            None
        };
        tx.execute(
            "INSERT INTO feeds (id, content_updated, last_success, consecutive_failures, title, description, home_page)
             VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6)
             ON CONFLICT(id) DO UPDATE SET content_updated = COALESCE(?2, content_updated),
                last_success = ?3, consecutive_failures = 0, failing_since = NULL, title = COALESCE(?4, title),
                description = COALESCE(?5, description), home_page = COALESCE(?6, home_page)",
            params![update.feed, content_updated, ts(&now), update.title, update.description, update.home_page],
        )
        .map_err(e)?;
        tx.commit().map_err(e)?;
        Ok(())
    }
}

/// Status rows with their item counts, plus a row for each feed that has items but no
/// status row.
fn with_counts(
    rows: Vec<FeedStatus>,
    mut counts: HashMap<String, usize>,
) -> HashMap<String, FeedStatus> {
    let mut out: HashMap<String, FeedStatus> = rows
        .into_iter()
        .map(|mut st| {
            st.items = counts.remove(&st.id).unwrap_or(0);
            (st.id.clone(), st)
        })
        .collect();
    for (feed, n) in counts {
        out.insert(
            feed.clone(),
            FeedStatus {
                id: feed,
                items: n,
                ..FeedStatus::default()
            },
        );
    }
    out
}

/// One feed's changes, applied by [`Store::commit_feed`].
#[derive(Debug, Clone, Default)]
pub struct FeedUpdate {
    /// The feed id.
    pub feed: String,
    /// Items to insert or update.
    pub items: Vec<StoredItem>,
    /// The listing page's URL and validators, for the next conditional GET.
    pub listing_validators: Option<(String, Validators)>,
    /// Whether anything a reader sees changed.
    pub content_changed: bool,
    /// History kept for the feed.
    pub keep: usize,
    /// The listing's title, when it was read.
    pub title: Option<String>,
    /// The listing's description, when it was read.
    pub description: Option<String>,
    /// The feed's home page, when the listing was read.
    pub home_page: Option<String>,
}

/// An exclusive lock next to the state file, held for a whole run so two overlapping
/// runs (cron firing while the last run is still busy) never work on the same feeds.
/// The operating system releases it when the process ends, even on `kill -9`.
pub struct RunLock {
    _file: std::fs::File,
}

impl RunLock {
    /// Takes the lock beside `state_file`; with `wait`, blocks until it is free.
    pub fn acquire(state_file: &Path, wait: bool) -> Result<RunLock, StoreError> {
        let path = state_file.with_extension("lock");
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|cause| StoreError::Dir {
                path: dir.to_path_buf(),
                cause,
            })?;
        }
        let lock_err = |cause| StoreError::Lock {
            path: path.clone(),
            cause,
        };
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(lock_err)?;
        if wait {
            file.lock().map_err(lock_err)?;
        } else {
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => return Err(StoreError::Locked { path }),
                Err(std::fs::TryLockError::Error(e)) => return Err(lock_err(e)),
            }
        }
        Ok(RunLock { _file: file })
    }
}
