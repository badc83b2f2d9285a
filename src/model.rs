//! The format-neutral feed model that every stage hands to the next.
//!
//! Nothing here knows about RSS, Atom or JSON Feed: RFC 2822 strings, `dc:creator`
//! and Atom's required fields live only in [`crate::write`].

use chrono::{DateTime, FixedOffset, Utc};
use url::Url;

/// Longest URL kept as an item's link or id, in bytes (8 KiB): a longer link on a page
/// is not an item, and a longer canonical URL is ignored. Real article URLs stay far
/// below it; a 100 KB link is an attack on every reader that stores it.
pub const MAX_URL_BYTES: usize = 8 * 1024;

/// One feed as it is written out.
#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    /// The feed's id from the config; also the stem of its output files.
    pub id: String,
    /// Human title: the config's `title`, else the listing page's title.
    pub title: String,
    /// The page the items were found on (the feed's `url`).
    pub home_page: Url,
    /// Short description of the feed, if the listing page had one.
    pub description: Option<String>,
    /// Where the output folder is published (`settings.base_url`), for self links.
    pub base_url: Option<Url>,
    /// When the feed's content last changed; never simply "now".
    pub updated: DateTime<Utc>,
    /// Items, newest first (date descending, then link ascending).
    pub items: Vec<Item>,
    /// Relative URL of an XSLT stylesheet for browsers, when configured.
    pub stylesheet: Option<String>,
    /// The language every item is written in (BCP 47, e.g. `en-GB`), when all items that
    /// name one agree; an item in another language carries its own.
    pub language: Option<String>,
}

/// One item (article) of a feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Stable id: the item's canonical URL as a string. Never changes between runs.
    pub guid: String,
    /// Absolute link to the article (its canonical URL when the page names one).
    pub link: Url,
    /// Headline, without the site name.
    pub title: Option<String>,
    /// Author names in byline order; empty when none was found.
    pub authors: Vec<String>,
    /// Publication time with the page's own UTC offset (its local calendar date).
    pub published: Option<DateTime<FixedOffset>>,
    /// Last modification, when the page gives one distinct from `published`.
    pub updated: Option<DateTime<FixedOffset>>,
    /// Plain-text summary (dek, description or first paragraph).
    pub summary: Option<String>,
    /// Sanitised HTML of the main content, when the feed asks for it.
    pub content_html: Option<String>,
    /// The item's lead image, absolute.
    pub image: Option<Url>,
    /// The article's own categories and tags, trimmed and de-duplicated, at most
    /// [`MAX_CATEGORIES`].
    pub categories: Vec<String>,
    /// The item's language (BCP 47), when known.
    pub language: Option<String>,
    /// Audio and video files attached to the item, the first one first.
    pub enclosures: Vec<Enclosure>,
}

/// Most categories kept per item.
pub const MAX_CATEGORIES: usize = 10;

/// An audio or video file attached to an item (a podcast episode's MP3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enclosure {
    /// Absolute URL of the file.
    pub url: Url,
    /// MIME type, e.g. `audio/mpeg`.
    pub mime_type: String,
    /// Size in bytes; 0 when unknown (RSS's convention).
    pub length: u64,
}

impl Item {
    /// The time the feed writers use to order the item and as its `updated` stamp.
    pub fn sort_time(&self) -> Option<DateTime<FixedOffset>> {
        self.published.or(self.updated)
    }
}

/// The language all items that name one agree on, for the feed; `None` when they
/// differ or none names one.
pub fn common_language(items: &[Item]) -> Option<String> {
    let mut named = items.iter().filter_map(|i| i.language.as_deref());
    let first = named.next()?;
    named
        .all(|l| l.eq_ignore_ascii_case(first))
        .then(|| first.to_string())
}
