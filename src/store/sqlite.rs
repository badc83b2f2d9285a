//! The SQLite file as a [`Backend`]: the queries live on [`SqliteStore`] itself
//! (`store/mod.rs`); this file only maps the interface onto them and adds the whole-state
//! copy. Contract: one process at a time (the run lock), so every lease is granted.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

use super::{
    Backend, FeedStatus, FeedUpdate, Snapshot, SqliteStore, StoreError, StoredItem, UrlState,
};
use crate::fetch::Validators;

fn ts_opt(t: &Option<DateTime<Utc>>) -> Option<String> {
    t.as_ref().map(super::ts)
}

impl Backend for SqliteStore {
    fn items(&mut self, feed: &str) -> Result<Vec<StoredItem>, StoreError> {
        SqliteStore::items(self, feed)
    }
    fn http_state(&mut self, url: &str) -> Result<(Validators, Option<DateTime<Utc>>), StoreError> {
        SqliteStore::http_state(self, url)
    }
    fn retry_times(&mut self) -> Result<HashMap<String, DateTime<Utc>>, StoreError> {
        SqliteStore::retry_times(self)
    }
    fn status(&mut self, feed: &str) -> Result<FeedStatus, StoreError> {
        SqliteStore::status(self, feed)
    }
    fn coverage(&mut self) -> Result<HashMap<String, [usize; 5]>, StoreError> {
        SqliteStore::coverage(self)
    }
    fn statuses(&mut self) -> Result<HashMap<String, FeedStatus>, StoreError> {
        SqliteStore::statuses(self)
    }
    fn record_failure(
        &mut self,
        feed: &str,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        SqliteStore::record_failure(self, feed, error, now)
    }
    fn set_retry_not_before(&mut self, url: &str, when: DateTime<Utc>) -> Result<(), StoreError> {
        SqliteStore::set_retry_not_before(self, url, when)
    }
    fn commit_feed(&mut self, update: &FeedUpdate, now: DateTime<Utc>) -> Result<(), StoreError> {
        SqliteStore::commit_feed(self, update, now)
    }

    fn published(&mut self, files: &[String]) -> Result<HashMap<String, String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT hash FROM published WHERE file = ?1")
            .map_err(self.err())?;
        let mut out = HashMap::new();
        for f in files {
            let hash: Option<String> = stmt
                .query_row([f], |r| r.get(0))
                .optional()
                .map_err(self.err())?;
            if let Some(h) = hash {
                out.insert(f.clone(), h);
            }
        }
        Ok(out)
    }

    fn record_published(&mut self, files: &[(String, String)]) -> Result<(), StoreError> {
        let path = self.path.clone();
        let e = |cause| StoreError::Sqlite {
            path: path.clone(),
            cause,
        };
        let tx = self.conn.transaction().map_err(e)?;
        for (f, h) in files {
            tx.execute(
                "INSERT OR REPLACE INTO published (file, hash) VALUES (?1, ?2)",
                params![f, h],
            )
            .map_err(e)?;
        }
        tx.commit().map_err(e)
    }

    fn http_all(&mut self) -> Result<Vec<UrlState>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT url, etag, last_modified, retry_not_before FROM http_cache ORDER BY url",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    Validators {
                        etag: r.get(1)?,
                        last_modified: r.get(2)?,
                    },
                    super::parse_ts(r.get(3)?),
                ))
            })
            .map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }

    fn published_all(&mut self) -> Result<Vec<(String, String)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT file, hash FROM published ORDER BY file")
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }

    /// Each feed's items go in through [`SqliteStore::commit_feed`] (the one upsert),
    /// then its status row is set to the snapshot's.
    fn import(&mut self, snapshot: &Snapshot) -> Result<(), StoreError> {
        let mut by_feed: HashMap<&str, Vec<StoredItem>> = HashMap::new();
        for (feed, item) in &snapshot.items {
            by_feed.entry(feed).or_default().push(item.clone());
        }
        for f in &snapshot.feeds {
            let update = FeedUpdate {
                feed: f.id.clone(),
                items: by_feed.remove(f.id.as_str()).unwrap_or_default(),
                keep: usize::MAX >> 1,
                ..FeedUpdate::default()
            };
            SqliteStore::commit_feed(self, &update, Utc::now())?;
            self.conn
                .execute(
                    "INSERT OR REPLACE INTO feeds (id, content_updated, last_success, last_failure, last_error,
                        consecutive_failures, title, description, home_page, failing_since)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    params![
                        f.id,
                        ts_opt(&f.content_updated),
                        ts_opt(&f.last_success),
                        ts_opt(&f.last_failure),
                        f.last_error,
                        f.consecutive_failures as i64,
                        f.title,
                        f.description,
                        f.home_page,
                        ts_opt(&f.failing_since),
                    ],
                )
                .map_err(self.err())?;
        }
        for (url, v, retry) in &snapshot.http {
            self.conn
                .execute(
                    "INSERT OR REPLACE INTO http_cache (url, etag, last_modified, retry_not_before)
                     VALUES (?1, ?2, ?3, ?4)",
                    params![url, v.etag, v.last_modified, ts_opt(retry)],
                )
                .map_err(self.err())?;
        }
        Backend::record_published(self, &snapshot.published)
    }
}
