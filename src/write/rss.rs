//! RSS 2.0 via the `rss` crate: RFC 2822 dates, `dc:creator` for display names (RSS's
//! own `<author>` wants an e-mail address), a permalink `guid`, and `atom:link
//! rel="self"` when the feed's public URL is known. Descriptions are HTML to every RSS
//! reader, so the plain-text summaries and feed description are HTML-escaped in them.

use rss::extension::atom::{AtomExtension, Link};
use rss::extension::dublincore::DublinCoreExtension;
use rss::extension::{Extension, ExtensionMap};
use rss::{Category, Channel, Enclosure, Guid, Item};

use super::WriteError;
use crate::config::Format;
use crate::credentials::{public_url, public_url_str};
use crate::model::Feed;
use crate::text::{clean, escape_html_text};

/// Renders the feed as RSS 2.0 bytes.
pub fn render(feed: &Feed) -> Result<Vec<u8>, WriteError> {
    let items: Vec<Item> = feed
        .items
        .iter()
        .map(|it| {
            let mut item = Item::default();
            item.set_title(it.title.as_deref().map(clean));
            let link = public_url(&it.link);
            let guid = public_url_str(&it.guid);
            item.set_guid(Some(Guid {
                permalink: guid == link,
                value: guid,
            }));
            item.set_link(Some(link));
            // RSS readers render a description as HTML; the summary is plain text.
            item.set_description(it.summary.as_deref().map(|s| escape_html_text(&clean(s))));
            item.set_pub_date(it.published.map(|d| d.to_rfc2822()));
            if !it.authors.is_empty() {
                let mut dc = DublinCoreExtension::default();
                dc.set_creators(it.authors.iter().map(|a| clean(a)).collect::<Vec<_>>());
                item.set_dublin_core_ext(Some(dc));
            }
            item.set_content(it.content_html.as_deref().map(strip_illegal));
            item.set_categories(
                it.categories
                    .iter()
                    .map(|c| Category {
                        name: clean(c),
                        domain: None,
                    })
                    .collect::<Vec<_>>(),
            );
            // RSS allows one enclosure: the first audio or video file.
            item.set_enclosure(it.enclosures.first().map(|e| Enclosure {
                url: public_url(&e.url),
                length: e.length.to_string(),
                mime_type: e.mime_type.clone(),
            }));
            if let Some(img) = &it.image {
                item.set_extensions(media_image(&public_url(img)));
            }
            item
        })
        .collect();
    let mut channel = Channel::default();
    channel.set_title(clean(&feed.title));
    let home = public_url(&feed.home_page);
    channel.set_description(escape_html_text(
        &feed
            .description
            .as_deref()
            .map(clean)
            .unwrap_or_else(|| format!("Items from {home}")),
    ));
    channel.set_link(home);
    channel.set_language(feed.language.clone());
    if feed.items.iter().any(|i| i.image.is_some()) {
        channel
            .namespaces
            .insert("media".into(), super::MEDIA_RSS_NS.into());
    }
    channel.set_last_build_date(Some(feed.updated.to_rfc2822()));
    channel.set_generator(Some(format!("pagefeed {}", env!("CARGO_PKG_VERSION"))));
    if let Some(url) = super::self_url(feed, Format::Rss) {
        let mut link = Link::default();
        link.set_rel("self");
        link.set_href(url);
        link.set_mime_type(Some("application/rss+xml".to_string()));
        let mut ext = AtomExtension::default();
        ext.set_links(vec![link]);
        channel.set_atom_ext(Some(ext));
    }
    channel.set_items(items);
    let mut out = Vec::new();
    channel
        .pretty_write_to(&mut out, b' ', 2)
        .map_err(|e| WriteError::Render {
            feed: feed.id.clone(),
            format: "rss",
            message: e.to_string(),
        })?;
    out.push(b'\n');
    Ok(out)
}

/// The image as Media RSS: `<media:content url medium="image">` and
/// `<media:thumbnail url>`, which Feedly, Inoreader and NetNewsWire read.
fn media_image(url: &str) -> ExtensionMap {
    let element = |name: &str, attrs: &[(&str, &str)]| Extension {
        name: format!("media:{name}"),
        attrs: attrs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..Extension::default()
    };
    let mut media = std::collections::BTreeMap::new();
    media.insert(
        "content".to_string(),
        vec![element("content", &[("url", url), ("medium", "image")])],
    );
    media.insert(
        "thumbnail".to_string(),
        vec![element("thumbnail", &[("url", url)])],
    );
    let mut map = ExtensionMap::new();
    map.insert("media".to_string(), media);
    map
}

/// Drops characters XML 1.0 forbids, keeping everything else (HTML stays HTML).
pub(super) fn strip_illegal(s: &str) -> String {
    s.chars().filter(|&c| crate::text::is_xml_char(c)).collect()
}
