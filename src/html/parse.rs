//! The HTML layer shared by discovery and extraction: parsing with a bound on nesting.
//!
//! Contract: [`parse_document`] and [`parse_fragment`] give the DOM html5ever builds,
//! except that no element lies deeper than about [`MAX_DEPTH`] below the document. Every
//! page is parsed here, so every walker over a DOM (main content, metadata, discovery,
//! the sanitizer's input) may recurse as deep as the tree goes: the depth is bounded by
//! this module, not by the page.
//!
//! Why at parse time: a page of 100,000 nested `<div>`s is 600 KB. Without a bound it
//! overflows the stack of any recursive walker, and html5ever's own tree construction
//! turns quadratic on it (before opening a block it looks for an open `<p>` down the
//! whole stack of open elements: 100,000 nested `<section>`s cost 5·10⁹ steps). Like a
//! browser's parser (Chromium's limit is 512), nesting past [`MAX_DEPTH`] is cut: an
//! element that opens there closes the [`MARGIN`] levels above it and opens again in
//! their place, so the deep part of the page becomes a run of siblings whose last
//! levels keep their shape (a list and its links at the bottom of the pile stay a list
//! of links). Every text, link and image stays, in document order; only nesting past
//! the limit is lost. Real pages nest 20 to 60 deep.
//!
//! A second, linear pass ([`flatten_below`]) guarantees the bound for the few elements
//! the tree builder creates without a start tag (reopened formatting elements, implied
//! table rows): anything below [`HARD_DEPTH`] is moved up into its ancestor at that
//! depth, in document order.

use std::cell::Cell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts, TreeSink};
use html5ever::{local_name, ns, QualName, TokenizerResult};
use scraper::{Html, HtmlTreeSink, Node};

/// Deepest level at which a start tag opens an element that can hold others: a deeper
/// one is closed at once (see the module docs).
pub const MAX_DEPTH: usize = 256;

/// Depth no node of a parsed document exceeds, whatever the tree builder did.
pub const HARD_DEPTH: usize = 2 * MAX_DEPTH;

/// Parses a whole page (see the module docs for the depth bound).
pub fn parse_document(text: &str) -> Html {
    let sink = HtmlTreeSink::new(Html::new_document());
    let builder = TreeBuilder::new(sink, TreeBuilderOpts::default());
    run(builder, TokenizerOpts::default(), text)
}

/// Parses a fragment as the content of a `<body>` (HTML inside a JSON-LD string or a
/// feed's description), with the same depth bound as [`parse_document`].
pub fn parse_fragment(text: &str) -> Html {
    let sink = HtmlTreeSink::new(Html::new_fragment());
    let context = html5ever::tree_builder::create_element(
        &sink,
        QualName::new(None, ns!(html), local_name!("body")),
        Vec::new(),
    );
    let builder = TreeBuilder::new_for_fragment(sink, context, None, TreeBuilderOpts::default());
    let opts = TokenizerOpts {
        initial_state: Some(builder.tokenizer_state_for_context_elem(false)),
        ..TokenizerOpts::default()
    };
    run(builder, opts, text)
}

type Handle = <HtmlTreeSink as TreeSink>::Handle;

fn run(builder: TreeBuilder<Handle, HtmlTreeSink>, opts: TokenizerOpts, text: &str) -> Html {
    let cap = DepthCap {
        builder,
        last: Cell::new(None),
    };
    let tokenizer = Tokenizer::new(cap, opts);
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(text));
    // Scripts are never run: a `Script` result only pauses the tokenizer.
    while let TokenizerResult::Script(_) = tokenizer.feed(&input) {}
    tokenizer.end();
    let mut html = tokenizer.sink.builder.sink.finish();
    flatten_below(&mut html, HARD_DEPTH);
    html
}

/// Passes tokens on to the tree builder and keeps its stack of open elements at most
/// [`MAX_DEPTH`] deep.
struct DepthCap {
    builder: TreeBuilder<Handle, HtmlTreeSink>,
    /// The element the last start tag opened, its parent and its depth: the next
    /// element is most often its child or its sibling, whose depth then needs no walk.
    last: Cell<Option<(Handle, Option<Handle>, usize)>>,
}

impl TokenSink for DepthCap {
    type Handle = Handle;

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<Handle> {
        crate::work::check();
        let Token::TagToken(tag) = &token else {
            return self.builder.process_token(token, line);
        };
        if tag.kind != TagKind::StartTag || tag.self_closing || keeps_open(&tag.name) {
            return self.builder.process_token(token, line);
        }
        let before = self.builder.sink.0.borrow().tree.nodes().len();
        let name = tag.name.clone();
        let result = self.builder.process_token(token, line);
        let Some(reopen) = self.opened_too_deep(&name, before) else {
            return result;
        };
        // The element just opened below the limit: close it and [`MARGIN`] of its
        // ancestors, and open it again there, so that the levels under it (a list and
        // its links, a paragraph and its emphasis) keep their shape.
        self.end_tag(name.clone(), line);
        for ancestor in &reopen.ancestors {
            self.end_tag(ancestor.clone(), line);
        }
        self.detach(reopen.node);
        let before = self.builder.sink.0.borrow().tree.nodes().len();
        let again = Tag {
            kind: TagKind::StartTag,
            name: name.clone(),
            self_closing: false,
            attrs: reopen.attrs,
        };
        let result = self.builder.process_token(Token::TagToken(again), line);
        if self.opened_too_deep(&name, before).is_some() {
            // The tree builder's stack did not shrink (the closed elements were not the
            // open ones: a table's foster parent, misnested formatting): close the
            // element at once, so at least this tag leaves the stack as it was.
            self.end_tag(name, line);
        }
        result
    }

    fn end(&self) {
        self.builder.end();
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.builder
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

/// How many levels above the limit an element that opened too deep is opened again.
const MARGIN: usize = 32;

/// An element that opened below [`MAX_DEPTH`]: what it takes to open it again higher.
struct Reopen {
    node: Handle,
    /// Names of the [`MARGIN`] ancestors to close, innermost first.
    ancestors: Vec<html5ever::LocalName>,
    attrs: Vec<html5ever::Attribute>,
}

impl DepthCap {
    /// The start tag just processed created its element (the newest node, named as the
    /// tag) below [`MAX_DEPTH`]. The depth comes from the previous element's when it is
    /// the parent or a sibling, else from an ancestor walk that stops at the limit.
    fn opened_too_deep(&self, name: &html5ever::LocalName, before: usize) -> Option<Reopen> {
        let html = self.builder.sink.0.borrow();
        if html.tree.nodes().len() == before {
            return None;
        }
        let newest = html.tree.nodes().next_back()?;
        let Node::Element(e) = newest.value() else {
            return None;
        };
        if e.name.local != *name {
            return None;
        }
        let parent = newest.parent().map(|p| p.id());
        let depth = match self.last.get() {
            Some((el, _, d)) if Some(el) == parent => d + 1,
            Some((_, p, d)) if p.is_some() && p == parent => d,
            // At most `MAX_DEPTH + 1` steps: past that only "too deep" matters.
            _ => newest.ancestors().take(MAX_DEPTH + 1).count(),
        };
        self.last.set(Some((newest.id(), parent, depth)));
        if depth <= MAX_DEPTH {
            return None;
        }
        let ancestors = newest
            .ancestors()
            .take(MARGIN)
            .filter_map(|a| a.value().as_element().map(|a| a.name.local.clone()))
            .collect();
        let attrs = e
            .attrs()
            .map(|(k, v)| html5ever::Attribute {
                name: QualName::new(None, ns!(), html5ever::LocalName::from(k)),
                value: StrTendril::from(v),
            })
            .collect();
        Some(Reopen {
            node: newest.id(),
            ancestors,
            attrs,
        })
    }

    fn end_tag(&self, name: html5ever::LocalName, line: u64) {
        let close = Tag {
            kind: TagKind::EndTag,
            name,
            self_closing: false,
            attrs: Vec::new(),
        };
        // End tags of the elements closed here never switch the tokenizer's state.
        let _ = self.builder.process_token(Token::TagToken(close), line);
    }

    /// Takes the emptied first copy of a reopened element out of the tree.
    fn detach(&self, node: Handle) {
        let mut html = self.builder.sink.0.borrow_mut();
        if let Some(mut n) = html.tree.get_mut(node) {
            if !n.has_children() {
                n.detach();
            }
        }
    }
}

/// Tags left alone: void elements hold nothing, and the raw-text ones switch the
/// tokenizer's state, which closing them by hand would not switch back.
fn keeps_open(name: &html5ever::LocalName) -> bool {
    matches!(
        name.as_ref(),
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
            | "script"
            | "style"
            | "textarea"
            | "title"
            | "xmp"
            | "iframe"
            | "noembed"
            | "noframes"
            | "noscript"
            | "plaintext"
            | "html"
            | "head"
            | "body"
            | "frameset"
    )
}

/// Moves every node deeper than `max` up into its ancestor at depth `max`, in document
/// order: no node ends deeper than `max + 1`. One pass over the tree, no recursion.
pub fn flatten_below(html: &mut Html, max: usize) {
    let mut too_deep = Vec::new();
    let mut stack = vec![(html.tree.root(), 0usize)];
    while let Some((node, depth)) = stack.pop() {
        if depth == max {
            if node.children().any(|c| c.has_children()) {
                too_deep.push(node.id());
            }
            continue;
        }
        stack.extend(node.children().map(|c| (c, depth + 1)));
    }
    for id in too_deep {
        let Some(node) = html.tree.get(id) else {
            continue;
        };
        // Pre-order is document order: appended one by one, each descendant lands after
        // the ones before it, and its own children follow it.
        let descendants: Vec<_> = node.descendants().skip(1).map(|d| d.id()).collect();
        let Some(mut node) = html.tree.get_mut(id) else {
            continue;
        };
        for d in descendants {
            node.append_id(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth(html: &Html) -> usize {
        html.tree
            .nodes()
            .map(|n| n.ancestors().count())
            .max()
            .unwrap_or(0)
    }

    fn nested(open: &str, close: &str, n: usize, inner: &str) -> String {
        format!(
            "<html><body>{}{inner}{}</body></html>",
            open.repeat(n),
            close.repeat(n)
        )
    }

    #[test]
    fn a_normal_page_parses_as_scraper_parses_it() {
        let page = "<!doctype html><html><head><title>T</title><script>if (a<b) x()</script>\
                    </head><body><p>One<p>Two<table><td>cell</table><ul><li>a<li>b</ul>\
                    <svg><path d='M0'/></svg><b><i>x</b>y</i><textarea><b>raw</b></textarea>\
                    </body></html>";
        assert_eq!(
            parse_document(page).html(),
            Html::parse_document(page).html()
        );
        let frag = "<p>a<b>b</p><li>c";
        assert_eq!(
            parse_fragment(frag).html(),
            Html::parse_fragment(frag).html()
        );
    }

    #[test]
    fn deep_nesting_is_cut_at_the_limit_and_keeps_every_text() {
        for (open, close) in [
            ("<div>", "</div>"),
            ("<ul><li>", "</li></ul>"),
            ("<blockquote>", "</blockquote>"),
            ("<section>", "</section>"),
            ("<table><tr><td>", "</td></tr></table>"),
            ("<b>", "</b>"),
            ("<div><p>x", "</p></div>"),
        ] {
            let page = nested(open, close, 20_000, "<a href='/deep'>deepest words</a>");
            let html = parse_document(&page);
            let d = depth(&html);
            assert!(d <= MAX_DEPTH + 2, "{open}: depth {d}");
            let text: String = html.root_element().text().collect();
            assert!(text.contains("deepest words"), "{open}");
            assert_eq!(
                html.select(selector!("a[href='/deep']")).count(),
                1,
                "{open}"
            );
        }
    }

    #[test]
    fn flattening_keeps_document_order() {
        let page = nested("<div>", "</div>", 40, "<p>a</p><p>b</p>");
        let mut html = Html::parse_document(&page);
        flatten_below(&mut html, 10);
        assert!(depth(&html) <= 11);
        let text: String = html.root_element().text().collect();
        assert_eq!(text, "ab");
        assert_eq!(html.select(selector!("p")).count(), 2);
    }

    #[test]
    fn every_walker_fits_a_default_thread_stack_at_the_hard_depth() {
        // The deepest tree a parse can give: nothing capped by tags, flattened at
        // HARD_DEPTH. Extraction, main content and discovery run on a thread with the
        // default stack (2 MiB), as small as any thread pagefeed walks a DOM on.
        let inner = "<ul><li class='s'><h3><a href='/a/1.html'>A story title of some words</a>\
                     </h3><p>Prose, with commas, long enough to be a paragraph of text.</p>\
                     </li><li class='s'><h3><a href='/a/2.html'>Another story title here</a>\
                     </h3></li><li class='s'><h3><a href='/a/3.html'>A third story title too\
                     </a></h3></li></ul>";
        let page = nested("<div><span><em>", "</em></span></div>", HARD_DEPTH, inner);
        let done = std::thread::spawn(move || {
            let mut html = Html::parse_document(&page);
            flatten_below(&mut html, HARD_DEPTH);
            assert!(depth(&html) <= HARD_DEPTH + 1);
            let url = url::Url::parse("https://example.org/a/").expect("static URL");
            let ctx = crate::date::DateContext {
                now: chrono::Utc::now(),
                tz: chrono_tz::UTC,
                lang: None,
            };
            let _ = crate::extract::extract(&html, &url, &ctx);
            let _ = crate::readability::main_content(&html, &url);
            let _ = crate::discover::discover(&html, &url, None, &ctx);
            crate::html::text::visible_text(html.root_element())
        })
        .join();
        let text = done.expect("no stack overflow");
        assert!(text.ends_with("A third story title too"), "{text}");
    }
}
