//! Summary sources in the body: the dek (standfirst) and, as a last resort, the first
//! real paragraph of the article, cut near 300 characters at a sentence end.

use scraper::ElementRef;

use super::boilerplate::in_boilerplate;
use super::candidates::{Field, Provenance};
use super::dom::Dom;
use super::sink::Sink;
use super::words::{WordSet, DEK_WORDS};
use super::SUMMARY_TARGET_CHARS;
use crate::html::text::{visible_text, visible_text_upto};
use crate::text::{cut_at_sentence, word_count};

/// [`DEK_WORDS`] as one matcher: the dek search reads every class and id of the page.
static DEK: WordSet = WordSet::new(DEK_WORDS);

/// Adds the dek and the first paragraph as summary candidates.
pub fn add_summary_candidates(sink: &mut Sink, dom: &Dom) {
    for e in dom.hinted() {
        let (el, v) = (e.el, e.el.value());
        if !(DEK.any(e.class) || DEK.any(e.id)) || site_tagline(e.class) || site_tagline(e.id) {
            continue;
        }
        if matches!(
            v.name(),
            "body" | "html" | "article" | "main" | "section" | "meta"
        ) || in_boilerplate(dom, el)
        {
            continue;
        }
        // A box wrapping the article may be classed "summary": its text is read only
        // until it has too many words (they only grow as the text does).
        // Paragraphs and line breaks in the box separate words ("Demo.⏎Der …").
        let (mut text, cut) = visible_text_upto(el, LONG_BLOCK_BYTES);
        if cut && word_count(&text) <= 120 {
            text = visible_text(el);
        }
        let words = word_count(&text);
        if (6..=120).contains(&words) {
            sink.text(Field::Summary, &text, Provenance::DekClassHint, 0.55);
            break;
        }
    }
    if let Some(p) = first_paragraph(dom) {
        sink.text(
            Field::Summary,
            &cut_at_sentence(&p, SUMMARY_TARGET_CHARS),
            Provenance::FirstParagraph,
            0.2,
        );
    }
    trim_to_confirmed_lead(&mut sink.cands);
    demote_cut_excerpts(&mut sink.cands);
    demote_captions(&mut sink.cands, dom);
    demote_title_copies(&mut sink.cands);
}

/// The site's tagline in the page header (WordPress's "site-description", a
/// "blog-description"): it describes the site, never the article.
fn site_tagline(attr: Option<&str>) -> bool {
    attr.is_some_and(|a| {
        a.split_ascii_whitespace().any(|t| {
            let t = t.to_ascii_lowercase();
            (t.starts_with("site") || t.starts_with("blog"))
                && (t.contains("desc") || t.contains("tagline") || t.contains("slogan"))
        })
    })
}

/// A description that only repeats the headline says nothing more: any other
/// statement of the summary, the first paragraph included, beats it.
fn demote_title_copies(cands: &mut [super::candidates::Candidate]) {
    use super::candidates::normalise;
    let titles: Vec<String> = cands
        .iter()
        .filter(|c| c.field == Field::Title)
        .map(|c| normalise(&c.value))
        .collect();
    for c in cands.iter_mut().filter(|c| c.field == Field::Summary) {
        let n = normalise(&c.value);
        if !n.is_empty() && titles.contains(&n) {
            c.weight = c.weight.min(CAPTION_AS_SUMMARY);
        }
    }
}

/// The most a summary candidate that is a photo's caption (or a copy of the headline)
/// may weigh: just above the summary floor, so it stands when nothing else does, and
/// below the first paragraph even when several sources repeat it.
const CAPTION_AS_SUMMARY: f32 = 0.11;
/// Fewest words of a caption or alt text compared with the summaries: a short alt
/// ("Ricarda Lang") names the subject and may well begin a real summary.
const CAPTION_MIN_WORDS: usize = 5;

/// A description that is the lead image's caption or alt text ("Tyson Fury (l) und
/// …", "… (Archivbild)"), which many CMSs copy into `description`, describes the
/// photo, not the article.
fn demote_captions(cands: &mut [super::candidates::Candidate], dom: &Dom) {
    use super::candidates::normalise;
    let marked = |v: &str| {
        let v = v.trim_end().trim_end_matches('.').to_lowercase();
        CAPTION_MARKS.iter().any(|m| v.ends_with(m))
    };
    let norms: Vec<(usize, String)> = cands
        .iter()
        .enumerate()
        .filter(|(_, c)| c.field == Field::Summary)
        .map(|(i, c)| (i, normalise(&c.value)))
        .collect();
    if norms.is_empty() {
        return;
    }
    let mut captions: Vec<String> = Vec::new();
    for img in dom.named("img") {
        if let Some(alt) = img.value().attr("alt").filter(|a| a.len() >= 20) {
            captions.push(normalise(alt));
        }
    }
    for f in dom.named("figcaption") {
        captions.push(normalise(&visible_text(f)));
    }
    captions.retain(|c| word_count(c) >= CAPTION_MIN_WORDS);
    let is_caption = |n: &str| {
        !n.is_empty()
            && captions
                .iter()
                .any(|c| c == n || c.starts_with(n) || n.starts_with(c.as_str()))
    };
    // Equal texts may also be an alt copied from the description: the caption loses
    // only when the page's metadata states another summary.
    let flags: Vec<bool> = norms.iter().map(|(_, n)| is_caption(n)).collect();
    let other_statement = norms
        .iter()
        .zip(&flags)
        .any(|((i, _), &cap)| !cap && { cands[*i].source.is_metadata() });
    for ((i, _), cap) in norms.into_iter().zip(flags) {
        if (cap && other_statement) || marked(&cands[i].value) {
            cands[i].weight = cands[i].weight.min(CAPTION_AS_SUMMARY);
        }
    }
}

/// How photo captions end: archive and symbol-photo notes, credits.
const CAPTION_MARKS: &[&str] = &[
    "(archivbild)",
    "(archivfoto)",
    "(symbolbild)",
    "(symbolfoto)",
    "(archiv)",
    "(file photo)",
    "(file)",
    "(photo d'archives)",
    "(foto de archivo)",
    "(foto d'archivio)",
];

/// How much a description cut off with an ellipsis weighs next to a complete one.
const CUT_EXCERPT: f32 = 0.8;

/// A description that ends in an ellipsis ("… step by step meth…") is an excerpt a CMS
/// cut from the body; a complete description beside it was written as the summary.
fn demote_cut_excerpts(cands: &mut [super::candidates::Candidate]) {
    let cut = |v: &str| {
        let v = v.trim_end().trim_end_matches([']', ')']);
        v.ends_with('…') || v.ends_with("..")
    };
    let complete = cands.iter().any(|c| {
        c.field == Field::Summary
            && c.source != Provenance::FirstParagraph
            && ends_sentence(&c.value)
    });
    if !complete {
        return;
    }
    for c in cands
        .iter_mut()
        .filter(|c| c.field == Field::Summary && cut(&c.value))
    {
        c.weight *= CUT_EXCERPT;
    }
}

/// Whether a text ends a sentence, not cut off with an ellipsis ("Dabei gehe...").
fn ends_sentence(t: &str) -> bool {
    let t = t.trim_end();
    t.ends_with(['.', '!', '?', '。', '！', '？']) && !t.ends_with("..")
}

/// Fewest words of a summary that may stand for a longer one it begins.
const LEAD_MIN_WORDS: usize = 6;
/// Fewest words a longer summary must add for the difference to matter.
const LEAD_EXTRA_WORDS: usize = 3;

/// Descriptions often carry more than the summary: a second paragraph, a photo caption
/// ("Foto: …"), a promotion ("Hier mehr zu Konzerten und Tickets."). When another
/// statement of the summary gives just the opening sentences of a description (the
/// visible dek, a shorter meta description), that shared lead is the summary: the
/// longer candidate is cut to it, so the two agree. The first paragraph is no such
/// statement: descriptions made from the body run on into the next paragraphs.
fn trim_to_confirmed_lead(cands: &mut [super::candidates::Candidate]) {
    use super::candidates::normalise;
    let summaries: Vec<usize> = (0..cands.len())
        .filter(|&i| cands[i].field == Field::Summary)
        .collect();
    if summaries.len() < 2 {
        return;
    }
    let norms: Vec<String> = summaries
        .iter()
        .map(|&i| normalise(&cands[i].value))
        .collect();
    let mut cuts: Vec<(usize, String)> = Vec::new();
    for (a, &long) in summaries.iter().enumerate() {
        let long_words = norms[a].split(' ').count();
        // The longest confirmed lead: a whole-sentence prefix from another source.
        let lead = summaries
            .iter()
            .enumerate()
            .filter(|&(b, &short)| {
                let short_words = norms[b].split(' ').count();
                cands[short].source != cands[long].source
                    && cands[short].source != Provenance::FirstParagraph
                    && short_words >= LEAD_MIN_WORDS
                    && short_words + LEAD_EXTRA_WORDS <= long_words
                    && norms[a].starts_with(norms[b].as_str())
                    && norms[a].as_bytes().get(norms[b].len()) == Some(&b' ')
                    && ends_sentence(&cands[short].value)
            })
            .max_by_key(|&(b, _)| norms[b].len());
        if let Some((_, &short)) = lead {
            cuts.push((long, cands[short].value.clone()));
        }
    }
    for (i, v) in cuts {
        cands[i].value = v;
    }
}

/// How many text blocks after the headline may come before its dek (a kicker, a
/// share bar, a logo line).
const DEK_BLOCKS: usize = 4;

/// How much of a block's raw text [`dek_after_headline`] reads before it checks whether
/// the block is too long to be a dek.
const LONG_BLOCK_BYTES: usize = 2000;

/// The visible dek: the subheading right under the headline ("Average price of a home
/// that sold in September was $640,479"), written for readers and so preferred over
/// the meta descriptions, which are often an SEO variant. It is the first of the few
/// blocks after the `<h1>` that is a sub-heading (`h2`–`h4`), carries a dek class, or
/// is the headline's next element and not a paragraph; reading stops at the first
/// plain paragraph, where the body begins.
pub fn dek_after_headline(sink: &mut Sink, h1: ElementRef) {
    let mut blocks = 0;
    let next_el = h1
        .next_siblings()
        .find_map(ElementRef::wrap)
        .map(|e| e.id());
    // A dek found in a box (a summary `<div>`) may still give way to a dek heading
    // among the next blocks.
    let mut boxed: Option<String> = None;
    for next in super::dom::following(h1) {
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
        // The article body often follows the header: its text is read only as far as
        // needed to see that it is too long for a dek (more than 60 words and more than
        // 200 characters, the limits below, hold for the whole when they hold for a
        // prefix), which ends the search.
        let (text, cut) = visible_text_upto(el, LONG_BLOCK_BYTES);
        if text.is_empty() {
            continue;
        }
        blocks += 1;
        if blocks > DEK_BLOCKS {
            break;
        }
        if cut && word_count(&text) > 60 && text.chars().count() > 200 {
            break;
        }
        let text = if cut { visible_text(el) } else { text };
        let v = el.value();
        let hinted = DEK.any(v.attr("class")) || DEK.any(v.attr("id"));
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
            && crate::date::find_date(&text, &sink.ctx).is_none()
            && !has_clock_time(&text);
        let cjk = text.chars().any(crate::text::is_cjk);
        let dek_length = if cjk {
            (15..=200).contains(&text.chars().count())
        } else {
            (6..=60).contains(&words)
        };
        if kind_ok && dek_length && !looks_like_boilerplate_text(&text) {
            // A sub-heading classed as the dek ("h2.deck") is the dek even after a
            // summary box that repeats the description.
            let dek_heading = hinted && matches!(name, "h2" | "h3" | "h4");
            if dek_heading || (boxed.is_none() && name != "div") {
                sink.text(Field::Summary, &text, Provenance::DekAfterHeadline, 0.95);
                return;
            }
            if boxed.is_some() {
                break;
            }
            boxed = Some(text);
            continue;
        }
        if name == "p" || words > 60 {
            break;
        }
    }
    if let Some(text) = boxed {
        sink.text(Field::Summary, &text, Provenance::DekAfterHeadline, 0.95);
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
        let text = visible_text(p);
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
