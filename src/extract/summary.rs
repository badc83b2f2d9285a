//! Summary sources in the body: the dek (standfirst) and, as a last resort, the first
//! real paragraph of the article, cut near 300 characters at a sentence end.

use scraper::ElementRef;

use super::candidates::Field;
use super::dom::Dom;
use super::sources::{has_word, in_boilerplate, Sink, WordSet};
use super::SUMMARY_TARGET_CHARS;
use crate::text::{clean, cut_at_sentence, word_count};

const DEK_WORDS: &[&str] = &[
    "dek",
    "standfirst",
    "subtitle",
    "subhead",
    "sub-head",
    "summary",
    "lede",
    "excerpt",
    "intro",
    "deck",
    "strapline",
    "abstract",
    "teaser-text",
    "description",
];

/// [`DEK_WORDS`] as one matcher: the dek search reads every class and id of the page.
static DEK: WordSet = WordSet::new(DEK_WORDS);

/// Adds the dek and the first paragraph as summary candidates.
pub fn add_summary_candidates(sink: &mut Sink, dom: &Dom) {
    for e in dom.elements.iter().filter(|e| e.has_class_or_id()) {
        let (el, v) = (e.el, e.el.value());
        if !(DEK.any(e.class) || DEK.any(e.id)) {
            continue;
        }
        if matches!(
            v.name(),
            "body" | "html" | "article" | "main" | "section" | "meta"
        ) || in_boilerplate(dom, el)
        {
            continue;
        }
        let text = clean(&el.text().collect::<String>());
        let words = word_count(&text);
        if (6..=120).contains(&words) {
            sink.text(Field::Summary, &text, "dek (class hint)", 0.55);
            break;
        }
    }
    if let Some(p) = first_paragraph(dom) {
        sink.text(
            Field::Summary,
            &cut_at_sentence(&p, SUMMARY_TARGET_CHARS),
            "first paragraph",
            0.2,
        );
    }
}

/// How many text blocks after the headline may come before its dek (a kicker, a
/// share bar, a logo line).
const DEK_BLOCKS: usize = 4;

/// The visible dek: the subheading right under the headline ("Average price of a home
/// that sold in September was $640,479"), written for readers and so preferred over
/// the meta descriptions, which are often an SEO variant. It is the first of the few
/// blocks after the `<h1>` that is a sub-heading (`h2`–`h4`), carries a dek class, or
/// is the headline's next element and not a paragraph; reading stops at the first
/// plain paragraph, where the body begins.
pub fn dek_after_headline(sink: &mut Sink, h1: ElementRef) {
    let mut blocks = 0;
    let mut node = *h1;
    let next_el = h1
        .next_siblings()
        .find_map(ElementRef::wrap)
        .map(|e| e.id());
    loop {
        let next = match node.next_sibling() {
            Some(n) => n,
            None => match node.parent() {
                Some(p) => {
                    node = p;
                    continue;
                }
                None => return,
            },
        };
        node = next;
        let Some(el) = ElementRef::wrap(next) else {
            continue;
        };
        let name = el.value().name();
        if matches!(
            name,
            "script" | "style" | "noscript" | "template" | "svg" | "nav"
        ) {
            continue;
        }
        let text = super::sources::visible_text(el);
        if text.is_empty() {
            continue;
        }
        blocks += 1;
        if blocks > DEK_BLOCKS {
            return;
        }
        let v = el.value();
        let hinted = has_word(v.attr("class"), DEK_WORDS) || has_word(v.attr("id"), DEK_WORDS);
        let words = word_count(&text);
        // A sentence, not a label ("This article is more than 5 years old", a section
        // name): deks without a class or heading must end like one.
        let sentence = text.ends_with(['.', '!', '?', '。', '！', '？', '…']);
        let kind_ok = hinted
            || (matches!(name, "h2" | "h3" | "h4") && (sentence || words >= 8))
            || (Some(el.id()) == next_el && matches!(name, "div" | "span") && sentence);
        // Bylines and datelines sit in the same spot.
        let kind_ok = kind_ok
            && !super::author::starts_with_by(&text)
            && super::date::find_date(&text, &sink.ctx).is_none()
            && !has_clock_time(&text);
        let cjk = text.chars().any(crate::text::is_cjk);
        let dek_length = if cjk {
            (15..=200).contains(&text.chars().count())
        } else {
            (6..=60).contains(&words)
        };
        if kind_ok && dek_length && !looks_like_boilerplate_text(&text) {
            sink.text(Field::Summary, &text, "dek after headline", 0.95);
            return;
        }
        if name == "p" || words > 60 {
            return;
        }
    }
}

/// Whether a text holds a clock time ("20:19"), the mark of a meta line.
fn has_clock_time(t: &str) -> bool {
    let b = t.as_bytes();
    (1..b.len().saturating_sub(1))
        .any(|i| b[i] == b':' && b[i - 1].is_ascii_digit() && b[i + 1].is_ascii_digit())
}

/// The first paragraph of the article body that reads like prose.
pub fn first_paragraph(dom: &Dom) -> Option<String> {
    // The selector `article, [itemprop=articleBody], main, [role=main]`.
    let scope: Option<ElementRef> = dom
        .elements
        .iter()
        .filter(|e| {
            matches!(e.name(), "article" | "main")
                || e.itemprop == Some("articleBody")
                || e.role == Some("main")
        })
        .map(|e| e.el)
        .find(|e| !in_boilerplate(dom, *e));
    let paragraphs: Box<dyn Iterator<Item = ElementRef>> = match scope {
        Some(s) => Box::new(s.select(selector!("p"))),
        None => Box::new(dom.named("p")),
    };
    for p in paragraphs.take(60) {
        if in_boilerplate(dom, p) {
            continue;
        }
        let text = clean(&p.text().collect::<String>());
        let cjk = text.chars().any(crate::text::is_cjk);
        let long_enough = if cjk {
            text.chars().count() >= 40
        } else {
            text.chars().count() >= 80 && word_count(&text) >= 12
        };
        if long_enough && !looks_like_boilerplate_text(&text) {
            return Some(text);
        }
    }
    None
}

fn looks_like_boilerplate_text(t: &str) -> bool {
    let l = t.to_lowercase();
    [
        "cookie",
        "subscribe",
        "javascript",
        "sign up",
        "newsletter",
        "all rights reserved",
        "advertisement",
    ]
    .iter()
    .any(|w| l.contains(w))
}
