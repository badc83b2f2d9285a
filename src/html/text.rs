//! The text of an element as a reader sees it.
//!
//! Contract: [`visible_text`] and [`visible_text_upto`] read an element's subtree (no
//! scripts, styles or templates) into cleaned text, with word breaks where blocks and
//! `<br>` separate words. Pure; bounded by the page (and by `crate::work`).

use scraper::ElementRef;

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

/// A feed's, an API's or an app state's text as plain text: markup dropped, entities
/// decoded, whitespace collapsed; `None` when nothing is left.
pub fn plain_text(s: &str) -> Option<String> {
    if !s.contains('<') && !s.contains('&') {
        return crate::text::clean_opt(s);
    }
    let frag = super::parse_fragment(s);
    crate::text::clean_opt(&frag.root_element().text().collect::<Vec<_>>().join(" "))
}
