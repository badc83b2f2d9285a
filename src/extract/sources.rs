//! The metadata sources: meta tags, microdata, microformats, markup hints, bylines, the
//! URL. Each pushes [`Candidate`]s with its own reliability; none decides alone.

use scraper::ElementRef;
use std::sync::LazyLock;
use url::Url;

use super::author::clean_authors;
use super::boilerplate::{
    boilerplate_walk, footer_attr, in_boilerplate, in_boilerplate_labelled, in_boilerplate_near,
};
use super::candidates::{Candidate, Field, Provenance};
use super::dom::{Dom, Entry};
use super::sink::{has_year, Sink};
use super::words::{contains_ci, has_word, WordSet, DATE_HINTS};
use crate::date::DateContext;
use crate::html::text::visible_text;
use crate::html::Metas;

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
    // Video pages: schema.org `uploadDate` as microdata meta.
    ("uploaddate", 0.7),
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
            sink.text(Field::Title, v, Provenance::Meta(k), w);
        }
    }
    for &(k, w) in META_AUTHOR {
        let values = metas.all(k);
        if k == "citation_author" || values.len() > 1 {
            let names: Vec<String> = values.iter().flat_map(|v| clean_authors(v)).collect();
            sink.authors(&names, Provenance::Meta(k), w);
        } else if let Some(v) = metas.get(k) {
            sink.author(v, Provenance::Meta(k), w);
        }
    }
    let cit: Vec<String> = metas
        .all("citation_author")
        .iter()
        .flat_map(|v| clean_authors(&citation_name(v)))
        .collect();
    sink.authors(&cit, Provenance::Meta("citation_author"), 0.8);
    for &(k, w) in META_PUBLISHED {
        if let Some(v) = metas.get(k) {
            sink.date(Field::Published, v, Provenance::Meta(k), w, false);
        }
    }
    for &(k, w) in META_MODIFIED {
        if let Some(v) = metas.get(k) {
            sink.date(Field::Modified, v, Provenance::Meta(k), w, false);
        }
    }
    for &(k, w) in META_SUMMARY {
        if let Some(v) = metas.get(k) {
            sink.text(Field::Summary, v, Provenance::Meta(k), w);
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

fn el_text(el: ElementRef) -> String {
    visible_text(el)
}

/// Candidates from microdata, microformats, `<time>`, `rel=author`, class hints,
/// headings and the URL.
pub fn markup(sink: &mut Sink, dom: &Dom, url: &Url) {
    // schema.org microdata outside <meta> (meta itemprops are read with the metas).
    for e in dom.elements.iter().filter(|e| e.name() != "meta") {
        let (el, Some(prop)) = (e.el, e.itemprop) else {
            continue;
        };
        for prop in prop.split_ascii_whitespace() {
            match prop {
                "headline" => sink.text(
                    Field::Title,
                    &el_text(el),
                    Provenance::Microdata("headline"),
                    0.75,
                ),
                "author" | "creator" => {
                    if in_boilerplate(dom, el) {
                        continue;
                    }
                    let name = el
                        .select(selector!("[itemprop~=name]"))
                        .next()
                        .map(|n| {
                            n.value()
                                .attr("content")
                                .map(str::to_string)
                                .unwrap_or_else(|| el_text(n))
                        })
                        .unwrap_or_else(|| el_text(el));
                    sink.author(&name, Provenance::Microdata("author"), 0.75);
                }
                "datePublished" | "dateCreated" => {
                    if let Some(v) = el.value().attr("datetime").or(el.value().attr("content")) {
                        sink.date(
                            Field::Published,
                            v,
                            Provenance::Microdata("datePublished"),
                            0.85,
                            false,
                        );
                    } else {
                        sink.date(
                            Field::Published,
                            &el_text(el),
                            Provenance::Microdata("datePublished"),
                            0.8,
                            true,
                        );
                    }
                }
                "dateModified" => {
                    let v = el
                        .value()
                        .attr("datetime")
                        .or(el.value().attr("content"))
                        .map(str::to_string)
                        .unwrap_or_else(|| el_text(el));
                    sink.date(
                        Field::Modified,
                        &v,
                        Provenance::Microdata("dateModified"),
                        0.8,
                        true,
                    );
                }
                "description" => sink.text(
                    Field::Summary,
                    &el_text(el),
                    Provenance::Microdata("description"),
                    0.6,
                ),
                _ => {}
            }
        }
    }
    // Microformats h-entry.
    if let Some(entry) = dom
        .elements
        .iter()
        .find(|e| {
            // The selector `.h-entry`: one class token, case-sensitive.
            e.class.is_some_and(|c| {
                c.contains("h-entry") && c.split_ascii_whitespace().any(|t| t == "h-entry")
            })
        })
        .map(|e| e.el)
    {
        if let Some(n) = entry.select(selector!(".p-name")).next() {
            sink.text(Field::Title, &el_text(n), Provenance::HEntry("p-name"), 0.7);
        }
        if let Some(a) = entry.select(selector!(".p-author")).next() {
            let name = a
                .select(selector!(".p-name"))
                .next()
                .map(el_text)
                .unwrap_or_else(|| el_text(a));
            sink.author(&name, Provenance::HEntry("p-author"), 0.7);
        }
        if let Some(d) = entry.select(selector!(".dt-published")).next() {
            let v = d
                .value()
                .attr("datetime")
                .map(str::to_string)
                .unwrap_or_else(|| el_text(d));
            sink.date(
                Field::Published,
                &v,
                Provenance::HEntry("dt-published"),
                0.8,
                true,
            );
        }
        if let Some(s) = entry.select(selector!(".p-summary")).next() {
            sink.text(
                Field::Summary,
                &el_text(s),
                Provenance::HEntry("p-summary"),
                0.6,
            );
        }
    }
    let head = headline(dom, url);
    // Metadata is read knowing where the article's own header is.
    let header = head.as_ref().map(|(h1, _)| *h1);
    // Bylines: author links, byline-class elements, "By …" lines.
    bylines(sink, dom, header);
    // <time> elements: the first outside boilerplate is most likely the article's.
    let mut times = 0;
    for t in dom.named("time") {
        if times >= 3 {
            break;
        }
        if in_boilerplate_near(dom, t, header) {
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
        let w = if pubdate {
            0.7
        } else if times == 1 {
            0.6
        } else {
            0.4
        };
        match t.value().attr("datetime") {
            Some(v) => sink.date(field, v, Provenance::TimeDatetime, w, false),
            None => sink.date(field, &el_text(t), Provenance::TimeText, w - 0.1, true),
        }
    }
    // Class and id hints: datelines. One pass over the elements with a class or id;
    // hints match case-insensitively inside a token ("documentPublished", "post-date").
    let mut datelines = 0;
    for e in dom.hinted() {
        if datelines >= 3 {
            break;
        }
        let (el, cls, id) = (e.el, e.class, e.id);
        let v = el.value();
        if !(DATE_HINT_SET.any(cls) || DATE_HINT_SET.any(id))
            || UPDATE_HINT_SET.any(cls)
            || matches!(
                v.name(),
                "html" | "body" | "meta" | "script" | "style" | "link" | "time"
            )
        {
            continue;
        }
        let len = text_len_upto(el, 200);
        if len == 0 || len > 200 || in_boilerplate_near(dom, el, header) {
            continue;
        }
        let text = el_text(el);
        if text.is_empty() {
            continue;
        }
        datelines += 1;
        sink.date(Field::Published, &text, Provenance::ClassDate, 0.45, true);
    }
    // Headings and the <title>; the dateline near the headline.
    if let Some((h1, text)) = head {
        sink.text(Field::Title, &text, Provenance::H1, 0.65);
        dateline_after_headline(sink, dom, h1, header);
        super::summary::dek_after_headline(sink, h1);
    }
    // A date the page states as its publication's ("Erschienen am: 01.11.2023"), often
    // in the footer under the article: the first outside comments and lists.
    // An update stated the same way ("Stand: 28.04.2023", "Aktualisiert: …") is the
    // modification date, which dates a page that states no publication.
    let (mut published, mut updated) = (false, false);
    for &(el, text) in &dom.labelled {
        if published && updated {
            break;
        }
        let update =
            super::dom::opens_with(text.trim_start().as_bytes(), super::dom::UPDATE_LABELS);
        if (update && updated) || (!update && published) || in_boilerplate_labelled(dom, el) {
            continue;
        }
        // "<b>Stand:</b> 28.04.2023": the label alone in its element, the date beside it.
        let digits = |t: &str| t.bytes().any(|b| b.is_ascii_digit());
        let line = if digits(text) {
            text.to_string()
        } else {
            let own = visible_text(el);
            let line = if digits(&own) {
                own
            } else {
                match el.parent().and_then(ElementRef::wrap) {
                    Some(p) if text_len_upto(p, DATELINE_CHARS) <= DATELINE_CHARS => {
                        visible_text(p)
                    }
                    _ => continue,
                }
            };
            if line.chars().count() > DATELINE_CHARS {
                continue;
            }
            line
        };
        if update && !has_year(&line) {
            continue;
        }
        if update {
            let before = sink.cands.len();
            sink.date(
                Field::Modified,
                &line,
                Provenance::LabelledUpdate,
                0.45,
                true,
            );
            updated = sink.cands.len() > before;
        } else {
            published = dateline(sink, &line, Provenance::LabelledPublication);
        }
    }
    // The date in the URL path, as a weak, date-only hint.
    if let Some(d) = url_date(url.path(), &sink.ctx) {
        sink.cands.push(Candidate {
            field: Field::Published,
            value: d.value.to_rfc3339(),
            date: Some(d),
            source: Provenance::UrlPath,
            weight: 0.4,
        });
    }
}

/// Class words of a modification date, which is not the publication date.
const UPDATE_HINTS: &[&str] = &["update", "modified"];
static DATE_HINT_SET: WordSet = WordSet::new(DATE_HINTS);
static UPDATE_HINT_SET: WordSet = WordSet::new(UPDATE_HINTS);

/// How many short text blocks after the headline are searched for a dateline.
const DATELINE_BLOCKS: usize = 12;
/// How much text after the headline is searched for a dateline, in bytes: a dateline
/// sits with the byline before the body, not in it.
const DATELINE_TEXT: usize = 1000;
/// The longest block read as a dateline, in characters ("Pressemitteilung vom
/// 20.01.2022", "June 7, 2019 · Jane Doe"); longer ones are prose, whose dates are
/// events.
const DATELINE_CHARS: usize = 100;

/// A dateline without any class hint: the first short text block after the headline,
/// in document order, that holds a date ("Pressemitteilung vom 20.01.2022", a bare
/// "June 7, 2019" paragraph under the `<h1>`). Reads at most a few blocks, so it
/// never reaches the body, the comments or the related articles.
fn dateline_after_headline(sink: &mut Sink, dom: &Dom, h1: ElementRef, header: Option<ElementRef>) {
    if dateline_before_headline(sink, dom, h1, header) {
        return;
    }
    let mut blocks = 0;
    let mut seen = 0;
    let mut last_parent = None;
    for next in super::dom::following(h1) {
        for d in next.descendants() {
            let Some(t) = d.value().as_text() else {
                continue;
            };
            let t = t.trim();
            if t.is_empty() {
                continue;
            }
            let Some(parent) = d.parent().and_then(ElementRef::wrap) else {
                continue;
            };
            if matches!(
                parent.value().name(),
                "script" | "style" | "noscript" | "template" | "option" | "button"
            ) || last_parent == Some(parent.id())
            {
                continue;
            }
            last_parent = Some(parent.id());
            blocks += 1;
            seen += t.len();
            if blocks > DATELINE_BLOCKS || seen > DATELINE_TEXT {
                return;
            }
            let parent_len = text_len_upto(parent, DATELINE_CHARS * 2);
            let line = if parent_len <= DATELINE_CHARS * 2 {
                visible_text(parent)
            } else {
                t.to_string()
            };
            if line.chars().count() > DATELINE_CHARS
                || in_boilerplate_near(dom, parent, header)
                || beside_teaser_link(parent)
            {
                continue;
            }
            if dateline(sink, &line, Provenance::DatelineAfterHeadline) {
                return;
            }
        }
    }
}

/// Whether a date's or byline's element (or the small box around it) holds a link to
/// another article: a related teaser ("Freibad öffnet früher · 24.04.2023 · Von Max
/// Berg") gives that article's date and author, not the page's. Links to author pages,
/// comments, sharing and one- or two-word links (a section, a tag) do not count.
fn beside_teaser_link(el: ElementRef) -> bool {
    let boxes = std::iter::once(el).chain(el.parent().and_then(ElementRef::wrap));
    boxes
        .filter(|b| text_len_upto(*b, DATELINE_CHARS * 2) <= DATELINE_CHARS * 2)
        .any(|b| {
            let own = (b.value().name() == "a").then_some(b);
            own.into_iter()
                .chain(b.select(selector!("a[href]")))
                .any(|a| {
                    let href = a.value().attr("href").unwrap_or("");
                    !is_author_link(a)
                        && !is_social_link(a)
                        && !href.starts_with(['#', '?'])
                        && !href.starts_with("javascript:")
                        && !["comment", "kommentar", "share", "print"]
                            .iter()
                            .any(|w| contains_ci(href, w))
                        && a.text().flat_map(str::split_whitespace).count() >= 3
                        && !has_year(&visible_text(a))
                })
        })
}

/// How many text blocks just before the headline (a kicker or topline with the date,
/// inside the headline's parent or grandparent) are searched for a dateline.
const DATELINE_BLOCKS_BEFORE: usize = 3;

/// A dateline in the kicker just before the headline ("24. April 2020 | Press").
/// Returns whether one was found.
fn dateline_before_headline(
    sink: &mut Sink,
    dom: &Dom,
    h1: ElementRef,
    header: Option<ElementRef>,
) -> bool {
    let mut blocks = 0;
    let mut node = *h1;
    for _ in 0..2 {
        let mut sib = node.prev_sibling();
        while let Some(s) = sib {
            let texts: Vec<_> = s
                .descendants()
                .filter(|d| d.value().as_text().is_some_and(|t| !t.trim().is_empty()))
                .collect();
            for d in texts.into_iter().rev() {
                let Some(parent) = d.parent().and_then(ElementRef::wrap) else {
                    continue;
                };
                if matches!(
                    parent.value().name(),
                    "script" | "style" | "noscript" | "template" | "option" | "button"
                ) {
                    continue;
                }
                blocks += 1;
                if blocks > DATELINE_BLOCKS_BEFORE {
                    return false;
                }
                let line = visible_text(parent);
                if line.chars().count() > DATELINE_CHARS || in_boilerplate_near(dom, parent, header)
                {
                    continue;
                }
                if dateline(sink, &line, Provenance::DatelineBeforeHeadline) {
                    return true;
                }
            }
            sib = s.prev_sibling();
        }
        match node.parent() {
            Some(p) => node = p,
            None => break,
        }
    }
    false
}

/// Adds a dateline's date, when it has one with a year (a bare "am 3. Mai" in a
/// subtitle is an event, and a guessed year is a wrong date) or a relative one.
fn dateline(sink: &mut Sink, line: &str, source: Provenance) -> bool {
    let before = sink.cands.len();
    sink.date(Field::Published, line, source, 0.45, true);
    if sink.cands.len() == before {
        return false;
    }
    let relative = sink.cands[before].date.is_some_and(|d| d.relative);
    if relative || has_year(line) {
        true
    } else {
        sink.cands.truncate(before);
        false
    }
}

/// Path segments of links to an author's page.
const AUTHOR_PATHS: &[&str] = &[
    "author",
    "authors",
    "autor",
    "autoren",
    "autorin",
    "profile",
    "profiles",
    "people",
    "staff",
    "writer",
    "writers",
    "editor",
    "editors",
    // Community sites: the poster's profile ("/user/jdoe", "/u/jdoe").
    "user",
    "u",
    "contributor",
    "contributors",
    "journalist",
    "journalists",
    "reporter",
    "reporters",
    "redaktion",
    "columnist",
    "columnists",
    "team",
    "auteur",
    "auteurs",
];

/// Account pages under an author-ish path segment.
const ACCOUNT_PAGES: &[&str] = &[
    "register", "login", "logout", "signin", "signup", "settings", "account", "password",
    "profile", "edit", "new",
];

/// Whether a link points to an author's page: `rel=author`, or an author-ish path
/// segment followed by a slug ("/author/jane-doe", "/people/jane-doe.html").
fn is_author_link(a: ElementRef) -> bool {
    let v = a.value();
    is_author_href(v.attr("href"), v.attr("rel"))
}

/// [`is_author_link`] on a link's `href` and `rel`.
fn is_author_href(href: Option<&str>, rel: Option<&str>) -> bool {
    if rel.is_some_and(|r| {
        r.split_ascii_whitespace()
            .any(|r| r.eq_ignore_ascii_case("author"))
    }) {
        return true;
    }
    let Some(href) = href else {
        return false;
    };
    // Most links name none of the author path words: one scan rules them out. A
    // one-letter segment needs its slashes: "/u/jdoe", or "u/jdoe" at the start.
    static MAY_BE_AUTHOR: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
        let words = AUTHOR_PATHS.iter().map(|p| {
            if p.len() == 1 {
                format!("/{p}/")
            } else {
                (*p).to_string()
            }
        });
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(words)
            .expect("author paths make an automaton")
    });
    let short_first = AUTHOR_PATHS.iter().any(|p| {
        p.len() == 1
            && href.len() > 1
            && href.as_bytes()[0].eq_ignore_ascii_case(&p.as_bytes()[0])
            && href.as_bytes()[1] == b'/'
    });
    if !short_first && !MAY_BE_AUTHOR.is_match(href) {
        return false;
    }
    let path = href
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .trim_start_matches("https://")
        .trim_start_matches("http://");
    let mut segs = path
        .split('/')
        .skip_while(|s| s.contains('.'))
        .filter(|s| !s.is_empty());
    // A known segment with something after it (the author's slug), or "author-<slug>".
    let mut prev_author = false;
    for seg in segs.by_ref() {
        if prev_author {
            // "/user/register" is an account page, not a person's.
            return !ACCOUNT_PAGES.iter().any(|p| seg.eq_ignore_ascii_case(p));
        }
        prev_author = AUTHOR_PATHS.iter().any(|p| seg.eq_ignore_ascii_case(p));
        let starts = |p: &str| {
            seg.as_bytes()
                .get(..p.len())
                .is_some_and(|b| b.eq_ignore_ascii_case(p.as_bytes()))
        };
        if starts("author-") || starts("autor-") {
            return true;
        }
    }
    false
}

/// Links that never name an author (share buttons, mail, feeds).
fn is_social_link(a: ElementRef) -> bool {
    let href = a.value().attr("href").unwrap_or("");
    [
        "mailto:",
        "twitter.com",
        "x.com/",
        "facebook.com",
        "linkedin.com",
        "instagram.com",
        "/feed",
        "rss",
    ]
    .iter()
    .any(|w| contains_ci(href, w))
}

/// One name from a link's text, when the text is just a name.
fn link_name(a: ElementRef) -> Option<String> {
    let text = visible_text(a);
    if text.is_empty() || text.chars().count() > 60 {
        return None;
    }
    let mut names = clean_authors(&text);
    (names.len() == 1).then(|| names.remove(0))
}

/// The names a byline element gives: the names of the author links in it, in order;
/// else its text, read as a byline.
fn byline_names(el: ElementRef) -> Vec<String> {
    let mut linked: Vec<String> = Vec::new();
    let mut plain: Vec<String> = Vec::new();
    let links = el.select(selector!("a[href]"));
    let own = (el.value().name() == "a").then_some(el);
    for a in own.into_iter().chain(links) {
        if is_social_link(a) {
            continue;
        }
        if let Some(n) = link_name(a) {
            let author = is_author_link(a);
            if !author && !super::author::looks_like_name(&n) {
                continue;
            }
            let list = if author { &mut linked } else { &mut plain };
            if !list.contains(&n) {
                list.push(n);
            }
        }
    }
    if !linked.is_empty() {
        return linked;
    }
    let text = block_separated_text(el);
    let names = super::author::clean_byline_parts(&text);
    if !names.is_empty() {
        return names;
    }
    plain
}

/// Text with every element boundary marked by a line break, so that a name and the
/// role line after it ("Jane Doe⏎Staff Writer") stay apart for the byline cleaner.
fn block_separated_text(el: ElementRef) -> String {
    fn walk(el: ElementRef, out: &mut String) {
        for child in el.children() {
            match child.value() {
                scraper::Node::Text(t) => out.push_str(t),
                scraper::Node::Element(e) => {
                    if matches!(
                        e.name(),
                        "script" | "style" | "noscript" | "template" | "svg" | "button"
                    ) {
                        continue;
                    }
                    let inline = matches!(
                        e.name(),
                        "b" | "strong" | "em" | "i" | "u" | "font" | "abbr"
                    );
                    if !inline {
                        out.push('\n');
                    }
                    if let Some(c) = ElementRef::wrap(child) {
                        walk(c, out);
                    }
                    if !inline {
                        out.push('\n');
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = String::new();
    walk(el, &mut out);
    out
}

/// Weight of the copyright holder as the author: just above the author floor, so it
/// stands only when no byline names anyone.
const COPYRIGHT_AS_AUTHOR: f32 = 0.36;

/// The copyright holder (`<meta name=copyright>`, else the first copyright-classed
/// element), as the author of last resort: on company and one-person sites it is the
/// only name given.
pub fn copyright(sink: &mut Sink, dom: &Dom, meta: Option<&str>) {
    let from_meta = meta.and_then(super::author::copyright_holder);
    let holder = from_meta.or_else(|| {
        // Only the page footer's line: a copyright inside a figure or a stage is a
        // photo credit, never the author.
        let el = dom
            .elements
            .iter()
            .filter(|e| {
                e.class.is_some_and(|c| c.contains("copyright"))
                    || e.id.is_some_and(|i| i.contains("copyright"))
            })
            .map(|e| e.el)
            .filter(|e| !matches!(e.value().name(), "body" | "html" | "meta" | "script"))
            .find(|e| in_footer(*e) && !in_figure(*e))?;
        if text_len_upto(el, 400) > 400 {
            return None;
        }
        super::author::copyright_holder(&visible_text(el))
    });
    if let Some(h) = holder.filter(|h| super::author::looks_like_name(h)) {
        sink.authors(&[h], Provenance::CopyrightHolder, COPYRIGHT_AS_AUTHOR);
    }
}

/// Bytes of an element's text, counted only until they pass `limit` (any value above
/// `limit` means "longer"): boxes found by class can wrap a whole article.
fn text_len_upto(el: ElementRef, limit: usize) -> usize {
    let mut n = 0;
    for t in el.text() {
        n += t.len();
        if n > limit {
            break;
        }
    }
    n
}

/// Whether an element is part of a figure (its caption or credit).
fn in_figure(el: ElementRef) -> bool {
    el.ancestors().filter_map(ElementRef::wrap).any(|a| {
        let v = a.value();
        matches!(v.name(), "figure" | "picture")
            || has_word(v.attr("class"), &["image", "photo", "media", "credit"])
    })
}

/// Whether an element sits in the page footer (`<footer>` or a footer-classed block).
fn in_footer(el: ElementRef) -> bool {
    el.ancestors().filter_map(ElementRef::wrap).any(|a| {
        let v = a.value();
        v.name() == "footer" || footer_attr(v.attr("class")) || footer_attr(v.attr("id"))
    })
}

/// The selector `[class*=byline], [class*=Byline], [id*=byline], [class*=author],
/// [class*=Author], [itemprop~=author], [class*=writer], [class*=contributor],
/// [class*=creator], address`, without the selector engine.
fn is_byline_hint(e: &&Entry) -> bool {
    // Case as written: "byline" and "Byline", not "BYLINE".
    static CLASS: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build([
                "byline",
                "Byline",
                "author",
                "Author",
                "writer",
                "contributor",
                "creator",
            ])
            .expect("byline words make an automaton")
    });
    e.class.is_some_and(|c| CLASS.is_match(c))
        || e.id.is_some_and(|i| i.contains("byline"))
        || e.itemprop
            .is_some_and(|p| p.split_ascii_whitespace().any(|t| t == "author"))
        || e.name() == "address"
}

/// Class-hinted byline elements, author-page links and "By …" lines.
fn bylines(sink: &mut Sink, dom: &Dom, header: Option<ElementRef>) {
    // Elements whose class or id names the byline. The innermost one is the most
    // precise ("byline" around "byline__name" around the link).
    let mut found = 0;
    for el in dom
        .elements
        .iter()
        .filter(is_byline_hint)
        .map(|e| e.el)
        .take(200)
    {
        // Nothing is read past the second byline.
        if found >= 2 {
            break;
        }
        if in_boilerplate_near(dom, el, header) {
            continue;
        }
        let cls = el.value().attr("class").unwrap_or("");
        if [
            "bio",
            "avatar",
            "image",
            "photo",
            "img",
            "description",
            "about",
            "more",
            "social",
            "follow",
            "icon",
        ]
        .iter()
        .any(|w| contains_ci(cls, w))
        {
            continue;
        }
        if matches!(
            el.value().name(),
            "body" | "html" | "article" | "main" | "section" | "meta" | "img" | "link"
        ) {
            continue;
        }
        // Indentation does not make a byline box long; counted only as far as the
        // limit, as a wrapper around the whole article can be long.
        let text_len = el
            .text()
            .flat_map(str::chars)
            .filter(|c| !c.is_whitespace())
            .take(301)
            .count();
        if text_len == 0 || text_len > 300 {
            continue;
        }
        let names = byline_names(el);
        if names.is_empty() {
            continue;
        }
        found += 1;
        sink.authors(&names, Provenance::BylineClass, 0.55);
        sink.date(
            Field::Published,
            &visible_text(el),
            Provenance::BylineText,
            0.45,
            true,
        );
    }
    // Links to author pages, with co-authors linked next to the first one.
    for &(a, href, rel) in &dom.links {
        if !is_author_href(Some(href), rel) || in_boilerplate_near(dom, a, header) {
            continue;
        }
        let Some(first) = link_name(a) else { continue };
        let mut names = vec![first];
        // Co-authors: further author links in the same line (up to the grandparent).
        if let Some(line) = a.parent().and_then(ElementRef::wrap).and_then(|p| {
            if p.select(selector!("a[href]"))
                .filter(|x| is_author_link(*x))
                .count()
                > 1
            {
                Some(p)
            } else {
                p.parent().and_then(ElementRef::wrap)
            }
        }) {
            if text_len_upto(line, 300) <= 300 {
                for b in line
                    .select(selector!("a[href]"))
                    .filter(|x| is_author_link(*x))
                {
                    if let Some(n) = link_name(b) {
                        if !names.contains(&n) {
                            names.push(n);
                        }
                    }
                }
            }
        }
        sink.authors(&names, Provenance::AuthorLink, 0.5);
        break;
    }
    // "By Jane Doe" lines: a short text starting with a byline word (the page's text
    // nodes that may, gathered by the DOM index's walk).
    for &(parent, t) in &dom.by_texts {
        // Screen-reader bylines start after a separator ("| By").
        let t = t
            .trim_start()
            .trim_start_matches(['|', '·', '•', '–', '—', '-', '/'])
            .trim_start();
        if !super::author::starts_with_by(t) {
            continue;
        }
        if matches!(
            parent.value().name(),
            "script" | "style" | "title" | "option" | "textarea"
        ) {
            continue;
        }
        // "By" alone in its own element: the line is the parent's parent.
        let alone = parent
            .text()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .nth(1)
            .is_none();
        let line = if t.trim().chars().count() <= 3 && alone {
            match parent.parent().and_then(ElementRef::wrap) {
                Some(p) => p,
                None => continue,
            }
        } else {
            parent
        };
        let len = text_len_upto(line, 200);
        if len > 200 || in_boilerplate_near(dom, line, header) || beside_teaser_link(line) {
            continue;
        }
        let names = byline_names(line);
        if !names.is_empty() && names.iter().all(|n| super::author::looks_like_name(n)) {
            sink.authors(&names, Provenance::ByLine, 0.5);
            break;
        }
    }
}

/// Class and id words of a heading that brands the site instead of titling the page.
const BRANDING_WORDS: &[&str] = &[
    "logo",
    "brand",
    "site-title",
    "site-name",
    "sitename",
    "masthead",
    "site-header",
];

/// The page's visible headline: the first `<h1>` inside the article (else on the page)
/// that is not boilerplate, not the site's logo or name, and of headline length.
fn headline<'a>(dom: &Dom<'a>, url: &Url) -> Option<(ElementRef<'a>, String)> {
    let mut first_outside: Option<(ElementRef, String)> = None;
    for h in dom.named("h1") {
        // An <h1> is the page's own headline even in a teaser-styled lead block
        // ("module-imageTeaser topArticle"): lists of other articles use lower headings.
        if boilerplate_walk(dom, h, false, true) || is_branding(h, url) {
            continue;
        }
        let text = visible_text(h);
        let n = text.chars().count();
        if !(2..=300).contains(&n) {
            continue;
        }
        let in_article = h.ancestors().filter_map(ElementRef::wrap).any(|a| {
            let v = a.value();
            matches!(v.name(), "article" | "main")
                || v.attr("role") == Some("main")
                || v.attr("itemprop")
                    .is_some_and(|p| p.contains("articleBody"))
        });
        if in_article {
            return Some((h, text));
        }
        first_outside.get_or_insert((h, text));
    }
    first_outside
}

/// Whether a heading is the site's logo or name: marked so by its class or id (or its
/// parent's), or a link to the site's home page.
fn is_branding(h: ElementRef, url: &Url) -> bool {
    let parent = h.parent().and_then(ElementRef::wrap);
    for e in [Some(h), parent].into_iter().flatten() {
        let v = e.value();
        if has_word(v.attr("class"), BRANDING_WORDS)
            || has_word(v.attr("id"), BRANDING_WORDS)
            || v.attr("id")
                .is_some_and(|id| id.eq_ignore_ascii_case("header"))
        {
            return true;
        }
    }
    let home = |a: ElementRef| {
        a.value()
            .attr("href")
            .and_then(|href| url.join(href.trim()).ok())
            .is_some_and(|u| u.host_str() == url.host_str() && matches!(u.path(), "" | "/"))
    };
    // Wrapped in a home link, or holding one as its only link.
    h.ancestors()
        .take(3)
        .filter_map(ElementRef::wrap)
        .any(|a| a.value().name() == "a" && home(a))
        || {
            let mut links = h.select(selector!("a[href]"));
            matches!((links.next(), links.next()), (Some(a), None) if home(a))
        }
}

/// The date in the URL path (`/2025/12/22/slug`), from the date engine.
fn url_date(path: &str, ctx: &DateContext) -> Option<crate::date::ParsedDate> {
    crate::date::date_from_url(path, ctx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::text::visible_text_upto;
    use scraper::Html;

    #[test]
    fn visible_text_upto_is_a_prefix_of_the_whole() {
        let html = Html::parse_fragment(
            "<div><p>One  two</p><script>x()</script><span>three</span><p>four five six</p></div>",
        );
        let div = html.select(selector!("div")).next().unwrap();
        let whole = visible_text(div);
        assert_eq!(whole, "One two three four five six");
        assert_eq!(visible_text_upto(div, 1000), (whole.clone(), false));
        let (part, cut) = visible_text_upto(div, 3);
        assert!(cut);
        assert!(
            whole.starts_with(&part) && part.len() < whole.len(),
            "{part:?}"
        );
    }

    #[test]
    fn text_len_upto_stops_past_the_limit() {
        let html = Html::parse_fragment("<div><p>abcd</p><p>efgh</p><p>ijkl</p></div>");
        let div = html.select(selector!("div")).next().unwrap();
        assert_eq!(text_len_upto(div, 100), 12);
        assert!(text_len_upto(div, 5) > 5);
        assert!(text_len_upto(div, 5) < 12);
    }
}
