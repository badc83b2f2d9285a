//! Rebuilding a feed's history from its own published files, for when the state file
//! lost it (deleted, or emptied to zero bytes) while the files are still there.
//!
//! Contract: reads the feed's JSON Feed, Atom or RSS file (the first of them that
//! exists and parses, in that order: JSON keeps the texts as written; the formats the
//! feed writes before the others) and returns the
//! items it holds as stored items, with the ids, links, titles, authors, dates,
//! summaries and content the file published. The warning item pagefeed adds to a
//! failing feed is not an item and is left out. Reads files only; no network, no state.

use chrono::{DateTime, FixedOffset, Utc};
use url::Url;

use crate::config::{FeedConfig, Format};
use crate::model::Item;
use crate::store::StoredItem;

/// Guids of the warning item of a failing feed start with this.
const ALERT_GUID_PREFIX: &str = "urn:pagefeed:alert:";

/// The items of the feed's first readable file, and that file; `None` when no file of
/// the feed exists or none holds an item. Files of the formats the feed is configured
/// to write come first: another one may be left over from an older config.
pub(super) async fn from_files(
    feed: &FeedConfig,
    output: &crate::write::Output,
    now: DateTime<Utc>,
) -> Option<(Vec<StoredItem>, String)> {
    let mut formats = [Format::Json, Format::Atom, Format::Rss];
    formats.sort_by_key(|f| !feed.formats.contains(f));
    let found = crate::write::read_back(output, &feed.id, &formats, |path, parsed| {
        let parsed = match parsed {
            Ok(p) => p,
            Err(e) => {
                tracing::warn!("feed `{}`: {e}", feed.id);
                return None;
            }
        };
        let items: Vec<StoredItem> = parsed
            .entries
            .into_iter()
            .filter_map(|e| stored_item(e, now))
            .collect();
        (!items.is_empty()).then_some((items, path))
    })
    .await;
    found
}

/// One published entry as a stored item. Its date is the one the file showed (for an
/// item the page gave no date, that was its first sighting, so it stays put); the
/// entry counts as extracted, so its page is not fetched again.
fn stored_item(e: feed_rs::model::Entry, now: DateTime<Utc>) -> Option<StoredItem> {
    let media = crate::discover::feed::entry_media(&e);
    if e.id.is_empty() || e.id.starts_with(ALERT_GUID_PREFIX) {
        return None;
    }
    let link = e.links.iter().find_map(|l| Url::parse(&l.href).ok())?;
    let utc = FixedOffset::east_opt(0)?;
    let published = e.published.or(e.updated);
    let first_seen = published.unwrap_or(now);
    let text = |t: Option<feed_rs::model::Text>| {
        t.map(|t| t.content.trim().to_string())
            .filter(|t| !t.is_empty())
    };
    Some(StoredItem {
        item: Item {
            guid: e.id,
            link: link.clone(),
            title: text(e.title),
            authors: e
                .authors
                .into_iter()
                .map(|p| p.name)
                .filter(|n| !n.trim().is_empty())
                .collect(),
            published: published.map(|d| d.with_timezone(&utc)),
            updated: e
                .updated
                .filter(|u| Some(*u) != published)
                .map(|d| d.with_timezone(&utc)),
            summary: text(e.summary),
            content_html: e.content.and_then(|c| c.body).filter(|b| !b.is_empty()),
            image: media.image,
            categories: media.categories,
            language: media.language,
            enclosures: media.enclosures,
        },
        listed_link: link.to_string(),
        sources: Default::default(),
        first_seen,
        last_seen: first_seen,
        extracted_at: Some(now),
        changed_at: first_seen,
        filtered: None,
    })
}
