//! Main content: the article body of a page as sanitized HTML, for `content = "full"`.
//!
//! Contract: [`main_content`] is pure, `(parsed page, page URL) → Option<html>`. It reads
//! the DOM the caller already parsed, does no I/O and reads no clock. It is *not* part of
//! [`crate::extract::extract`]: it costs a walk over the whole DOM plus a sanitizer pass, so the
//! pipeline calls it only for feeds that ask for full content.
//!
//! The algorithm is Readability's, kept to linear work:
//!
//! 1. **One post-order walk** ([`analyse`]) measures every element (text length, link
//!    text, commas, paragraphs, images) and decides which subtrees are boilerplate
//!    (scripts, navigation, forms, hidden elements, class/id hints such as `sidebar` or
//!    `share`). Boilerplate contributes nothing to its ancestors' measures. Each
//!    paragraph-like block (`p`, `pre`, `td`, headings, `div`s without block children,
//!    loose text in containers) is recorded with a score from its length and commas.
//! 2. **Scores propagate** to at most five ancestors with Readability's dividers
//!    (1, 2, 6, 9, 12); each candidate starts from a tag bonus plus class/id weight, and
//!    its final score is scaled by `1 - link density`.
//! 3. **The best candidate** is widened like Readability does (a parent shared by
//!    several near-best candidates, a parent that scores higher, single-child wrappers),
//!    then qualifying siblings join it.
//! 4. **Serialization** ([`Writer`]) walks only the chosen subtrees, dropping boilerplate
//!    again with stricter rules (link-heavy lists, share bars inside the body, ad labels,
//!    the headline `h1`), resolving lazy images (`data-src`, `srcset` and friends,
//!    `<noscript>` fallbacks) and making every URL absolute. Output stops at an element
//!    boundary once [`MAX_CONTENT_BYTES`] is reached.
//! 5. **Sanitizing.** The writer emits only allow-listed article markup and attributes,
//!    absolute http(s)/mailto URLs and `rel="noopener noreferrer"` on links, escaped as
//!    html5ever's serializer escapes, so scripts, styles, iframes and event handlers
//!    cannot survive. When it notes something an HTML parser would restructure (a
//!    block inside an open paragraph, table parts out of place, a carriage return),
//!    **ammonia** re-parses and sanitizes the output against the same allow-list
//!    (about one page in twenty of the corpus). Debug builds (every test) check that
//!    the direct output is exactly what ammonia would have produced.
//!
//! If the class/id hints removed so much that nothing article-like is left (a wrapper
//! called `has-sidebar` around the whole page), the walk is retried without them, as
//! Readability does.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use scraper::{ElementRef, Html, Node};
use url::Url;

use crate::html::vocab::{self, Match, Readers};

/// Largest content kept, in bytes of sanitized HTML. Output is cut at an element
/// boundary before this size.
pub const MAX_CONTENT_BYTES: usize = 200_000;

/// Fewest characters of text the chosen content must hold to count as an article body:
/// two short paragraphs. Chinese, Japanese and Korean characters count twice, as a
/// sentence in those scripts takes about half the characters.
pub const MIN_CONTENT_CHARS: usize = 200;

/// A paragraph shorter than this (in characters) is not scored (Readability's 25).
const MIN_PARAGRAPH_CHARS: u32 = 25;

/// How many ancestors a paragraph's score reaches.
const SCORE_DEPTH: usize = 5;

/// `rel` put on every link.
const LINK_REL: &str = "noopener noreferrer";

/// Tags whose subtree is never content.
const DROP_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "object", "embed", "button", "input",
    "select", "textarea", "option", "label", "nav", "aside", "footer", "header", "svg", "canvas",
    "dialog", "video", "audio", "map", "link", "meta", "head", "title", "math", "menu", "applet",
    "frameset", "frame",
];

/// Tags that start a block: a container holding one of these is not a paragraph.
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Attributes kept on output, per tag: the one allow-list of the writer and of the
/// sanitizer ([`sanitize`]). The writer emits `a` and `img` attributes itself (URLs made
/// absolute, `rel` added) and those of the other tags in this order.
const KEEP_ATTRS: &[(&str, &[&str])] = &[
    ("a", &["href", "title"]),
    ("img", &["src", "alt", "title"]),
    ("td", &["colspan", "rowspan"]),
    ("th", &["colspan", "rowspan"]),
    ("blockquote", &["cite"]),
    ("q", &["cite"]),
    ("ol", &["start"]),
];

/// The attributes [`KEEP_ATTRS`] keeps on `tag`.
fn kept_attrs(tag: &str) -> &'static [&'static str] {
    KEEP_ATTRS
        .iter()
        .find(|(t, _)| *t == tag)
        .map_or(&[], |(_, a)| a)
}

/// Wrappers that are unwrapped on output (their loose text becomes paragraphs).
const CONTAINER_TAGS: &[&str] = &[
    "div", "section", "article", "main", "center", "hgroup", "body", "details", "fieldset",
    "address",
];

/// Tags kept on output (ammonia's allow-list is the same set). Everything else is
/// unwrapped to its children.
const KEEP_TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
];

/// Table structure is kept even when empty, or rows and columns shift.
const KEEP_EMPTY_TAGS: &[&str] = &["td", "th", "tr", "tbody", "thead", "tfoot", "br", "hr"];

/// Class/id fragments that are not the article's text though they are no boilerplate
/// of [`vocab`]: the article's own byline and author box, and text for screen readers
/// only. Matched, with the vocabulary's [`Match::Inside`] and [`Match::Leading`] words,
/// as substrings of the lowercased `class id` string.
const NOT_TEXT_SUBSTR: &[&str] = &[
    "byline",
    "supplement",
    "authorbio",
    "author-bio",
    "screen-reader",
    "sr-only",
    "visually-hidden",
    "visuallyhidden",
];

/// Class/id words that are not the article's text, too short or too common to match as
/// substrings (`author` in `author-name-wrapper` still counts, `authority` does not);
/// matched, with the vocabulary's [`Match::Whole`] words, against whole tokens.
const NOT_TEXT_TOKENS: &[&str] = &[
    "meta",
    "dateline",
    "timestamp",
    "author",
    "header",
    "hide",
    "print",
    "rss",
    "remark",
    "extra",
    "combx",
    "legends",
    "aside",
];

/// Substrings of boilerplate: the vocabulary's words for main content and
/// [`NOT_TEXT_SUBSTR`].
static NEG_SUBSTR: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    vocab::words(Readers::CONTENT, Match::Inside)
        .chain(vocab::words(Readers::CONTENT, Match::Leading))
        .chain(NOT_TEXT_SUBSTR.iter().copied())
        .collect()
});

/// Whole tokens of boilerplate: the vocabulary's short words for main content and
/// [`NOT_TEXT_TOKENS`]; every piece of every element's class and id is looked up.
static NEG_TOKENS: LazyLock<vocab::Lookup> = LazyLock::new(|| {
    vocab::Lookup::new(
        vocab::words(Readers::CONTENT, Match::Whole).chain(NOT_TEXT_TOKENS.iter().copied()),
    )
});

/// Class/id fragments of a heading that introduces links to other stories ("Related",
/// "You may also like", "Trending"), see [`related_box`].
const RELATED_SUBSTR: &[&str] = &[
    "related",
    "recommend",
    "more-stories",
    "morestories",
    "trending",
    "popular",
    "you-may",
    "youmay",
    "read-next",
    "readnext",
    "also-like",
];

/// Class/id fragments of article bodies.
const POS_SUBSTR: &[&str] = &[
    "article", "body", "content", "entry", "main", "post", "story", "text", "blog", "column",
    "prose",
];

/// Positive fragments strong enough to keep an element whose hints are also negative
/// (Readability's "maybe candidate": `comment-body` is scored rather than dropped).
const MAYBE_SUBSTR: &[&str] = &["article", "body", "column", "content", "main", "entry"];

/// Whole-text labels of ad slots ("Advertisement" above an empty box).
const AD_LABELS: &[&str] = &[
    "advertisement",
    "advertisment",
    "advertising",
    "ad",
    "sponsored",
    "anzeige",
    "werbung",
    "publicité",
    "publicidad",
    "pubblicità",
    "reklama",
    "реклама",
    "广告",
    "広告",
    "광고",
];

/// Class names of embedded posts (tweets, Instagram, TikTok, Facebook, Reddit, Bluesky,
/// Mastodon, Threads) as their publishers' embed codes write them: a `<blockquote>` with
/// the post's text and a link, which a script turns into a widget. The article quotes
/// them, so they are kept as quoted text even inside a wrapper named `social-embed`.
const POST_CLASSES: &[&str] = &[
    "twitter-tweet",
    "twitter-video",
    "instagram-media",
    "tiktok-embed",
    "fb-xfbml-parse-ignore",
    "reddit-embed-bq",
    "reddit-card",
    "bluesky-embed",
    "mastodon-embed",
    "text-post-media",
];

/// Whole-text labels of picture and gallery controls ("Caption", "Close", "Back to
/// Gallery"), never article text on their own.
const FURNITURE_LABELS: &[&str] = &[
    "caption",
    "hide caption",
    "show caption",
    "toggle caption",
    "close",
    "close gallery",
    "back to gallery",
    "view gallery",
    "open gallery",
    "launch gallery",
    "view slideshow",
    "start slideshow",
    "enlarge",
    "enlarge this image",
    "expand",
    "fullscreen",
    "full screen",
    "zoom",
    "next",
    "previous",
    "prev",
    "next slide",
    "previous slide",
    "more",
    "less",
    "... more",
    "… more",
    "text size",
    "advert",
    "view image",
    "see image",
];

/// How a photo credit starts ("Photo: Agency", "(Image: Name / Agency)"), lower case.
const CREDIT_PREFIXES: &[&str] = &[
    "photo:",
    "photos:",
    "photo by ",
    "photos by ",
    "photograph:",
    "photograph by ",
    "photography by ",
    "photo credit",
    "image:",
    "image by ",
    "image credit",
    "images:",
    "picture:",
    "pictures:",
    "credit:",
    "credits:",
    "illustration:",
    "illustration by ",
    "graphic:",
    "foto:",
    "fotos:",
    "bild:",
    "bilder:",
];

/// `role`s of page chrome.
const DROP_ROLES: &[&str] = &[
    "navigation",
    "complementary",
    "contentinfo",
    "banner",
    "menu",
    "menubar",
    "dialog",
    "alertdialog",
    "search",
    "toolbar",
];

/// Main content of an article page as sanitized HTML with absolute URLs; None when no
/// block reads like an article body.
///
/// `base` is the page's URL; a `<base href>` in the page takes precedence, as in a
/// browser. The result holds only allow-listed article markup, at most
/// [`MAX_CONTENT_BYTES`] bytes.
pub fn main_content(html: &Html, base: &Url) -> Option<String> {
    let base = crate::html::base_url(html, base);
    let attempt = |hints| {
        Plan::new(html, hints).map(|p| {
            let r = p.render(&base, MAX_CONTENT_BYTES);
            (p, r)
        })
    };
    let chars = |a: &Option<(Plan, Rendered)>| a.as_ref().map_or(0, |(_, r)| r.chars);
    let first = attempt(true);
    let chosen = if chars(&first) >= MIN_CONTENT_CHARS {
        first
    } else {
        // The hints may have removed the article's own wrapper; retry without them.
        let second = attempt(false);
        if chars(&second) > chars(&first) {
            second
        } else {
            first
        }
    };
    let (plan, rendered) = chosen?;
    finish(&plan, rendered, &base)
}

/// Sanitizes a rendering, re-rendering with a smaller budget in the rare case that
/// sanitizing grew it past the cap (entities, added `rel`s).
fn finish(plan: &Plan, mut r: Rendered, base: &Url) -> Option<String> {
    if r.chars < MIN_CONTENT_CHARS {
        return None;
    }
    let mut budget = MAX_CONTENT_BYTES;
    for _ in 0..4 {
        // A parser turns carriage returns (from `&#13;`) into line feeds.
        if !r.reparse && r.html.contains('\r') {
            r.reparse = true;
        }
        let clean = if r.reparse {
            sanitize(&r.html, base)
        } else {
            // Already allow-listed, escaped and nested as a parser would: the sanitizer
            // would give back the same bytes (checked in debug builds).
            debug_assert_eq!(
                sanitize(&r.html, base),
                r.html,
                "writer output is not clean"
            );
            std::mem::take(&mut r.html)
        };
        if clean.len() <= MAX_CONTENT_BYTES {
            return Some(clean);
        }
        budget = budget.saturating_sub(clean.len() - MAX_CONTENT_BYTES + 4096);
        r = plan.render(base, budget);
    }
    None
}

/// The sanitizer: article markup only, absolute http(s)/mailto URLs, `rel` on links.
fn sanitize(html: &str, base: &Url) -> String {
    let tags: HashSet<&str> = KEEP_TAGS.iter().copied().collect();
    let attrs: HashMap<&str, HashSet<&str>> = KEEP_ATTRS
        .iter()
        .map(|&(t, a)| (t, a.iter().copied().collect()))
        .collect();
    ammonia::Builder::empty()
        .tags(tags)
        .tag_attributes(attrs)
        .generic_attributes(HashSet::new())
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::RewriteWithBase(base.clone()))
        .link_rel(Some(LINK_REL))
        .strip_comments(true)
        .clean(html)
        .to_string()
}

/// Measures of one element's subtree, boilerplate excluded.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Stats {
    /// Characters of text, whitespace runs counted once.
    text: u32,
    /// Characters of text inside links.
    link: u32,
    /// Commas in the text.
    commas: u32,
    /// Text outside block children: loose text in a container.
    inline_text: u32,
    /// Commas in [`Stats::inline_text`].
    inline_commas: u32,
    /// `<p>` elements.
    paras: u32,
    /// Images, `<noscript>` fallbacks included.
    imgs: u32,
    /// The element has a block-level child.
    block_child: bool,
    /// Characters of text inside embedded posts ([`POST_CLASSES`]).
    post_text: u32,
    /// The subtree is boilerplate; it did not count towards its ancestors.
    excluded: bool,
}

impl Stats {
    fn link_density(&self) -> f32 {
        if self.text == 0 {
            0.0
        } else {
            self.link as f32 / self.text as f32
        }
    }
}

/// Tables keyed by [`key`]: addresses need no SipHash.
type AddrMap<V> = HashMap<usize, V, BuildHasherDefault<AddrHasher>>;

/// A multiplicative hash for node addresses (distinct, 8-aligned integers); its byte
/// path also serves the short tag names of [`tag_kind`].
#[derive(Default)]
struct AddrHasher(u64);

impl Hasher for AddrHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (n as u64)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(29);
    }
}

/// Identity of an element for the lookup tables: the address of its node, stable while
/// the `Html` is borrowed. (ego_tree's `NodeId` would do, but its type is not
/// re-exported by scraper and we do not depend on ego_tree directly.)
fn key(el: ElementRef) -> usize {
    std::ptr::from_ref(el.value()) as usize
}

/// A scored paragraph: its score reaches `start` and up to four of its ancestors.
struct Para<'a> {
    start: ElementRef<'a>,
    score: f32,
}

/// Step 1: one post-order walk over the document measuring every element.
fn analyse(html: &Html, hints: bool) -> (AddrMap<Stats>, Vec<Para<'_>>) {
    struct Frame<'a> {
        el: ElementRef<'a>,
        stats: Stats,
        /// `paras.len()` when the element opened: an excluded element drops the
        /// paragraphs recorded inside it.
        mark: usize,
        /// [`tag_kind`] of the element, looked up once.
        kind: u8,
        /// The element's loose text cut at `<br><br>` and at block children.
        runs: Runs,
    }
    // Sized once: about half of a page's nodes are elements, and most get an entry.
    let mut stats =
        AddrMap::with_capacity_and_hasher(html.tree.nodes().len() / 2, Default::default());
    let mut paras: Vec<Para> = Vec::new();
    let mut frames: Vec<Frame> = Vec::new();
    let mut stack = vec![(*html.root_element(), false)];
    while let Some((node, closing)) = stack.pop() {
        crate::work::check();
        if closing {
            let Some(mut f) = frames.pop() else { continue };
            let tag = f.el.value().name();
            let mut s = f.stats;
            f.runs.cut();
            // Loose text in two or more `<br><br>`-separated runs is that many
            // paragraphs, as Readability's `<br>` rewriting makes them: a CMS that
            // writes its paragraphs as styled `<span>`s between line breaks is scored
            // for each, not as one block that a byline and a footer outweigh.
            let runs = (f.runs.count >= 2).then_some(f.runs.score);
            match tag {
                "a" => s.link = s.text,
                "p" => s.paras += 1,
                "img" => s.imgs += 1,
                _ => {}
            }
            let kind = f.kind;
            if tag == "blockquote" && is_post(f.el) {
                s.post_text = s.text;
            }
            s.excluded = excluded(f.el, tag, kind, &s, hints);
            if s.excluded {
                paras.truncate(f.mark);
            } else if let Some(parent) = f.el.parent().and_then(ElementRef::wrap) {
                if tag == "td" {
                    // Table-layout pages keep the article loose in one cell: the cell
                    // itself is the candidate, not the row that also holds the menu.
                    let (text, commas) = if s.block_child {
                        (s.inline_text, s.inline_commas)
                    } else {
                        (s.text, s.commas)
                    };
                    if text >= MIN_PARAGRAPH_CHARS {
                        paras.push(Para {
                            start: f.el,
                            score: runs.unwrap_or_else(|| paragraph_score(text, commas)),
                        });
                    }
                } else if let Some(score) = runs.filter(|_| kind & KIND_CONTAINER != 0) {
                    // A wrapper of several paragraphs, like one of `<p>`s.
                    paras.push(Para { start: f.el, score });
                } else if matches!(tag, "p" | "pre" | "h2" | "h3" | "h4" | "h5" | "h6")
                    || (kind & KIND_CONTAINER != 0 && !s.block_child)
                {
                    if s.text >= MIN_PARAGRAPH_CHARS {
                        paras.push(Para {
                            start: parent,
                            score: paragraph_score(s.text, s.commas),
                        });
                    }
                } else if kind & KIND_CONTAINER != 0 && s.inline_text >= MIN_PARAGRAPH_CHARS {
                    // Loose text beside blocks (`text<br><br>text<div>…`): a paragraph
                    // of this element itself.
                    paras.push(Para {
                        start: f.el,
                        score: paragraph_score(s.inline_text, s.inline_commas),
                    });
                }
            }
            if let Some(parent) = frames.last_mut() {
                let p = &mut parent.stats;
                if !s.excluded {
                    p.text += s.text;
                    p.link += s.link;
                    p.commas += s.commas;
                    p.paras += s.paras;
                    p.imgs += s.imgs;
                    p.post_text += s.post_text;
                    if kind & KIND_BLOCK == 0 {
                        p.inline_text += s.text;
                        p.inline_commas += s.commas;
                        if f.runs.count >= 2 {
                            // `<font>` around the whole `<br><br>`-separated text.
                            parent.runs.cut();
                            parent.runs.count += f.runs.count;
                            parent.runs.score += f.runs.score;
                        } else {
                            parent.runs.add(s.text, s.commas);
                        }
                    }
                } else if tag == "noscript" && !hidden(f.el) {
                    // A lazy image's fallback: counts as an image, not as text.
                    p.imgs += s.imgs;
                }
            }
            // An element with nothing in it (icons, spacers, empty wrappers: many on a
            // page) is not stored: a missing entry reads as these default measures.
            if s != Stats::default() {
                stats.insert(key(f.el), s);
            }
            continue;
        }
        match node.value() {
            Node::Element(e) => {
                let Some(el) = ElementRef::wrap(node) else {
                    continue;
                };
                let kind = tag_kind(e.name());
                if let Some(parent) = frames.last_mut() {
                    if kind & KIND_BLOCK != 0 {
                        parent.stats.block_child = true;
                        parent.runs.cut();
                    } else if e.name() == "br" {
                        parent.runs.br();
                    }
                }
                frames.push(Frame {
                    el,
                    stats: Stats::default(),
                    mark: paras.len(),
                    kind,
                    runs: Runs::default(),
                });
                stack.push((node, true));
                // Subtrees dropped by their tag alone (navigation, headers, footers,
                // asides, scripts, SVG, ...) are excluded whatever they hold, and nothing
                // reads the measures inside them: no need to walk them. `<noscript>` is
                // walked: its lazy images count for its parent.
                if kind & KIND_DROP == 0 || e.name() == "noscript" {
                    stack.extend(node.children().rev().map(|c| (c, false)));
                }
            }
            Node::Text(t) => {
                if let Some(f) = frames.last_mut() {
                    if f.el.value().name() == "noscript" {
                        // With scripting on, `<noscript>` holds its markup as text.
                        if t.contains("<img") {
                            f.stats.imgs += 1;
                        }
                        continue;
                    }
                    let (len, commas) = measure(t);
                    f.stats.text += len;
                    f.stats.commas += commas;
                    f.stats.inline_text += len;
                    f.stats.inline_commas += commas;
                    f.runs.add(len, commas);
                }
            }
            _ => {}
        }
    }
    (stats, paras)
}

/// An element's loose text as paragraphs: runs of inline content cut at a double
/// `<br>` and at block children, each run of [`MIN_PARAGRAPH_CHARS`] or more scored as
/// a paragraph.
#[derive(Default)]
struct Runs {
    /// The open run's characters and commas.
    text: u32,
    commas: u32,
    /// `<br>`s since the open run's last text.
    brs: u8,
    /// Runs closed so far and the sum of their scores.
    count: u32,
    score: f32,
}

impl Runs {
    fn add(&mut self, text: u32, commas: u32) {
        if text > 0 {
            self.text += text;
            self.commas += commas;
            self.brs = 0;
        }
    }

    fn br(&mut self) {
        self.brs = self.brs.saturating_add(1);
        if self.brs == 2 {
            self.cut();
        }
    }

    fn cut(&mut self) {
        if self.text >= MIN_PARAGRAPH_CHARS {
            self.count += 1;
            self.score += paragraph_score(self.text, self.commas);
        }
        self.text = 0;
        self.commas = 0;
    }
}

/// Characters (whitespace runs counted once, ends trimmed) and commas of a text node.
fn measure(t: &str) -> (u32, u32) {
    let mut len = 0u32;
    let mut commas = 0u32;
    let mut space = false;
    let t = t.trim();
    let mut i = 0;
    while i < t.len() {
        let Some(c) = next_char(t, &mut i) else {
            break;
        };
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space {
            len += 1;
            space = false;
        }
        len += 1;
        // Readability's commas: Latin, Arabic, small and full-width forms.
        if matches!(
            c,
            ',' | '\u{060C}'
                | '\u{FE50}'
                | '\u{FE10}'
                | '\u{FE11}'
                | '\u{2E41}'
                | '\u{2E34}'
                | '\u{2E32}'
                | '\u{FF0C}'
        ) {
            commas += 1;
        }
    }
    (len, commas)
}

/// The character at byte `*i` of `t`, advancing `*i` past it; ASCII without decoding
/// (most text is ASCII).
fn next_char(t: &str, i: &mut usize) -> Option<char> {
    let b = *t.as_bytes().get(*i)?;
    if b.is_ascii() {
        *i += 1;
        return Some(char::from(b));
    }
    let c = t[*i..].chars().next()?;
    *i += c.len_utf8();
    Some(c)
}

/// Readability's paragraph score: one point, one per comma, one per 100 characters
/// (at most three).
fn paragraph_score(text: u32, commas: u32) -> f32 {
    1.0 + commas as f32 + (text / 100).min(3) as f32
}

/// Bits of [`tag_kind`].
const KIND_DROP: u8 = 1;
const KIND_BLOCK: u8 = 2;
const KIND_CONTAINER: u8 = 4;

/// Which of [`DROP_TAGS`], [`BLOCK_TAGS`] and [`CONTAINER_TAGS`] hold `tag`. One hash
/// lookup instead of a scan of each list: the scoring walk asks several times for every
/// element of the page.
fn tag_kind(tag: &str) -> u8 {
    static KINDS: LazyLock<HashMap<&str, u8, BuildHasherDefault<AddrHasher>>> =
        LazyLock::new(|| {
            let mut m = HashMap::default();
            for (list, bit) in [
                (DROP_TAGS, KIND_DROP),
                (BLOCK_TAGS, KIND_BLOCK),
                (CONTAINER_TAGS, KIND_CONTAINER),
            ] {
                for t in list {
                    *m.entry(*t).or_insert(0) |= bit;
                }
            }
            m
        });
    KINDS.get(tag).copied().unwrap_or(0)
}

fn is_drop(tag: &str) -> bool {
    tag_kind(tag) & KIND_DROP != 0
}

fn is_block(tag: &str) -> bool {
    tag_kind(tag) & KIND_BLOCK != 0
}

fn is_container(tag: &str) -> bool {
    tag_kind(tag) & KIND_CONTAINER != 0
}

/// Whether a subtree is boilerplate for scoring (step 1).
fn excluded(el: ElementRef, tag: &str, kind: u8, s: &Stats, hints: bool) -> bool {
    if tag == "form" {
        // ASP.NET pages wrap the whole body in a form; real forms hold few paragraphs.
        return s.paras < 3;
    }
    if kind & KIND_DROP != 0 {
        return true;
    }
    if s.text == 0 && s.imgs == 0 {
        // Nothing to count either way, and the writer drops empty elements anyway;
        // skipping the checks below saves much of the walk's time on icon-heavy pages.
        return false;
    }
    let a = Attrs::of(el);
    if a.hidden() {
        return true;
    }
    if a.role
        .is_some_and(|r| DROP_ROLES.contains(&r.trim().to_ascii_lowercase().as_str()))
    {
        return true;
    }
    if !hints || matches!(tag, "body" | "html" | "a" | "main") || mostly_posts(s) {
        return false;
    }
    if a.with_hints(|h| !h.is_empty() && negative(h) && !maybe(h)) {
        return true;
    }
    kind & KIND_CONTAINER != 0 && related_box(el)
}

/// A box of links to other stories that only its heading names (`<article class="post">`
/// opening with `<h3 class="relatedpoststitle">`, then teasers of other posts): the
/// wrapper's own class reads like an article, so the heading's class decides.
fn related_box(el: ElementRef) -> bool {
    let Some(first) = el.children().filter_map(ElementRef::wrap).next() else {
        return false;
    };
    is_heading(first.value().name()) && Attrs::of(first).with_hints(related)
}

/// An embedded post's `<blockquote>` ([`POST_CLASSES`]).
fn is_post(el: ElementRef) -> bool {
    el.value().attr("class").is_some_and(|c| {
        c.split_ascii_whitespace()
            .any(|t| POST_CLASSES.contains(&t))
    }) || el.value().attr("data-instgrm-permalink").is_some()
}

/// Most of a subtree's text is embedded posts: the post itself or the embed's wrapper
/// (`<div class="social-media-embed">`), which the hints would otherwise drop.
fn mostly_posts(s: &Stats) -> bool {
    s.post_text > 0 && s.post_text * 5 >= s.text * 4
}

/// The attributes the boilerplate rules read, found in one pass over an element's
/// attributes. `Element::attr` interns the name and binary-searches on every call; the
/// scoring walk asks up to six of them for every element with text.
#[derive(Default)]
struct Attrs<'a> {
    hidden: bool,
    aria_hidden: Option<&'a str>,
    style: Option<&'a str>,
    role: Option<&'a str>,
    class: Option<&'a str>,
    id: Option<&'a str>,
}

impl<'a> Attrs<'a> {
    fn of(el: ElementRef<'a>) -> Attrs<'a> {
        let mut a = Attrs::default();
        for (name, value) in &el.value().attrs {
            // `attr(n)` reads HTML attributes only: not `xlink:role` and the like.
            if !name.ns.is_empty() {
                continue;
            }
            let v = Some(&**value);
            match &*name.local {
                "hidden" => a.hidden = true,
                "aria-hidden" => a.aria_hidden = v,
                "style" => a.style = v,
                "role" => a.role = v,
                "class" => a.class = v,
                "id" => a.id = v,
                _ => {}
            }
        }
        a
    }

    /// `hidden`, `aria-hidden` and inline `display: none` subtrees.
    fn hidden(&self) -> bool {
        if self.hidden {
            return true;
        }
        if self.aria_hidden == Some("true")
            && !self.class.is_some_and(|c| c.contains("fallback-image"))
        {
            return true;
        }
        self.style.is_some_and(|s| {
            squeezed_contains(s, "display:none") || squeezed_contains(s, "visibility:hidden")
        })
    }

    /// Lowercased `class` and `id`, space-separated, passed to `f`; built in a buffer
    /// reused across calls (the scoring walk asks for every element with text).
    fn with_hints<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        thread_local! {
            static BUF: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        BUF.with(|b| {
            let mut h = b.borrow_mut();
            h.clear();
            self.write_hints(&mut h);
            f(&h)
        })
    }

    fn write_hints(&self, h: &mut String) {
        for v in [self.class, self.id].into_iter().flatten() {
            if v.is_ascii() {
                // What `to_lowercase` gives for ASCII, without its own allocation.
                let start = h.len();
                h.push_str(v);
                h[start..].make_ascii_lowercase();
            } else {
                h.push_str(&v.to_lowercase());
            }
            h.push(' ');
        }
    }
}

/// `hidden`, `aria-hidden` and inline `display: none` subtrees.
fn hidden(el: ElementRef) -> bool {
    Attrs::of(el).hidden()
}

/// Whether `s`, with whitespace removed and ASCII lower-cased, contains `pat` (lower-case
/// ASCII, no whitespace). Allocates nothing: it runs on every `style` attribute.
fn squeezed_contains(s: &str, pat: &str) -> bool {
    let pat = pat.as_bytes();
    let Some(&first) = pat.first() else {
        return true;
    };
    s.char_indices().any(|(i, c)| {
        if c.to_ascii_lowercase() != char::from(first) {
            return false;
        }
        let mut want = pat.iter();
        for c in s[i..].chars().filter(|c| !c.is_whitespace()) {
            match want.next() {
                None => return true,
                Some(&b) if c.to_ascii_lowercase() == char::from(b) => {}
                Some(_) => return false,
            }
        }
        want.next().is_none()
    })
}

/// Whether a lowercased class/id string names boilerplate.
fn negative(h: &str) -> bool {
    // One automaton instead of seventy substring searches per element: this runs on
    // every element of the page that has text. The tokens count only as a whole run of
    // `[a-z0-9]` ("ad" in "top-ad", not in "header" or "ad2").
    static NEG: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| words(&NEG_SUBSTR));
    NEG.is_match(h)
        || h.split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
            .any(|piece| NEG_TOKENS.contains(piece))
}

/// Whether a lowercased class/id string names a list of other stories.
fn related(h: &str) -> bool {
    static RELATED: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| words(RELATED_SUBSTR));
    RELATED.is_match(h)
}

/// Whether a lowercased class/id string names an article body.
fn positive(h: &str) -> bool {
    static POS: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| words(POS_SUBSTR));
    POS.is_match(h)
}

/// Whether a lowercased class/id string is positive enough to keep an element whose
/// hints are also negative.
fn maybe(h: &str) -> bool {
    static MAYBE: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| words(MAYBE_SUBSTR));
    MAYBE.is_match(h)
}

/// A substring matcher for a static word list.
fn words(list: &[&str]) -> aho_corasick::AhoCorasick {
    aho_corasick::AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(list)
        .expect("a static word list makes an automaton")
}

/// Readability's class weight: −25 / +25 for each of `class` and `id`.
fn class_weight(el: ElementRef) -> f32 {
    let e = el.value();
    let mut w = 0.0;
    for v in [e.attr("class"), e.attr("id")].into_iter().flatten() {
        let v = v.to_lowercase();
        if negative(&v) {
            w -= 25.0;
        }
        if positive(&v) {
            w += 25.0;
        }
    }
    w
}

/// A candidate's starting score: Readability's tag bonus plus the class weight.
fn initial_score(el: ElementRef, hints: bool) -> f32 {
    let base = match el.value().name() {
        "div" | "article" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    };
    if hints {
        base + class_weight(el)
    } else {
        base
    }
}

/// What to write: the chosen container and the siblings that join it.
struct Plan<'a> {
    /// Elements written in order; the first-chosen container is among them.
    parts: Vec<ElementRef<'a>>,
    stats: AddrMap<Stats>,
    hints: bool,
    /// Text length of the chosen container, for "holds most of the article" guards.
    top_text: u32,
    top: ElementRef<'a>,
    /// Elements on the way from the article's chunks to `top` when [`join_chunks`]
    /// widened it: kept like the body itself.
    chunk_path: HashSet<usize>,
}

impl<'a> Plan<'a> {
    /// Steps 1–3: measure, score, choose. None when no paragraph was found.
    fn new(html: &'a Html, hints: bool) -> Option<Plan<'a>> {
        let (stats, paras) = analyse(html, hints);
        // Candidates in first-touch (document) order so ties break deterministically.
        let mut cands: Vec<(ElementRef<'a>, f32)> = Vec::new();
        let mut index: AddrMap<usize> = AddrMap::default();
        for p in &paras {
            let mut el = Some(p.start);
            for level in 0..SCORE_DEPTH {
                let Some(e) = el.filter(|e| e.value().name() != "html") else {
                    break;
                };
                let divider = match level {
                    0 => 1.0,
                    1 => 2.0,
                    l => l as f32 * 3.0,
                };
                let i = *index.entry(key(e)).or_insert_with(|| {
                    cands.push((e, initial_score(e, hints)));
                    cands.len() - 1
                });
                cands[i].1 += p.score / divider;
                el = e.parent().and_then(ElementRef::wrap);
            }
        }
        let density = |e: ElementRef| stats.get(&key(e)).map_or(0.0, Stats::link_density);
        for c in &mut cands {
            c.1 *= 1.0 - density(c.0);
        }
        let score = |e: ElementRef| index.get(&key(e)).map(|&i| cands[i].1);
        let mut ranked: Vec<usize> = (0..cands.len()).collect();
        ranked.sort_by(|&a, &b| cands[b].1.total_cmp(&cands[a].1).then(a.cmp(&b)));
        let &best = ranked.first()?;
        let (mut top, top_score) = cands[best];

        // A parent shared by at least three near-best candidates holds the article
        // (paragraphs split over several wrappers).
        let alternatives: Vec<HashSet<usize>> = ranked[1..ranked.len().min(5)]
            .iter()
            .filter(|&&i| cands[i].1 >= 0.75 * top_score)
            .map(|&i| {
                cands[i]
                    .0
                    .ancestors()
                    .filter_map(ElementRef::wrap)
                    .map(key)
                    .collect()
            })
            .collect();
        if alternatives.len() >= 3 {
            let mut up = top.parent().and_then(ElementRef::wrap);
            while let Some(p) = up.filter(|p| !matches!(p.value().name(), "body" | "html")) {
                if alternatives.iter().filter(|a| a.contains(&key(p))).count() >= 3 {
                    top = p;
                    break;
                }
                up = p.parent().and_then(ElementRef::wrap);
            }
        }
        // A parent scoring higher than the candidate holds more of the article.
        let mut last = score(top).unwrap_or(top_score);
        let threshold = last / 3.0;
        let mut up = top.parent().and_then(ElementRef::wrap);
        while let Some(p) = up.filter(|p| !matches!(p.value().name(), "body" | "html")) {
            if let Some(s) = score(p) {
                if s < threshold {
                    break;
                }
                if s > last {
                    top = p;
                    break;
                }
                last = s;
            }
            up = p.parent().and_then(ElementRef::wrap);
        }
        // A wrapper with the candidate as only child adds nothing but may hold its
        // siblings' context.
        while let Some(p) = top.parent().and_then(ElementRef::wrap) {
            if matches!(p.value().name(), "body" | "html")
                || p.children().filter_map(ElementRef::wrap).count() != 1
            {
                break;
            }
            top = p;
        }

        let (top, chunk_path) = join_chunks(
            top,
            cands[best].0,
            score(top).unwrap_or(top_score),
            &paras,
            &stats,
        );
        let top_stats = stats.get(&key(top)).copied().unwrap_or_default();
        let top_final = score(top).unwrap_or(top_score);
        let parts = match top.parent().and_then(ElementRef::wrap) {
            Some(parent) if top.value().name() != "body" => {
                let threshold = (top_final * 0.2).max(10.0);
                let top_class = top.value().attr("class").unwrap_or("");
                parent
                    .children()
                    .filter_map(ElementRef::wrap)
                    .filter(|&sib| {
                        sib == top
                            || sibling_joins(
                                sib,
                                top_class,
                                top_final,
                                threshold,
                                &stats,
                                score(sib),
                            )
                    })
                    .collect()
            }
            _ => vec![top],
        };
        let mut lead = lead_blocks(top, &parts, &stats);
        let parts = if lead.is_empty() {
            parts
        } else {
            lead.extend(parts);
            lead
        };
        Some(Plan {
            parts,
            stats,
            hints,
            top_text: top_stats.text,
            top,
            chunk_path,
        })
    }

    /// Step 4: writes the chosen elements as HTML of at most `budget` bytes.
    fn render(&self, base: &Url, budget: usize) -> Rendered {
        let mut w = Writer {
            plan: self,
            base,
            out: String::new(),
            budget,
            full: false,
            chars: 0,
            images: 0,
            seen_images: HashSet::new(),
            seen_blocks: HashSet::new(),
            captions: Vec::new(),
            in_post: 0,
            in_figure: 0,
            headline_done: false,
            in_heading: 0,
            in_pre: 0,
            open: Vec::new(),
            reparse: false,
            pending_heading: None,
        };
        for &part in &self.parts {
            if part == self.top || part.value().name() != "p" {
                w.container(part);
            } else {
                w.element(part);
            }
        }
        w.finish();
        Rendered {
            html: w.out,
            chars: w.chars,
            reparse: w.reparse,
        }
    }
}

/// How many levels above the chosen container [`join_chunks`] looks for the rest of
/// the article.
const CHUNK_LEVELS: usize = 3;

/// How far up from a paragraph [`join_chunks`] looks for the ancestor it tests.
const CHUNK_DEPTH: usize = 48;

/// An article cut into several containers of the same kind that are not siblings (the
/// body split into chunks between rows of ads): the chosen container widens to the
/// highest ancestor, at most [`CHUNK_LEVELS`] up, holding other paragraphs in
/// containers with the best candidate's tag and class that score like a sibling that
/// would join (a fifth of the container's score); the writer's rules then drop the
/// furniture between the chunks. Only the same kind of container counts: an author's
/// bio or the comments near the body are prose too, but not the body's. An ancestor
/// whose text is mostly links is not taken.
fn join_chunks<'a>(
    top: ElementRef<'a>,
    best_candidate: ElementRef<'a>,
    top_score: f32,
    paras: &[Para<'a>],
    stats: &AddrMap<Stats>,
) -> (ElementRef<'a>, HashSet<usize>) {
    let kind = |e: ElementRef<'a>| (e.value().name(), e.value().attr("class").unwrap_or(""));
    let chunk = kind(best_candidate);
    if chunk.1.trim().is_empty() {
        return (top, HashSet::new());
    }
    let threshold = (top_score * 0.2).max(10.0);
    // The ancestors tried, innermost first; one whose text is mostly links ends them.
    let mut levels: Vec<ElementRef> = Vec::with_capacity(CHUNK_LEVELS);
    let mut up = top.parent().and_then(ElementRef::wrap);
    while let Some(a) = up.filter(|p| !matches!(p.value().name(), "body" | "html")) {
        if levels.len() == CHUNK_LEVELS
            || stats.get(&key(a)).is_some_and(|s| s.link_density() >= 0.25)
        {
            break;
        }
        levels.push(a);
        up = a.parent().and_then(ElementRef::wrap);
    }
    // Score of the same-kind paragraphs outside `top` that each level adds: one walk up
    // from each paragraph to the first of `top` or a level (bounded: a paragraph
    // nested deeper than that below them is left out).
    let mut added = vec![0.0f32; levels.len()];
    for p in paras.iter().filter(|p| kind(p.start) == chunk) {
        let chain = std::iter::once(p.start)
            .chain(p.start.ancestors().filter_map(ElementRef::wrap))
            .take(CHUNK_DEPTH);
        for e in chain {
            if e == top {
                break;
            }
            if let Some(i) = levels.iter().position(|&a| a == e) {
                added[i] += p.score;
                break;
            }
        }
    }
    let mut best = top;
    let mut score = 0.0;
    for (a, s) in levels.iter().zip(&added) {
        score += s;
        if score >= threshold {
            best = *a;
        }
    }
    // The chunks and their wrappers up to the widened container: the body, whatever
    // their class says (`article-widget article-widget-text` around each chunk).
    let mut path = HashSet::new();
    if best != top {
        let starts = paras
            .iter()
            .filter(|p| kind(p.start) == chunk)
            .map(|p| p.start);
        for start in std::iter::once(top).chain(starts) {
            let chain: Vec<ElementRef> = std::iter::once(start)
                .chain(start.ancestors().filter_map(ElementRef::wrap))
                .take(CHUNK_DEPTH)
                .take_while(|&e| e != best)
                .collect();
            if chain
                .last()
                .and_then(|e| e.parent())
                .is_some_and(|p| ElementRef::wrap(p) == Some(best))
            {
                path.extend(chain.into_iter().map(key));
            }
        }
    }
    (best, path)
}

/// How many levels above the chosen container [`lead_blocks`] looks for the article's
/// opening.
const LEAD_LEVELS: usize = 3;

/// The opening of an article kept apart from its body (a lead block in the row above
/// the body's column, an intro box before the body's grid cell): prose blocks that
/// come right before the chosen container's branch, at most [`LEAD_LEVELS`] up, in
/// document order. Only blocks of two or more paragraphs with few links count, and
/// only when nothing but furniture (short lines, pictures, dropped boilerplate) lies
/// between them and the body; the headline (an `h1`) or any other heading or text
/// block ends the search, so a teaser box above the headline is never reached.
fn lead_blocks<'a>(
    top: ElementRef<'a>,
    parts: &[ElementRef<'a>],
    stats: &AddrMap<Stats>,
) -> Vec<ElementRef<'a>> {
    let mut found = Vec::new();
    let mut child = top;
    // The container's own siblings first (those that joined it are written anyway),
    // then its ancestors'.
    'levels: for _ in 0..=LEAD_LEVELS {
        if matches!(child.value().name(), "body" | "html") {
            break;
        }
        for sib in child.prev_siblings().filter_map(ElementRef::wrap) {
            let s = stats.get(&key(sib)).copied().unwrap_or_default();
            if s.excluded || s.text == 0 || parts.contains(&sib) {
                continue;
            }
            if is_heading(sib.value().name()) {
                break 'levels;
            }
            if s.paras >= 2 && s.text >= 200 && s.link_density() < 0.2 {
                found.push(lead_core(sib, s.text, stats));
                continue;
            }
            if s.text < 60 {
                continue;
            }
            break 'levels;
        }
        match child.parent().and_then(ElementRef::wrap) {
            Some(p) => child = p,
            None => break,
        }
    }
    found.reverse();
    found
}

/// The block inside a lead that holds its prose: down through wrappers while one child
/// holds four fifths of the text and two paragraphs, leaving the kicker, the headline
/// and the dateline beside it.
fn lead_core<'a>(mut el: ElementRef<'a>, text: u32, stats: &AddrMap<Stats>) -> ElementRef<'a> {
    let of = |e: ElementRef| stats.get(&key(e)).copied().unwrap_or_default();
    while let Some(c) = el
        .children()
        .filter_map(ElementRef::wrap)
        .max_by_key(|&c| of(c).text)
    {
        let s = of(c);
        if s.excluded || s.paras < 2 || s.text * 5 < text * 4 {
            break;
        }
        el = c;
    }
    el
}

/// Readability's sibling test: a high enough score (with a bonus for sharing the
/// candidate's class), or a paragraph that reads like prose.
fn sibling_joins(
    sib: ElementRef,
    top_class: &str,
    top_score: f32,
    threshold: f32,
    stats: &AddrMap<Stats>,
    score: Option<f32>,
) -> bool {
    // Missing: nothing measured in it (see `analyse`).
    let s = stats.get(&key(sib)).copied().unwrap_or_default();
    if s.excluded {
        return false;
    }
    let bonus = match sib.value().attr("class") {
        Some(c) if !top_class.is_empty() && c == top_class => top_score * 0.2,
        _ => 0.0,
    };
    if score.is_some_and(|sc| sc + bonus >= threshold) {
        return true;
    }
    // The lead picture beside the body (a `<figure>` between headline and text) is part
    // of the story, though it scores nothing as prose.
    if sib.value().name() == "figure"
        && s.link_density() < 0.5
        && sib.select(selector!("img, picture")).next().is_some()
    {
        return true;
    }
    if sib.value().name() != "p" {
        return false;
    }
    let ld = s.link_density();
    if s.text > 80 {
        return ld < 0.25;
    }
    s.text > 0 && ld == 0.0 && {
        let t: String = sib.text().collect();
        let t = t.trim_end();
        t.ends_with('.') || t.ends_with('。') || t.ends_with('!') || t.ends_with('?')
    }
}

/// A rendering before sanitizing.
struct Rendered {
    html: String,
    /// Characters of text written.
    chars: usize,
    /// Needs the sanitizer's re-parse (see [`Writer::reparse`]).
    reparse: bool,
}

/// Step 4: serializes the chosen subtrees with the output-side cleaning rules.
struct Writer<'p, 'a> {
    plan: &'p Plan<'a>,
    base: &'p Url,
    out: String,
    budget: usize,
    /// The budget ran out: nothing more is written, open elements are closed.
    full: bool,
    chars: usize,
    images: usize,
    seen_images: HashSet<String>,
    /// Text of the captions and gallery lines written so far (see [`Writer::repeated`]).
    seen_blocks: HashSet<String>,
    /// Captions written so far, for their truncated copies ("… The Islanders ... more").
    captions: Vec<String>,
    /// Depth of embedded posts ([`POST_CLASSES`]) being written: their links and short
    /// lines are the quoted post, not promos.
    in_post: u32,
    /// Depth of `<figure>`s being written, reset inside a quote, listing or table they
    /// hold: a figure's loose text is its credit or caption (see [`Writer::drop`]).
    in_figure: u32,
    /// The headline `h1` was met (dropped) or content came first.
    headline_done: bool,
    in_heading: u32,
    in_pre: u32,
    /// Open elements written, innermost last.
    open: Vec<&'static str>,
    /// Something was written that an HTML parser would restructure (a block inside an
    /// open `<p>`, a row outside a table, ...): the output goes through the sanitizer's
    /// re-parse. Otherwise it is already what the sanitizer would produce.
    reparse: bool,
    /// A heading with nothing after it yet: (start in `out`, level, depth). A heading
    /// followed by nothing or by a heading of the same or higher rank introduced
    /// something that was dropped ("Related", "Comments") and goes too.
    pending_heading: Option<(usize, u8, usize)>,
}

impl Writer<'_, '_> {
    fn stats(&self, el: ElementRef) -> Stats {
        self.plan.stats.get(&key(el)).copied().unwrap_or_default()
    }

    /// Writes a wrapper's children without the wrapper: loose inline content becomes
    /// paragraphs between the block children.
    fn container(&mut self, el: ElementRef) {
        if !self.stats(el).block_child {
            self.wrapped("p", el);
            return;
        }
        // (start in out, chars, images) of the open paragraph of loose content.
        let mut run: Option<(usize, usize, usize)> = None;
        let mut prev_images = 0;
        for child in el.children() {
            match child.value() {
                Node::Text(t) => {
                    if run.is_none() && t.trim().is_empty() {
                        continue;
                    }
                    if run.is_none() {
                        run = Some(self.open_run());
                    }
                    self.text(t);
                }
                Node::Element(e) => {
                    let Some(c) = ElementRef::wrap(child) else {
                        continue;
                    };
                    // An inline wrapper around blocks (`<a><div>…</div></a>`) ends the
                    // run too: a paragraph cannot hold its blocks.
                    if is_block(e.name()) || self.stats(c).block_child {
                        if let Some(r) = run.take() {
                            self.close_run(r);
                        }
                    } else if run.is_none() {
                        run = Some(self.open_run());
                    }
                    let before = self.images;
                    if e.name() == "noscript" {
                        if prev_images == 0 {
                            self.noscript(c);
                        }
                    } else {
                        self.element(c);
                    }
                    prev_images = self.images - before;
                }
                _ => {}
            }
        }
        if let Some(r) = run {
            self.close_run(r);
        }
    }

    fn open_run(&mut self) -> (usize, usize, usize) {
        let r = (self.out.len(), self.chars, self.images);
        self.start_tag("p");
        self.out.push_str("<p>");
        self.open.push("p");
        r
    }

    fn close_run(&mut self, (start, chars, images): (usize, usize, usize)) {
        self.open.pop();
        if self.chars == chars && self.images == images {
            self.out.truncate(start);
        } else {
            self.out.push_str("</p>");
        }
    }

    /// Writes the children of an element in inline context.
    fn children(&mut self, el: ElementRef) {
        let mut prev_images = 0;
        for child in el.children() {
            match child.value() {
                Node::Text(t) => self.text(t),
                Node::Element(e) => {
                    let Some(c) = ElementRef::wrap(child) else {
                        continue;
                    };
                    let before = self.images;
                    if e.name() == "noscript" {
                        if prev_images == 0 {
                            self.noscript(c);
                        }
                    } else {
                        self.element(c);
                    }
                    prev_images = self.images - before;
                }
                _ => {}
            }
        }
    }

    fn element(&mut self, el: ElementRef) {
        crate::work::check();
        if self.full {
            return;
        }
        let tag = el.value().name();
        match tag {
            "img" => return self.img(el),
            "noscript" => return self.noscript(el),
            _ => {}
        }
        let s = self.stats(el);
        if self.drop(el, tag, &s) || self.repeated(el, tag, &s) {
            return;
        }
        if self.out.len() + 64 > self.budget {
            self.full = true;
            return;
        }
        match tag {
            "h1" if !self.headline_done && self.chars == 0 => {
                // The headline: the feed item's title already says it.
                self.headline_done = true;
            }
            "h1" => self.heading(el, 2),
            "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.headline_done = true;
                self.heading(el, tag.as_bytes()[1] - b'0');
            }
            "a" => match el.value().attr("href").and_then(|h| self.absolute(h)) {
                Some(href) => {
                    let mut open = String::from("<a href=\"");
                    escape_attr(&mut open, &href);
                    open.push('"');
                    if let Some(t) = el.value().attr("title") {
                        open.push_str(" title=\"");
                        escape_attr(&mut open, t);
                        open.push('"');
                    }
                    open.push_str(" rel=\"");
                    open.push_str(LINK_REL);
                    open.push_str("\">");
                    self.open_close(el, "a", &open);
                }
                None => self.children(el),
            },
            "picture" => self.children(el),
            _ if is_container(tag) => self.container(el),
            "br" | "hr" => {
                self.start_tag(tag);
                self.out.push('<');
                self.out.push_str(tag);
                self.out.push('>');
            }
            _ => {
                let Some(tag) = KEEP_TAGS.iter().copied().find(|&t| t == tag) else {
                    self.children(el);
                    return;
                };
                let mut open = format!("<{tag}");
                for &name in kept_attrs(tag) {
                    let Some(v) = el.value().attr(name) else {
                        continue;
                    };
                    let v = if name == "cite" {
                        match self.absolute(v) {
                            Some(u) => u,
                            None => continue,
                        }
                    } else {
                        v.to_string()
                    };
                    open.push(' ');
                    open.push_str(name);
                    open.push_str("=\"");
                    escape_attr(&mut open, &v);
                    open.push('"');
                }
                open.push('>');
                let post = tag == "blockquote" && is_post(el);
                self.in_post += u32::from(post);
                let figure = self.in_figure;
                if tag == "figure" {
                    self.in_figure += 1;
                } else if matches!(tag, "blockquote" | "pre" | "table") {
                    // A quote, code listing or table set in a figure is the article's.
                    self.in_figure = 0;
                }
                self.open_close(el, tag, &open);
                self.in_figure = figure;
                self.in_post -= u32::from(post);
            }
        }
    }

    /// A caption or gallery line whose text was written before (the caption again in
    /// the gallery's overlay, the gallery's title on every slide), or a caption cut
    /// short with "… more" whose full text was: gallery furniture, written once. Other
    /// paragraphs may repeat (a recipe's lines, an interview's questions).
    fn repeated(&mut self, el: ElementRef, tag: &str, s: &Stats) -> bool {
        if s.text < 20 {
            return false;
        }
        let (caption, gallery) = Attrs::of(el).with_hints(|h| {
            (
                tag == "figcaption" || h.contains("caption"),
                h.contains("gallery") || h.contains("slide"),
            )
        });
        if !(caption || gallery) || s.imgs > 0 || self.in_post > 0 || self.in_pre > 0 {
            return false;
        }
        let mut text = String::with_capacity(s.text as usize + 8);
        for piece in el.text() {
            for w in piece.split_whitespace() {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(w);
            }
        }
        if caption {
            let cut = text
                .trim_end_matches(|c: char| c.is_whitespace())
                .strip_suffix("more")
                .map(|t| t.trim_end_matches(|c: char| c.is_whitespace() || c == '.' || c == '…'));
            if let Some(cut) = cut.filter(|c| c.len() >= 20) {
                if self.captions.iter().any(|c| c.starts_with(cut)) {
                    return true;
                }
            }
        }
        if self.seen_blocks.contains(&text) {
            return true;
        }
        if caption {
            self.captions.push(text.clone());
        }
        self.seen_blocks.insert(text);
        false
    }

    /// Notes a start tag about to be written in the current context: when an HTML
    /// parser would not simply nest it there (tree construction's "in body" and table
    /// rules, for the tags this writer emits), the output needs the re-parse.
    fn start_tag(&mut self, tag: &str) {
        if self.reparse {
            return;
        }
        let top = self.open.last().copied().unwrap_or("div");
        let table_child = match top {
            "table" => Some(&["caption", "tbody", "thead", "tfoot"][..]),
            "tbody" | "thead" | "tfoot" => Some(&["tr"][..]),
            "tr" => Some(&["td", "th"][..]),
            _ => None,
        };
        let restructured = match table_child {
            Some(allowed) => !allowed.contains(&tag),
            // Table parts outside their parent are dropped by a parser.
            None if matches!(
                tag,
                "caption" | "tbody" | "thead" | "tfoot" | "tr" | "td" | "th"
            ) =>
            {
                true
            }
            None => {
                (closes_p(tag) && self.open_p_in_button_scope())
                    || (is_heading(tag) && is_heading(top))
                    || (tag == "li" && self.open_in_list_scope(&["li"]))
                    || (matches!(tag, "dd" | "dt") && self.open_in_list_scope(&["dd", "dt"]))
                    || (tag == "a" && self.open_link())
            }
        };
        self.reparse = restructured;
    }

    /// A `p` is open with no table cell, caption or table between it and here.
    fn open_p_in_button_scope(&self) -> bool {
        for &t in self.open.iter().rev() {
            match t {
                "p" => return true,
                "table" | "td" | "th" | "caption" => return false,
                _ => {}
            }
        }
        false
    }

    /// One of `tags` is open with only phrasing elements (or `div`, `p`) above it:
    /// a new `li`/`dd`/`dt` would close it.
    fn open_in_list_scope(&self, tags: &[&str]) -> bool {
        for &t in self.open.iter().rev() {
            if tags.contains(&t) {
                return true;
            }
            if t != "p" && t != "div" && !is_phrasing(t) {
                return false;
            }
        }
        false
    }

    /// An `a` is open outside any table cell or caption.
    fn open_link(&self) -> bool {
        for &t in self.open.iter().rev() {
            match t {
                "a" => return true,
                "td" | "th" | "caption" => return false,
                _ => {}
            }
        }
        false
    }

    /// Writes `open`, the children and the closing tag; removes the element again when
    /// nothing inside it was kept.
    fn open_close(&mut self, el: ElementRef, tag: &'static str, open: &str) {
        let (start, chars, images) = (self.out.len(), self.chars, self.images);
        self.start_tag(tag);
        self.out.push_str(open);
        self.open.push(tag);
        if tag == "pre" {
            self.in_pre += 1;
        }
        self.children(el);
        if tag == "pre" {
            self.in_pre -= 1;
        }
        self.open.pop();
        if let Some((_, _, d)) = self.pending_heading {
            if d > self.open.len() {
                // The heading's parent closes: cutting it later would unbalance tags.
                self.pending_heading = None;
            }
        }
        if self.chars == chars && self.images == images && !KEEP_EMPTY_TAGS.contains(&tag) {
            self.out.truncate(start);
            return;
        }
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push('>');
    }

    /// Writes a leaf wrapper as `<tag>`.
    fn wrapped(&mut self, tag: &'static str, el: ElementRef) {
        self.open_close(el, tag, &format!("<{tag}>"));
    }

    fn heading(&mut self, el: ElementRef, level: u8) {
        if let Some((start, pending, depth)) = self.pending_heading {
            if pending >= level && depth == self.open.len() {
                self.out.truncate(start);
            }
        }
        let start = self.out.len();
        let chars = self.chars;
        self.in_heading += 1;
        let tag = ["h1", "h2", "h3", "h4", "h5", "h6"][usize::from(level.clamp(1, 6)) - 1];
        self.open_close(el, tag, &format!("<{tag}>"));
        self.in_heading -= 1;
        if self.chars > chars {
            self.pending_heading = Some((start, level, self.open.len()));
        }
    }

    fn finish(&mut self) {
        if let Some((start, _, _)) = self.pending_heading.take() {
            self.out.truncate(start);
        }
    }

    /// Output-side boilerplate rules, stricter than scoring's: they apply inside the
    /// chosen container, where a share bar or related list sits beside the paragraphs.
    fn drop(&self, el: ElementRef, tag: &str, s: &Stats) -> bool {
        if s.excluded || is_drop(tag) {
            return true;
        }
        if self.in_post > 0 {
            // The quoted post as its embed code gives it: text, links, its author line.
            return false;
        }
        // Captions and credits are the picture's words, not the article's (article-body
        // benchmarks leave them out, and a reader has the picture): a `<figcaption>`,
        // and an element without images whose class or id names a caption (WordPress's
        // `wp-caption-text`, a gallery's `caption-full`). The picture itself stays.
        if tag == "figcaption"
            || (s.imgs == 0
                && s.text * 2 <= self.plan.top_text
                && Attrs::of(el).with_hints(|h| h.contains("caption")))
        {
            return true;
        }
        // An element holding most of the article is never dropped by the rules below:
        // `<div class="entry-content share-enabled">` is the body, not a share bar.
        let majority = (s.text * 2 > self.plan.top_text && s.link_density() < 0.25)
            || self.plan.chunk_path.contains(&key(el));
        let posts = mostly_posts(s);
        if self.plan.hints && !majority && !posts {
            let a = Attrs::of(el);
            // Photo credits, and what a `hidden` class keeps out of sight until a
            // script shows it (a gallery's overlay).
            if a.with_hints(|h| !h.is_empty() && (negative(h) || h.contains("credit")))
                || a.class
                    .is_some_and(|c| c.split_ascii_whitespace().any(|t| t == "hidden"))
            {
                return true;
            }
        }
        if s.text <= 150 && s.imgs == 0 && tag != "br" && tag != "hr" && tag != "a" {
            let t: String = el.text().collect();
            let t = t.trim().to_lowercase();
            let label = t.trim_end_matches(':');
            if s.text <= 20 && AD_LABELS.contains(&label) {
                return true;
            }
            if CREDIT_PREFIXES.iter().any(|p| t.starts_with(p))
                || t.strip_prefix('(')
                    .is_some_and(|t| CREDIT_PREFIXES.iter().any(|p| t.starts_with(p)))
            {
                return true;
            }
            // Gallery controls and counters, when they are the whole text of their
            // block (a link "more" inside a sentence stays).
            let whole = is_block(tag)
                || el
                    .parent()
                    .and_then(ElementRef::wrap)
                    .is_some_and(|p| self.stats(p).text == s.text);
            if whole && s.text <= 30 && (FURNITURE_LABELS.contains(&label) || is_counter(&t)) {
                return true;
            }
        }
        let ld = s.link_density();
        match tag {
            "div" | "section" | "ul" | "ol" | "table" | "dl" | "form" => {
                // An image with a short credit line ("Photo: <a>Agency</a>").
                let picture = s.imgs > 0 && s.text < 60;
                if s.commas >= 10 || majority || picture || posts {
                    return false;
                }
                let weight = if self.plan.hints {
                    class_weight(el)
                } else {
                    0.0
                };
                ld > 0.5 || (weight < 25.0 && ld > 0.2 && s.text > 0)
            }
            // "Read more: <a>Other story</a>" promos between paragraphs: short, mostly
            // link, and either nothing but link or a label ending in a colon before it.
            "p" if s.text < 150 && s.imgs == 0 && ld > 0.5 => {
                let lead = text_before_link(el);
                let lead = lead.trim();
                ld >= 0.9 && lead.is_empty() || lead.ends_with(':') || lead.ends_with('：')
            }
            _ => false,
        }
    }

    fn text(&mut self, t: &str) {
        if self.full || self.in_figure > 0 {
            // Text loose in a figure, beside its picture: a credit or a caption.
            return;
        }
        if self.out.len() + t.len() > self.budget {
            self.full = true;
            return;
        }
        if !self.reparse {
            let top = self.open.last().copied().unwrap_or("div");
            if matches!(top, "table" | "tbody" | "thead" | "tfoot" | "tr") {
                // Text in a table outside a cell is moved out of the table by a parser.
                self.reparse = t.chars().any(|c| !c.is_ascii_whitespace());
            } else if top == "pre" && t.starts_with('\n') && self.out.ends_with("<pre>") {
                // A parser drops a newline right after `<pre>`.
                self.reparse = true;
            }
        }
        let mut visible = 0;
        if self.in_pre > 0 {
            for c in t.chars() {
                escape_text_char(&mut self.out, c);
                if !c.is_whitespace() {
                    visible += char_weight(c);
                }
            }
        } else {
            let mut space = false;
            let mut i = 0;
            while i < t.len() {
                // A run of plain ASCII (no space, no markup character) is copied whole.
                let run = t.as_bytes()[i..]
                    .iter()
                    .take_while(|&&c| c.is_ascii_graphic() && !matches!(c, b'&' | b'<' | b'>'))
                    .count();
                if run > 0 {
                    if space {
                        self.out.push(' ');
                        space = false;
                    }
                    self.out.push_str(&t[i..i + run]);
                    visible += run;
                    i += run;
                    continue;
                }
                let Some(c) = next_char(t, &mut i) else {
                    break;
                };
                if c.is_whitespace() {
                    space = true;
                    continue;
                }
                if space {
                    self.out.push(' ');
                    space = false;
                }
                escape_text_char(&mut self.out, c);
                visible += char_weight(c);
            }
            if space {
                self.out.push(' ');
            }
        }
        if visible > 0 {
            self.chars += visible;
            self.content_written();
        }
    }

    fn content_written(&mut self) {
        if self.in_heading == 0 {
            self.pending_heading = None;
            self.headline_done = true;
        }
    }

    fn img(&mut self, el: ElementRef) {
        if self.full || self.stats(el).excluded || hidden(el) {
            return;
        }
        let e = el.value();
        // Tracking pixels.
        if e.attr("width").map(str::trim) == Some("1")
            || e.attr("height").map(str::trim) == Some("1")
        {
            return;
        }
        let Some(src) = self.image_source(el) else {
            return;
        };
        if !self.seen_images.insert(src.clone()) {
            return;
        }
        let mut tag = String::from("<img src=\"");
        escape_attr(&mut tag, &src);
        tag.push('"');
        for name in ["alt", "title"] {
            if let Some(v) = e.attr(name).map(str::trim).filter(|v| !v.is_empty()) {
                tag.push(' ');
                tag.push_str(name);
                tag.push_str("=\"");
                escape_attr(&mut tag, v);
                tag.push('"');
            }
        }
        tag.push('>');
        if self.out.len() + tag.len() > self.budget {
            self.full = true;
            return;
        }
        self.out.push_str(&tag);
        self.images += 1;
        self.content_written();
    }

    /// The real URL of a possibly lazy-loaded image: the largest `srcset` candidate
    /// (of the image and of its `<picture>` sources), else a `data-*` source, else
    /// `src` unless it is a placeholder.
    fn image_source(&self, el: ElementRef) -> Option<String> {
        let e = el.value();
        let mut sets: Vec<&str> = ["data-srcset", "data-lazy-srcset", "srcset"]
            .iter()
            .filter_map(|a| e.attr(a))
            .collect();
        if let Some(picture) = el
            .parent()
            .and_then(ElementRef::wrap)
            .filter(|p| p.value().name() == "picture")
        {
            for source in picture.children().filter_map(ElementRef::wrap) {
                if source.value().name() == "source" {
                    sets.extend(
                        ["data-srcset", "srcset"]
                            .iter()
                            .filter_map(|a| source.value().attr(a)),
                    );
                }
            }
        }
        let from_set = sets
            .iter()
            .flat_map(|s| parse_srcset(s))
            .filter(|(u, _)| !is_placeholder(u))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(u, _)| u);
        let lazy = [
            "data-src",
            "data-lazy-src",
            "data-original",
            "data-lazy",
            "data-hi-res-src",
            "data-url",
        ]
        .iter()
        .filter_map(|a| e.attr(a))
        .find(|u| !is_placeholder(u));
        let src = e.attr("src").filter(|u| !is_placeholder(u));
        [from_set, lazy, src]
            .into_iter()
            .flatten()
            .find_map(|u| self.absolute(u).filter(|u| !u.starts_with("mailto:")))
    }

    /// A `<noscript>` fallback: its images, parsed from the raw text the parser kept.
    /// The caller skips it when the element before it already produced an image.
    fn noscript(&mut self, el: ElementRef) {
        if self.full || hidden(el) {
            return;
        }
        if el.children().any(|c| c.value().is_element()) {
            // Parsed with scripting off: real elements.
            for img in el.select(selector!("img")) {
                self.img(img);
            }
            return;
        }
        let raw: String = el.text().collect();
        if !raw.contains("<img") {
            return;
        }
        let frag = crate::html::parse_fragment(&raw);
        for img in frag.select(selector!("img")) {
            self.img(img);
        }
    }

    /// An absolute http(s) or mailto URL for an attribute value, resolved against the
    /// base; None for scripts, data URIs and garbage.
    fn absolute(&self, raw: &str) -> Option<String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        let u = self.base.join(raw).ok()?;
        matches!(u.scheme(), "http" | "https" | "mailto").then(|| u.to_string())
    }
}

/// A slide counter: "3 / 12", "Image 1 of 5", "Photo 2/10", "Bild 1 von 4" (lower case).
fn is_counter(t: &str) -> bool {
    let t = t
        .trim_start_matches(|c: char| c.is_alphabetic())
        .trim_start();
    let Some(rest) = t.strip_prefix(|c: char| c.is_ascii_digit()) else {
        return false;
    };
    let mut rest = rest.trim_start_matches(|c: char| c.is_ascii_digit()).trim();
    let mut separated = false;
    // "1 of / 12" where a template writes both.
    while let Some(r) = ["of", "/", "von", "de", "di", "sur", "van"]
        .iter()
        .find_map(|sep| rest.strip_prefix(sep))
    {
        rest = r.trim();
        separated = true;
    }
    separated && !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit())
}

/// Text of an element before its first link.
fn text_before_link(el: ElementRef) -> String {
    let mut lead = String::new();
    for child in el.children() {
        match child.value() {
            Node::Text(t) => lead.push_str(t),
            Node::Element(e) if e.name() == "a" => break,
            Node::Element(_) => {
                if let Some(c) = ElementRef::wrap(child) {
                    lead.extend(c.text());
                }
            }
            _ => {}
        }
    }
    lead
}

/// Weight of a character towards [`MIN_CONTENT_CHARS`]: 2 for CJK scripts, else 1.
fn char_weight(c: char) -> usize {
    match c {
        '\u{2E80}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}' => 2,
        _ => 1,
    }
}

/// Candidates of a `srcset` with a size key: the `w` width, or 1000 × the `x` density
/// (so "2x" beats "1x" and a plain URL counts as 1x).
fn parse_srcset(s: &str) -> Vec<(&str, f32)> {
    let mut out = Vec::new();
    let mut rest = s;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
        if rest.is_empty() {
            break;
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let mut url = &rest[..end];
        rest = &rest[end..];
        let mut descriptor = "";
        if url.ends_with(',') {
            url = url.trim_end_matches(',');
        } else {
            // The descriptor runs to the next comma outside parentheses.
            let mut depth = 0;
            let cut = rest
                .char_indices()
                .find(|&(_, c)| {
                    match c {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        ',' if depth <= 0 => return true,
                        _ => {}
                    }
                    false
                })
                .map_or(rest.len(), |(i, _)| i);
            descriptor = rest[..cut].trim();
            rest = &rest[cut..];
        }
        let size = descriptor
            .split_whitespace()
            .find_map(|d| {
                if let Some(w) = d.strip_suffix('w') {
                    w.parse::<f32>().ok()
                } else if let Some(x) = d.strip_suffix('x') {
                    x.parse::<f32>().ok().map(|x| x * 1000.0)
                } else {
                    None
                }
            })
            .unwrap_or(1000.0);
        if !url.is_empty() {
            out.push((url, size));
        }
    }
    out
}

/// Lazy-loading placeholders: data URIs, spacer GIFs and "loading" images.
fn is_placeholder(u: &str) -> bool {
    let u = u.trim();
    if u.is_empty()
        || u == "#"
        || u.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("data:"))
        || u.starts_with("about:")
    {
        return true;
    }
    let l = u.to_ascii_lowercase();
    [
        "blank.gif",
        "spacer.gif",
        "pixel.gif",
        "transparent.gif",
        "placeholder",
        "lazyload",
        "lazy-load",
        "loading.gif",
        "grey.gif",
        "gray.gif",
        "1x1.",
    ]
    .iter()
    .any(|p| l.contains(p))
}

/// Escapes text as html5ever's serializer does (so direct output and the sanitizer's
/// output are the same bytes).
fn escape_text_char(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '\u{A0}' => out.push_str("&nbsp;"),
        c => out.push(c),
    }
}

/// Escapes a double-quoted attribute value as html5ever's serializer does.
fn escape_attr(out: &mut String, v: &str) {
    for c in v.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\u{A0}' => out.push_str("&nbsp;"),
            c => out.push(c),
        }
    }
}

/// Start tags that close an open `p` (tree construction, "in body"), among those
/// the writer emits.
fn closes_p(tag: &str) -> bool {
    matches!(
        tag,
        "blockquote"
            | "dl"
            | "figcaption"
            | "figure"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "hr"
            | "li"
            | "dd"
            | "dt"
            | "ol"
            | "ul"
            | "p"
            | "pre"
            | "table"
    )
}

fn is_heading(tag: &str) -> bool {
    matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// Kept tags that are not "special" in the HTML parsing algorithm: a list item
/// inside only these still closes an open list item.
fn is_phrasing(tag: &str) -> bool {
    matches!(
        tag,
        "a" | "abbr"
            | "b"
            | "cite"
            | "code"
            | "del"
            | "em"
            | "i"
            | "ins"
            | "kbd"
            | "mark"
            | "q"
            | "s"
            | "samp"
            | "small"
            | "strong"
            | "sub"
            | "sup"
            | "u"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str) -> Option<String> {
        let html = Html::parse_document(&format!(
            "<!doctype html><html><head><title>t</title></head><body>{body}</body></html>"
        ));
        main_content(
            &html,
            &Url::parse("https://example.com/news/2025/story.html").unwrap(),
        )
    }

    /// Prose of about `n` sentences, distinct per `tag`.
    fn prose(tag: &str, n: usize) -> String {
        (0..n)
            .map(|i| {
                format!(
                    "Sentence {i} of the {tag} text says something, at some length, about the matter at hand. "
                )
            })
            .collect()
    }

    /// The writer and the sanitizer read one allow-list: attributes the sanitizer drops
    /// (`start` on a paragraph, `cite` on a cell) are not written either, and those it
    /// keeps are, so the direct output is byte for byte what the sanitizer makes of it
    /// (the `debug_assert_eq!` in `finish`).
    #[test]
    fn the_writer_keeps_exactly_the_attributes_the_sanitizer_keeps() {
        let extra = r#"<p start="3" cite="/p-source">A paragraph with stray attributes that only lists and quotes may carry, long enough to be kept.</p>
            <ol start="3"><li>Third point of the list, told at some length here.</li><li>Fourth point of the list, told at some length too.</li></ol>
            <blockquote cite="/quoted" colspan="2"><p>A quotation from elsewhere, long enough to be read as part of the article text.</p></blockquote>
            <table><tbody><tr><td colspan="2" start="1" cite="/cell">A table cell that spans two columns of figures and words.</td></tr>
            <tr><td rowspan="1">One cell</td><td>Another cell of the table</td></tr></tbody></table>"#;
        let html = Html::parse_document(&format!(
            "<!doctype html><html><head><title>t</title></head><body>{}</body></html>",
            article(extra)
        ));
        let base = Url::parse("https://example.com/news/2025/story.html").unwrap();
        let plan = Plan::new(&html, true).expect("the page has an article");
        let r = plan.render(&base, MAX_CONTENT_BYTES);
        assert!(!r.reparse, "the writer's output nests as a parser would");
        assert_eq!(sanitize(&r.html, &base), r.html);
        assert!(r.html.contains("<p>A paragraph with stray attributes"));
        assert!(r.html.contains(r#"<ol start="3">"#));
        assert!(r
            .html
            .contains(r#"<blockquote cite="https://example.com/quoted">"#));
        assert!(r.html.contains(r#"<td colspan="2">A table cell"#));
        assert!(r.html.contains(r#"<td rowspan="1">One cell"#));
        assert_eq!(main_content(&html, &base).as_deref(), Some(r.html.as_str()));
    }

    fn article(extra_inside: &str) -> String {
        format!(
            r#"<nav><a href="/">Home</a> <a href="/world">World</a></nav>
            <div id="main"><article class="post">
              <h1>The headline</h1>
              <div class="entry-content">
                <p>{}</p>{extra_inside}<p>{}</p><p>{}</p>
              </div>
            </article></div>
            <footer><p>Copyright Example Corp, all rights reserved, since 1999, everywhere.</p></footer>"#,
            prose("first", 3),
            prose("second", 3),
            prose("third", 3)
        )
    }

    #[test]
    fn keeps_body_paragraphs_and_drops_chrome() {
        let out = run(&article("")).unwrap();
        for tag in ["first", "second", "third"] {
            assert!(
                out.contains(&format!("Sentence 0 of the {tag} text")),
                "{out}"
            );
        }
        assert!(!out.contains("Home"), "{out}");
        assert!(!out.contains("Copyright"), "{out}");
        assert!(
            !out.contains("The headline"),
            "headline h1 is the item title: {out}"
        );
        assert!(out.starts_with("<p>"), "{out}");
    }

    #[test]
    fn none_without_an_article_body() {
        assert_eq!(run(""), None);
        assert_eq!(run("<p>Too short to be an article.</p>"), None);
        let links: String = (0..40)
            .map(|i| {
                format!(
                    "<li><a href=\"/item/{i}\">Item number {i} in a long list of links</a></li>"
                )
            })
            .collect();
        assert_eq!(run(&format!("<ul>{links}</ul>")), None);
    }

    #[test]
    fn drops_share_bars_related_lists_and_ads_inside_the_body() {
        let junk = r#"
            <div class="share-bar"><a href="https://twitter.com/share">Share on X</a> <a href="https://facebook.com/share">Share on Facebook</a></div>
            <div class="ad-slot"><p>Advertisement</p></div>
            <p>Advertisement</p>
            <ul><li><a href="/a">Another story you might like to read now</a></li><li><a href="/b">And yet another story you might like</a></li></ul>
            <figure class="ad"><img src="/ads/banner.png"></figure>
            <p>Read more: <a href="/other">A completely different story</a></p>
            <script>alert(1)</script><style>p{color:red}</style>
            <form action="/subscribe"><input name="email"><button>Subscribe</button></form>
            <iframe src="https://evil.example/"></iframe>"#;
        let out = run(&article(junk)).unwrap();
        for bad in [
            "Share on",
            "Advertisement",
            "Another story",
            "banner.png",
            "completely different",
            "alert",
            "color:red",
            "Subscribe",
            "iframe",
            "evil",
        ] {
            assert!(!out.contains(bad), "{bad} in {out}");
        }
        assert!(out.contains("Sentence 2 of the third text"), "{out}");
    }

    #[test]
    fn drops_comment_sections_beside_the_article() {
        let comments: String = (0..6)
            .map(|i| {
                format!(
                    r#"<li class="comment"><div class="comment-body"><p>{}</p></div></li>"#,
                    prose(&format!("comment{i}"), 2)
                )
            })
            .collect();
        let page = format!(
            r#"{}<section id="comments"><h2>Comments</h2><ol class="comment-list">{comments}</ol></section>"#,
            article("")
        );
        let out = run(&page).unwrap();
        assert!(out.contains("first text"), "{out}");
        assert!(!out.contains("comment0"), "{out}");
        assert!(!out.contains("Comments"), "{out}");
    }

    #[test]
    fn resolves_lazy_images_and_relative_urls() {
        let images = r#"
            <figure><img src="data:image/gif;base64,R0lGOD" data-src="/img/lazy.jpg" alt="Lazy"><figcaption>A caption</figcaption></figure>
            <p><img src="/img/placeholder.png" data-srcset="/img/s-320.jpg 320w, /img/s-1280.jpg 1280w, /img/s-640.jpg 640w"></p>
            <p><img srcset="/img/d.jpg, /img/d@2x.jpg 2x"></p>
            <img class="lazyload" data-original="img/orig.jpg">
            <img src="data:image/gif;base64,R0lGOD" class="lazy"><noscript><img src="/img/noscript.jpg" alt="Fallback"></noscript>
            <img data-lazy-src="//cdn.example.net/lazy2.jpg"><noscript><img src="/img/duplicate.jpg"></noscript>
            <picture><source srcset="/img/p-800.webp 800w, /img/p-1600.webp 1600w" type="image/webp"><img src="/img/p-400.jpg"></picture>
            <img src="https://tracker.example/pixel.png" width="1" height="1">
            <p>See <a href="../other.html">the earlier report</a> and <a href="javascript:alert(1)">this</a>.</p>"#;
        let out = run(&article(images)).unwrap();
        for want in [
            r#"src="https://example.com/img/lazy.jpg""#,
            r#"alt="Lazy""#,
            r#"<figure><img src="https://example.com/img/lazy.jpg" alt="Lazy"></figure>"#,
            r#"src="https://example.com/img/s-1280.jpg""#,
            r#"src="https://example.com/img/d@2x.jpg""#,
            r#"src="https://example.com/news/2025/img/orig.jpg""#,
            r#"src="https://example.com/img/noscript.jpg""#,
            r#"src="https://cdn.example.net/lazy2.jpg""#,
            r#"src="https://example.com/img/p-1600.webp""#,
            r#"<a href="https://example.com/news/other.html" rel="noopener noreferrer">the earlier report</a>"#,
        ] {
            assert!(out.contains(want), "{want} missing in {out}");
        }
        for bad in [
            "A caption",
            "data:",
            "placeholder",
            "duplicate.jpg",
            "tracker",
            "javascript",
            "s-320",
        ] {
            assert!(!out.contains(bad), "{bad} in {out}");
        }
    }

    #[test]
    fn respects_base_href() {
        let html = Html::parse_document(&format!(
            r#"<html><head><base href="https://cdn.example.org/site/"></head><body><article>
            <p>{}</p><p><img src="pics/a.jpg"> Continued on <a href="page2">the next page</a> of this long story.</p><p>{}</p></article></body></html>"#,
            prose("one", 3),
            prose("two", 3)
        ));
        let out = main_content(&html, &Url::parse("https://example.com/x").unwrap()).unwrap();
        assert!(
            out.contains(r#"src="https://cdn.example.org/site/pics/a.jpg""#),
            "{out}"
        );
        assert!(
            out.contains(r#"href="https://cdn.example.org/site/page2""#),
            "{out}"
        );
    }

    #[test]
    fn sanitizes_attributes_and_markup() {
        let evil = r#"<p onclick="steal()" style="color:red" class="x">Styled <b onmouseover="x()">bold</b>
            <img src="/i.jpg" onerror="steal()"> <a href="/ok" target="_blank" onclick="x()">link</a></p>
            <object data="/x.swf"></object><embed src="/x.swf">"#;
        let out = run(&article(evil)).unwrap();
        for bad in [
            "onclick",
            "onerror",
            "onmouseover",
            "style",
            "class=",
            "target",
            "swf",
            "steal",
        ] {
            assert!(!out.contains(bad), "{bad} in {out}");
        }
        assert!(out.contains("<b>bold</b>"), "{out}");
    }

    #[test]
    fn loose_text_in_divs_becomes_paragraphs() {
        let body = format!(
            r#"<div class="story">{}<br><br>{}<div class="caption">Small caption</div>{}</div>"#,
            prose("alpha", 3),
            prose("beta", 3),
            prose("gamma", 3)
        );
        let out = run(&body).unwrap();
        assert!(out.starts_with("<p>Sentence 0 of the alpha"), "{out}");
        assert!(out.contains("<p>Sentence 0 of the gamma"), "{out}");
    }

    #[test]
    fn retries_without_hints_when_the_wrapper_looks_like_boilerplate() {
        let body = format!(
            r#"<div class="page-with-sidebar"><p>{}</p><p>{}</p></div>"#,
            prose("only", 3),
            prose("other", 3)
        );
        let out = run(&body).unwrap();
        assert!(out.contains("only text"), "{out}");
    }

    #[test]
    fn joins_sibling_paragraphs_of_the_best_container() {
        let body = format!(
            r#"<div id="wrap"><div class="text"><p>{}</p><p>{}</p></div><p>{}</p><div class="text"><p>{}</p></div></div>"#,
            prose("a", 4),
            prose("b", 4),
            prose("sibling", 2),
            prose("c", 4),
        );
        let out = run(&body).unwrap();
        for t in ["a text", "b text", "sibling text", "c text"] {
            assert!(out.contains(t), "{t} missing in {out}");
        }
    }

    #[test]
    fn drops_headings_that_introduce_dropped_blocks() {
        let body = format!(
            r#"<article><p>{}</p><h3>Section</h3><p>{}</p>
            <h2>More stories</h2><div class="promo"><a href="/y">Y</a></div>
            <h2>Related</h2><ul class="related"><li><a href="/x">X story</a></li></ul></article>"#,
            prose("first", 3),
            prose("section", 2)
        );
        let out = run(&body).unwrap();
        assert!(out.contains("<h3>Section</h3>"), "{out}");
        assert!(!out.contains("More stories"), "{out}");
        assert!(!out.contains("Related"), "{out}");
    }

    #[test]
    fn caps_size_at_an_element_boundary() {
        let paras: String = (0..3000)
            .map(|i| format!("<p>{}</p>", prose(&format!("n{i}"), 1)))
            .collect();
        let out = run(&format!("<article>{paras}</article>")).unwrap();
        assert!(out.len() <= MAX_CONTENT_BYTES, "{}", out.len());
        assert!(out.len() > MAX_CONTENT_BYTES - 1000, "{}", out.len());
        assert!(out.ends_with("</p>"), "{}", &out[out.len() - 100..]);
    }

    #[test]
    fn cjk_article() {
        let p = "東京都は二十二日、新しい交通計画を発表した。計画では、二〇三〇年までに市内のバス路線を再編し、高齢者の移動を支援するという。";
        let body = format!(
            r#"<div class="header-nav"><a href="/">トップ</a></div><div class="article-body"><p>{p}</p><p>{p}</p><p>{p}</p></div><div class="ranking"><a href="/r">ランキング記事の見出しがここに入ります</a></div>"#
        );
        let out = run(&body).unwrap();
        assert!(out.contains("東京都は"), "{out}");
        assert!(
            !out.contains("トップ") && !out.contains("ランキング"),
            "{out}"
        );
    }

    #[test]
    fn srcset_parsing() {
        assert_eq!(
            parse_srcset("a.jpg 100w, b.jpg 300w,c.jpg 200w"),
            vec![("a.jpg", 100.0), ("b.jpg", 300.0), ("c.jpg", 200.0)]
        );
        assert_eq!(
            parse_srcset("https://img.example/w_300,h_200/x.jpg 1x, https://img.example/w_600,h_400/x.jpg 2x"),
            vec![
                ("https://img.example/w_300,h_200/x.jpg", 1000.0),
                ("https://img.example/w_600,h_400/x.jpg", 2000.0)
            ]
        );
        // A comma without a following space belongs to the URL.
        assert_eq!(
            parse_srcset("one.jpg,two.jpg 2x"),
            vec![("one.jpg,two.jpg", 2000.0)]
        );
        assert_eq!(
            parse_srcset("one.jpg, two.jpg 2x"),
            vec![("one.jpg", 1000.0), ("two.jpg", 2000.0)]
        );
        assert!(parse_srcset(" , ").is_empty());
    }

    #[test]
    fn hint_matching() {
        assert!(negative("share-bar "));
        assert!(negative("post-ad "));
        assert!(!negative(
            "header-image-wrapper ".replace("header", "lead").as_str()
        ));
        assert!(!negative("shadow loading "));
        assert!(negative("comments-area "));
        assert!(positive("entry-content "));
    }

    #[test]
    fn squeezed_matching_equals_strip_then_lowercase() {
        // The allocation-free `hidden` test must agree with "remove whitespace, lower-case
        // ASCII, then search", which it replaced.
        let reference = |s: &str, p: &str| {
            let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            s.to_ascii_lowercase().contains(p)
        };
        for s in [
            "display:none",
            "DISPLAY : NONE",
            "color:red; display:\u{3000}no ne",
            "display:nonE;",
            "display:block",
            "ddisplay:none",
            "display:non",
            "visibility: hidden",
            "visiBILITY:\thidden!important",
            "ıdisplay:none",
            "",
            " ",
        ] {
            for p in ["display:none", "visibility:hidden"] {
                assert_eq!(squeezed_contains(s, p), reference(s, p), "{s:?} / {p}");
            }
        }
    }

    #[test]
    fn direct_output_is_what_the_sanitizer_would_write() {
        // Clean markup skips the sanitizer's re-parse; debug builds assert inside
        // `finish` that the bytes are ammonia's. Links get `rel`, no-break spaces in
        // preformatted text and attributes are written as `&nbsp;`, `<` stays literal
        // in attributes.
        let p1 = prose("one", 4);
        let out = run(&format!(
            "<article><p>{p1} <a href=\"/x?a=1&amp;b=2\" title=\"a&lt;b\u{a0}c\">link</a></p>\
             <pre>a\u{a0}&amp;&lt;b</pre><p>{}</p></article>",
            prose("two", 4)
        ))
        .unwrap();
        assert!(out.contains(
            "<a href=\"https://example.com/x?a=1&amp;b=2\" title=\"a<b&nbsp;c\" \
             rel=\"noopener noreferrer\">link</a>"
        ));
        assert!(out.contains("<pre>a&nbsp;&amp;&lt;b</pre>"), "{out}");
    }

    #[test]
    fn markup_a_parser_would_restructure_goes_through_the_sanitizer() {
        // Each body makes the writer emit something an HTML parser rearranges; the
        // result must be what ammonia makes of it: balanced, no block in a paragraph.
        let (a, b) = (prose("one", 4), prose("two", 4));
        for (body, want) in [
            // Blocks two inline levels down inside loose text.
            (
                format!(
                    "<div><span>lead <span><div><p>{a}</p></div></span></span><p>{b}</p></div>"
                ),
                "<p>lead </p>",
            ),
            // A carriage return from a character reference, in preformatted text.
            (
                format!("<div><p>{a}</p><pre>x&#13;y</pre><p>{b}</p></div>"),
                "<pre>x\ny</pre>",
            ),
            // A newline right after `<pre>`, which a parser drops.
            (
                format!("<div><p>{a}</p><pre>\n\nz</pre><p>{b}</p></div>"),
                "<pre>z</pre>",
            ),
        ] {
            let out = run(&body).unwrap();
            assert!(out.contains(want), "{body}\n=> {out}");
            assert!(!out.contains("<p><p>") && !out.contains("<p> <p>"), "{out}");
        }
    }
}
