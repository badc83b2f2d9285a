//! Items from a sitemap: `<urlset>` (plain or Google News) or `<sitemapindex>`.
//!
//! Contract: given a sitemap's text and URL, return either its pages as
//! [`ListedItem`]s, newest first, or (for an index) its child sitemaps, newest first.
//! A page's date is its `<news:publication_date>`, else its `<lastmod>`; its title is
//! its `<news:title>` (plain sitemaps carry none, so following the item fills it in).
//! Dated entries come first, newest first; undated ones follow in document order.
//! Pure: no I/O, no clock. It must not fetch the child sitemaps of an index (the
//! pipeline does, one level deep, at most [`MAX_CHILD_SITEMAPS`]).
//!
//! Memory: a sitemap of a big site lists hundreds of thousands of pages of which a feed
//! publishes its newest `max_items`, so the reader keeps only the newest `keep` pages
//! while it streams (sorting and cutting whenever it holds `2 × keep`), never a list of
//! every entry: a 53 MB sitemap costs about its own size on top of the body, not four
//! times it. The pages it returns are exactly the first `keep` of the whole sitemap
//! sorted newest first with duplicate links merged.
//!
//! `<image:loc>`, `<video:title>` and other extensions that reuse the names `loc` and
//! `title` are ignored: a value counts only under its own parent (`<url>`,
//! `<sitemap>`, `<news:news>`).

use quick_xml::events::Event;
use quick_xml::Reader;
use url::Url;

use super::{canonical_link, DiscoverError, ListedItem};
use crate::date::{parse_date, DateContext, ParsedDate};
use crate::text::clean_opt;

/// Child sitemaps of an index read per run, newest `lastmod` first: an index of a big
/// site lists hundreds, and the newest few hold the new items.
pub const MAX_CHILD_SITEMAPS: usize = 5;

/// What a sitemap lists.
#[derive(Debug, Clone, PartialEq)]
pub enum Sitemap {
    /// A `<urlset>`: its newest pages, newest first.
    Urls {
        /// At most the `keep` newest pages, newest first, each link once.
        items: Vec<ListedItem>,
        /// How many `<url>` entries with a usable `<loc>` the sitemap has in all.
        total: usize,
    },
    /// A `<sitemapindex>`: its child sitemaps, newest first.
    Index(Vec<Url>),
}

/// One `<url>` or `<sitemap>` entry while it is read.
#[derive(Default)]
struct Entry {
    loc: Option<String>,
    lastmod: Option<String>,
    news_title: Option<String>,
    news_date: Option<String>,
}

/// Parses a sitemap, keeping its newest `keep` pages (at least one). `url` names it in
/// errors and resolves relative `<loc>`s.
pub fn parse(
    text: &str,
    url: &Url,
    ctx: &DateContext,
    keep: usize,
) -> Result<Sitemap, DiscoverError> {
    let keep = keep.max(1);
    // A gzip body decoded as text starts with its magic byte 0x1f; XML never does.
    if text.starts_with('\u{1f}') {
        return Err(DiscoverError::SitemapCompressed { url: url.clone() });
    }
    let bad = |message: String| DiscoverError::NotASitemap {
        url: url.clone(),
        message,
    };
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<String> = Vec::new();
    let mut root: Option<String> = None;
    // An index's children (few), or a urlset's newest pages so far (bounded).
    let mut entries: Vec<Entry> = Vec::new();
    let mut pages = Newest::new(keep);
    let mut current: Option<Entry> = None;
    let mut buf = String::new();
    loop {
        let event = reader.read_event().map_err(|e| {
            bad(format!(
                "XML error at byte {}: {e}",
                reader.error_position()
            ))
        })?;
        match event {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if root.is_none() {
                    if name != "urlset" && name != "sitemapindex" {
                        return Err(bad(format!(
                            "the root element is <{name}>, not <urlset> or <sitemapindex>"
                        )));
                    }
                    root = Some(name.clone());
                }
                if stack.len() == 1 && (name == "url" || name == "sitemap") {
                    current = Some(Entry::default());
                }
                stack.push(name);
                buf.clear();
            }
            Event::Empty(e) if root.is_none() => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if name == "urlset" || name == "sitemapindex" {
                    return Err(DiscoverError::SitemapEmpty { url: url.clone() });
                }
                return Err(bad(format!(
                    "the root element is <{name}>, not <urlset> or <sitemapindex>"
                )));
            }
            Event::Text(t) => {
                if let Ok(s) = t.decode() {
                    buf.push_str(&s);
                }
            }
            Event::CData(t) => {
                if let Ok(s) = t.decode() {
                    buf.push_str(&s);
                }
            }
            Event::GeneralRef(r) => {
                if r.is_char_ref() {
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        buf.push(c);
                    }
                } else if let Ok(name) = r.decode() {
                    if let Some(s) = quick_xml::escape::resolve_predefined_entity(&name) {
                        buf.push_str(s);
                    }
                }
            }
            Event::End(_) => {
                let name = stack.pop().unwrap_or_default();
                let parent = stack.last().map(String::as_str).unwrap_or("");
                if let Some(entry) = current.as_mut() {
                    let value = clean_opt(&buf);
                    match (parent, name.as_str()) {
                        ("url" | "sitemap", "loc") => entry.loc = value,
                        ("url" | "sitemap", "lastmod") => entry.lastmod = value,
                        ("news", "title") => entry.news_title = value,
                        ("news", "publication_date") => entry.news_date = value,
                        _ => {}
                    }
                }
                if stack.len() == 1 && name == "url" {
                    if let Some(page) = current.take().and_then(|e| page(&e, url, ctx)) {
                        pages.push(page);
                    }
                } else if stack.len() == 1 && name == "sitemap" {
                    entries.extend(current.take());
                }
                buf.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let Some(root) = root else {
        return Err(bad("the document has no root element".into()));
    };
    let date = |s: &Option<String>| s.as_deref().and_then(|s| parse_date(s, ctx));
    if root == "sitemapindex" {
        let mut children: Vec<(Url, Option<ParsedDate>)> = entries
            .iter()
            .filter_map(|e| Some((canonical_link(url, e.loc.as_deref()?)?, date(&e.lastmod))))
            .collect();
        sort_newest_first(&mut children, |c| c.1);
        let mut seen = std::collections::HashSet::new();
        let children: Vec<Url> = children
            .into_iter()
            .map(|c| c.0)
            .filter(|u| seen.insert(u.clone()) && u != url)
            .collect();
        if children.is_empty() {
            return Err(DiscoverError::SitemapEmpty { url: url.clone() });
        }
        return Ok(Sitemap::Index(children));
    }
    let total = pages.total;
    let items = pages.finish();
    if items.is_empty() {
        return Err(DiscoverError::SitemapEmpty { url: url.clone() });
    }
    Ok(Sitemap::Urls { items, total })
}

/// One `<url>` entry as a page; `None` without a usable `<loc>`.
fn page(e: &Entry, base: &Url, ctx: &DateContext) -> Option<ListedItem> {
    let date = |s: &Option<String>| s.as_deref().and_then(|s| parse_date(s, ctx));
    Some(ListedItem {
        link: canonical_link(base, e.loc.as_deref()?)?,
        title: e.news_title.clone(),
        date: date(&e.news_date).or_else(|| date(&e.lastmod)),
        author: None,
        summary: None,
        media: Default::default(),
    })
}

/// The newest `keep` pages of a stream, in [`newest_first`] order with duplicate links
/// merged ([`super::dedup`]); holds at most `2 × keep` at any time.
struct Newest {
    keep: usize,
    items: Vec<ListedItem>,
    total: usize,
}

impl Newest {
    fn new(keep: usize) -> Self {
        Newest {
            keep,
            items: Vec::new(),
            total: 0,
        }
    }

    fn push(&mut self, item: ListedItem) {
        self.total += 1;
        self.items.push(item);
        if self.items.len() >= self.keep.saturating_mul(2) {
            self.cut();
        }
    }

    /// Sorts (stable, so ties keep document order, earlier pages before later ones),
    /// merges duplicates into their first place and keeps the first `keep`.
    fn cut(&mut self) {
        newest_first(&mut self.items);
        let mut items = super::dedup(std::mem::take(&mut self.items));
        items.truncate(self.keep);
        self.items = items;
    }

    fn finish(mut self) -> Vec<ListedItem> {
        self.cut();
        self.items
    }
}

/// Sorts items newest first; undated items keep their order, after the dated ones.
/// Equal dates keep document order (the sort is stable).
pub fn newest_first(items: &mut [ListedItem]) {
    sort_newest_first(items, |i| i.date);
}

fn sort_newest_first<T>(v: &mut [T], date: impl Fn(&T) -> Option<ParsedDate>) {
    v.sort_by(|a, b| match (date(a), date(b)) {
        (Some(x), Some(y)) => y.value.cmp(&x.value),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::discover::test_ctx as ctx;

    fn url() -> Url {
        Url::parse("https://example.com/sitemap.xml").unwrap()
    }

    #[test]
    fn news_sitemap_newest_first_with_titles_and_extensions_ignored() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url><loc>https://example.com/undated</loc></url>
  <url>
    <loc>https://example.com/a?utm_source=x</loc>
    <image:image><image:loc>https://cdn.example.com/a.jpg</image:loc><image:title>Img</image:title></image:image>
    <news:news>
      <news:publication><news:name>Ex</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2026-01-10T08:00:00+01:00</news:publication_date>
      <news:title>Fish &amp; chips &#8212; a history</news:title>
    </news:news>
  </url>
  <url><loc>https://example.com/b</loc><lastmod>2026-01-12</lastmod></url>
</urlset>"#;
        let Sitemap::Urls { items, total } = parse(xml, &url(), &ctx(), 50).unwrap() else {
            panic!("not a urlset")
        };
        assert_eq!(total, 3);
        let links: Vec<&str> = items.iter().map(|i| i.link.as_str()).collect();
        assert_eq!(
            links,
            [
                "https://example.com/b",
                "https://example.com/a",
                "https://example.com/undated"
            ]
        );
        assert_eq!(items[1].title.as_deref(), Some("Fish & chips — a history"));
        assert_eq!(
            items[1].date.unwrap().value.to_rfc3339(),
            "2026-01-10T08:00:00+01:00"
        );
    }

    /// The bounded reader returns what sorting the whole sitemap and taking the first
    /// `keep` would: newest first, ties and undated pages in document order, a
    /// duplicate link once (with the title a later copy of it gives), whatever `keep`.
    #[test]
    fn newest_pages_kept_while_streaming_equal_the_whole_sort_cut() {
        let mut xml = String::from(r#"<urlset xmlns:news="n">"#);
        for i in 0..500 {
            // Dates repeat (ties), every seventh page is undated, and every 50th link
            // comes again later with a news title.
            let loc = format!(
                "https://example.com/p{}",
                if i % 50 == 49 { i - 40 } else { i }
            );
            if i % 50 == 49 {
                xml += &format!(
                    "<url><loc>{loc}</loc><news:news><news:title>Title {i}</news:title>\
                     </news:news><lastmod>2026-01-{:02}</lastmod></url>",
                    1 + (i - 40) % 28
                );
            } else if i % 7 == 0 {
                xml += &format!("<url><loc>{loc}</loc></url>");
            } else {
                xml += &format!(
                    "<url><loc>{loc}</loc><lastmod>2026-01-{:02}</lastmod></url>",
                    1 + i % 28
                );
            }
        }
        xml += "</urlset>";
        let Sitemap::Urls { items: all, total } = parse(&xml, &url(), &ctx(), 100_000).unwrap()
        else {
            panic!("not a urlset")
        };
        assert_eq!(total, 500);
        // 10 links come twice.
        assert_eq!(all.len(), 490);
        assert!(all.windows(2).all(|w| match (w[0].date, w[1].date) {
            (Some(a), Some(b)) => a.value >= b.value,
            (None, Some(_)) => false,
            _ => true,
        }));
        for keep in [1, 3, 10, 37, 100, 489, 490, 1000] {
            let Sitemap::Urls { items, total } = parse(&xml, &url(), &ctx(), keep).unwrap() else {
                panic!("not a urlset")
            };
            assert_eq!(total, 500);
            assert_eq!(items, all[..keep.min(all.len())], "keep {keep}");
        }
        let twice = all
            .iter()
            .find(|i| i.link.as_str() == "https://example.com/p9")
            .unwrap();
        assert_eq!(twice.title.as_deref(), Some("Title 49"));
    }

    #[test]
    fn index_lists_children_newest_first() {
        let xml = r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://example.com/s-2024.xml</loc><lastmod>2024-12-31</lastmod></sitemap>
  <sitemap><loc>/s-2025.xml</loc><lastmod>2025-12-31</lastmod></sitemap>
  <sitemap><loc>https://example.com/s-pages.xml</loc></sitemap>
</sitemapindex>"#;
        let Sitemap::Index(children) = parse(xml, &url(), &ctx(), 50).unwrap() else {
            panic!("not an index")
        };
        let c: Vec<&str> = children.iter().map(Url::as_str).collect();
        assert_eq!(
            c,
            [
                "https://example.com/s-2025.xml",
                "https://example.com/s-2024.xml",
                "https://example.com/s-pages.xml"
            ]
        );
    }

    #[test]
    fn not_a_sitemap_empty_and_gzip_are_named() {
        let e = parse("<html><body>hi</body></html>", &url(), &ctx(), 50).unwrap_err();
        assert!(
            e.to_string().contains("https://example.com/sitemap.xml"),
            "{e}"
        );
        assert!(e.to_string().contains("<html>"), "{e}");
        let e = parse("<urlset></urlset>", &url(), &ctx(), 50).unwrap_err();
        assert!(e.to_string().contains("lists no URLs"), "{e}");
        let e = parse("\u{1f}\u{8b}\u{8}junk", &url(), &ctx(), 50).unwrap_err();
        assert!(e.to_string().contains("gzip"), "{e}");
        let e = parse("<urlset><url><loc>x</loc></urlset>", &url(), &ctx(), 50).unwrap_err();
        assert!(e.to_string().contains("XML error"), "{e}");
    }
}
