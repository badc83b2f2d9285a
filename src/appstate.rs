//! Embedded app state: the data a page ships for its own script, read as JSON.
//!
//! Contract: [`read`] returns, in document order, every state blob a page carries that
//! parses as JSON: `<script id="__NEXT_DATA__">` (Next.js), `<script id="__NUXT_DATA__">`
//! (Nuxt 3, a `devalue` array, rebuilt into plain JSON), `window.__NUXT__`,
//! `window.__INITIAL_STATE__`, `window.__PRELOADED_STATE__` and `window.__APOLLO_STATE__`
//! assignments whose value is a JSON literal (or `JSON.parse("…")` of one), and other
//! `<script type="application/json">` islands. Script code is never run: a state that
//! is a JavaScript expression (Nuxt 2's `(function(a,b){…})(…)`) is not read. The
//! helpers below walk the values for the fields a listing or an article needs; they
//! belong to no stage, so discovery ([`crate::discover::state`]) and extraction
//! ([`crate::extract::state`]) share them. Pure: no I/O.

use scraper::Html;
use serde_json::{Map, Value};

/// Window globals whose assignment holds a page's state.
const GLOBALS: [&str; 4] = [
    "__NUXT__",
    "__INITIAL_STATE__",
    "__PRELOADED_STATE__",
    "__APOLLO_STATE__",
];

/// Most values rebuilt from one `devalue` array: its references may share nodes, so a
/// hostile array could otherwise unfold exponentially.
const MAX_DEVALUE_NODES: usize = 200_000;
/// Deepest nesting rebuilt from a `devalue` array (and walked by [`walk`]).
const MAX_DEPTH: usize = 64;

/// One state blob of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// Where it came from: `__NEXT_DATA__`, `__NUXT_DATA__`, `window.__NUXT__`, …, or
    /// `application/json` for another island.
    pub name: String,
    /// The data.
    pub value: Value,
}

/// Every state blob of the page, in document order.
pub fn read(html: &Html) -> Vec<State> {
    let mut out = Vec::new();
    for s in html.select(selector!("script")) {
        let ty = s
            .value()
            .attr("type")
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let id = s.value().attr("id").unwrap_or("");
        let text: String = s.text().collect();
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        if ty == "application/json" {
            let Ok(value) = serde_json::from_str::<Value>(text) else {
                continue;
            };
            let (name, value) = match id {
                "__NUXT_DATA__" => ("__NUXT_DATA__".to_string(), devalue(&value)),
                "__NEXT_DATA__" => ("__NEXT_DATA__".to_string(), value),
                _ => ("application/json".to_string(), value),
            };
            out.push(State { name, value });
        } else if ty.is_empty() || ty.contains("javascript") {
            out.extend(assignments(text));
        }
    }
    out
}

/// `window.__X__ = {…}` (or `JSON.parse("…")`) assignments in a script's code.
fn assignments(code: &str) -> Vec<State> {
    let mut out = Vec::new();
    for global in GLOBALS {
        let mut from = 0;
        while let Some(at) = code[from..].find(global).map(|i| from + i) {
            from = at + global.len();
            let rest = code[from..].trim_start();
            let Some(rest) = rest.strip_prefix('=') else {
                continue;
            };
            if rest.starts_with('=') {
                continue; // a comparison, `==`
            }
            if let Some(value) = json_literal(rest.trim_start()) {
                out.push(State {
                    name: format!("window.{global}"),
                    value,
                });
            }
        }
    }
    out
}

/// The JSON value at the start of `s` (text after it is ignored), or the value of a
/// `JSON.parse("…")` / `JSON.parse('…')` whose argument is a plain string literal.
fn json_literal(s: &str) -> Option<Value> {
    if let Some(arg) = s.strip_prefix("JSON.parse(") {
        let arg = arg.trim_start();
        let quote = arg.chars().next()?;
        if quote != '"' && quote != '\'' {
            return None;
        }
        let inner = if quote == '"' {
            serde_json::Deserializer::from_str(arg)
                .into_iter::<String>()
                .next()?
                .ok()?
        } else {
            // A single-quoted JavaScript string: the same escapes, other quotes.
            let body = arg[1..].split_once("')")?.0;
            let as_json = format!("\"{}\"", body.replace("\\'", "'").replace('"', "\\\""));
            serde_json::from_str::<String>(&as_json).ok()?
        };
        return serde_json::from_str(&inner).ok();
    }
    if !s.starts_with(['{', '[']) {
        return None;
    }
    serde_json::Deserializer::from_str(s)
        .into_iter::<Value>()
        .next()?
        .ok()
}

/// Rebuilds a Nuxt 3 `devalue` payload: a flat array whose first entry is the root and
/// whose objects and arrays hold indices of other entries; `["Reactive", i]` and the
/// like wrap one value, `["Date", "…"]` is a date, negative indices are `undefined`,
/// holes and special numbers. Anything else comes back as it is.
pub fn devalue(v: &Value) -> Value {
    let Value::Array(table) = v else {
        return v.clone();
    };
    if table.is_empty() {
        return v.clone();
    }
    let mut budget = MAX_DEVALUE_NODES;
    rebuild(table, 0, 0, &mut budget)
}

fn rebuild(table: &[Value], index: i64, depth: usize, budget: &mut usize) -> Value {
    if index < 0 || depth > MAX_DEPTH || *budget == 0 {
        return Value::Null;
    }
    *budget -= 1;
    let Some(entry) = table.get(index as usize) else {
        return Value::Null;
    };
    let child = |i: &Value, budget: &mut usize| match i.as_i64() {
        Some(i) => rebuild(table, i, depth + 1, budget),
        None => Value::Null,
    };
    match entry {
        Value::Array(a) => match a.first() {
            Some(Value::String(tag)) => match tag.as_str() {
                "Date" | "BigInt" | "RegExp" => a.get(1).cloned().unwrap_or(Value::Null),
                "Set" => Value::Array(a[1..].iter().map(|i| child(i, budget)).collect()),
                "Map" => {
                    let mut m = Map::new();
                    for pair in a[1..].chunks(2) {
                        if let [k, v] = pair {
                            if let Value::String(k) = child(k, budget) {
                                m.insert(k, child(v, budget));
                            }
                        }
                    }
                    Value::Object(m)
                }
                "null" => Value::Object(Map::new()),
                // Reactive, ShallowReactive, Ref, ShallowRef, EmptyRef, NuxtError …
                _ => a.get(1).map_or(Value::Null, |i| child(i, budget)),
            },
            _ => Value::Array(a.iter().map(|i| child(i, budget)).collect()),
        },
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, i)| (k.clone(), child(i, budget)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Calls `f` on every object in `v` with its depth, parents before children,
/// down to [`MAX_DEPTH`].
pub fn walk<'a>(v: &'a Value, f: &mut dyn FnMut(&'a Map<String, Value>, usize)) {
    fn go<'a>(v: &'a Value, depth: usize, f: &mut dyn FnMut(&'a Map<String, Value>, usize)) {
        if depth > MAX_DEPTH {
            return;
        }
        match v {
            Value::Object(o) => {
                f(o, depth);
                for c in o.values() {
                    go(c, depth + 1, f);
                }
            }
            Value::Array(a) => {
                for c in a {
                    go(c, depth + 1, f);
                }
            }
            _ => {}
        }
    }
    go(v, 0, f)
}

/// Keys that name an item's own page.
const URL_KEYS: [&str; 10] = [
    "url",
    "href",
    "link",
    "permalink",
    "path",
    "uri",
    "canonical_url",
    "canonicalurl",
    "full_url",
    "web_url",
];
/// Keys that name an item's headline, strongest first.
const TITLE_KEYS: [&str; 4] = ["headline", "title", "heading", "name"];
/// Keys that name an item's publication date.
const DATE_KEYS: [&str; 12] = [
    "datepublished",
    "published_at",
    "publishedat",
    "published",
    "publish_date",
    "publishdate",
    "first_published_at",
    "pubdate",
    "date",
    "created_at",
    "createdat",
    "posted_at",
];
/// Keys that name an item's teaser.
const SUMMARY_KEYS: [&str; 7] = [
    "excerpt",
    "summary",
    "description",
    "teaser",
    "dek",
    "subtitle",
    "abstract",
];
/// Keys that name an item's authors.
const AUTHOR_KEYS: [&str; 4] = ["author", "authors", "byline", "creator"];
/// Keys that name an item's image.
const IMAGE_KEYS: [&str; 6] = [
    "image",
    "cover",
    "thumbnail",
    "featured_image",
    "og_image",
    "img",
];

/// The value of the first of `keys` (compared without case) that the object holds.
fn field<'a>(o: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a Value> {
    keys.iter().find_map(|k| {
        o.iter()
            .find(|(name, v)| name.eq_ignore_ascii_case(k) && !v.is_null())
            .map(|(_, v)| v)
    })
}

/// A string, or an object's `name`/`title`/`url`/`href`/`src`, as trimmed text.
fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => crate::text::clean_opt(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(o) => ["name", "title", "url", "href", "src"]
            .iter()
            .find_map(|k| o.get(*k).and_then(text)),
        _ => None,
    }
}

/// The fields of one state object that describes an article, as text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields {
    /// The item's page: an absolute URL or a path.
    pub url: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Publication date, as written (a string or a number).
    pub date: Option<String>,
    /// Teaser (HTML reduced to text).
    pub summary: Option<String>,
    /// Author names.
    pub authors: Vec<String>,
    /// Image URL.
    pub image: Option<String>,
}

/// Reads the fields of an object; `url` only when it looks like a link (an http(s)
/// URL or a path starting with `/`), `title` only when it reads like a title (two to
/// 300 characters).
pub fn fields(o: &Map<String, Value>) -> Fields {
    let url = field(o, &URL_KEYS)
        .and_then(text)
        .filter(|u| (u.starts_with('/') && !u.starts_with("//")) || u.starts_with("http"));
    let title = field(o, &TITLE_KEYS)
        .and_then(text)
        .filter(|t| (2..=300).contains(&t.chars().count()));
    let authors = match field(o, &AUTHOR_KEYS) {
        Some(Value::Array(a)) => a.iter().filter_map(text).collect(),
        Some(v) => text(v).into_iter().collect(),
        None => Vec::new(),
    };
    Fields {
        url,
        title,
        date: field(o, &DATE_KEYS).and_then(text),
        summary: field(o, &SUMMARY_KEYS)
            .and_then(|v| v.as_str())
            .and_then(crate::html::text::plain_text),
        authors,
        image: field(o, &IMAGE_KEYS).and_then(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devalue_payloads_are_rebuilt_into_plain_json() {
        let payload: Value = serde_json::from_str(
            r#"[["ShallowReactive",1],{"data":2},["Reactive",3],{"posts":4},[5],
                {"title":6,"when":7},"Hello",["Date","2026-01-02T03:04:05Z"]]"#,
        )
        .unwrap();
        assert_eq!(
            devalue(&payload),
            serde_json::json!({"data": {"posts": [{"title": "Hello", "when": "2026-01-02T03:04:05Z"}]}})
        );
        // A self-reference ends at the depth limit instead of looping.
        let cyclic: Value = serde_json::from_str(r#"[{"me":0}]"#).unwrap();
        let mut depth = 0;
        let mut v = &devalue(&cyclic);
        while let Some(next) = v.get("me") {
            depth += 1;
            v = next;
        }
        assert!(depth <= MAX_DEPTH + 1, "{depth}");
    }

    #[test]
    fn window_assignments_and_islands_are_read_without_running_code() {
        let html = Html::parse_document(
            r#"<script>window.__INITIAL_STATE__ = {"a":1};var x=2;</script>
               <script>window.__PRELOADED_STATE__=JSON.parse("{\"b\":[2]}")</script>
               <script>if (window.__NUXT__ == null) {}</script>
               <script>window.__NUXT__=(function(a){return {c:a}}(1))</script>
               <script type="application/json" id="island">{"d":true}</script>
               <script type="application/ld+json">{"e":1}</script>"#,
        );
        let got: Vec<(String, Value)> =
            read(&html).into_iter().map(|s| (s.name, s.value)).collect();
        assert_eq!(
            got,
            [
                (
                    "window.__INITIAL_STATE__".to_string(),
                    serde_json::json!({"a": 1})
                ),
                (
                    "window.__PRELOADED_STATE__".to_string(),
                    serde_json::json!({"b": [2]})
                ),
                (
                    "application/json".to_string(),
                    serde_json::json!({"d": true})
                ),
            ]
        );
    }
}
