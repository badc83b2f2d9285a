//! One walk over the parsed page, shared by every metadata source.
//!
//! Contract: [`Dom::new`] visits every element once and records what the sources ask
//! about (class, id, itemprop, and the few short texts that open with a publication
//! label such as "Erschienen am"); the sources then filter this list instead of running
//! their own `Html::select` over the whole document (CSS selector matching was most of
//! extraction's cost). The list is in the order `Html::select` yields elements, the
//! tree's creation order, so every source sees the same elements in the same order as
//! with a selector. It also memoises the boilerplate walk up the ancestors (see
//! [`super::boilerplate::in_boilerplate`]), which many candidates share.
//!
//! It reads only the DOM it is given and keeps no state beyond one page.

use std::cell::{Cell, OnceCell, RefCell};
use std::collections::HashMap;
use std::sync::LazyLock;

use scraper::{ElementRef, Html};

/// Class and id words that the date hints (`words::DATE_HINTS`) and the dek hints
/// (`words::DEK_WORDS`) look for: their union, so [`Dom::hinted`] lets through every
/// element either would accept.
static HINTS: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(
            super::words::DATE_HINTS
                .iter()
                .chain(super::words::DEK_WORDS),
        )
        .expect("hint words make an automaton")
});

/// One element and the attributes the sources read on (almost) every element.
#[derive(Clone, Copy)]
pub struct Entry<'a> {
    /// The element.
    pub el: ElementRef<'a>,
    /// Its `class` attribute.
    pub class: Option<&'a str>,
    /// Its `id` attribute.
    pub id: Option<&'a str>,
    /// Its `itemprop` attribute.
    pub itemprop: Option<&'a str>,
    /// Its `role` attribute.
    pub role: Option<&'a str>,
}

impl<'a> Entry<'a> {
    /// The element's local name.
    pub fn name(&self) -> &'a str {
        self.el.value().name()
    }
}

/// The boilerplate walk's state at one node: which node, the walk's mode and what it
/// has seen below (see `boilerplate::boilerplate_walk_with`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct WalkKey {
    pub node: usize,
    pub h1: Option<usize>,
    /// Bit 0: allow_aside, 1: near_headline, 2: aside seen, 3: footer seen.
    pub state: u8,
}

/// Every element of a page, in selector order, with memoised boilerplate verdicts.
pub struct Dom<'a> {
    /// The parsed page.
    pub html: &'a Html,
    /// Every element attached to the tree, in the order `Html::select` visits them.
    pub elements: Vec<Entry<'a>>,
    /// Short texts that open with a publication label ("Erschienen am 1.11.2023",
    /// "Published on …"), with their parent element, in document order.
    pub labelled: Vec<(ElementRef<'a>, &'a str)>,
    /// Text nodes that may open a byline ("By …", see
    /// `words::may_start_with_by`), with their parent element, in creation order.
    pub by_texts: Vec<(ElementRef<'a>, &'a str)>,
    /// Every `<a href>`: the element, its `href` and its `rel`, in selector order.
    pub links: Vec<(ElementRef<'a>, &'a str, Option<&'a str>)>,
    pub(crate) walks: RefCell<HashMap<WalkKey, bool>>,
    /// Per element of `elements`, whether its class or id holds a date or dek hint
    /// word: 0 not known yet, 1 no, 2 yes (see [`Dom::hinted`]).
    hinted: OnceCell<Vec<Cell<u8>>>,
}

/// A node's identity within one page: the address of its value in the tree, stable
/// while the page is borrowed (`ego_tree::NodeId` is not nameable from here).
pub(crate) fn node_key(el: ElementRef) -> usize {
    std::ptr::from_ref(el.value()) as usize
}

impl<'a> Dom<'a> {
    /// Walks the page once.
    pub fn new(html: &'a Html) -> Dom<'a> {
        // About half of a page's nodes are elements (the rest text, mostly whitespace).
        let mut elements = Vec::with_capacity(html.tree.nodes().len() / 2);
        let mut labelled = Vec::new();
        let mut by_texts = Vec::new();
        let mut links = Vec::new();
        // `Html::select` visits the tree's nodes in creation order and skips detached
        // ones (no parent); so does this list.
        for node in html.tree.nodes() {
            crate::work::check();
            let Some(el) = ElementRef::wrap(node) else {
                if let Some(t) = node.value().as_text() {
                    let t: &str = t;
                    // Most text nodes are the whitespace between elements.
                    if t.bytes().all(|b| b.is_ascii_whitespace()) {
                        continue;
                    }
                    let label = publication_label(t);
                    let by = super::words::may_start_with_by(t);
                    if label || by {
                        if let Some(p) = node.parent().and_then(ElementRef::wrap) {
                            if label {
                                labelled.push((p, t));
                            }
                            if by {
                                by_texts.push((p, t));
                            }
                        }
                    }
                }
                continue;
            };
            if el.parent().is_none() {
                continue;
            }
            let v = el.value();
            let (mut class, mut id, mut itemprop, mut role) = (None, None, None, None);
            let (mut href, mut rel) = (None, None);
            // By local name: the parser puts a namespace only on foreign attributes
            // (`xlink:href`, `xml:lang`), never on these.
            for (k, val) in v.attrs() {
                match k {
                    "class" => class = Some(val),
                    "id" => id = Some(val),
                    "itemprop" => itemprop = Some(val),
                    "role" => role = Some(val),
                    "href" => href = Some(val),
                    "rel" => rel = Some(val),
                    _ => {}
                }
            }
            // HTML links only: an SVG `<a>` has `xlink:href`, which `attr("href")`
            // does not read either.
            if let Some(href) =
                href.filter(|_| v.name() == "a" && &*v.name.ns == "http://www.w3.org/1999/xhtml")
            {
                links.push((el, href, rel));
            }
            elements.push(Entry {
                el,
                class,
                id,
                itemprop,
                role,
            });
        }
        Dom {
            html,
            elements,
            labelled,
            by_texts,
            links,
            walks: RefCell::new(HashMap::new()),
            hinted: OnceCell::new(),
        }
    }

    /// Elements whose class or id contains one of the date or dek hint words, in
    /// selector order. Two sources scan every class and id for their own
    /// hint words; this narrows both to the few candidates with one match per element.
    ///
    /// Lazy: the sources stop early (a few datelines, one dek), so elements are tested
    /// only as far as some caller has read, each once.
    pub fn hinted(&self) -> impl Iterator<Item = &Entry<'a>> + '_ {
        let known = self
            .hinted
            .get_or_init(|| vec![Cell::new(0); self.elements.len()]);
        self.elements.iter().zip(known).filter_map(|(e, k)| {
            if k.get() == 0 {
                let hit = [e.class, e.id]
                    .into_iter()
                    .flatten()
                    .any(|v| HINTS.is_match(v));
                k.set(if hit { 2 } else { 1 });
            }
            (k.get() == 2).then_some(e)
        })
    }

    /// Elements with the given local name, in selector order.
    pub fn named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = ElementRef<'a>> + 's {
        self.elements
            .iter()
            .filter(move |e| e.name() == name)
            .map(|e| e.el)
    }
}

/// A node of the parsed page (ego_tree's node reference, named through scraper).
pub type NodeRef<'a> = <ElementRef<'a> as std::ops::Deref>::Target;

/// The subtrees after `el` in document order, nearest first: its next siblings, then
/// its parent's next siblings, and so on up to the root ("what follows the headline").
pub fn following(el: ElementRef<'_>) -> impl Iterator<Item = NodeRef<'_>> {
    let mut node = *el;
    std::iter::from_fn(move || loop {
        if let Some(next) = node.next_sibling() {
            node = next;
            return Some(next);
        }
        node = node.parent()?;
    })
}

/// Words that open a statement of the publication date, in the languages the date
/// engine reads (lower-case; matched at the start of a text, any ASCII case).
const PUBLICATION_LABELS: &[&str] = &[
    "erschienen am",
    "veröffentlicht am",
    "publiziert am",
    "published on",
    "publié le",
    "pubblicato il",
    "publicado el",
    "publicado em",
    "gepubliceerd op",
    "geplaatst op",
    "veröffentlicht:",
    "publiziert:",
    "erschienen:",
    "erstellt am",
    "erstellt:",
    "datum:",
    "datum ",
    "posted on",
    "published:",
    "posted:",
    "date:",
    "publié :",
    "publicado:",
    "pubblicato:",
    "mise en ligne",
    "reviewed:",
    "reviewed on",
    "opublikowano",
    "publicerad",
    "publisert",
    "udgivet",
    "julkaistu",
    "yayınlanma",
];

/// Words that open a statement of the last update ("Stand: 28.04.2023"): on a small
/// site often its only date, which dates the page when nothing states its publication.
pub(crate) const UPDATE_LABELS: &[&str] = &[
    "stand:",
    "aktualisiert am",
    "aktualisiert:",
    "zuletzt aktualisiert",
    "last updated",
    "updated on",
    "updated:",
    "mis à jour le",
    "actualizado el",
    "aggiornato il",
    "bijgewerkt op",
];

/// Whether `t` opens with one of `labels` (ASCII case ignored).
pub(crate) fn opens_with(t: &[u8], labels: &[&str]) -> bool {
    labels.iter().any(|l| {
        t.get(..l.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(l.as_bytes()))
    })
}

/// The longest text read as a labelled publication date, in bytes: longer ones are
/// prose ("Published on the eve of …").
const LABELLED_BYTES: usize = 80;

/// Whether a text node is a short statement opening with a publication label. Cheap: it
/// runs on every text node of the page.
fn publication_label(text: &str) -> bool {
    // Bytes, not chars: the labels start with ASCII letters.
    let b = text.as_bytes();
    let Some(start) = b.iter().position(|c| !c.is_ascii_whitespace()) else {
        return false;
    };
    let t = &b[start..];
    if t.len() > LABELLED_BYTES
        || !matches!(
            t[0] | 0x20,
            b'e' | b'v'
                | b'p'
                | b'g'
                | b'd'
                | b's'
                | b'a'
                | b'z'
                | b'l'
                | b'u'
                | b'm'
                | b'b'
                | b'r'
                | b'o'
                | b'j'
                | b'y'
        )
    {
        return false;
    }
    opens_with(t, PUBLICATION_LABELS) || opens_with(t, UPDATE_LABELS)
}
