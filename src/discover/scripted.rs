//! Signs that a page is built by JavaScript, for `pagefeed check`.
//!
//! Contract: [`signs`] reads a parsed page (as a plain request got it) and reports
//! what suggests that its content is written by a script in the browser: little
//! visible text, an empty app root (`#root`, `#app`, `#__next`, …), a `<noscript>`
//! asking for JavaScript, and framework markers (Next.js, Nuxt, Angular, React, Vue,
//! Gatsby, SvelteKit, Ember). [`Signs::likely`] weighs them. Pure: it reads the page
//! and decides nothing for the pipeline; `check` prints the hint.

use scraper::{ElementRef, Html, Node};

/// Fewer visible characters than this (outside scripts, styles and `<noscript>`) is
/// "little text": a listing a person reads has more than a line or two.
pub const LITTLE_TEXT: usize = 400;

/// Ids and attributes of the element a single-page app mounts itself on.
const APP_ROOTS: &[&str] = &[
    "#root",
    "#app",
    "#__next",
    "#__nuxt",
    "#___gatsby",
    "#svelte",
    "#main-app",
    "app-root",
    "[data-reactroot]",
    "[ng-app]",
    "[data-v-app]",
];

/// Markers in the markup, with the framework they name.
const MARKERS: &[(&str, &str)] = &[
    ("__NEXT_DATA__", "Next.js"),
    ("/_next/static/", "Next.js"),
    ("__NUXT__", "Nuxt"),
    ("/_nuxt/", "Nuxt"),
    ("ng-version=", "Angular"),
    ("<app-root", "Angular"),
    ("data-reactroot", "React"),
    ("react-dom", "React"),
    ("data-v-app", "Vue"),
    ("___gatsby", "Gatsby"),
    ("data-sveltekit", "SvelteKit"),
    ("__sveltekit", "SvelteKit"),
    ("ember-application", "Ember"),
];

/// What [`signs`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signs {
    /// Visible characters of the body (outside scripts, styles, templates and
    /// `<noscript>`), whitespace collapsed.
    pub visible_chars: usize,
    /// `<script>` elements.
    pub scripts: usize,
    /// The app root found empty, as its selector (`#root`).
    pub empty_root: Option<String>,
    /// A `<noscript>` whose text names JavaScript.
    pub noscript: bool,
    /// Frameworks whose markers are in the markup, each once.
    pub frameworks: Vec<&'static str>,
}

impl Signs {
    /// Whether the page is likely built by JavaScript: little text and any other sign,
    /// or an empty app root with a script to fill it.
    pub fn likely(&self) -> bool {
        let little = self.visible_chars < LITTLE_TEXT;
        let other = self.empty_root.is_some() || self.noscript || !self.frameworks.is_empty();
        (little && (other || self.scripts > 0)) || (self.empty_root.is_some() && self.scripts > 0)
    }

    /// The evidence, as a list for a sentence ("an empty #root, a <noscript> …").
    pub fn evidence(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.visible_chars < LITTLE_TEXT {
            out.push(format!(
                "little visible text ({} characters)",
                self.visible_chars
            ));
        }
        if let Some(root) = &self.empty_root {
            out.push(format!("an empty app root ({root})"));
        }
        if self.noscript {
            out.push("a <noscript> asking for JavaScript".into());
        }
        if !self.frameworks.is_empty() {
            out.push(format!("{} markers", self.frameworks.join(", ")));
        }
        if self.scripts > 0 {
            out.push(format!("{} scripts", self.scripts));
        }
        out
    }
}

/// Reads the signs off a parsed page.
pub fn signs(html: &Html, source: &str) -> Signs {
    let mut s = Signs {
        scripts: html.select(selector!("script")).count(),
        ..Signs::default()
    };
    if let Some(body) = html.select(selector!("body")).next() {
        s.visible_chars = visible_chars(body);
    }
    s.noscript = html.select(selector!("noscript")).any(|n| {
        // A `<noscript>` in the head is parsed as raw text: read it either way.
        let text: String = n.text().collect();
        text.to_lowercase().contains("javascript")
    });
    for sel in APP_ROOTS {
        let Ok(parsed) = scraper::Selector::parse(sel) else {
            continue;
        };
        if html
            .select(&parsed)
            .any(|el| el.children().all(|c| is_blank(c.value())))
        {
            s.empty_root = Some((*sel).to_string());
            break;
        }
    }
    for (marker, name) in MARKERS {
        if source.contains(marker) && !s.frameworks.contains(name) {
            s.frameworks.push(name);
        }
    }
    s
}

/// A child that shows nothing: whitespace, a comment.
fn is_blank(node: &Node) -> bool {
    match node {
        Node::Text(t) => t.trim().is_empty(),
        Node::Comment(_) => true,
        _ => false,
    }
}

/// Visible characters below `el`, whitespace runs counted once.
fn visible_chars(el: ElementRef<'_>) -> usize {
    let mut n = 0;
    let mut stack = vec![*el];
    while let Some(node) = stack.pop() {
        match node.value() {
            Node::Text(t) => {
                n += t
                    .split_whitespace()
                    .map(|w| w.chars().count() + 1)
                    .sum::<usize>()
            }
            Node::Element(e)
                if matches!(
                    e.name(),
                    "script" | "style" | "noscript" | "template" | "svg"
                ) => {}
            _ => stack.extend(node.children()),
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(page: &str) -> Signs {
        signs(&crate::html::parse_document(page), page)
    }

    #[test]
    fn an_app_shell_is_likely_scripted() {
        let s = of(
            r#"<html><head><script src="/_next/static/chunks/main.js"></script></head>
            <body><div id="__next"></div>
            <noscript>You need to enable JavaScript to run this app.</noscript></body></html>"#,
        );
        assert_eq!(s.empty_root.as_deref(), Some("#__next"));
        assert!(s.noscript);
        assert_eq!(s.frameworks, vec!["Next.js"]);
        assert!(s.likely());
        assert_eq!(
            s.evidence(),
            vec![
                "little visible text (0 characters)",
                "an empty app root (#__next)",
                "a <noscript> asking for JavaScript",
                "Next.js markers",
                "1 scripts",
            ]
        );
    }

    #[test]
    fn a_page_with_its_text_is_not() {
        let para = "A paragraph a person reads, long enough to be content. ".repeat(12);
        let s = of(&format!(
            "<html><body><div id=\"app\"><p>{para}</p></div><script>track()</script></body></html>"
        ));
        assert_eq!(s.empty_root, None);
        assert!(s.visible_chars > LITTLE_TEXT);
        assert!(!s.likely());
        // A short page without a script or a sign is just short.
        assert!(!of("<html><body><p>Gone fishing.</p></body></html>").likely());
    }
}
