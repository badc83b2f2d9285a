//! Where on a page a candidate stands: inside the article, or in a region whose dates
//! and names belong to something else (comments, related lists, navigation, footers,
//! ads).
//!
//! Contract: [`in_boilerplate`] and its variants walk up from an element over its
//! ancestors' classes, ids and tags, memoised in the page's [`Dom`]; they read the DOM
//! only.

use std::sync::LazyLock;

use scraper::ElementRef;

use super::dom::{node_key, Dom, WalkKey};
use super::words::{contains_ci, has_word, WordSet};
use crate::html::vocab::{self, Match, Readers};

/// The boilerplate vocabulary's words for extraction ([`vocab`]) that mark regions
/// whose dates and names belong to something else than the article: comments, related
/// lists, navigation, footers, ads. Matched inside a class/id token ("comment-list",
/// "relatedPosts").
static BOILERPLATE_WORDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    vocab::words(Readers::EXTRACT, Match::Inside)
        .chain(vocab::words(Readers::EXTRACT, Match::Leading))
        .collect()
});

/// Short boilerplate words, matched only as a whole part of a token split at `-`, `_`
/// and spaces, so "ad" does not match "head-line" and "rail" not "trail".
static BOILERPLATE_PARTS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| vocab::words(Readers::EXTRACT, Match::Whole).collect());

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
static BOILERPLATE_SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(&BOILERPLATE_WORDS));

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

pub(crate) fn boilerplate_walk(
    dom: &Dom,
    el: ElementRef,
    allow_aside: bool,
    near_headline: bool,
) -> bool {
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
pub(crate) fn footer_attr(attr: Option<&str>) -> bool {
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
