//! Atom 1.0 via `atom_syndication`: every entry has its required `id` and `updated`,
//! `published`, one `author` per name, `summary`, `link rel="alternate"`, and the feed a
//! `rel="self"` link when its public URL is known. The feed names the site as its
//! author when any entry has none, as RFC 4287 requires. The feed carries `xml:lang`
//! when all its items agree on a language; an entry whose item's language differs from
//! the feed's carries its own.

use atom_syndication::extension::{Extension, ExtensionMap};
use atom_syndication::{Category, Content, Entry, Generator, Link, Person, Text};

use super::rss::strip_illegal;
use super::WriteError;
use crate::config::Format;
use crate::credentials::{public_url, public_url_str};
use crate::model::Feed;
use crate::text::clean;

/// Renders the feed as Atom 1.0 bytes.
pub fn render(feed: &Feed) -> Result<Vec<u8>, WriteError> {
    let feed_updated = feed.updated.fixed_offset();
    let entries: Vec<Entry> = feed
        .items
        .iter()
        .map(|it| {
            let mut e = Entry::default();
            e.set_id(public_url_str(&it.guid));
            e.set_title(Text::plain(
                it.title.as_deref().map(clean).unwrap_or_default(),
            ));
            e.set_updated(it.updated.or(it.published).unwrap_or(feed_updated));
            e.set_published(it.published);
            e.set_authors(
                it.authors
                    .iter()
                    .map(|a| Person {
                        name: clean(a),
                        ..Person::default()
                    })
                    .collect::<Vec<_>>(),
            );
            e.set_summary(it.summary.as_deref().map(|s| Text::plain(clean(s))));
            let mut links = vec![Link {
                href: public_url(&it.link),
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                ..Link::default()
            }];
            links.extend(it.enclosures.iter().map(|enc| Link {
                href: public_url(&enc.url),
                rel: "enclosure".into(),
                mime_type: Some(enc.mime_type.clone()),
                length: Some(enc.length.to_string()),
                ..Link::default()
            }));
            e.set_links(links);
            e.set_categories(
                it.categories
                    .iter()
                    .map(|c| Category {
                        term: clean(c),
                        ..Category::default()
                    })
                    .collect::<Vec<_>>(),
            );
            if let Some(img) = &it.image {
                e.set_extensions(thumbnail(&public_url(img)));
            }
            if let Some(html) = &it.content_html {
                e.set_content(Some(Content {
                    value: Some(strip_illegal(html)),
                    content_type: Some("html".into()),
                    ..Content::default()
                }));
            }
            e
        })
        .collect();
    let mut links = vec![Link {
        href: public_url(&feed.home_page),
        rel: "alternate".into(),
        mime_type: Some("text/html".into()),
        ..Link::default()
    }];
    let self_url = super::self_url(feed, Format::Atom);
    if let Some(url) = &self_url {
        links.push(Link {
            href: url.clone(),
            rel: "self".into(),
            mime_type: Some("application/atom+xml".into()),
            ..Link::default()
        });
    }
    let mut out = atom_syndication::Feed::default();
    out.set_id(self_url.unwrap_or_else(|| public_url(&feed.home_page)));
    out.set_title(Text::plain(clean(&feed.title)));
    out.set_updated(feed_updated);
    out.set_subtitle(feed.description.as_deref().map(|d| Text::plain(clean(d))));
    out.set_links(links);
    out.set_generator(Some(Generator {
        value: "pagefeed".into(),
        version: Some(env!("CARGO_PKG_VERSION").into()),
        ..Generator::default()
    }));
    // RFC 4287 (4.1.1): a feed whose entries do not all name an author must name one
    // itself; the site's name stands for it.
    if entries.iter().any(|e| e.authors().is_empty()) {
        let name = clean(&feed.title);
        let name = if name.is_empty() {
            feed.home_page.host_str().unwrap_or("pagefeed").to_string()
        } else {
            name
        };
        out.set_authors(vec![Person {
            name,
            ..Person::default()
        }]);
    }
    out.set_entries(entries);
    out.set_lang(feed.language.clone());
    if feed.items.iter().any(|i| i.image.is_some()) {
        out.namespaces
            .insert("media".into(), super::MEDIA_RSS_NS.into());
    }
    let mut bytes = Vec::new();
    out.write_to(&mut bytes).map_err(|e| WriteError::Render {
        feed: feed.id.clone(),
        format: "atom",
        message: e.to_string(),
    })?;
    bytes.push(b'\n');
    Ok(entry_languages(bytes, feed))
}

/// Adds `xml:lang` to each `<entry>` whose item names a language other than the feed's
/// (`atom_syndication`'s entries have no language of their own). The writer opens every
/// entry with a bare `<entry>` and escapes `<` in all text, so the n-th `<entry>` is the
/// n-th item's.
fn entry_languages(bytes: Vec<u8>, feed: &Feed) -> Vec<u8> {
    let langs: Vec<Option<String>> = feed
        .items
        .iter()
        .map(|it| {
            it.language
                .as_deref()
                .filter(|l| feed.language.as_deref() != Some(*l))
                // A language tag is letters, digits and hyphens (BCP 47).
                .map(|l| {
                    l.chars()
                        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                        .collect()
                })
                .filter(|l: &String| !l.is_empty())
        })
        .collect();
    if langs.iter().all(Option::is_none) {
        return bytes;
    }
    const OPEN: &[u8] = b"<entry>";
    let mut out = Vec::with_capacity(bytes.len() + 32 * langs.len());
    let mut rest = &bytes[..];
    let mut n = 0;
    while let Some(at) = rest.windows(OPEN.len()).position(|w| w == OPEN) {
        out.extend_from_slice(&rest[..at]);
        match langs.get(n).cloned().flatten() {
            Some(l) => out.extend_from_slice(format!("<entry xml:lang=\"{l}\">").as_bytes()),
            None => out.extend_from_slice(OPEN),
        }
        n += 1;
        rest = &rest[at + OPEN.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// The image as `<media:thumbnail url>`, the Media RSS element Atom readers show.
fn thumbnail(url: &str) -> ExtensionMap {
    let mut attrs = std::collections::BTreeMap::new();
    attrs.insert("url".to_string(), url.to_string());
    let mut media = std::collections::BTreeMap::new();
    media.insert(
        "thumbnail".to_string(),
        vec![Extension {
            name: "media:thumbnail".into(),
            attrs,
            ..Extension::default()
        }],
    );
    let mut map = ExtensionMap::new();
    map.insert("media".to_string(), media);
    map
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Item;
    use chrono::{TimeZone, Utc};
    use url::Url;

    fn item(n: u32, lang: Option<&str>) -> Item {
        let link = Url::parse(&format!("https://example.com/{n}")).unwrap();
        Item {
            guid: link.to_string(),
            link,
            title: Some(format!("Title <entry> {n}")),
            authors: vec!["Ann".into()],
            published: None,
            updated: None,
            summary: None,
            content_html: None,
            image: None,
            categories: Vec::new(),
            language: lang.map(str::to_string),
            enclosures: Vec::new(),
        }
    }

    /// An item in another language than the feed's gets its own `xml:lang`; the others
    /// inherit the feed's; the file stays valid Atom with every entry in place.
    #[test]
    fn entries_in_another_language_than_the_feed_carry_their_own() {
        let feed = Feed {
            id: "news".into(),
            title: "News".into(),
            description: None,
            home_page: Url::parse("https://example.com/").unwrap(),
            updated: Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap(),
            language: Some("en".into()),
            items: vec![item(1, Some("en")), item(2, Some("de-CH")), item(3, None)],
            base_url: None,
            stylesheet: None,
        };
        let bytes = render(&feed).unwrap();
        let xml = String::from_utf8(bytes.clone()).unwrap();
        assert!(
            xml.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\""),
            "{xml}"
        );
        assert_eq!(xml.matches("<entry>").count(), 2, "{xml}");
        assert_eq!(
            xml.matches("<entry xml:lang=\"de-CH\">").count(),
            1,
            "{xml}"
        );
        let parsed = atom_syndication::Feed::read_from(&bytes[..]).unwrap();
        let titles: Vec<&str> = parsed
            .entries()
            .iter()
            .map(|e| e.title().as_str())
            .collect();
        assert_eq!(
            titles,
            ["Title <entry> 1", "Title <entry> 2", "Title <entry> 3"]
        );
        let second = xml.find("<entry xml:lang=\"de-CH\">").unwrap();
        assert!(
            xml[second..].find("Title &lt;entry&gt; 2").unwrap()
                < xml[second..].find("</entry>").unwrap()
        );
    }
}
