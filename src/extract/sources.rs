//! The metadata sources: meta tags, microdata, microformats, markup hints, bylines, the
//! URL. Each pushes [`Candidate`]s with its own reliability; none decides alone.

use scraper::{ElementRef, Html};
use std::collections::HashMap;
use url::Url;

use super::author::{clean_authors, join_authors};
use super::candidates::{Candidate, Field};
use super::date::{find_date, parse_date, DateContext};
use crate::text::clean_opt;

/// Collects candidates into a list.
pub struct Sink<'a> {
    /// The candidates so far.
    pub cands: Vec<Candidate>,
    /// Date context for parsing date values.
    pub ctx: DateContext<'a>,
}

impl Sink<'_> {
    /// Adds a text candidate (title or summary).
    pub fn text(&mut self, field: Field, value: &str, source: &str, weight: f32) {
        if let Some(v) = clean_opt(value) {
            self.cands.push(Candidate {
                field,
                value: v,
                date: None,
                source: source.to_string(),
                weight,
            });
        }
    }

    /// Adds a byline candidate after cleaning it into names.
    pub fn author(&mut self, raw: &str, source: &str, weight: f32) {
        let names = clean_authors(raw);
        self.authors(&names, source, weight);
    }

    /// Adds already-separated names as one byline candidate.
    pub fn authors(&mut self, names: &[String], source: &str, weight: f32) {
        if !names.is_empty() {
            self.cands.push(Candidate {
                field: Field::Author,
                value: join_authors(names),
                date: None,
                source: source.to_string(),
                weight,
            });
        }
    }

    /// Adds a date candidate when the value parses; `loose` searches inside text.
    pub fn date(&mut self, field: Field, raw: &str, source: &str, weight: f32, loose: bool) {
        let parsed = parse_date(raw, &self.ctx).or_else(|| {
            if loose {
                find_date(raw, &self.ctx)
            } else {
                None
            }
        });
        if let Some(d) = parsed {
            self.cands.push(Candidate {
                field,
                value: d.value.to_rfc3339(),
                date: Some(d),
                source: source.to_string(),
                weight,
            });
        }
    }
}

/// Meta tags by lower-cased `name`, `property` or `itemprop`, in document order.
pub struct Metas(HashMap<String, Vec<String>>);

impl Metas {
    /// Reads every `<meta>` with content once.
    pub fn read(html: &Html) -> Metas {
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for m in html.select(selector!("meta[content]")) {
            let el = m.value();
            let Some(content) = el.attr("content") else { continue };
            for key in ["name", "property", "itemprop", "http-equiv"] {
                if let Some(k) = el.attr(key) {
                    // A property attribute may carry several space-separated names.
                    for k in k.split_ascii_whitespace() {
                        map.entry(k.to_ascii_lowercase())
                            .or_default()
                            .push(content.to_string());
                    }
                }
            }
        }
        Metas(map)
    }

    /// First value for a key.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key)?.iter().map(String::as_str).find(|v| !v.trim().is_empty())
    }

    /// All values for a key.
    pub fn all(&self, key: &str) -> &[String] {
        self.0.get(key).map(Vec::as_slice).unwrap_or(&[])
    }
}

const META_TITLE: &[(&str, f32)] = &[
    ("citation_title", 0.8),
    ("og:title", 0.7),
    ("parsely-title", 0.7),
    ("headline", 0.7),
    ("twitter:title", 0.6),
    ("sailthru.title", 0.6),
    ("dc.title", 0.6),
    ("dcterms.title", 0.6),
];
const META_AUTHOR: &[(&str, f32)] = &[
    ("parsely-author", 0.8),
    ("sailthru.author", 0.75),
    ("author", 0.7),
    ("article:author", 0.7),
    ("og:article:author", 0.7),
    ("dc.creator", 0.7),
    ("dcterms.creator", 0.7),
    ("byl", 0.6),
    ("cxenseparse:author", 0.6),
];
const META_PUBLISHED: &[(&str, f32)] = &[
    ("article:published_time", 0.9),
    ("og:article:published_time", 0.9),
    ("article:published", 0.85),
    ("datepublished", 0.85),
    ("parsely-pub-date", 0.85),
    ("citation_publication_date", 0.8),
    ("citation_date", 0.7),
    ("sailthru.date", 0.8),
    ("pubdate", 0.75),
    ("publishdate", 0.75),
    ("publish-date", 0.75),
    ("publish_date", 0.75),
    ("publication_date", 0.75),
    ("article.published", 0.75),
    ("original-publish-date", 0.75),
    ("dc.date.issued", 0.75),
    ("dcterms.issued", 0.75),
    ("dcterms.created", 0.7),
    ("dc.date", 0.65),
    ("dcterms.date", 0.65),
    ("date", 0.6),
    ("article:post_date", 0.7),
    ("cxenseparse:recs:publishtime", 0.7),
];
const META_MODIFIED: &[(&str, f32)] = &[
    ("article:modified_time", 0.9),
    ("og:updated_time", 0.8),
    ("datemodified", 0.85),
    ("dcterms.modified", 0.75),
    ("last-modified", 0.5),
];
const META_SUMMARY: &[(&str, f32)] = &[
    ("og:description", 0.75),
    ("description", 0.7),
    ("twitter:description", 0.65),
    ("sailthru.description", 0.6),
    ("dc.description", 0.6),
    ("dcterms.description", 0.6),
    ("citation_abstract", 0.5),
];

/// Candidates from meta tags.
pub fn meta(sink: &mut Sink, metas: &Metas) {
    for &(k, w) in META_TITLE {
        if let Some(v) = metas.get(k) {
            sink.text(Field::Title, v, &format!("meta {k}"), w);
        }
    }
    for &(k, w) in META_AUTHOR {
        let values = metas.all(k);
        if k == "citation_author" || values.len() > 1 {
            let names: Vec<String> = values.iter().flat_map(|v| clean_authors(v)).collect();
            sink.authors(&names, &format!("meta {k}"), w);
        } else if let Some(v) = metas.get(k) {
            sink.author(v, &format!("meta {k}"), w);
        }
    }
    let cit: Vec<String> = metas
        .all("citation_author")
        .iter()
        .flat_map(|v| clean_authors(&citation_name(v)))
        .collect();
    sink.authors(&cit, "meta citation_author", 0.8);
    for &(k, w) in META_PUBLISHED {
        if let Some(v) = metas.get(k) {
            sink.date(Field::Published, v, &format!("meta {k}"), w, false);
        }
    }
    for &(k, w) in META_MODIFIED {
        if let Some(v) = metas.get(k) {
            sink.date(Field::Modified, v, &format!("meta {k}"), w, false);
        }
    }
    for &(k, w) in META_SUMMARY {
        if let Some(v) = metas.get(k) {
            sink.text(Field::Summary, v, &format!("meta {k}"), w);
        }
    }
}

/// "Doe, Jane" (citation style) → "Jane Doe".
fn citation_name(v: &str) -> String {
    match v.split_once(',') {
        Some((family, given)) if !given.trim().is_empty() && !given.contains(',') => {
            format!("{} {}", given.trim(), family.trim())
        }
        _ => v.to_string(),
    }
}

/// Class and id words that mark regions whose dates and names belong to something else
/// than the article: comments, related lists, navigation, footers, ads.
const BOILERPLATE_WORDS: &[&str] = &[
    "comment", "related", "sidebar", "recommend", "promo", "newsletter", "footer", "popular",
    "trending", "outbrain", "taboola", "share", "social", "widget", "menu", "breadcrumb",
    "disqus", "reply", "respond", "more-stories", "read-next", "readnext", "also", "teaser",
    "rail", "ad-", "advert", "sponsor", "nav", "discussion", "community",
];

/// Whether `el` sits in a region whose metadata is not the article's.
pub fn in_boilerplate(el: ElementRef) -> bool {
    let mut node = Some(el);
    while let Some(e) = node {
        let v = e.value();
        if matches!(v.name(), "nav" | "footer" | "aside" | "form") {
            return true;
        }
        if has_word(v.attr("class"), BOILERPLATE_WORDS) || has_word(v.attr("id"), BOILERPLATE_WORDS)
        {
            return true;
        }
        node = e.parent().and_then(ElementRef::wrap);
    }
    false
}

/// Whether any class/id token contains one of `words` (case-insensitive).
pub fn has_word(attr: Option<&str>, words: &[&str]) -> bool {
    let Some(attr) = attr else { return false };
    attr.split_ascii_whitespace().any(|tok| {
        let tok = tok.to_ascii_lowercase();
        words.iter().any(|w| tok.contains(w))
    })
}

fn el_text(el: ElementRef) -> String {
    el.text().collect::<String>()
}

/// Candidates from microdata, microformats, `<time>`, `rel=author`, class hints,
/// headings and the URL.
pub fn markup(sink: &mut Sink, html: &Html, url: &Url) {
    // schema.org microdata outside <meta> (meta itemprops are read with the metas).
    for el in html.select(selector!("[itemprop]:not(meta)")) {
        let Some(prop) = el.value().attr("itemprop") else { continue };
        for prop in prop.split_ascii_whitespace() {
            match prop {
                "headline" => sink.text(Field::Title, &el_text(el), "microdata headline", 0.75),
                "author" | "creator" => {
                    if in_boilerplate(el) {
                        continue;
                    }
                    let name = el
                        .select(selector!("[itemprop~=name]"))
                        .next()
                        .map(|n| n.value().attr("content").map(str::to_string).unwrap_or_else(|| el_text(n)))
                        .unwrap_or_else(|| el_text(el));
                    sink.author(&name, "microdata author", 0.75);
                }
                "datePublished" | "dateCreated" => {
                    if let Some(v) = el.value().attr("datetime").or(el.value().attr("content")) {
                        sink.date(Field::Published, v, "microdata datePublished", 0.85, false);
                    } else {
                        sink.date(Field::Published, &el_text(el), "microdata datePublished", 0.8, true);
                    }
                }
                "dateModified" => {
                    let v = el
                        .value()
                        .attr("datetime")
                        .or(el.value().attr("content"))
                        .map(str::to_string)
                        .unwrap_or_else(|| el_text(el));
                    sink.date(Field::Modified, &v, "microdata dateModified", 0.8, true);
                }
                "description" => {
                    sink.text(Field::Summary, &el_text(el), "microdata description", 0.6)
                }
                _ => {}
            }
        }
    }
    // Microformats h-entry.
    if let Some(entry) = html.select(selector!(".h-entry")).next() {
        if let Some(n) = entry.select(selector!(".p-name")).next() {
            sink.text(Field::Title, &el_text(n), "h-entry p-name", 0.7);
        }
        if let Some(a) = entry.select(selector!(".p-author")).next() {
            let name = a
                .select(selector!(".p-name"))
                .next()
                .map(el_text)
                .unwrap_or_else(|| el_text(a));
            sink.author(&name, "h-entry p-author", 0.7);
        }
        if let Some(d) = entry.select(selector!(".dt-published")).next() {
            let v = d.value().attr("datetime").map(str::to_string).unwrap_or_else(|| el_text(d));
            sink.date(Field::Published, &v, "h-entry dt-published", 0.8, true);
        }
        if let Some(s) = entry.select(selector!(".p-summary")).next() {
            sink.text(Field::Summary, &el_text(s), "h-entry p-summary", 0.6);
        }
    }
    // rel=author links.
    for a in html.select(selector!("a[rel~=author]")) {
        if !in_boilerplate(a) {
            sink.author(&el_text(a), "rel=author", 0.6);
            break;
        }
    }
    // <time> elements: the first outside boilerplate is most likely the article's.
    let mut times = 0;
    for t in html.select(selector!("time")) {
        if times >= 3 || in_boilerplate(t) {
            continue;
        }
        times += 1;
        let cls = format!(
            "{} {}",
            t.value().attr("class").unwrap_or(""),
            t.parent()
                .and_then(ElementRef::wrap)
                .and_then(|p| p.value().attr("class"))
                .unwrap_or("")
        )
        .to_ascii_lowercase();
        let field = if cls.contains("updated") || cls.contains("modified") {
            Field::Modified
        } else {
            Field::Published
        };
        let pubdate = t.value().attr("pubdate").is_some() || cls.contains("publish");
        let w = if pubdate { 0.7 } else if times == 1 { 0.6 } else { 0.4 };
        match t.value().attr("datetime") {
            Some(v) => sink.date(field, v, "<time datetime>", w, false),
            None => sink.date(field, &el_text(t), "<time> text", w - 0.1, true),
        }
    }
    // Class hints: bylines and datelines.
    let mut bylines = 0;
    for el in html.select(selector!("[class*=byline], [class*=author], [id*=byline], [class*=Byline], [class*=Author], [rel=author], [class*=writer], [class*=contributor]")) {
        if bylines >= 2 || in_boilerplate(el) {
            continue;
        }
        let cls = el.value().attr("class").unwrap_or("").to_ascii_lowercase();
        if cls.contains("bio") || cls.contains("avatar") || cls.contains("image") || cls.contains("photo") {
            continue;
        }
        let text = el_text(el);
        if text.trim().is_empty() || text.len() > 200 {
            continue;
        }
        bylines += 1;
        sink.author(&text, "class byline/author", 0.55);
        sink.date(Field::Published, &text, "byline text", 0.45, true);
    }
    let mut datelines = 0;
    for el in html.select(selector!("[class*=date], [class*=Date], [class*=dateline], [class*=published], [class*=timestamp], [class*=posted], [class*=meta]")) {
        if datelines >= 3 || in_boilerplate(el) {
            continue;
        }
        let cls = el.value().attr("class").unwrap_or("").to_ascii_lowercase();
        if cls.contains("update") || cls.contains("modified") {
            continue;
        }
        let text = el_text(el);
        if text.trim().is_empty() || text.len() > 200 {
            continue;
        }
        datelines += 1;
        sink.date(Field::Published, &text, "class date", 0.45, true);
    }
    // Headings and the <title>.
    if let Some(h1) = html
        .select(selector!("article h1, main h1, [role=main] h1"))
        .next()
        .or_else(|| html.select(selector!("h1")).find(|h| !in_boilerplate(*h)))
    {
        sink.text(Field::Title, &el_text(h1), "<h1>", 0.65);
    }
    // The date in the URL path, as a weak, date-only hint.
    if let Some(d) = url_date(url.path(), &sink.ctx) {
        sink.cands.push(Candidate {
            field: Field::Published,
            value: d.value.to_rfc3339(),
            date: Some(d),
            source: "url path".into(),
            weight: 0.4,
        });
    }
}

/// Placeholder until the date engine's `date_from_url` lands.
fn url_date(_path: &str, _ctx: &DateContext) -> Option<super::date::ParsedDate> {
    None
}
