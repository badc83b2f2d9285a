//! The state in PostgreSQL, shared by every pagefeed process that names the same
//! `state_url`, with feeds leased to one process at a time.
//!
//! Contract: the same tables (made by the SQLite file's own migrations, which are plain
//! SQL both engines run) and history rules as the SQLite file (times kept as the same
//! RFC 3339 text, so both sort and copy alike), one transaction per feed commit; the
//! schema is versioned in `pagefeed_schema` and migrated on open under an advisory
//! lock, so processes starting together migrate once. A lease is four columns of the
//! feed's row, taken with `SELECT … FOR UPDATE SKIP LOCKED` (two claimers never wait
//! for each other, and never both win), timed by the server's clock (hosts' clocks may
//! differ) and checked again when the run commits: a run whose lease another process
//! took over commits nothing ([`StoreError::LeaseLost`]). The URL's password never
//! appears in a message. Blocking client (`postgres`): call it off the async threads.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use postgres::{Client, NoTls, Row, Transaction};
use url::Url;

use super::backend::{redact, SITE_FILES};
use super::{
    parse_fixed, parse_ts, ts, Backend, FeedStatus, FeedUpdate, Lease, Snapshot, StoreError,
    StoredItem, UrlState, MIGRATIONS,
};
use crate::fetch::Validators;
use crate::model::Item;

/// Migrations of this store's own, after the SQLite file's (which PostgreSQL runs as
/// they are, `super::MIGRATIONS`): `pagefeed_schema.version` counts the shared ones
/// applied, `pagefeed_schema.own` these, so either list can grow on its own.
const OWN_MIGRATIONS: &[&str] = &[
    // 1: leases.
    "ALTER TABLE feeds ADD COLUMN lease_holder TEXT;
     ALTER TABLE feeds ADD COLUMN lease_host TEXT;
     ALTER TABLE feeds ADD COLUMN lease_since TIMESTAMPTZ;
     ALTER TABLE feeds ADD COLUMN lease_expires TIMESTAMPTZ;",
    // 2: the site files' lease (one row, `name = 'site'`).
    "CREATE TABLE site_lease (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        host TEXT NOT NULL,
        since TIMESTAMPTZ NOT NULL,
        expires TIMESTAMPTZ NOT NULL
     );",
];

/// Sets the recorded hashes of files (`$1` names, `$2` hashes).
const PUBLISHED_UPSERT: &str =
    "INSERT INTO published (file, hash) SELECT * FROM unnest($1::text[], $2::text[])
     ON CONFLICT (file) DO UPDATE SET hash = EXCLUDED.hash";

/// `(file, hash)` pairs as the two arrays [`PUBLISHED_UPSERT`] takes.
fn published_columns(files: &[(String, String)]) -> (Vec<&str>, Vec<&str>) {
    files.iter().map(|(f, h)| (f.as_str(), h.as_str())).unzip()
}

/// Key of the advisory lock held while migrating ("pagefeed" in ASCII, folded).
const MIGRATION_LOCK: i64 = 0x7061_6765_6665_6564;

/// The status columns of `feeds`, in [`status_of`]'s order.
const STATUS_COLUMNS: &str = "id, content_updated, last_success, last_failure, last_error,
    consecutive_failures, title, description, home_page, failing_since,
    (lease_holder IS NOT NULL AND lease_expires < now())";

/// A PostgreSQL state.
pub struct PgStore {
    /// Always `Some` but in [`Drop`].
    client: Option<Client>,
    /// The URL without its password, for messages.
    url: String,
    /// This process's lease identity (host, pid and start time).
    holder: String,
    /// What `pagefeed status` shows as the lease's host.
    host: String,
}

/// A client error as one line: the server's own message for a database error (the
/// client's `Display` says only "db error"), else the client's words and cause.
pub fn message(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return db.message().to_string();
    }
    match std::error::Error::source(e) {
        Some(cause) => format!("{e}: {cause}"),
        None => e.to_string(),
    }
}

/// Wraps a client error with the (password-free) URL.
fn pg_err(url: &str) -> impl Fn(postgres::Error) -> StoreError + Copy + '_ {
    move |cause| StoreError::Postgres {
        url: url.to_string(),
        cause,
    }
}

/// The client of a store not being dropped.
fn conn(client: &mut Option<Client>) -> &mut Client {
    client.as_mut().expect("the client is only taken on drop")
}

/// The machine's name, for the lease's host column.
fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into())
}

fn status_of(r: &Row) -> FeedStatus {
    let t = |i: usize| parse_ts(r.get::<_, Option<String>>(i));
    FeedStatus {
        id: r.get(0),
        content_updated: t(1),
        last_success: t(2),
        last_failure: t(3),
        last_error: r.get(4),
        consecutive_failures: r.get::<_, i32>(5).max(0) as u32,
        title: r.get(6),
        description: r.get(7),
        home_page: r.get(8),
        failing_since: t(9),
        items: 0,
        lease_lapsed: r.get::<_, Option<bool>>(10).unwrap_or(false),
    }
}

fn item_of(r: &Row) -> Option<StoredItem> {
    // A row whose link no longer parses is skipped rather than failing the feed.
    let link = Url::parse(r.get::<_, &str>(1)).ok()?;
    let first_seen = parse_ts(r.get(10)).unwrap_or_default();
    let mut item = Item {
        guid: r.get(0),
        link,
        title: r.get(3),
        authors: serde_json::from_str(r.get(4)).unwrap_or_default(),
        published: parse_fixed(r.get(5)),
        updated: parse_fixed(r.get(6)),
        summary: r.get(7),
        content_html: r.get(8),
        image: None,
        categories: Vec::new(),
        language: None,
        enclosures: Vec::new(),
    };
    super::media::apply(r.get(14), &mut item);
    Some(StoredItem {
        item,
        filtered: r.get(15),
        listed_link: r.get(2),
        sources: serde_json::from_str(r.get(9)).unwrap_or_default(),
        first_seen,
        last_seen: parse_ts(r.get(11)).unwrap_or(first_seen),
        extracted_at: parse_ts(r.get(12)),
        changed_at: parse_ts(r.get(13)).unwrap_or(first_seen),
    })
}

fn ts_opt(t: &Option<DateTime<Utc>>) -> Option<String> {
    t.as_ref().map(ts)
}

/// Inserts or updates a feed's items (the one upsert, for commits and imports).
fn upsert_items(
    tx: &mut Transaction<'_>,
    feed: &str,
    items: &[StoredItem],
) -> Result<(), postgres::Error> {
    let stmt = tx.prepare(
        "INSERT INTO items (feed, guid, link, listed_link, title, authors, published, modified,
            summary, content, sources, first_seen, last_seen, extracted_at, changed_at, sort_time,
            media, filtered)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
            $18)
         ON CONFLICT (feed, guid) DO UPDATE SET link = $3, listed_link = $4, title = $5,
            authors = $6, published = $7, modified = $8, summary = $9, content = $10,
            sources = $11, last_seen = $13, extracted_at = $14, changed_at = $15,
            sort_time = $16, media = $17, filtered = $18",
    )?;
    for s in items {
        let it = &s.item;
        tx.execute(
            &stmt,
            &[
                &feed,
                &it.guid,
                &it.link.as_str(),
                &s.listed_link,
                &it.title,
                &serde_json::to_string(&it.authors).unwrap_or_else(|_| "[]".into()),
                &it.published.map(|d| d.to_rfc3339()),
                &it.updated.map(|d| d.to_rfc3339()),
                &it.summary,
                &it.content_html,
                &serde_json::to_string(&s.sources).unwrap_or_else(|_| "{}".into()),
                &ts(&s.first_seen),
                &ts(&s.last_seen),
                &ts_opt(&s.extracted_at),
                &ts(&s.changed_at),
                &ts(&s.sort_time()),
                &super::media::to_json(it),
                &s.filtered,
            ],
        )?;
    }
    Ok(())
}

/// Seconds of a lease, as the interval PostgreSQL adds to `now()`.
fn ttl_secs(ttl: Duration) -> f64 {
    ttl.as_secs_f64().max(1.0)
}

impl PgStore {
    /// Connects and migrates the schema.
    pub fn open(url: &Url) -> Result<PgStore, StoreError> {
        let shown = redact(url);
        let err = |cause| StoreError::Postgres {
            url: shown.clone(),
            cause,
        };
        let mut config: postgres::Config = url.as_str().parse().map_err(err)?;
        config.application_name("pagefeed");
        let client = config.connect(NoTls).map_err(err)?;
        let host = format!("{} pid {}", hostname(), std::process::id());
        let started = Utc::now().timestamp_nanos_opt().unwrap_or_default();
        let mut store = PgStore {
            client: Some(client),
            url: shown,
            holder: format!("{host} {started:x}"),
            host,
        };
        store.migrate()?;
        Ok(store)
    }

    fn err(&self) -> impl Fn(postgres::Error) -> StoreError + Copy + '_ {
        pg_err(&self.url)
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let e = pg_err(&self.url);
        let mut tx = conn(&mut self.client).transaction().map_err(e)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .map_err(e)?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS pagefeed_schema (version INTEGER NOT NULL, own INTEGER NOT NULL)",
        )
        .map_err(e)?;
        let (version, own) = tx
            .query_opt("SELECT version, own FROM pagefeed_schema", &[])
            .map_err(e)?
            .map(|r| (r.get::<_, i32>(0) as usize, r.get::<_, i32>(1) as usize))
            .unwrap_or((0, 0));
        for (found, known) in [(version, MIGRATIONS.len()), (own, OWN_MIGRATIONS.len())] {
            if found > known {
                return Err(StoreError::TooNewServer {
                    url: self.url.clone(),
                    found: found as i64,
                    known: known as i64,
                });
            }
        }
        for m in MIGRATIONS.iter().skip(version) {
            tx.batch_execute(m).map_err(e)?;
        }
        for m in OWN_MIGRATIONS.iter().skip(own) {
            tx.batch_execute(m).map_err(e)?;
        }
        tx.execute("DELETE FROM pagefeed_schema", &[]).map_err(e)?;
        tx.execute(
            "INSERT INTO pagefeed_schema (version, own) VALUES ($1, $2)",
            &[&(MIGRATIONS.len() as i32), &(OWN_MIGRATIONS.len() as i32)],
        )
        .map_err(e)?;
        tx.commit().map_err(e)
    }
}

/// Fails with [`StoreError::LeaseLost`] unless `holder` holds the feed's lease; locks
/// the row until `tx` ends, so no claim slips in before the commit.
fn hold(
    tx: &mut Transaction<'_>,
    feed: &str,
    holder: &str,
    e: &dyn Fn(postgres::Error) -> StoreError,
) -> Result<(), StoreError> {
    let held = tx
        .query_opt(
            "SELECT 1 FROM feeds WHERE id = $1 AND lease_holder = $2 FOR UPDATE",
            &[&feed, &holder],
        )
        .map_err(e)?;
    match held {
        Some(_) => Ok(()),
        None => Err(StoreError::LeaseLost {
            feed: feed.to_string(),
        }),
    }
}

impl Drop for PgStore {
    /// Closing the connection blocks on the client's own runtime, which may not start
    /// on a thread that drives another one (the pipeline drops its store in async
    /// code): close it on a thread of its own.
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            if tokio::runtime::Handle::try_current().is_ok() {
                let _ = std::thread::spawn(move || drop(client)).join();
            }
        }
    }
}

impl Backend for PgStore {
    fn items(&mut self, feed: &str) -> Result<Vec<StoredItem>, StoreError> {
        let rows = conn(&mut self.client)
            .query(
                "SELECT guid, link, listed_link, title, authors, published, modified, summary,
                        content, sources, first_seen, last_seen, extracted_at, changed_at,
                        media, filtered
                 FROM items WHERE feed = $1",
                &[&feed],
            )
            .map_err(self.err())?;
        Ok(rows.iter().filter_map(item_of).collect())
    }

    fn http_state(&mut self, url: &str) -> Result<(Validators, Option<DateTime<Utc>>), StoreError> {
        let row = conn(&mut self.client)
            .query_opt(
                "SELECT etag, last_modified, retry_not_before FROM http_cache WHERE url = $1",
                &[&url],
            )
            .map_err(self.err())?;
        Ok(match row {
            Some(r) => (
                Validators {
                    etag: r.get(0),
                    last_modified: r.get(1),
                },
                parse_ts(r.get(2)),
            ),
            None => (Validators::default(), None),
        })
    }

    fn retry_times(&mut self) -> Result<HashMap<String, DateTime<Utc>>, StoreError> {
        let rows = conn(&mut self.client)
            .query(
                "SELECT url, retry_not_before FROM http_cache WHERE retry_not_before IS NOT NULL",
                &[],
            )
            .map_err(self.err())?;
        Ok(rows
            .iter()
            .filter_map(|r| Some((r.get(0), parse_ts(r.get(1))?)))
            .collect())
    }

    fn status(&mut self, feed: &str) -> Result<FeedStatus, StoreError> {
        let items: i64 = conn(&mut self.client)
            .query_one("SELECT COUNT(*) FROM items WHERE feed = $1", &[&feed])
            .map_err(self.err())?
            .get(0);
        let row = conn(&mut self.client)
            .query_opt(
                &format!("SELECT {STATUS_COLUMNS} FROM feeds WHERE id = $1"),
                &[&feed],
            )
            .map_err(self.err())?;
        let mut status = row.map(|r| status_of(&r)).unwrap_or_else(|| FeedStatus {
            id: feed.to_string(),
            ..FeedStatus::default()
        });
        status.items = items.max(0) as usize;
        Ok(status)
    }

    fn coverage(&mut self) -> Result<HashMap<String, [usize; 5]>, StoreError> {
        let rows = conn(&mut self.client)
            .query(
                "SELECT feed, COUNT(title), COUNT(*) FILTER (WHERE authors <> '[]'),
                        COUNT(published), COUNT(summary), COUNT(*)
                 FROM items GROUP BY feed",
                &[],
            )
            .map_err(self.err())?;
        Ok(rows
            .iter()
            .map(|r| {
                let n = [1, 2, 3, 4, 5].map(|i| r.get::<_, i64>(i).max(0) as usize);
                (r.get(0), n)
            })
            .collect())
    }

    fn statuses(&mut self) -> Result<HashMap<String, FeedStatus>, StoreError> {
        let counts: HashMap<String, usize> = conn(&mut self.client)
            .query("SELECT feed, COUNT(*) FROM items GROUP BY feed", &[])
            .map_err(self.err())?
            .iter()
            .map(|r| (r.get(0), r.get::<_, i64>(1).max(0) as usize))
            .collect();
        let rows = conn(&mut self.client)
            .query(&format!("SELECT {STATUS_COLUMNS} FROM feeds"), &[])
            .map_err(self.err())?;
        Ok(super::with_counts(
            rows.iter().map(status_of).collect(),
            counts,
        ))
    }

    fn record_failure(
        &mut self,
        feed: &str,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let e = pg_err(&self.url);
        let mut tx = conn(&mut self.client).transaction().map_err(e)?;
        hold(&mut tx, feed, &self.holder, &e)?;
        tx.execute(
            "UPDATE feeds SET last_failure = $2, last_error = $3,
                consecutive_failures = consecutive_failures + 1,
                failing_since = COALESCE(failing_since, $2)
             WHERE id = $1",
            &[&feed, &ts(&now), &error],
        )
        .map_err(e)?;
        tx.commit().map_err(e)
    }

    fn set_retry_not_before(&mut self, url: &str, when: DateTime<Utc>) -> Result<(), StoreError> {
        conn(&mut self.client)
            .execute(
                "INSERT INTO http_cache (url, retry_not_before) VALUES ($1, $2)
                 ON CONFLICT (url) DO UPDATE SET retry_not_before = $2",
                &[&url, &ts(&when)],
            )
            .map_err(self.err())?;
        Ok(())
    }

    fn commit_feed(&mut self, update: &FeedUpdate, now: DateTime<Utc>) -> Result<(), StoreError> {
        let e = pg_err(&self.url);
        let mut tx = conn(&mut self.client).transaction().map_err(e)?;
        hold(&mut tx, &update.feed, &self.holder, &e)?;
        upsert_items(&mut tx, &update.feed, &update.items).map_err(e)?;
        if let Some((url, v)) = &update.listing_validators {
            tx.execute(
                "INSERT INTO http_cache (url, etag, last_modified, retry_not_before)
                 VALUES ($1, $2, $3, NULL)
                 ON CONFLICT (url) DO UPDATE SET etag = $2, last_modified = $3,
                    retry_not_before = NULL",
                &[url, &v.etag, &v.last_modified],
            )
            .map_err(e)?;
        }
        let keep = update.keep.min(i64::MAX as usize) as i64;
        tx.execute(
            "DELETE FROM items WHERE feed = $1 AND guid NOT IN (
                SELECT guid FROM items WHERE feed = $1 ORDER BY sort_time DESC LIMIT $2)",
            &[&update.feed, &keep],
        )
        .map_err(e)?;
        let content_updated = update.content_changed.then(|| ts(&now));
        tx.execute(
            "UPDATE feeds SET content_updated = COALESCE($2, content_updated),
                last_success = $3, consecutive_failures = 0, failing_since = NULL,
                title = COALESCE($4, title), description = COALESCE($5, description),
                home_page = COALESCE($6, home_page)
             WHERE id = $1",
            &[
                &update.feed,
                &content_updated,
                &ts(&now),
                &update.title,
                &update.description,
                &update.home_page,
            ],
        )
        .map_err(e)?;
        tx.commit().map_err(e)
    }

    fn published(&mut self, files: &[String]) -> Result<HashMap<String, String>, StoreError> {
        if files.is_empty() {
            return Ok(HashMap::new());
        }
        let rows = conn(&mut self.client)
            .query(
                "SELECT file, hash FROM published WHERE file = ANY($1)",
                &[&files],
            )
            .map_err(self.err())?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    fn record_published(&mut self, files: &[(String, String)]) -> Result<(), StoreError> {
        if files.is_empty() {
            return Ok(());
        }
        let (names, hashes) = published_columns(files);
        conn(&mut self.client)
            .execute(PUBLISHED_UPSERT, &[&names, &hashes])
            .map_err(self.err())?;
        Ok(())
    }

    fn http_all(&mut self) -> Result<Vec<UrlState>, StoreError> {
        let rows = conn(&mut self.client)
            .query(
                "SELECT url, etag, last_modified, retry_not_before FROM http_cache ORDER BY url",
                &[],
            )
            .map_err(self.err())?;
        Ok(rows
            .iter()
            .map(|r| {
                let v = Validators {
                    etag: r.get(1),
                    last_modified: r.get(2),
                };
                (r.get(0), v, parse_ts(r.get(3)))
            })
            .collect())
    }

    fn published_all(&mut self) -> Result<Vec<(String, String)>, StoreError> {
        let rows = conn(&mut self.client)
            .query("SELECT file, hash FROM published ORDER BY file", &[])
            .map_err(self.err())?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// One transaction: each feed's rows are replaced by the snapshot's, each recorded
    /// file hash set.
    fn import(&mut self, snapshot: &Snapshot) -> Result<(), StoreError> {
        let e = pg_err(&self.url);
        let mut by_feed: HashMap<&str, Vec<StoredItem>> = HashMap::new();
        for (feed, item) in &snapshot.items {
            by_feed.entry(feed).or_default().push(item.clone());
        }
        let mut tx = conn(&mut self.client).transaction().map_err(e)?;
        for f in &snapshot.feeds {
            tx.execute("DELETE FROM items WHERE feed = $1", &[&f.id])
                .map_err(e)?;
            tx.execute(
                "INSERT INTO feeds (id, content_updated, last_success, last_failure, last_error,
                    consecutive_failures, title, description, home_page, failing_since)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                 ON CONFLICT (id) DO UPDATE SET content_updated = $2, last_success = $3,
                    last_failure = $4, last_error = $5, consecutive_failures = $6, title = $7,
                    description = $8, home_page = $9, failing_since = $10",
                &[
                    &f.id,
                    &ts_opt(&f.content_updated),
                    &ts_opt(&f.last_success),
                    &ts_opt(&f.last_failure),
                    &f.last_error,
                    &(f.consecutive_failures.min(i32::MAX as u32) as i32),
                    &f.title,
                    &f.description,
                    &f.home_page,
                    &ts_opt(&f.failing_since),
                ],
            )
            .map_err(e)?;
            let items = by_feed.remove(f.id.as_str()).unwrap_or_default();
            upsert_items(&mut tx, &f.id, &items).map_err(e)?;
        }
        for (u, v, retry) in &snapshot.http {
            tx.execute(
                "INSERT INTO http_cache (url, etag, last_modified, retry_not_before)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (url) DO UPDATE SET etag = $2, last_modified = $3,
                    retry_not_before = $4",
                &[u, &v.etag, &v.last_modified, &ts_opt(retry)],
            )
            .map_err(e)?;
        }
        if !snapshot.published.is_empty() {
            let (names, hashes) = published_columns(&snapshot.published);
            tx.execute(PUBLISHED_UPSERT, &[&names, &hashes])
                .map_err(e)?;
        }
        tx.commit().map_err(e)
    }

    fn shared(&self) -> bool {
        true
    }

    fn claim(
        &mut self,
        feed: &str,
        ttl: Duration,
        still_due: &dyn Fn(&FeedStatus) -> bool,
    ) -> Result<Option<FeedStatus>, StoreError> {
        let e = pg_err(&self.url);
        // A feed never run has no row yet: make one to lock (no-op when it exists).
        conn(&mut self.client)
            .execute(
                "INSERT INTO feeds (id) VALUES ($1) ON CONFLICT (id) DO NOTHING",
                &[&feed],
            )
            .map_err(e)?;
        let mut tx = conn(&mut self.client).transaction().map_err(e)?;
        // SKIP LOCKED: a row another process is claiming or committing right now is
        // skipped, not waited for; its lease columns say whether it is taken.
        let row = tx
            .query_opt(
                &format!(
                    "SELECT {STATUS_COLUMNS} FROM feeds
                     WHERE id = $1 AND (lease_expires IS NULL OR lease_expires < now()
                        OR lease_holder = $2)
                     FOR UPDATE SKIP LOCKED"
                ),
                &[&feed, &self.holder],
            )
            .map_err(e)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let status = status_of(&row);
        if !still_due(&status) {
            return Ok(None);
        }
        tx.execute(
            "UPDATE feeds SET lease_holder = $2, lease_host = $3, lease_since = now(),
                lease_expires = now() + make_interval(secs => $4)
             WHERE id = $1",
            &[&feed, &self.holder, &self.host, &ttl_secs(ttl)],
        )
        .map_err(e)?;
        tx.commit().map_err(e)?;
        let mut status = status;
        status.items = self.status(feed)?.items;
        Ok(Some(status))
    }

    fn renew(&mut self, feed: &str, ttl: Duration) -> Result<bool, StoreError> {
        let n = conn(&mut self.client)
            .execute(
                "UPDATE feeds SET lease_expires = now() + make_interval(secs => $3)
                 WHERE id = $1 AND lease_holder = $2",
                &[&feed, &self.holder, &ttl_secs(ttl)],
            )
            .map_err(self.err())?;
        Ok(n > 0)
    }

    fn release(&mut self, feed: &str) -> Result<(), StoreError> {
        conn(&mut self.client)
            .execute(
                "UPDATE feeds SET lease_holder = NULL, lease_host = NULL, lease_since = NULL,
                    lease_expires = NULL
                 WHERE id = $1 AND lease_holder = $2",
                &[&feed, &self.holder],
            )
            .map_err(self.err())?;
        Ok(())
    }

    fn claim_site(&mut self, ttl: Duration) -> Result<bool, StoreError> {
        let n = conn(&mut self.client)
            .execute(
                "INSERT INTO site_lease (name, holder, host, since, expires)
                 VALUES ('site', $1, $2, now(), now() + make_interval(secs => $3))
                 ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder,
                    host = EXCLUDED.host, since = EXCLUDED.since, expires = EXCLUDED.expires
                 WHERE site_lease.expires < now() OR site_lease.holder = EXCLUDED.holder",
                &[&self.holder, &self.host, &ttl_secs(ttl)],
            )
            .map_err(self.err())?;
        Ok(n > 0)
    }

    fn release_site(&mut self) -> Result<(), StoreError> {
        conn(&mut self.client)
            .execute(
                "DELETE FROM site_lease WHERE name = 'site' AND holder = $1",
                &[&self.holder],
            )
            .map_err(self.err())?;
        Ok(())
    }

    fn site_lease(&mut self) -> Result<Option<Lease>, StoreError> {
        let row = conn(&mut self.client)
            .query_opt(
                "SELECT host, since, expires FROM site_lease WHERE name = 'site'",
                &[],
            )
            .map_err(self.err())?;
        Ok(row.map(|r| Lease {
            feed: SITE_FILES.to_string(),
            host: r.get(0),
            since: r.get(1),
            expires: r.get(2),
        }))
    }

    fn leases(&mut self) -> Result<Vec<Lease>, StoreError> {
        let rows = conn(&mut self.client)
            .query(
                "SELECT id, lease_host, lease_since, lease_expires FROM feeds
                 WHERE lease_holder IS NOT NULL ORDER BY id",
                &[],
            )
            .map_err(self.err())?;
        Ok(rows
            .iter()
            .map(|r| Lease {
                feed: r.get(0),
                host: r.get::<_, Option<String>>(1).unwrap_or_default(),
                since: r.get::<_, Option<DateTime<Utc>>>(2).unwrap_or_default(),
                expires: r.get::<_, Option<DateTime<Utc>>>(3).unwrap_or_default(),
            })
            .collect())
    }
}
