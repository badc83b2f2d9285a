//! Items from a JSON document (a site's API), selected with `[feed.json]` JSONPath rules.
//!
//! Contract: given the document's text, its URL and the compiled rules, return the items
//! in document order as [`ListedItem`]s: `items` picks the item objects, each other rule
//! is evaluated with the item as root and its first match is taken. Links (from a path
//! or a template) resolve against the document's URL and are made canonical like every
//! listed link; an item without a link is skipped; items with the same `id` are one
//! item. Dates go through the date engine (strings, or Unix timestamps as numbers).
//! Pure: no I/O, no clock. It must not follow the items (the pipeline does, as for
//! HTML, when `follow` is on).

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde_json::Value;
use serde_json_path::JsonPath;
use url::Url;

use super::{canonical_link, DiscoverError, Discovery, ListedItem};
use crate::config::{JsonRules, LinkRule, TemplatePart};
use crate::date::{parse_date, DateContext};
use crate::text::join_authors;
use crate::text::truncate_chars;

/// Longest summary kept from a JSON item, in characters (as for a source feed).
const MAX_SUMMARY_CHARS: usize = 600;

/// What a value filled into a link template is escaped for: characters a URL cannot
/// hold as they are. `/` stays, so a template may take a whole path.
const TEMPLATE_VALUE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// Parses a JSON document into the items its rules select.
pub fn parse(
    text: &str,
    url: &Url,
    rules: &JsonRules,
    ctx: &DateContext,
) -> Result<Discovery, DiscoverError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| DiscoverError::NotJson {
        url: url.clone(),
        message: e.to_string(),
    })?;
    let mut items: Vec<ListedItem> = Vec::new();
    let mut ids: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for node in rules.items.query(&doc).all() {
        let Some(item) = item(node, url, rules, ctx) else {
            continue;
        };
        let id = rules.id.as_ref().and_then(|p| first_text(p, node));
        match id.as_ref().and_then(|id| ids.get(id)) {
            Some(&at) => {
                let prev = &mut items[at];
                prev.title = prev.title.take().or(item.title);
                prev.date = prev.date.take().or(item.date);
                prev.author = prev.author.take().or(item.author);
                prev.summary = prev.summary.take().or(item.summary);
            }
            None => {
                if let Some(id) = id {
                    ids.insert(id, items.len());
                }
                items.push(item);
            }
        }
    }
    let items = super::dedup(items);
    if items.is_empty() {
        return Err(DiscoverError::JsonEmpty { url: url.clone() });
    }
    let home = match url.scheme() {
        "http" | "https" => url.join("/").ok(),
        _ => None,
    };
    Ok(Discovery {
        method: format!("json ({} items)", items.len()),
        items,
        page_title: None,
        page_canonical: home,
        page_description: None,
        advertised_feeds: Vec::new(),
    })
}

fn item(node: &Value, base: &Url, rules: &JsonRules, ctx: &DateContext) -> Option<ListedItem> {
    let href = match &rules.link {
        LinkRule::Path(p) => first_text(p, node)?,
        LinkRule::Template(parts) => {
            let mut out = String::new();
            for part in parts {
                match part {
                    TemplatePart::Text(t) => out.push_str(t),
                    // A template whose value the item lacks makes no link.
                    TemplatePart::Value(p) => {
                        out.extend(utf8_percent_encode(&first_text(p, node)?, TEMPLATE_VALUE))
                    }
                }
            }
            out
        }
    };
    let link = canonical_link(base, &href)?;
    let text = |p: &Option<JsonPath>| p.as_ref().and_then(|p| first_text(p, node));
    let authors: Vec<String> = rules
        .author
        .as_ref()
        .and_then(|p| p.query(node).first())
        .map(names)
        .unwrap_or_default();
    Some(ListedItem {
        link,
        title: text(&rules.title),
        date: text(&rules.date).and_then(|d| parse_date(&d, ctx)),
        author: (!authors.is_empty()).then(|| join_authors(&authors)),
        summary: text(&rules.summary).map(|s| truncate_chars(&s, MAX_SUMMARY_CHARS)),
        media: crate::html::media::Media {
            image: text(&rules.image)
                .and_then(|s| base.join(&s).ok())
                .filter(|u| {
                    matches!(u.scheme(), "http" | "https")
                        && u.as_str().len() <= crate::model::MAX_URL_BYTES
                }),
            ..Default::default()
        },
    })
}

/// The first match of `path` in `node`, as plain text.
fn first_text(path: &JsonPath, node: &Value) -> Option<String> {
    path.query(node).first().and_then(text_of)
}

/// A value as plain text: a string (HTML reduced to its text), a number or a boolean;
/// an object by its `name`, `title`, `url` or `href`; `None` for anything else.
fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => crate::html::text::plain_text(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Object(o) => ["name", "title", "url", "href"]
            .iter()
            .find_map(|k| o.get(*k).and_then(text_of)),
        _ => None,
    }
}

/// Author names: a string, an object with a `name`, or an array of either.
fn names(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter().filter_map(text_of).collect(),
        other => text_of(other).into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::test_ctx as ctx;

    fn rules(link: &str) -> JsonRules {
        let p = |s: &str| JsonPath::parse(s).unwrap();
        let link = if link.starts_with('$') {
            LinkRule::Path(p(link))
        } else {
            LinkRule::Template(vec![
                TemplatePart::Text(link.to_string()),
                TemplatePart::Value(p("$['slug']")),
            ])
        };
        JsonRules {
            items: p("$.data.posts[*]"),
            link,
            title: Some(p("$.title")),
            date: Some(p("$.published")),
            author: Some(p("$.authors")),
            summary: Some(p("$.excerpt")),
            image: None,
            id: Some(p("$.id")),
        }
    }

    const DOC: &str = r#"{"data": {"posts": [
        {"id": 1, "slug": "first post", "url": "/p/first", "title": "First",
         "published": "2026-01-10T08:00:00Z", "authors": [{"name": "Ann"}, "Bo"],
         "excerpt": "<p>Hello &amp; welcome</p>"},
        {"id": 2, "slug": "second", "url": "https://api.example.com/p/second",
         "title": "Second", "published": 1767686400},
        {"id": 1, "slug": "first post", "url": "/p/first", "excerpt": "dup"},
        {"id": 3, "title": "No link at all"}
    ]}}"#;

    #[test]
    fn paths_pick_fields_relative_to_each_item() {
        let url = Url::parse("https://api.example.com/v1/posts.json").unwrap();
        let d = parse(DOC, &url, &rules("$.url"), &ctx()).unwrap();
        let links: Vec<&str> = d.items.iter().map(|i| i.link.as_str()).collect();
        assert_eq!(
            links,
            [
                "https://api.example.com/p/first",
                "https://api.example.com/p/second"
            ]
        );
        let first = &d.items[0];
        assert_eq!(first.title.as_deref(), Some("First"));
        assert_eq!(first.author.as_deref(), Some("Ann and Bo"));
        assert_eq!(first.summary.as_deref(), Some("Hello & welcome"));
        assert_eq!(
            first.date.as_ref().map(|d| d.value.to_rfc3339()),
            Some("2026-01-10T08:00:00+00:00".into())
        );
        assert_eq!(
            d.items[1].date.as_ref().map(|d| d.value.timestamp()),
            Some(1767686400)
        );
    }

    #[test]
    fn templates_fill_and_escape_values() {
        let url = Url::parse("https://api.example.com/v1/posts.json").unwrap();
        let d = parse(DOC, &url, &rules("https://example.org/p/"), &ctx()).unwrap();
        let links: Vec<&str> = d.items.iter().map(|i| i.link.as_str()).collect();
        assert_eq!(
            links,
            [
                "https://example.org/p/first%20post",
                "https://example.org/p/second"
            ]
        );
    }

    #[test]
    fn not_json_and_no_items_are_errors_naming_the_url() {
        let url = Url::parse("https://api.example.com/x").unwrap();
        let e = parse("<html>", &url, &rules("$.url"), &ctx()).unwrap_err();
        assert!(e
            .to_string()
            .starts_with("discover: https://api.example.com/x is not JSON"));
        let e = parse("{\"data\":{}}", &url, &rules("$.url"), &ctx()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "discover: the JSON at https://api.example.com/x has no item with a link \
             (check [feed.json] `items` and `link`)"
        );
    }
}
