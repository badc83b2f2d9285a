//! The metadata sources: meta tags, microdata, microformats, markup hints, bylines, the
//! URL. Each pushes [`Candidate`]s with its own reliability; none decides alone.

use chrono::Datelike;
use scraper::ElementRef;
use std::sync::{LazyLock, OnceLock};
use url::Url;

use super::author::clean_authors;
use super::candidates::{Candidate, Field};
use super::dom::{node_key, Dom, Entry, WalkKey};
use crate::date::{find_date, parse_date, DateContext};
use crate::html::Metas;
use crate::text::{clean_opt, join_authors};

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
            let source = if !d.relative && year_guessed(raw, d.value.year()) {
                format!("{source}{YEAR_GUESSED}")
            } else {
                source.to_string()
            };
            self.cands.push(Candidate {
                field,
                value: d.value.to_rfc3339(),
                date: Some(d),
                source,
                weight,
            });
        }
    }
}

/// Marks the source of a date whose text gave no year, so that its year was taken
/// from the fetch time ("3 March" read in 2026 is 2026-03-03).
pub(crate) const YEAR_GUESSED: &str = " (year guessed)";

/// Whether a date text that parsed to `year` names no year: neither four digits nor
/// the year's last two.
fn year_guessed(raw: &str, year: i32) -> bool {
    use std::fmt::Write as _;
    if has_year(raw) {
        return false;
    }
    let mut short = String::new();
    let _ = write!(short, "{:02}", year.rem_euclid(100));
    !raw.contains(&short)
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
/// than the article: comments, related lists, navigation, footers, ads. Matched inside
/// a class/id token ("comment-list", "relatedPosts").
const BOILERPLATE_WORDS: &[&str] = &[
    "comment",
    "related",
    "sidebar",
    "recommend",
    "promo",
    "newsletter",
    "footer",
    "popular",
    "trending",
    "outbrain",
    "taboola",
    "share",
    "social",
    "widget",
    "menu",
    "breadcrumb",
    "disqus",
    "reply",
    "respond",
    "more-stories",
    "read-next",
    "readnext",
    "teaser",
    "advert",
    "sponsor",
    "discussion",
    "community",
];

/// Short boilerplate words, matched only as a whole part of a token split at `-`, `_`
/// and spaces, so "ad" does not match "head-line" and "rail" not "trail".
const BOILERPLATE_PARTS: &[&str] = &["ad", "ads", "nav", "navbar", "navigation", "rail", "also"];

/// Token fragments that mark a layout wrapper or a modifier ("has-sidebar",
/// "layout-with-rail", "comments-wrapper" around the whole post on some themes is still
/// caught by its inner regions): such tokens never make a region boilerplate.
const STRUCTURAL: &[&str] = &[
    "layout",
    "wrap",
    "container",
    "has-",
    "with",
    "no-",
    "grid",
    "column",
    "above",
    "below",
    "before",
    "after",
    "parent",
    "sticky",
    // The page's layout: "content_block right-sidebar" wraps the main column of a page
    // with a sidebar on the right (the sidebar itself is also called "sidebar").
    "right-sidebar",
    "left-sidebar",
    // Spacing around a region ("nav-padding" on the section under a fixed menu bar).
    "padding",
    "margin",
    "offset",
    "spacer",
    // A BEM element of a layout block ("sidebar__main", "rail__content") is the main
    // column, not the side one.
    "__main",
    "__content",
    "__body",
];

/// Boilerplate words that mark a bar around the article's own header rather than
/// other articles: breadcrumbs and share bars often sit on the same line as the
/// dateline and byline. They never make a byline or a date boilerplate.
const HEADER_BAR_WORDS: &[&str] = &["breadcrumb", "share", "social"];

/// Class and id words of an `<aside>` that holds the article's own metadata (a side
/// column with the dateline and byline), even outside any `<article>` element.
const META_ASIDE_WORDS: &[&str] = &["meta", "byline", "dateline", "author"];

// The word lists read on every class token of every ancestor walked, each as one
// matcher.
static STRUCTURAL_SET: WordSet = WordSet::new(STRUCTURAL);
static HEADER_BAR_SET: WordSet = WordSet::new(HEADER_BAR_WORDS);
static BOILERPLATE_SET: WordSet = WordSet::new(BOILERPLATE_WORDS);

/// Whether one class or id token names a boilerplate region.
///
/// A BEM modifier ("entry--left-rail", "card--promo-off") says how a block looks, not
/// what it is: only the block before `--` is read.
fn boilerplate_token(tok: &str, meta: bool, near_headline: bool) -> bool {
    let tok = match tok.find("--") {
        Some(i) => &tok[..i],
        None => tok,
    };
    // A teaser card around or beside the page's own headline is the article's lead
    // block ("module-imageTeaser", "teaser-small__metadata"), not another article.
    if near_headline && contains_ci(tok, "teaser") {
        return false;
    }
    if STRUCTURAL_SET.any(Some(tok))
        || tok.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("lay-"))
        || is_taxonomy_token(tok)
        || (meta && HEADER_BAR_SET.any(Some(tok)))
    {
        return false;
    }
    BOILERPLATE_SET.any(Some(tok))
        || tok.split(['-', '_']).any(|part| {
            BOILERPLATE_PARTS
                .iter()
                .any(|w| part.eq_ignore_ascii_case(w))
        })
}

/// Whether a class token names the post's own category or tag (`category-popular`,
/// `tag-social-media`, as blog engines put on the post's wrapper): it says what the post
/// is about, not what the region is, so it never makes a region boilerplate.
fn is_taxonomy_token(tok: &str) -> bool {
    ["category-", "tag-"].iter().any(|p| {
        tok.len() > p.len()
            && tok
                .get(..p.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(p))
    })
}

fn boilerplate_attr(attr: Option<&str>, meta: bool, near_headline: bool) -> bool {
    attr.is_some_and(|a| {
        a.split_ascii_whitespace().any(|t| {
            boilerplate_token(t, meta, near_headline)
                && !(meta && is_generic_box(t) && names_article_part(a))
        })
    })
}

/// Generic box words that themes put on every block, the article's own ones too.
fn is_generic_box(tok: &str) -> bool {
    contains_ci(tok, "widget")
}

/// Whether a class list also names the block as the article's own (Blogger's
/// `widget Blog` holds the posts, `widget article__authors` the byline): such a
/// generic box is part of the article, not a sidebar widget.
fn names_article_part(attr: &str) -> bool {
    attr.split_ascii_whitespace().any(|t| {
        ["blog", "post", "posts", "entry", "hentry", "article"]
            .iter()
            .any(|w| t.eq_ignore_ascii_case(w))
            || [
                "author",
                "byline",
                "article__",
                "article-meta",
                "post-meta",
                "entry-meta",
            ]
            .iter()
            .any(|w| contains_ci(t, w))
    })
}

/// Whether `el` sits in a region whose metadata is not the article's.
///
/// The walk up stops at the innermost `<article>`, `<main>` or article body: classes on
/// the wrappers around the whole article ("above-footer", "page-with-rail") say where
/// the article sits, not that it is boilerplate. Only regions *inside* it, or outside
/// any article, count.
pub fn in_boilerplate(dom: &Dom, el: ElementRef) -> bool {
    boilerplate_walk(dom, el, false, false)
}

/// Like [`in_boilerplate`], for bylines and datelines: an `<aside>` inside the article,
/// or one whose class names it the article's metadata, does not count (many layouts put
/// the byline and dateline in a side column), nor do breadcrumb and share bars.
///
/// An article's own footer (`<footer>` or a footer-classed row inside `<article>`)
/// holds its byline and dateline on many themes; it counts as the article's.
pub fn in_boilerplate_meta(dom: &Dom, el: ElementRef) -> bool {
    boilerplate_walk(dom, el, true, false)
}

/// Like [`in_boilerplate_meta`], knowing the page's headline: teaser classes mark the
/// article's own lead block when they sit in the block around the headline (below the
/// headline's grandparent) or wrap the headline itself.
pub fn in_boilerplate_near(dom: &Dom, el: ElementRef, h1: Option<ElementRef>) -> bool {
    let header = h1.and_then(|h| h.parent()?.parent()).map(|h| h.id());
    let near = header.is_some_and(|h| {
        el.ancestors()
            .take(HEADER_DEPTH)
            .chain(std::iter::once(*el))
            .any(|a| a.id() == h)
    });
    boilerplate_walk_with(dom, el, Walk::meta(near), h1)
}

/// Like [`in_boilerplate_meta`], where no footer counts: for statements that name
/// themselves the article's ("Erschienen am 1.11.2023", "Published on …"), which
/// pages print in the footer under the article even outside any `<article>`.
pub fn in_boilerplate_labelled(dom: &Dom, el: ElementRef) -> bool {
    boilerplate_walk_with(
        dom,
        el,
        Walk {
            footer_ok: true,
            ..Walk::meta(false)
        },
        None,
    )
}

/// The mode of a walk up.
#[derive(Clone, Copy)]
struct Walk {
    /// Asides and the article's footer do not count (bylines, datelines).
    allow_aside: bool,
    /// Teaser classes beside the headline do not count.
    near_headline: bool,
    /// No footer counts, not even the page's.
    footer_ok: bool,
}

impl Walk {
    fn meta(near_headline: bool) -> Walk {
        Walk {
            allow_aside: true,
            near_headline,
            footer_ok: false,
        }
    }
}

/// How deep below the headline's grandparent an element still counts as beside the
/// headline.
const HEADER_DEPTH: usize = 5;

fn boilerplate_walk(dom: &Dom, el: ElementRef, allow_aside: bool, near_headline: bool) -> bool {
    boilerplate_walk_with(
        dom,
        el,
        Walk {
            allow_aside,
            near_headline,
            footer_ok: false,
        },
        None,
    )
}

/// One step of the walk up: where it goes next, or its verdict.
enum Step<'a> {
    Up(Option<ElementRef<'a>>),
    Done(bool),
}

/// The walk up from `el`. Each step depends only on the node, the walk's mode and the
/// flags gathered below it, so every (node, mode, flags) verdict is memoised in `dom`:
/// the candidates of a page share most of their ancestors.
fn boilerplate_walk_with(dom: &Dom, el: ElementRef, mode: Walk, h1: Option<ElementRef>) -> bool {
    let Walk {
        allow_aside,
        near_headline,
        footer_ok,
    } = mode;
    let h1_key = h1.map(node_key);
    let mut node = Some(el);
    let mut aside = false;
    // A footer seen on the way up: boilerplate unless an <article> encloses it.
    let mut footer = false;
    let mut near_headline = near_headline;
    let mut path = Vec::new();
    let verdict = loop {
        let Some(e) = node else {
            break aside || footer;
        };
        let key = WalkKey {
            node: node_key(e),
            h1: h1_key,
            state: u8::from(allow_aside)
                | u8::from(near_headline) << 1
                | u8::from(aside) << 2
                | u8::from(footer) << 3
                | u8::from(footer_ok) << 4,
        };
        if let Some(&v) = dom.walks.borrow().get(&key) {
            break v;
        }
        path.push(key);
        match walk_step(
            e,
            allow_aside,
            &mut near_headline,
            &mut aside,
            &mut footer,
            h1,
        ) {
            Step::Up(parent) => {
                footer &= !footer_ok;
                node = parent;
            }
            Step::Done(v) => break v,
        }
    };
    let mut walks = dom.walks.borrow_mut();
    for key in path {
        walks.insert(key, verdict);
    }
    verdict
}

fn walk_step<'a>(
    e: ElementRef<'a>,
    allow_aside: bool,
    near_headline: &mut bool,
    aside: &mut bool,
    footer: &mut bool,
    h1: Option<ElementRef>,
) -> Step<'a> {
    let v = e.value();
    let name = v.name();
    if matches!(name, "body" | "html") {
        return Step::Done(*aside || *footer);
    }
    let parent = e.parent().and_then(ElementRef::wrap);
    match name {
        "nav" => return Step::Done(true),
        "footer" if !allow_aside => return Step::Done(true),
        "footer" => *footer = true,
        "aside" if !allow_aside => return Step::Done(true),
        "aside" => {
            *aside |= !(has_word(v.attr("class"), META_ASIDE_WORDS)
                || has_word(v.attr("id"), META_ASIDE_WORDS))
        }
        // ASP.NET-style pages wrap the whole body in one form.
        "form" if parent.is_some_and(|p| p.value().name() != "body") => return Step::Done(true),
        _ => {}
    }
    let (cls, id) = (v.attr("class"), v.attr("id"));
    *near_headline = *near_headline
        || h1
            .is_some_and(|h| has_word(cls, &["teaser"]) && h.ancestors().any(|a| a.id() == e.id()));
    if allow_aside && (footer_attr(cls) || footer_attr(id)) {
        *footer = true;
    } else if boilerplate_attr(cls, allow_aside, *near_headline)
        || boilerplate_attr(id, allow_aside, *near_headline)
    {
        return Step::Done(true);
    }
    if name == "article" {
        return Step::Done(false);
    }
    if name == "main"
        || v.attr("role") == Some("main")
        || v.attr("itemprop")
            .is_some_and(|p| p.contains("articleBody"))
    {
        return Step::Done(*footer);
    }
    Step::Up(parent)
}

/// Whether a class list names a footer and nothing else boilerplate.
fn footer_attr(attr: Option<&str>) -> bool {
    let Some(a) = attr.filter(|a| contains_ci(a, "footer")) else {
        return false;
    };
    let mut any = false;
    for t in a
        .split_ascii_whitespace()
        .filter(|t| boilerplate_token(t, true, false))
    {
        if !contains_ci(t, "footer") {
            return false;
        }
        any = true;
    }
    any
}

/// A word list matched in one pass: [`WordSet::any`] is [`has_word`] with one
/// Aho-Corasick scan of the attribute instead of one substring search per word, for
/// the lists read on every class and id of a page (a regular expression cost more per
/// call on these short strings).
pub struct WordSet {
    words: &'static [&'static str],
    re: OnceLock<aho_corasick::AhoCorasick>,
}

impl WordSet {
    /// A set of lower-case ASCII words.
    pub const fn new(words: &'static [&'static str]) -> WordSet {
        WordSet {
            words,
            re: OnceLock::new(),
        }
    }

    /// Whether `attr` contains one of the words, ASCII case-insensitively.
    pub fn any(&self, attr: Option<&str>) -> bool {
        let Some(attr) = attr else { return false };
        let ac = self.re.get_or_init(|| {
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(self.words)
                .expect("word list makes an automaton")
        });
        ac.is_match(attr)
    }
}

/// Whether any class/id token contains one of `words` (ASCII case-insensitive;
/// `words` are lower-case). Allocates nothing: it runs on every ancestor of many nodes.
pub fn has_word(attr: Option<&str>, words: &[&str]) -> bool {
    let Some(attr) = attr else { return false };
    words.iter().any(|w| contains_ci(attr, w))
}

/// ASCII case-insensitive substring test; `needle` is lower-case.
pub fn contains_ci(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = n.split_first() else {
        return true;
    };
    if n.len() > h.len() {
        return false;
    }
    // Compare the rest only where the first byte matches: it runs on every class of
    // every ancestor of many nodes.
    let upper = first.to_ascii_uppercase();
    (0..=h.len() - n.len()).any(|i| {
        (h[i] == first || h[i] == upper) && h[i + 1..i + n.len()].eq_ignore_ascii_case(rest)
    })
}

/// Elements whose boundaries do not separate words.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd",
    "mark", "q", "s", "samp", "span", "strong", "sub", "sup", "time", "u", "var",
];

/// The text of an element as a reader sees it: block boundaries and `<br>` separate
/// words (`<small>Kicker</small><br>Headline` is "Kicker Headline", not
/// "KickerHeadline"), scripts and styles are skipped, whitespace is collapsed.
pub fn visible_text(el: ElementRef) -> String {
    let mut out = String::new();
    push_visible(el, &mut out, usize::MAX);
    crate::text::clean(&out)
}

/// [`visible_text`] of at least the first `cap` bytes of raw text, and more only as far
/// as the text node that passes `cap`: a prefix of the whole (cleaning streams, so the
/// prefix cleans to a prefix), and the whole when it is no longer. The bool says
/// whether the text was cut.
pub fn visible_text_upto(el: ElementRef, cap: usize) -> (String, bool) {
    let mut out = String::new();
    let cut = !push_visible(el, &mut out, cap);
    (crate::text::clean(&out), cut)
}

/// Appends the visible text; false when it stopped because `out` passed `cap`.
fn push_visible(el: ElementRef, out: &mut String, cap: usize) -> bool {
    // Whether the previous sibling was an element: two inline elements side by side
    // ("<span>Demo</span><span>Der Protest</span>", styled as separate lines) are
    // separate words when a lower-case end meets a capital start.
    let mut after_element = false;
    for child in el.children() {
        crate::work::check();
        if out.len() > cap {
            return false;
        }
        match child.value() {
            scraper::Node::Text(t) => {
                out.push_str(t);
                after_element = false;
            }
            scraper::Node::Element(e) => {
                let name = e.name();
                if matches!(name, "script" | "style" | "noscript" | "template") {
                    continue;
                }
                let block = !INLINE.contains(&name);
                if block || (after_element && glued_words(out, ElementRef::wrap(child))) {
                    out.push(' ');
                }
                after_element = true;
                if let Some(c) = ElementRef::wrap(child) {
                    if !push_visible(c, out, cap) {
                        return false;
                    }
                }
                if block {
                    out.push(' ');
                }
            }
            _ => {}
        }
    }
    true
}

/// Whether the text so far ends a word in lower case (or a sentence) and the element
/// `next` starts with a capital: "Demo" + "Der" are two words.
fn glued_words(out: &str, next: Option<ElementRef>) -> bool {
    let ends = out
        .chars()
        .next_back()
        .is_some_and(|c| c.is_lowercase() || matches!(c, '.' | ':' | '!' | '?'));
    ends && next.is_some_and(|n| {
        n.text()
            .flat_map(str::chars)
            .next()
            .is_some_and(char::is_uppercase)
    })
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
                "headline" => sink.text(Field::Title, &el_text(el), "microdata headline", 0.75),
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
                    sink.author(&name, "microdata author", 0.75);
                }
                "datePublished" | "dateCreated" => {
                    if let Some(v) = el.value().attr("datetime").or(el.value().attr("content")) {
                        sink.date(Field::Published, v, "microdata datePublished", 0.85, false);
                    } else {
                        sink.date(
                            Field::Published,
                            &el_text(el),
                            "microdata datePublished",
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
            let v = d
                .value()
                .attr("datetime")
                .map(str::to_string)
                .unwrap_or_else(|| el_text(d));
            sink.date(Field::Published, &v, "h-entry dt-published", 0.8, true);
        }
        if let Some(s) = entry.select(selector!(".p-summary")).next() {
            sink.text(Field::Summary, &el_text(s), "h-entry p-summary", 0.6);
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
            Some(v) => sink.date(field, v, "<time datetime>", w, false),
            None => sink.date(field, &el_text(t), "<time> text", w - 0.1, true),
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
        sink.date(Field::Published, &text, "class date", 0.45, true);
    }
    // Headings and the <title>; the dateline near the headline.
    if let Some((h1, text)) = head {
        sink.text(Field::Title, &text, "<h1>", 0.65);
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
            sink.date(Field::Modified, &line, "labelled update date", 0.45, true);
            updated = sink.cands.len() > before;
        } else {
            published = dateline(sink, &line, "labelled publication date");
        }
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

/// Class and id words that mark a dateline (matched inside tokens, any case).
pub(crate) const DATE_HINTS: &[&str] = &[
    "date",
    "publish",
    "timestamp",
    "posted",
    "meta",
    "datum",
    "fecha",
];
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
            if dateline(sink, &line, "dateline after headline") {
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
                if dateline(sink, &line, "dateline before headline") {
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
fn dateline(sink: &mut Sink, line: &str, source: &str) -> bool {
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

/// Whether a text holds a four-digit year (1995–2099) or a CJK year ("2025年").
fn has_year(text: &str) -> bool {
    let b = text.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    (0..b.len()).any(|i| {
        (i == 0 || !digit(i - 1))
            && digit(i)
            && digit(i + 1)
            && digit(i + 2)
            && digit(i + 3)
            && !digit(i + 4)
            && matches!(&b[i..i + 2], b"19" | b"20")
    })
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
/// A cheap necessary condition for a byline text: the first byte after ASCII
/// whitespace can start a separator or a byline word ([`super::author::starts_with_by`]
/// looks further). Most text nodes of a page fail here.
pub(crate) fn may_start_with_by(t: &str) -> bool {
    // Vertical tab is Unicode whitespace, not ASCII whitespace: it goes the long way.
    match t
        .bytes()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'))
    {
        None => false,
        Some(b) => b >= 0x80 || b"bvpdwtaesBVPDWTAES|-/\x0b".contains(&b),
    }
}

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
        sink.authors(&[h], "copyright holder", COPYRIGHT_AS_AUTHOR);
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
        sink.authors(&names, "class byline/author", 0.55);
        sink.date(
            Field::Published,
            &visible_text(el),
            "byline text",
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
        sink.authors(&names, "author link", 0.5);
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
            sink.authors(&names, "\"by\" line", 0.5);
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
