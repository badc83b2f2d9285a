//! What a run does to a feed's history beyond merging items: the enclosure lengths from
//! one HEAD request each, the window the files publish, the filter's verdicts and the
//! `Content-Language` fallback.
//!
//! Contract: [`fill_lengths`] asks only for enclosures whose
//! length no stored item of the feed already knows (a HEAD that failed is stored as 0
//! and never asked again), so a file is asked about once in a feed's life.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use futures_util::stream::{self, StreamExt};

use crate::config::FeedConfig;
use crate::extract::Extracted;
use crate::fetch::Fetcher;
use crate::model::Item;
use crate::store::StoredItem;

/// The enclosure lengths a feed's history already knows, by URL (0: asked, unknown).
pub(crate) fn known_lengths(stored: &HashMap<String, StoredItem>) -> HashMap<String, u64> {
    stored
        .values()
        .flat_map(|s| &s.item.enclosures)
        .map(|e| (e.url.to_string(), e.length))
        .collect()
}

/// Fills the length of every enclosure of `items` whose length is unknown: from
/// `known` (the feed's history before this run) when it carries the same file, else
/// from one HEAD request per file (concurrent under the fetcher's limits). A HEAD that
/// fails or gives no `Content-Length` leaves 0, which is then stored as asked.
pub(crate) async fn fill_lengths<'i>(
    feed: &FeedConfig,
    fetcher: &Fetcher,
    mut known: HashMap<String, u64>,
    items: impl Iterator<Item = &'i mut Item>,
    concurrency: usize,
) {
    let mut items: Vec<&mut Item> = items.collect();
    let mut ask: Vec<url::Url> = Vec::new();
    for e in items.iter().flat_map(|it| &it.enclosures) {
        if e.length == 0 && !known.contains_key(e.url.as_str()) && !ask.contains(&e.url) {
            ask.push(e.url.clone());
        }
    }
    let answers: Vec<(String, u64)> = stream::iter(ask)
        .map(|u| async move {
            let len = fetcher
                .head_length(&u, &feed.url, &feed.request)
                .await
                .unwrap_or(0);
            (u.to_string(), len)
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    known.extend(answers);
    for e in items
        .iter_mut()
        .flat_map(|it| it.enclosures.iter_mut())
        .filter(|e| e.length == 0)
    {
        if let Some(&n) = known.get(e.url.as_str()) {
            e.length = n;
        }
    }
}

/// The newest `feed.max_items` items of a history as the files publish them: the feed's
/// rewrites applied, the items its filter drops left out.
pub(crate) fn publish_window(
    by_guid: &HashMap<String, StoredItem>,
    feed: &FeedConfig,
    now: DateTime<Utc>,
) -> Vec<(String, StoredItem)> {
    if feed.rules.is_empty() {
        return crate::reconcile::window(by_guid, feed.max_items);
    }
    let kept: HashMap<String, StoredItem> = by_guid
        .iter()
        .filter_map(|(g, s)| {
            let (item, why) = feed.rules.apply(&s.item, s.first_seen, now);
            why.is_none()
                .then(|| (g.clone(), StoredItem { item, ..s.clone() }))
        })
        .collect();
    crate::reconcile::window(&kept, feed.max_items)
}

/// Marks in the history why the filter drops each item (or that it no longer does):
/// every item of this run's update gets its verdict, and a stored item whose verdict
/// changed (the filter was edited) joins the update. Returns the dropped items of the
/// update as (link, title, why), for `--dry-run` and the run summary.
pub(crate) fn mark_filtered(
    by_guid: &mut HashMap<String, StoredItem>,
    update: &mut Vec<StoredItem>,
    feed: &FeedConfig,
    now: DateTime<Utc>,
) -> Vec<(String, Option<String>, String)> {
    let verdict = |s: &StoredItem| feed.rules.apply(&s.item, s.first_seen, now).1;
    let mut dropped = Vec::new();
    for s in update.iter_mut() {
        s.filtered = verdict(s);
        if let Some(why) = &s.filtered {
            dropped.push((s.item.link.to_string(), s.item.title.clone(), why.clone()));
        }
        if let Some(h) = by_guid.get_mut(&s.item.guid) {
            h.filtered = s.filtered.clone();
        }
    }
    for s in by_guid.values_mut() {
        let why = verdict(s);
        if why != s.filtered && !update.iter().any(|u| u.item.guid == s.item.guid) {
            s.filtered = why;
            update.push(s.clone());
        }
    }
    dropped
}

/// The `Content-Language` header as the item's language when the page declares none
/// (the first language of a list: "de, en" is German first).
pub(crate) fn header_language(e: &mut Extracted, header: Option<&str>) {
    if e.lang.is_none() {
        e.lang = header
            .and_then(|h| h.split(',').next())
            .map(str::trim)
            .filter(|l| !l.is_empty() && l.len() <= 35)
            .map(str::to_string);
    }
}
