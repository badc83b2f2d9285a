//! A feed's lease for the length of its run, when the store is shared by several
//! processes (PostgreSQL); with the SQLite file (one run at a time) every feed is
//! simply run.
//!
//! Contract: a feed runs here only after [`claim`] took its lease, which fails when
//! another live process holds it or has run the feed since this process read the
//! statuses (and it is not due again). The lease lasts [`LEASE_TIMEOUTS`] times the
//! feed's `timeout` and is renewed every third of that while the run goes on; a
//! process that dies stops renewing, so the lease lapses and another process takes the
//! feed. The store refuses a commit whose lease was taken over, so a feed's result is
//! never committed twice.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{is_due, on_db_thread};
use crate::config::FeedConfig;
use crate::store::{FeedStatus, Store, StoreError};

/// A lease lasts this many times the feed's `timeout` (one request may take a whole
/// timeout; renewals come every third of the lease).
pub const LEASE_TIMEOUTS: u32 = 3;

/// A taken lease; renewed until [`Held::release`] or drop.
pub(super) struct Held {
    /// The feed's status as the store had it when the lease was taken.
    pub status: FeedStatus,
    renewal: Option<tokio::task::JoinHandle<()>>,
    store: Arc<Mutex<Store>>,
    feed: String,
}

impl Held {
    /// Gives the lease back (a failure only delays the next run until it lapses).
    pub async fn release(mut self) {
        let Some(renewal) = self.renewal.take() else {
            return;
        };
        renewal.abort();
        let id = self.feed.clone();
        if let Err(e) = on_db_thread(&self.store, move |st| st.release(&id)).await {
            tracing::warn!("feed `{}`: {e}", self.feed);
        }
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        if let Some(r) = &self.renewal {
            r.abort();
        }
    }
}

/// The lease length for a feed.
pub fn lease_ttl(feed: &FeedConfig) -> Duration {
    feed.request.timeout * LEASE_TIMEOUTS
}

/// Takes the feed's lease. `seen`: its status when this run chose it. `None`: another
/// process holds it, or ran it since and it is not due again.
pub(super) async fn claim(
    store: &Arc<Mutex<Store>>,
    feed: &FeedConfig,
    seen: Option<&FeedStatus>,
    now: DateTime<Utc>,
    dry_run: bool,
) -> Result<Option<Held>, StoreError> {
    let seen = seen.cloned().unwrap_or_default();
    let shared = on_db_thread(store, |st| st.shared()).await;
    if !shared || dry_run {
        return Ok(Some(Held {
            status: seen,
            renewal: None,
            store: store.clone(),
            feed: feed.id.clone(),
        }));
    }
    let ttl = lease_ttl(feed);
    let (config, seen_at) = (feed.clone(), seen.last_attempt());
    let status = on_db_thread(store, move |st| {
        let still_due = |fresh: &FeedStatus| {
            fresh.last_attempt() == seen_at || is_due(&config, Some(fresh), now)
        };
        st.claim(&config.id, ttl, &still_due)
    })
    .await?;
    let Some(status) = status else {
        tracing::debug!(
            "feed `{}`: leased by another process, or just run by one; skipped",
            feed.id
        );
        return Ok(None);
    };
    let (renew_store, id) = (store.clone(), feed.id.clone());
    let renewal = tokio::spawn(async move {
        let mut tick = tokio::time::interval(ttl / LEASE_TIMEOUTS);
        tick.tick().await;
        loop {
            tick.tick().await;
            let feed = id.clone();
            match on_db_thread(&renew_store, move |st| st.renew(&feed, ttl)).await {
                Ok(true) => {}
                Ok(false) => {
                    tracing::warn!("feed `{id}`: its lease was taken over by another process");
                    return;
                }
                Err(e) => tracing::warn!("feed `{id}`: renewing the lease: {e}"),
            }
        }
    });
    Ok(Some(Held {
        status,
        renewal: Some(renewal),
        store: store.clone(),
        feed: feed.id.clone(),
    }))
}

/// Splits a run's per-feed results into the outcomes (in order) and the ids of feeds
/// left to other processes.
pub(super) fn split(
    results: Vec<(usize, Result<super::FeedOutcome, String>)>,
) -> (Vec<super::FeedOutcome>, Vec<String>) {
    let mut outcomes = Vec::new();
    let mut elsewhere = Vec::new();
    for (_, r) in results {
        match r {
            Ok(o) => outcomes.push(o),
            Err(id) => elsewhere.push(id),
        }
    }
    (outcomes, elsewhere)
}
