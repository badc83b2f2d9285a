//! When a feed runs: its next due time (the interval, stretched while it fails), the
//! slack a cron job gets, and the daemon's per-feed jitter. Pure functions of the
//! config and the stored status.

use std::hash::{Hash, Hasher};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::config::FeedConfig;
use crate::store::FeedStatus;

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

/// A stable offset in `0..interval/10` (at most a minute) per feed, so feeds with the
/// same interval do not all fire in the same second.
pub fn jitter(feed: &FeedConfig) -> Duration {
    let span = (feed.interval / 10).min(Duration::from_secs(60));
    if span.is_zero() {
        return Duration::ZERO;
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    feed.id.hash(&mut h);
    Duration::from_millis(h.finish() % span.as_millis().max(1) as u64)
}
