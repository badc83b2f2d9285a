//! Summary sources in the body: the dek (standfirst) and, as a last resort, the first
//! real paragraph of the article, cut near 300 characters at a sentence end.

use scraper::{ElementRef, Html};

use super::candidates::Field;
use super::sources::{has_word, in_boilerplate, Sink};
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

/// Adds the dek and the first paragraph as summary candidates.
pub fn add_summary_candidates(sink: &mut Sink, html: &Html) {
    for el in html.select(selector!("[class], [id]")) {
        let v = el.value();
        if !(has_word(v.attr("class"), DEK_WORDS) || has_word(v.attr("id"), DEK_WORDS)) {
            continue;
        }
        if matches!(
            v.name(),
            "body" | "html" | "article" | "main" | "section" | "meta"
        ) || in_boilerplate(el)
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
    if let Some(p) = first_paragraph(html) {
        sink.text(
            Field::Summary,
            &cut_at_sentence(&p, SUMMARY_TARGET_CHARS),
            "first paragraph",
            0.2,
        );
    }
}

/// The first paragraph of the article body that reads like prose.
pub fn first_paragraph(html: &Html) -> Option<String> {
    let scope: Option<ElementRef> = html
        .select(selector!(
            "article, [itemprop=articleBody], main, [role=main]"
        ))
        .find(|e| !in_boilerplate(*e));
    let paragraphs: Box<dyn Iterator<Item = ElementRef>> = match scope {
        Some(s) => Box::new(s.select(selector!("p"))),
        None => Box::new(html.select(selector!("p"))),
    };
    for p in paragraphs.take(60) {
        if in_boilerplate(p) {
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
