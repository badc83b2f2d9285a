//! JSON Feed 1.1 (<https://www.jsonfeed.org/version/1.1/>), serialised with serde.

use serde::Serialize;

use super::WriteError;
use crate::config::Format;
use crate::credentials::{public_url, public_url_str};
use crate::model::Feed;
use crate::text::clean;

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: String,
    home_page_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    feed_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: String,
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    /// JSON Feed requires `content_html` or `content_text`.
    #[serde(skip_serializing_if = "Option::is_none")]
    content_html: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    /// Only when it differs from the feed's.
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attachments: Vec<Attachment>,
}

#[derive(Serialize)]
struct Attachment {
    url: String,
    mime_type: String,
    /// Omitted when unknown (0): JSON Feed has no "unknown" size.
    #[serde(skip_serializing_if = "Option::is_none")]
    size_in_bytes: Option<u64>,
}

#[derive(Serialize)]
struct Author {
    name: String,
}

/// Renders the feed as JSON Feed 1.1 bytes.
pub fn render(feed: &Feed) -> Result<Vec<u8>, WriteError> {
    let doc = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: clean(&feed.title),
        home_page_url: public_url(&feed.home_page),
        feed_url: super::self_url(feed, Format::Json),
        description: feed.description.as_deref().map(clean),
        language: feed.language.clone(),
        items: feed
            .items
            .iter()
            .map(|it| JsonItem {
                id: public_url_str(&it.guid),
                url: public_url(&it.link),
                title: it.title.as_deref().map(clean),
                summary: it.summary.as_deref().map(clean),
                content_html: it.content_html.as_deref(),
                content_text: match &it.content_html {
                    Some(_) => None,
                    None => Some(it.summary.as_deref().map(clean).unwrap_or_default()),
                },
                date_published: it.published.map(|d| d.to_rfc3339()),
                date_modified: it.updated.map(|d| d.to_rfc3339()),
                authors: it
                    .authors
                    .iter()
                    .map(|a| Author { name: clean(a) })
                    .collect(),
                image: it.image.as_ref().map(public_url),
                tags: it.categories.iter().map(|c| clean(c)).collect(),
                language: it
                    .language
                    .clone()
                    .filter(|l| Some(l) != feed.language.as_ref()),
                attachments: it
                    .enclosures
                    .iter()
                    .map(|e| Attachment {
                        url: public_url(&e.url),
                        mime_type: e.mime_type.clone(),
                        size_in_bytes: (e.length > 0).then_some(e.length),
                    })
                    .collect(),
            })
            .collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&doc).map_err(|e| WriteError::Render {
        feed: feed.id.clone(),
        format: "json",
        message: e.to_string(),
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}
