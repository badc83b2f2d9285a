//! `pagefeed status`: every configured feed's stored status, as a table.

use chrono::{DateTime, Utc};

/// One feed's line in `pagefeed status`.
#[derive(Debug, Clone)]
pub struct StatusRow {
    /// The stored status.
    pub status: crate::store::FeedStatus,
    /// Share of stored items that have a title, author, date and summary.
    pub coverage: [f32; 4],
    /// When the listing may be requested again, if its server asked to wait (a long
    /// `Retry-After`) and that time has not passed.
    pub retry_not_before: Option<DateTime<Utc>>,
    /// The lease on the feed, when a process sharing a PostgreSQL state holds one.
    pub lease: Option<crate::store::Lease>,
}

/// What `pagefeed status` shows: a line per configured feed, and who holds the site
/// files' lease when a process does.
#[derive(Debug, Clone, Default)]
pub struct Status {
    /// One row per configured feed, in config order.
    pub feeds: Vec<StatusRow>,
    /// The lease on `index.html` and `feeds.opml`, while a process sharing a
    /// PostgreSQL state holds it (one that died holding it stays until it is taken).
    pub site_lease: Option<crate::store::Lease>,
}

/// Reads every configured feed's status from the state file (without creating one).
pub fn status(config: &crate::Config) -> Result<Status, crate::store::StoreError> {
    let location = crate::store::StateLocation::of(&config.settings)?;
    if !location.exists() {
        let feeds = config
            .feeds
            .iter()
            .map(|f| StatusRow {
                status: crate::store::FeedStatus {
                    id: f.id.clone(),
                    ..Default::default()
                },
                coverage: [0.0; 4],
                retry_not_before: None,
                lease: None,
            })
            .collect();
        return Ok(Status {
            feeds,
            site_lease: None,
        });
    }
    let mut store = crate::store::Store::open(&location)?;
    // One query per table for all feeds: a query per feed that reads every feed made
    // `status` quadratic (4,000 feeds took 24 s).
    let mut statuses = store.statuses()?;
    let coverage = store.coverage()?;
    let retry = store.retry_times()?;
    let mut leases: std::collections::HashMap<String, crate::store::Lease> = store
        .leases()?
        .into_iter()
        .map(|l| (l.feed.clone(), l))
        .collect();
    let site_lease = store.site_lease()?;
    let now = Utc::now();
    let max_wait =
        chrono::Duration::from_std(crate::fetch::MAX_STORED_RETRY_AFTER).unwrap_or_default();
    let rows = config
        .feeds
        .iter()
        .map(|f| {
            let n = coverage.get(&f.id).copied().unwrap_or_default();
            let all = n[4].max(1) as f32;
            let mut status = statuses
                .remove(&f.id)
                .unwrap_or_else(|| crate::store::FeedStatus {
                    id: f.id.clone(),
                    ..Default::default()
                });
            // A message stored by a version that kept credentials in URLs.
            if let Some(auth) = &f.request.auth {
                status.last_error = status.last_error.map(|e| auth.redact(&e));
            }
            StatusRow {
                status,
                coverage: [0, 1, 2, 3].map(|i| n[i] as f32 / all),
                // As a run sees it: a time further ahead than a run honours is not shown.
                retry_not_before: retry
                    .get(f.url.as_str())
                    .copied()
                    .filter(|t| *t > now && *t <= now + max_wait),
                lease: leases.remove(&f.id),
            }
        })
        .collect();
    Ok(Status {
        feeds: rows,
        site_lease,
    })
}

/// Renders `pagefeed status` as plain tables: the feeds, then the leased feeds and the
/// site files' lease when there are any.
pub fn format_status(status: &Status) -> String {
    let rows = &status.feeds;
    let t = |d: Option<DateTime<Utc>>| {
        d.map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_else(|| "-".into())
    };
    let mut out = format!(
        "{:<20} {:>5}  {:<20}  {:<20}  {:>5}  {:<22}  {:<20}  {}\n",
        "FEED",
        "ITEMS",
        "LAST SUCCESS",
        "LAST FAILURE",
        "FAILS",
        "TITLE/AUTHOR/DATE/SUM",
        "RETRY NOT BEFORE",
        "LAST ERROR"
    );
    for r in rows {
        let s = &r.status;
        let cov = r
            .coverage
            .iter()
            .map(|c| format!("{:.0}%", c * 100.0))
            .collect::<Vec<_>>()
            .join("/");
        let cov = if s.items == 0 { "-".to_string() } else { cov };
        let err = if s.consecutive_failures > 0 {
            s.last_error.as_deref().unwrap_or("-")
        } else {
            "-"
        };
        out.push_str(&format!(
            "{:<20} {:>5}  {:<20}  {:<20}  {:>5}  {:<22}  {:<20}  {}\n",
            s.id,
            s.items,
            t(s.last_success),
            t(s.last_failure),
            s.consecutive_failures,
            cov,
            t(r.retry_not_before),
            err
        ));
    }
    out.push_str(&crate::store::Lease::table(
        rows.iter().filter_map(|r| r.lease.as_ref()),
    ));
    out.push_str(&crate::store::Lease::table_headed(
        "LEASED SITE FILES",
        status.site_lease.as_ref(),
    ));
    out
}
