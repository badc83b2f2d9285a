//! The store's one interface ([`Backend`]) and the handle the pipeline holds ([`Store`]).
//!
//! Contract: every implementation keeps the same history rules (an item's guid and
//! first-seen date never change, one transaction per feed commit) and answers the same
//! questions; the pipeline never learns which one it has. Leasing ([`Backend::claim`],
//! [`Backend::renew`], [`Backend::release`]) only means something for a store shared by
//! several processes; the SQLite file, kept to one run at a time by its [`RunLock`],
//! grants every claim. Which store a config uses is decided here ([`StateLocation`]):
//! `PAGEFEED_STATE_URL`, else `state_url`, else the SQLite `state_file`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::postgres::PgStore;
use super::{FeedStatus, FeedUpdate, RunLock, SqliteStore, StoreError, StoredItem};
use crate::config::Settings;
use crate::fetch::Validators;

/// The environment variable that names a PostgreSQL state (it wins over `state_url`).
pub const STATE_URL_ENV: &str = "PAGEFEED_STATE_URL";

/// A URL's stored HTTP state: the URL, its validators, its "retry not before" time.
pub type UrlState = (String, Validators, Option<DateTime<Utc>>);

/// What the site files' lease covers, as `pagefeed status` names it.
pub const SITE_FILES: &str = "index.html, feeds.opml";

/// A lease on a feed (or on the site files), as `pagefeed status` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Lease {
    /// The feed id (for the site files' lease, [`SITE_FILES`]).
    pub feed: String,
    /// The host (and process) holding it.
    pub host: String,
    /// When it was taken.
    pub since: DateTime<Utc>,
    /// When it lapses unless renewed.
    pub expires: DateTime<Utc>,
}

impl Lease {
    /// The table of feed leases `pagefeed status` prints under the feeds when any feed
    /// is leased ("" when none is).
    pub fn table<'a>(leases: impl IntoIterator<Item = &'a Lease>) -> String {
        Lease::table_headed("LEASED FEED", leases)
    }

    /// The same table under another first heading (the site files' lease).
    pub fn table_headed<'a>(heading: &str, leases: impl IntoIterator<Item = &'a Lease>) -> String {
        let t = |d: &DateTime<Utc>| d.format("%Y-%m-%d %H:%M:%S UTC").to_string();
        let mut out = String::new();
        for l in leases {
            if out.is_empty() {
                out = format!(
                    "\n{:<20} {:<32}  {:<23}  {}\n",
                    heading, "HOST", "SINCE", "EXPIRES"
                );
            }
            out.push_str(&format!(
                "{:<20} {:<32}  {:<23}  {}\n",
                l.feed,
                l.host,
                t(&l.since),
                t(&l.expires)
            ));
        }
        out
    }
}

/// A whole state, for copying it from one store to another (`pagefeed state migrate`).
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Every feed's status row (item counts are not copied: they are counted).
    pub feeds: Vec<FeedStatus>,
    /// Every stored item, with its feed id.
    pub items: Vec<(String, StoredItem)>,
    /// Every URL's validators and "retry not before" time.
    pub http: Vec<UrlState>,
    /// The SHA-256 recorded of every file written to a bucket (`(url, hash)`), so the
    /// first run on the new store neither fetches unconditionally nor uploads again
    /// what is unchanged.
    pub published: Vec<(String, String)>,
}

/// What a state store does. Methods take `&mut self` because a database client's
/// queries do; every call may block (run it off the async threads).
pub trait Backend: Send {
    /// Every stored item of a feed.
    fn items(&mut self, feed: &str) -> Result<Vec<StoredItem>, StoreError>;
    /// Validators and retry time stored for a URL.
    fn http_state(&mut self, url: &str) -> Result<(Validators, Option<DateTime<Utc>>), StoreError>;
    /// Every URL with a stored "retry not before" time.
    fn retry_times(&mut self) -> Result<HashMap<String, DateTime<Utc>>, StoreError>;
    /// One feed's status.
    fn status(&mut self, feed: &str) -> Result<FeedStatus, StoreError>;
    /// Per feed `[title, author, date, summary, all]` item counts.
    fn coverage(&mut self) -> Result<HashMap<String, [usize; 5]>, StoreError>;
    /// Every stored feed's status, with its item count.
    fn statuses(&mut self) -> Result<HashMap<String, FeedStatus>, StoreError>;
    /// Records a failed run of a feed.
    fn record_failure(
        &mut self,
        feed: &str,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Records that a URL must not be requested before `when`.
    fn set_retry_not_before(&mut self, url: &str, when: DateTime<Utc>) -> Result<(), StoreError>;
    /// Applies one feed's successful update in one transaction.
    fn commit_feed(&mut self, update: &FeedUpdate, now: DateTime<Utc>) -> Result<(), StoreError>;
    /// The hashes recorded of written files (keyed by the file's URL), for those of
    /// `files` that have one.
    fn published(&mut self, files: &[String]) -> Result<HashMap<String, String>, StoreError>;
    /// Records the hashes of files just written (`(url, hash)`).
    fn record_published(&mut self, files: &[(String, String)]) -> Result<(), StoreError>;
    /// Every URL's validators and "retry not before" time.
    fn http_all(&mut self) -> Result<Vec<UrlState>, StoreError>;
    /// Every recorded file hash (`(url, hash)`), by URL.
    fn published_all(&mut self) -> Result<Vec<(String, String)>, StoreError>;
    /// Copies out the whole state.
    fn export(&mut self) -> Result<Snapshot, StoreError> {
        let mut feeds: Vec<FeedStatus> = self.statuses()?.into_values().collect();
        feeds.sort_by(|a, b| a.id.cmp(&b.id));
        let mut items = Vec::new();
        for f in &feeds {
            items.extend(self.items(&f.id)?.into_iter().map(|s| (f.id.clone(), s)));
        }
        Ok(Snapshot {
            feeds,
            items,
            http: self.http_all()?,
            published: self.published_all()?,
        })
    }
    /// Replaces the state of every feed in `snapshot` by the snapshot's, and sets the
    /// hash of every file it records, in one transaction.
    fn import(&mut self, snapshot: &Snapshot) -> Result<(), StoreError>;

    /// Whether other processes share this store (and so leases matter).
    fn shared(&self) -> bool {
        false
    }
    /// Takes the lease on a feed for `ttl`, unless another live process holds it or
    /// `still_due` says no for the feed's current status (another process ran it since
    /// this one looked). `Some(status)`: taken, with the feed's current status.
    fn claim(
        &mut self,
        feed: &str,
        _ttl: Duration,
        _still_due: &dyn Fn(&FeedStatus) -> bool,
    ) -> Result<Option<FeedStatus>, StoreError> {
        self.status(feed).map(Some)
    }
    /// Extends a held lease; `false` when it is no longer this process's.
    fn renew(&mut self, _feed: &str, _ttl: Duration) -> Result<bool, StoreError> {
        Ok(true)
    }
    /// Gives a held lease back.
    fn release(&mut self, _feed: &str) -> Result<(), StoreError> {
        Ok(())
    }
    /// Takes the short lease of the site files (`index.html`, `feeds.opml`) for `ttl`,
    /// so two processes never write them at once; `false` while another live process
    /// holds it.
    fn claim_site(&mut self, _ttl: Duration) -> Result<bool, StoreError> {
        Ok(true)
    }
    /// Gives the site files' lease back.
    fn release_site(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
    /// Leases held now (expired ones included until they are taken or released).
    fn leases(&mut self) -> Result<Vec<Lease>, StoreError> {
        Ok(Vec::new())
    }
    /// The site files' lease, while a process holds it (an expired one included until
    /// it is taken or released).
    fn site_lease(&mut self) -> Result<Option<Lease>, StoreError> {
        Ok(None)
    }
}

/// Where a config's state lives.
#[derive(Clone, PartialEq)]
pub enum StateLocation {
    /// A SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL database (the URL may hold a password: never print it, print
    /// [`StateLocation::describe`]).
    Postgres(url::Url),
}

impl std::fmt::Debug for StateLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl StateLocation {
    /// The location a config names: `PAGEFEED_STATE_URL` when set, else
    /// `settings.state_url`, else `settings.state_file`.
    pub fn of(settings: &Settings) -> Result<StateLocation, StoreError> {
        match std::env::var(STATE_URL_ENV) {
            Ok(v) if !v.trim().is_empty() => parse_url(v.trim(), STATE_URL_ENV),
            _ => Ok(match &settings.state_url {
                Some(u) => StateLocation::Postgres(u.clone()),
                None => StateLocation::Sqlite(settings.state_file.clone()),
            }),
        }
    }

    /// The location for a `--to` argument: a `postgres://` URL or a SQLite file path.
    pub fn parse(arg: &str, key: &str) -> Result<StateLocation, StoreError> {
        if arg.contains("://") {
            parse_url(arg, key)
        } else {
            Ok(StateLocation::Sqlite(PathBuf::from(arg)))
        }
    }

    /// The location for messages: a path, or the URL without its password.
    pub fn describe(&self) -> String {
        match self {
            StateLocation::Sqlite(p) => p.display().to_string(),
            StateLocation::Postgres(u) => redact(u),
        }
    }

    /// The run lock this location needs: one beside a SQLite file; none for a shared
    /// database, whose feeds are leased one by one.
    pub fn run_lock(&self, wait: bool) -> Result<Option<RunLock>, StoreError> {
        match self {
            StateLocation::Sqlite(p) => RunLock::acquire(p, wait).map(Some),
            StateLocation::Postgres(_) => Ok(None),
        }
    }

    /// Whether the state exists yet (a SQLite file not yet created does not; a
    /// database is asked when opened).
    pub fn exists(&self) -> bool {
        match self {
            StateLocation::Sqlite(p) => p.exists(),
            StateLocation::Postgres(_) => true,
        }
    }
}

/// A URL without its password, for messages.
pub(crate) fn redact(url: &url::Url) -> String {
    let mut u = url.clone();
    if u.password().is_some() {
        let _ = u.set_password(Some("***"));
    }
    u.to_string()
}

/// Parses a PostgreSQL URL given by `key` (a config key or an environment variable).
pub(crate) fn parse_url(s: &str, key: &str) -> Result<StateLocation, StoreError> {
    let bad = |message: String| StoreError::StateUrl {
        key: key.to_string(),
        message,
    };
    let url = url::Url::parse(s).map_err(|e| bad(format!("not a valid URL: {e}")))?;
    if !matches!(url.scheme(), "postgres" | "postgresql") {
        return Err(bad(format!(
            "must be a postgres:// URL, not {}://",
            url.scheme()
        )));
    }
    Ok(StateLocation::Postgres(url))
}

/// The state store the pipeline holds: one of the implementations behind [`Backend`].
pub struct Store {
    inner: Box<dyn Backend>,
}

impl Store {
    /// Opens (creating and migrating if needed) the store at `location`.
    pub fn open(location: &StateLocation) -> Result<Store, StoreError> {
        let inner: Box<dyn Backend> = match location {
            StateLocation::Sqlite(p) => Box::new(SqliteStore::open(p)?),
            StateLocation::Postgres(u) => Box::new(PgStore::open(u)?),
        };
        Ok(Store { inner })
    }
}

impl std::ops::Deref for Store {
    type Target = dyn Backend;
    fn deref(&self) -> &Self::Target {
        &*self.inner
    }
}

impl std::ops::DerefMut for Store {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut *self.inner
    }
}
