//! Atom 1.0 via `atom_syndication`: every entry has its required `id` and `updated`,
//! `published`, one `author` per name, `summary`, `link rel="alternate"`, and the feed a
//! `rel="self"` link when its public URL is known. The feed names the site as its
//! author when any entry has none, as RFC 4287 requires.

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
    Ok(bytes)
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
