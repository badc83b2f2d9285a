//! Items from an existing feed (RSS 0.9x/1.0/2.0, Atom, JSON Feed), read with feed-rs.
//!
//! Contract: given a feed's text and URL, return its items in feed order as
//! [`ListedItem`]s, each with an absolute, canonical link and the title, date, author
//! and summary the feed gives (as plain text), plus the feed's own title, description
//! and home page. Pure: no I/O, no clock. It must not follow the items (the pipeline
//! does, which is the point of this source: a feed with short summaries becomes a feed
//! with full metadata) and must not reorder them.
//!
//! An entry's link is its `alternate` HTML link, else its first link, else its id when
//! that is an http(s) URL (an RSS `<guid isPermaLink="true">`). Entries without any are
//! skipped. RSS `<author>` holds an e-mail address, "jane@example.com (Jane Doe)": only
//! the name in brackets is kept, since a bare address is not a byline.

use url::Url;

use super::{canonical_link, DiscoverError, Discovery, ListedItem};
use crate::date::{DateContext, ParsedDate};
use crate::html::media::{mime_of_extension, Media};
use crate::model::{Enclosure, MAX_CATEGORIES, MAX_URL_BYTES};
use crate::text::{clean_opt, join_authors, truncate_chars};

/// Longest summary kept from a feed, in characters: some feeds put the whole article in
/// `<description>`.
const MAX_SUMMARY_CHARS: usize = 600;

/// Parses a feed into the items it lists. `url` names it in errors and resolves
/// relative links.
pub fn parse(text: &str, url: &Url, ctx: &DateContext) -> Result<Discovery, DiscoverError> {
    parse_first(text, url, ctx, usize::MAX)
}

/// [`parse`] for a run that publishes the first `keep` items: a long RSS or Atom feed
/// is read only up to its `keep`-th entry ([`super::feed_head`]), so memory follows
/// what is published, not the feed's length. The first `keep` items are those of the
/// whole feed; the method still counts every entry.
pub fn parse_first(
    text: &str,
    url: &Url,
    _ctx: &DateContext,
    keep: usize,
) -> Result<Discovery, DiscoverError> {
    // Read a quarter more entries than kept (and 8): entries without a link are
    // skipped, and a head that comes out short costs a second read.
    let entries = keep.saturating_add(keep / 4 + 8);
    if let Some(head) = super::feed_head::head(text, entries) {
        // Entries without a link are skipped: when they leave too few items, the whole
        // feed is read after all.
        if let Ok(d) = read(&head.text, url, Some(head.entries)) {
            if d.items.len() >= keep {
                return Ok(d);
            }
        }
    }
    read(text, url, None)
}

/// Reads a feed's text; the method counts `entries` items when given (the whole
/// feed's count when `text` is its head), else the items read.
fn read(text: &str, url: &Url, entries: Option<usize>) -> Result<Discovery, DiscoverError> {
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Some(url.as_str()))
        .build();
    let feed = parser
        .parse(text.as_bytes())
        .map_err(|e| DiscoverError::NotAFeed {
            url: url.clone(),
            message: e.to_string(),
        })?;
    let items: Vec<ListedItem> = feed.entries.iter().filter_map(|e| item(e, url)).collect();
    if items.is_empty() {
        return Err(DiscoverError::FeedEmpty { url: url.clone() });
    }
    let kind = match feed.feed_type {
        feed_rs::model::FeedType::Atom => "Atom",
        feed_rs::model::FeedType::JSON => "JSON Feed",
        feed_rs::model::FeedType::RSS0 => "RSS 0.9x",
        feed_rs::model::FeedType::RSS1 => "RSS 1.0",
        feed_rs::model::FeedType::RSS2 => "RSS 2.0",
    };
    Ok(Discovery {
        method: format!("feed: {kind} ({} items)", entries.unwrap_or(items.len())),
        items,
        page_title: feed.title.as_ref().and_then(|t| plain(&t.content)),
        page_canonical: home_link(&feed.links, url),
        page_description: feed.description.as_ref().and_then(|t| plain(&t.content)),
        advertised_feeds: Vec::new(),
    })
}

fn item(e: &feed_rs::model::Entry, base: &Url) -> Option<ListedItem> {
    let href = home_href(&e.links).map(str::to_string).or_else(|| {
        let id = e.id.trim();
        (id.starts_with("http://") || id.starts_with("https://")).then(|| id.to_string())
    })?;
    let link = canonical_link(base, &href)?;
    let names: Vec<String> = e.authors.iter().filter_map(person_name).collect();
    Some(ListedItem {
        link,
        title: e.title.as_ref().and_then(|t| plain(&t.content)),
        date: e.published.or(e.updated).map(|d| ParsedDate {
            value: d.fixed_offset(),
            has_time: true,
            relative: false,
        }),
        author: (!names.is_empty()).then(|| join_authors(&names)),
        summary: e
            .summary
            .as_ref()
            .and_then(|t| plain(&t.content))
            .map(|s| truncate_chars(&s, MAX_SUMMARY_CHARS)),
        media: entry_media(e),
    })
}

/// The image, categories and audio/video enclosures an entry carries: Media RSS
/// thumbnails and content, RSS `<enclosure>`, Atom `link rel="enclosure"`, JSON Feed
/// `attachments`, and every format's categories or tags. An image the entry names as
/// media content counts as its image, never as an enclosure.
pub fn entry_media(e: &feed_rs::model::Entry) -> Media {
    let mut m = Media::default();
    let web = |u: &str| {
        Url::parse(u.trim())
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.as_str().len() <= MAX_URL_BYTES)
    };
    let av = |t: &str| t.starts_with("audio/") || t.starts_with("video/");
    let add = |m: &mut Media, url: Url, ty: Option<String>, len: Option<u64>| {
        let ty = ty
            .filter(|t| av(t))
            .or_else(|| mime_of_extension(url.path()).map(str::to_string));
        if let Some(mime_type) = ty {
            if !m.enclosures.iter().any(|k| k.url == url) {
                m.enclosures.push(Enclosure {
                    url,
                    mime_type,
                    length: len.unwrap_or(0),
                });
            }
        }
    };
    for obj in &e.media {
        if m.image.is_none() {
            m.image = obj.thumbnails.iter().find_map(|t| web(&t.image.uri));
        }
        for c in &obj.content {
            let Some(url) = c.url.as_ref().and_then(|u| web(u.as_str())) else {
                continue;
            };
            let ty = c
                .content_type
                .as_ref()
                .map(|t| t.to_string().to_ascii_lowercase());
            let image = ty.as_deref().is_some_and(|t| t.starts_with("image/"))
                || (ty.is_none() && mime_of_extension(url.path()).is_none());
            if image {
                m.image.get_or_insert(url);
            } else {
                add(&mut m, url, ty, c.size);
            }
        }
    }
    for l in &e.links {
        let enclosure = l.rel.as_deref() == Some("enclosure")
            || (l.rel.is_none() && l.media_type.as_deref().is_some_and(av));
        if enclosure {
            if let Some(url) = web(&l.href) {
                add(&mut m, url, l.media_type.clone(), l.length);
            }
        }
    }
    for c in &e.categories {
        let name = c.label.as_deref().unwrap_or(&c.term);
        if let Some(name) = clean_opt(name) {
            if m.categories.len() < MAX_CATEGORIES
                && !m.categories.iter().any(|k| k.eq_ignore_ascii_case(&name))
            {
                m.categories.push(name);
            }
        }
    }
    m.language = e.language.clone();
    m
}

/// The `alternate` (or unlabelled) link that is not a feed or a media file, else the
/// first link.
fn home_href(links: &[feed_rs::model::Link]) -> Option<&str> {
    links
        .iter()
        .find(|l| {
            l.rel.as_deref().is_none_or(|r| r == "alternate")
                && l.media_type.as_deref().is_none_or(|t| t.contains("html"))
        })
        .or_else(|| links.iter().find(|l| l.rel.as_deref() != Some("self")))
        .map(|l| l.href.as_str())
}

fn home_link(links: &[feed_rs::model::Link], base: &Url) -> Option<Url> {
    canonical_link(base, home_href(links)?).filter(|u| u != base)
}

/// A person's display name: feed-rs names an RSS `<author>` "author" and keeps the
/// text as its e-mail; the name is the part in brackets.
fn person_name(p: &feed_rs::model::Person) -> Option<String> {
    if p.name == "author" {
        let email = p.email.as_deref()?;
        let inner = email.split_once('(')?.1.rsplit_once(')')?.0;
        return clean_opt(inner);
    }
    clean_opt(&p.name).filter(|n| !n.contains('@') || n.contains(' '))
}

use crate::html::text::plain_text as plain;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    use crate::discover::test_ctx as ctx;

    #[test]
    fn rss_items_with_names_dates_and_plain_summaries() {
        let rss = r#"<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>Example News</title><link>https://example.com/</link><description>All the news</description>
<item><title>First &amp; best</title><link>https://example.com/a?utm_source=rss</link>
<author>jane@example.com (Jane Doe)</author><pubDate>Sat, 10 Jan 2026 08:00:00 +0100</pubDate>
<description>&lt;p&gt;Some &lt;b&gt;bold&lt;/b&gt; text.&lt;/p&gt;</description></item>
<item><title>Second</title><guid isPermaLink="true">https://example.com/b</guid><dc:creator>Ken Sato</dc:creator></item>
<item><title>No link at all</title><guid isPermaLink="false">tag:x</guid></item>
</channel></rss>"#;
        let url = Url::parse("https://example.com/feed.xml").unwrap();
        let d = parse(rss, &url, &ctx()).unwrap();
        assert_eq!(d.method, "feed: RSS 2.0 (2 items)");
        assert_eq!(d.page_title.as_deref(), Some("Example News"));
        assert_eq!(
            d.page_canonical.as_ref().map(Url::as_str),
            Some("https://example.com/")
        );
        let a = &d.items[0];
        assert_eq!(a.link.as_str(), "https://example.com/a");
        assert_eq!(a.title.as_deref(), Some("First & best"));
        assert_eq!(a.author.as_deref(), Some("Jane Doe"));
        assert_eq!(a.summary.as_deref(), Some("Some bold text."));
        assert_eq!(
            a.date.unwrap().value.with_timezone(&Utc).to_rfc3339(),
            "2026-01-10T07:00:00+00:00"
        );
        assert_eq!(d.items[1].link.as_str(), "https://example.com/b");
        assert_eq!(d.items[1].author.as_deref(), Some("Ken Sato"));
    }

    /// A long feed read up to its `keep`-th entry gives the same first items as the
    /// whole feed, counts every entry, and falls back to the whole feed when entries
    /// without a link leave the head short.
    #[test]
    fn first_entries_of_a_long_feed_equal_the_whole_feed_s() {
        let items: String = (0..300)
            .map(|i| {
                // Entries 5, 11 and 20 to 59 have no link.
                let link = if i == 5 || i == 11 || (20..60).contains(&i) {
                    String::new()
                } else {
                    format!("<link>https://example.com/{i}</link>")
                };
                format!(
                    "<item><title>Item {i}</title>{link}<description>Text {i}</description></item>"
                )
            })
            .collect();
        let rss = format!(
            "<rss version=\"2.0\"><channel><title>Long</title><link>https://example.com/</link>\
             {items}</channel></rss>"
        );
        let url = Url::parse("https://example.com/feed.xml").unwrap();
        let whole = parse(&rss, &url, &ctx()).unwrap();
        assert_eq!(whole.items.len(), 258);
        for keep in [1, 5, 6, 20, 257, 258] {
            let d = parse_first(&rss, &url, &ctx(), keep).unwrap();
            assert!(d.items.len() >= keep, "keep {keep}");
            assert_eq!(d.items[..keep], whole.items[..keep], "keep {keep}");
            assert_eq!(d.page_title.as_deref(), Some("Long"));
        }
        // The first 14 entries (5 + 1 + 8) hold 12 items: that head is enough, and the
        // method counts the whole feed's entries.
        let d = parse_first(&rss, &url, &ctx(), 5).unwrap();
        assert_eq!(d.items.len(), 12);
        assert_eq!(d.method, "feed: RSS 2.0 (300 items)");
        // The first 33 entries hold 18 items, fewer than 20: the whole feed is read.
        let d = parse_first(&rss, &url, &ctx(), 20).unwrap();
        assert_eq!(d.items.len(), 258);
        assert_eq!(d.method, "feed: RSS 2.0 (258 items)");
    }

    #[test]
    fn garbage_and_empty_feeds_are_named() {
        let url = Url::parse("https://example.com/feed").unwrap();
        let e = parse("<html>nope</html>", &url, &ctx()).unwrap_err();
        assert!(e.to_string().contains("https://example.com/feed"), "{e}");
        let e = parse(
            r#"<rss version="2.0"><channel><title>x</title></channel></rss>"#,
            &url,
            &ctx(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("no items"), "{e}");
    }
}
