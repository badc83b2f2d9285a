//! `[feed.json]`: the JSONPath rules of a `source = "json"` feed, compiled at load.
//!
//! Contract: every key is an RFC 9535 JSONPath (through `serde_json_path`), parsed here
//! so a bad expression is a config error with its line before any request. `items`
//! selects the item objects in the document; every other key is evaluated with one
//! item as its root (`$.title` is the item's `title`). `link` may instead be a
//! template, `"https://example.org/p/{slug}"`, whose `{name}` (a member of the item,
//! `{a.b}` for a nested one) or `{$.path}` parts are filled from the item. Nothing here
//! reads a document.

use serde::Deserialize;
use serde_json_path::JsonPath;
use toml::Spanned;

/// `[feed.json]` as written.
#[derive(Deserialize)]
pub(super) struct RawJson {
    pub(super) items: Option<Spanned<String>>,
    pub(super) link: Option<Spanned<String>>,
    pub(super) title: Option<Spanned<String>>,
    pub(super) date: Option<Spanned<String>>,
    pub(super) author: Option<Spanned<String>>,
    pub(super) summary: Option<Spanned<String>>,
    pub(super) image: Option<Spanned<String>>,
    pub(super) id: Option<Spanned<String>>,
}

/// Compiled `[feed.json]` rules.
#[derive(Debug, Clone)]
pub struct JsonRules {
    /// Selects the item objects (e.g. `$.data.posts[*]`).
    pub items: JsonPath,
    /// The item's link: a path, or a template filled from the item.
    pub link: LinkRule,
    /// Title, relative to the item.
    pub title: Option<JsonPath>,
    /// Date (a string or a Unix timestamp), read with the date engine.
    pub date: Option<JsonPath>,
    /// Author: a string, an object with a `name`, or an array of either.
    pub author: Option<JsonPath>,
    /// Summary (plain text or HTML, published as text).
    pub summary: Option<JsonPath>,
    /// Lead image URL (a string, or an object with a `url`).
    pub image: Option<JsonPath>,
    /// The item's identity in the API: entries with the same id are one item.
    pub id: Option<JsonPath>,
}

/// How an item's link is found.
#[derive(Debug, Clone)]
pub enum LinkRule {
    /// A JSONPath whose value is the link (absolute, or relative to the JSON's URL).
    Path(JsonPath),
    /// A template: literal text and values of the item, in order.
    Template(Vec<TemplatePart>),
}

/// One part of a link template.
#[derive(Debug, Clone)]
pub enum TemplatePart {
    /// Text copied as it is.
    Text(String),
    /// A value of the item (percent-encoded where a URL needs it).
    Value(JsonPath),
}

/// Parses one JSONPath, with the parser's reason in the error.
pub(super) fn path(s: &str) -> Result<JsonPath, String> {
    JsonPath::parse(s.trim())
        .map_err(|e| format!("invalid JSONPath {s:?} (RFC 9535, e.g. \"$.data.posts[*]\"): {e}"))
}

/// A `link`: a JSONPath when it starts with `$`, else a template with at least one
/// `{…}` part.
pub(super) fn link(s: &str) -> Result<LinkRule, String> {
    let t = s.trim();
    if t.starts_with('$') {
        return path(t).map(LinkRule::Path);
    }
    let mut parts = Vec::new();
    let mut rest = t;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            parts.push(TemplatePart::Text(rest[..open].to_string()));
        }
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            return Err(format!("link template {s:?}: `{{` without a closing `}}`"));
        };
        let inner = rest[open + 1..close].trim();
        let expr = if inner.starts_with('$') {
            inner.to_string()
        } else if !inner.is_empty() {
            // `{a.b}`: members of the item, each quoted so any name works.
            let members: Vec<String> = inner
                .split('.')
                .map(|m| format!("['{}']", m.replace('\\', "\\\\").replace('\'', "\\'")))
                .collect();
            format!("${}", members.concat())
        } else {
            return Err(format!("link template {s:?}: empty `{{}}`"));
        };
        parts.push(TemplatePart::Value(
            path(&expr).map_err(|e| format!("link template {s:?}: {e}"))?,
        ));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(TemplatePart::Text(rest.to_string()));
    }
    if !parts.iter().any(|p| matches!(p, TemplatePart::Value(_))) {
        return Err(format!(
            "{s:?} is neither a JSONPath (starting with `$`) nor a link template with a \
             `{{field}}`, e.g. \"https://example.org/p/{{slug}}\""
        ));
    }
    Ok(LinkRule::Template(parts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_split_into_text_and_item_values() {
        let LinkRule::Template(parts) = link("https://example.org/p/{slug}?v={meta.rev}").unwrap()
        else {
            panic!("not a template");
        };
        assert_eq!(parts.len(), 4);
        assert!(matches!(&parts[0], TemplatePart::Text(t) if t == "https://example.org/p/"));
        assert!(matches!(&parts[2], TemplatePart::Text(t) if t == "?v="));
        assert!(matches!(link("$.url").unwrap(), LinkRule::Path(_)));
        assert!(link("https://example.org/p/")
            .unwrap_err()
            .contains("neither a JSONPath"));
        assert!(link("/p/{slug").unwrap_err().contains("without a closing"));
        assert!(path("$.data[")
            .unwrap_err()
            .starts_with("invalid JSONPath \"$.data[\""));
    }
}
