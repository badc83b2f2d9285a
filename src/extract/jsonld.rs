//! JSON-LD: schema.org Article-like objects in `<script type="application/ld+json">`.
//!
//! Tolerant of what real sites ship: HTML comments and CDATA around the JSON, trailing
//! commas, raw newlines inside strings, several objects in one block, `@graph`, arrays,
//! nested `mainEntity`, and authors given by `@id` reference.

use scraper::{ElementRef, Html};
use serde_json::Value;
use std::collections::HashMap;

/// What one Article-like object says.
#[derive(Debug, Default, Clone)]
pub struct LdArticle {
    /// Its `@type` (first one when several).
    pub kind: String,
    /// `headline`, else `name`.
    pub headline: Option<String>,
    /// Person names, in order.
    pub people: Vec<String>,
    /// Organisation names given as author.
    pub organisations: Vec<String>,
    /// `datePublished`, else `dateCreated`, else (videos) `uploadDate`.
    pub published: Option<String>,
    /// `dateModified`.
    pub modified: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `url` / `mainEntityOfPage` / `@id`, to match against the page URL.
    pub urls: Vec<String>,
    /// `publisher.name`.
    pub publisher: Option<String>,
}

/// Whether a schema.org type describes an article-like page.
pub(super) fn is_article_type(t: &str) -> bool {
    let t = t.rsplit('/').next().unwrap_or(t);
    t.ends_with("Article")
        || t.ends_with("Posting")
        || matches!(
            t,
            "Report"
                | "WebPage"
                | "ItemPage"
                | "Blog"
                | "CreativeWork"
                | "Review"
                | "Recipe"
                | "VideoObject"
                | "Thesis"
        )
}

/// All Article-like objects on the page, most specific types first within document order.
pub fn articles(html: &Html) -> Vec<LdArticle> {
    articles_in(html.select(selector!("script")))
}

/// [`articles`] from the page's `<script>` elements, in the order `Html::select` yields them.
pub fn articles_in<'a>(scripts: impl Iterator<Item = ElementRef<'a>>) -> Vec<LdArticle> {
    articles_from(&values_in(scripts))
}

/// Every JSON-LD value of the page's `<script>` elements, parsed once for
/// [`articles_from`] and the media sources (`super::media`).
pub fn values_in<'a>(scripts: impl Iterator<Item = ElementRef<'a>>) -> Vec<Value> {
    let mut values = Vec::new();
    for script in scripts {
        let ty = script.value().attr("type").map(str::trim).unwrap_or("");
        let ld = ty.eq_ignore_ascii_case("application/ld+json");
        // Some pages ship their JSON-LD in a plain `<script>` without the type: it
        // counts when it is a JSON object with a schema.org context, not code.
        let untyped = ty.is_empty()
            && script.text().next().is_some_and(|t| {
                let t = t.trim_start();
                (t.starts_with('{') || t.starts_with('[')) && t.contains("\"@context\"")
            });
        if !(ld || untyped) {
            continue;
        }
        let raw: String = script.text().collect();
        values.extend(parse_lenient(&raw));
    }
    values
}

/// Every object of the values (through arrays, `@graph`, `mainEntity`) and the index
/// of those that carry an `@id`, for resolving references.
pub(super) fn objects(values: &[Value]) -> (Vec<&Value>, HashMap<&str, &Value>) {
    let mut flat = Vec::new();
    for v in values {
        flatten(v, &mut flat, 0);
    }
    let mut by_id: HashMap<&str, &Value> = HashMap::new();
    for v in &flat {
        if let Some(id) = v.get("@id").and_then(Value::as_str) {
            by_id.entry(id).or_insert(v);
        }
    }
    (flat, by_id)
}

/// The Article-like objects among parsed JSON-LD values (see [`articles`]).
pub fn articles_from(values: &[Value]) -> Vec<LdArticle> {
    let (flat, by_id) = objects(values);
    let mut out: Vec<LdArticle> = flat
        .iter()
        .filter(|v| types(v).iter().any(|t| is_article_type(t)))
        .map(|v| read_article(v, &by_id))
        .collect();
    // Page-level types (WebPage) after real article types.
    out.sort_by_key(|a| {
        matches!(
            a.kind.as_str(),
            "WebPage" | "ItemPage" | "CreativeWork" | "Blog"
        )
    });
    out
}

/// Parses a JSON-LD block, repairing the common breakages.
pub fn parse_lenient(raw: &str) -> Vec<Value> {
    let trimmed = raw
        .trim()
        .trim_start_matches("<!--")
        .trim_end_matches("-->")
        .trim()
        .trim_start_matches("//<![CDATA[")
        .trim_start_matches("<![CDATA[")
        .trim_end_matches("//]]>")
        .trim_end_matches("]]>")
        .trim()
        .trim_end_matches(';');
    if trimmed.is_empty() {
        return Vec::new();
    }
    if let Some(v) = parse_stream(trimmed) {
        return v;
    }
    let repaired = repair(trimmed);
    parse_stream(&repaired).unwrap_or_default()
}

fn parse_stream(s: &str) -> Option<Vec<Value>> {
    let mut out = Vec::new();
    for v in serde_json::Deserializer::from_str(s).into_iter::<Value>() {
        match v {
            Ok(v) => out.push(v),
            Err(_) => return if out.is_empty() { None } else { Some(out) },
        }
    }
    Some(out)
}

/// Escapes raw control characters inside strings and drops trailing commas.
fn repair(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_str = false;
    let mut escaped = false;
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if in_str {
            if escaped {
                escaped = false;
                out.push(c);
                continue;
            }
            match c {
                '\\' => {
                    escaped = true;
                    out.push(c);
                }
                '"' => {
                    in_str = false;
                    out.push(c);
                }
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if (c as u32) < 0x20 => {}
                c => out.push(c),
            }
        } else {
            match c {
                '"' => {
                    in_str = true;
                    out.push(c);
                }
                ',' => {
                    let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
                    if !matches!(next, Some('}') | Some(']')) {
                        out.push(c);
                    }
                }
                c => out.push(c),
            }
        }
    }
    out
}

/// Collects every object reachable through arrays, `@graph` and `mainEntity`.
fn flatten<'a>(v: &'a Value, out: &mut Vec<&'a Value>, depth: usize) {
    if depth > 8 {
        return;
    }
    match v {
        Value::Array(items) => items.iter().for_each(|i| flatten(i, out, depth + 1)),
        Value::Object(map) => {
            out.push(v);
            for key in ["@graph", "mainEntity", "mainEntityOfPage", "hasPart"] {
                if let Some(inner) = map.get(key) {
                    if inner.is_object() || inner.is_array() {
                        flatten(inner, out, depth + 1);
                    }
                }
            }
        }
        _ => {}
    }
}

pub(super) fn types(v: &Value) -> Vec<&str> {
    match v.get("@type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

pub(super) fn text_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => crate::text::clean_opt(&html_unescape(s)),
        Value::Array(a) => a.iter().find_map(|x| text_of(Some(x))),
        Value::Object(o) => text_of(o.get("@value").or_else(|| o.get("name"))),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Some sites put HTML entities or tags inside JSON-LD strings.
fn html_unescape(s: &str) -> String {
    if !s.contains('&') && !s.contains('<') {
        return s.to_string();
    }
    let frag = crate::html::parse_fragment(s);
    // "<p>Demo.</p><p>Der …</p>": paragraphs separate words.
    crate::html::text::visible_text(frag.root_element())
}

fn read_article(v: &Value, by_id: &HashMap<&str, &Value>) -> LdArticle {
    let mut a = LdArticle {
        kind: types(v).first().map(|s| s.to_string()).unwrap_or_default(),
        headline: text_of(v.get("headline")).or_else(|| text_of(v.get("name"))),
        published: text_of(v.get("datePublished"))
            .or_else(|| text_of(v.get("dateCreated")))
            .or_else(|| text_of(v.get("uploadDate"))),
        modified: text_of(v.get("dateModified")),
        description: text_of(v.get("description")),
        publisher: v.get("publisher").and_then(|p| {
            let p = resolve(p, by_id);
            text_of(p.get("name")).or_else(|| p.as_str().map(str::to_string))
        }),
        ..LdArticle::default()
    };
    for key in ["url", "@id", "mainEntityOfPage"] {
        match v.get(key) {
            Some(Value::String(s)) => a.urls.push(s.clone()),
            Some(Value::Object(o)) => {
                if let Some(s) = o.get("@id").and_then(Value::as_str) {
                    a.urls.push(s.to_string());
                }
            }
            _ => {}
        }
    }
    for key in ["author", "creator"] {
        if let Some(au) = v.get(key) {
            collect_authors(au, by_id, &mut a, 0);
        }
        if !a.people.is_empty() {
            break;
        }
    }
    a
}

pub(super) fn resolve<'a>(v: &'a Value, by_id: &HashMap<&str, &'a Value>) -> &'a Value {
    if let Value::Object(o) = v {
        if o.len() == 1 {
            if let Some(target) = o
                .get("@id")
                .and_then(Value::as_str)
                .and_then(|id| by_id.get(id))
            {
                return target;
            }
        }
    }
    v
}

fn collect_authors(v: &Value, by_id: &HashMap<&str, &Value>, a: &mut LdArticle, depth: usize) {
    if depth > 3 {
        return;
    }
    match resolve(v, by_id) {
        Value::String(s) => a.people.push(s.clone()),
        Value::Array(items) => items
            .iter()
            .for_each(|i| collect_authors(i, by_id, a, depth + 1)),
        obj @ Value::Object(_) => {
            let name = text_of(obj.get("name")).or_else(|| {
                let given = text_of(obj.get("givenName"))?;
                let family = text_of(obj.get("familyName")).unwrap_or_default();
                Some(format!("{given} {family}").trim().to_string())
            });
            let Some(name) = name else { return };
            let is_org = types(obj)
                .iter()
                .any(|t| matches!(*t, "Organization" | "NewsMediaOrganization" | "Corporation"));
            if is_org {
                a.organisations.push(name);
            } else {
                a.people.push(name);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(ld: &str) -> Html {
        Html::parse_document(&format!(
            "<html><head><script type=\"application/ld+json\">{ld}</script></head><body></body></html>"
        ))
    }

    #[test]
    fn graph_with_author_reference() {
        let html = page(
            r##"{"@context":"https://schema.org","@graph":[
              {"@type":"NewsArticle","headline":"Quake hits north","datePublished":"2025-12-22T10:15:00+09:00",
               "author":{"@id":"#p1"},"description":"A strong quake."},
              {"@type":"Person","@id":"#p1","name":"Aiko Sato"}]}"##,
        );
        let arts = articles(&html);
        assert_eq!(arts.len(), 1);
        assert_eq!(arts[0].headline.as_deref(), Some("Quake hits north"));
        assert_eq!(arts[0].people, ["Aiko Sato"]);
        assert_eq!(
            arts[0].published.as_deref(),
            Some("2025-12-22T10:15:00+09:00")
        );
    }

    #[test]
    fn broken_json_is_repaired() {
        let html = page("<!-- {\"@type\":\"BlogPosting\",\"headline\":\"Line\none\",\"author\":[{\"@type\":\"Person\",\"name\":\"A\"},{\"@type\":\"Organization\",\"name\":\"Org\"},],} -->");
        let arts = articles(&html);
        assert_eq!(arts[0].headline.as_deref(), Some("Line one"));
        assert_eq!(arts[0].people, ["A"]);
        assert_eq!(arts[0].organisations, ["Org"]);
    }

    #[test]
    fn untyped_script_with_schema_context_is_read() {
        let html = Html::parse_document(
            r#"<html><head><script>var x = {"a": 1};</script>
            <script>{"@context": "https://schema.org", "@type": "NewsArticle",
              "headline": "H", "datePublished": "2022-01-28T06:00:00+01:00"}</script>
            </head><body></body></html>"#,
        );
        let arts = articles(&html);
        assert_eq!(arts.len(), 1);
        assert_eq!(
            arts[0].published.as_deref(),
            Some("2022-01-28T06:00:00+01:00")
        );
    }

    #[test]
    fn video_upload_date_is_its_publication() {
        let html =
            page(r#"{"@type":"VideoObject","name":"Clip","uploadDate":"2019-10-16T18:15:00Z"}"#);
        assert_eq!(
            articles(&html)[0].published.as_deref(),
            Some("2019-10-16T18:15:00Z")
        );
    }

    #[test]
    fn garbage_yields_nothing() {
        assert!(articles(&page("{not json at all")).is_empty());
        assert!(articles(&page("")).is_empty());
    }
}
