//! Media and taxonomy of an article page: its lead image, categories, language and
//! audio/video enclosures. The readers they share with a listing card (image sources,
//! players and media links, category labels) are in [`crate::html::media`].
//!
//! Contract: [`add_media`] is pure like the rest of extraction: it reads the parsed page
//! (its elements, meta tags and JSON-LD values, parsed once by the caller), proposes
//! [`Candidate`]s with their provenance for `--explain`, and returns the chosen values
//! as absolute URLs and trimmed strings. It makes no request: an enclosure's length is
//! 0 here and is filled by the pipeline from one HEAD request. It never takes a value
//! from a region that is not the article's (navigation, sidebars, related lists,
//! comments: [`super::boilerplate::in_boilerplate`]), and never a logo, icon, avatar,
//! tracking pixel or ad as the image.

use scraper::ElementRef;
use serde_json::Value;
use url::Url;

use super::boilerplate::in_boilerplate;
use super::candidates::{choose, Candidate, Field, Provenance};
use super::dom::Dom;
use super::jsonld;
use crate::html::media::{
    clean_category, has_token, image_url, img_src, largest_srcset, looks_like_chrome,
    players_and_links, typed_enclosure, Elements, Media,
};
use crate::html::Metas;
use crate::model::{Enclosure, MAX_CATEGORIES};

/// Width (in CSS pixels) from which an image of the article body counts as its lead
/// image when the page names no image itself; thumbnails and icons are smaller.
const MIN_BODY_IMAGE_WIDTH: u32 = 300;

/// Reads the media fields of an article page, pushing every candidate onto `cands`.
/// `lang` is the language extraction already read from the markup (`<html lang>`,
/// `Content-Language` meta, `og:locale`), with the source it came from.
pub fn add_media(
    cands: &mut Vec<Candidate>,
    dom: &Dom,
    metas: &Metas,
    ld: &[Value],
    base: &Url,
    lang: Option<(&str, Provenance)>,
) -> Media {
    let start = cands.len();
    let mut push = |field: Field, value: String, source: Provenance, weight: f32| {
        cands.push(Candidate {
            field,
            value,
            date: None,
            source,
            weight,
        });
    };
    // Images named by the page itself.
    for (key, w) in [
        ("og:image", 0.9),
        ("og:image:url", 0.85),
        ("og:image:secure_url", 0.85),
        ("twitter:image", 0.8),
        ("twitter:image:src", 0.8),
    ] {
        if let Some(u) = metas.get(key).and_then(|v| image_url(base, v)) {
            let w = if looks_generic(&u) { GENERIC_IMAGE } else { w };
            push(Field::Image, u.to_string(), Provenance::Meta(key), w);
        }
    }
    for l in dom.named("link") {
        let v = l.value();
        if has_token(v.attr("rel"), "image_src") {
            if let Some(u) = v.attr("href").and_then(|h| image_url(base, h)) {
                push(Field::Image, u.to_string(), Provenance::LinkImageSrc, 0.6);
            }
        }
    }
    let ldm = read_jsonld(ld, base);
    for u in ldm.images.iter().take(1) {
        let w = if looks_generic(u) {
            GENERIC_IMAGE
        } else {
            0.85
        };
        push(Field::Image, u.to_string(), Provenance::JsonLd("image"), w);
    }
    if let Some(u) = body_image(dom, base) {
        push(Field::Image, u.to_string(), Provenance::BodyImage, 0.35);
    }
    // Categories: the page's own statements first.
    for (key, w) in [("article:section", 0.8), ("article:tag", 0.7)] {
        // Open Graph gives one tag per meta element, and a tag may hold a comma
        // ("Diplomatic Service, Embassies and Consulates", "Haley, Nikki R"); only a
        // single element is read as a comma-separated list.
        let values = metas.all(key);
        for v in values {
            let cats = if values.len() == 1 {
                split_categories(v)
            } else {
                clean_category(v).into_iter().collect()
            };
            for c in cats {
                push(Field::Category, c, Provenance::Meta(key), w);
            }
        }
    }
    for c in &ldm.sections {
        push(
            Field::Category,
            c.clone(),
            Provenance::JsonLd("articleSection"),
            0.8,
        );
    }
    for c in &ldm.keywords {
        push(
            Field::Category,
            c.clone(),
            Provenance::JsonLd("keywords"),
            0.6,
        );
    }
    for &(a, href, rel) in &dom.links {
        if has_token(rel, "tag") && !href.is_empty() && !in_boilerplate(dom, a) {
            if let Some(c) = clean_category(&a.text().collect::<String>()) {
                push(Field::Category, c, Provenance::LinkTag, 0.6);
            }
        }
    }
    if let Some((l, source)) = lang {
        push(Field::Language, l.to_string(), source, 0.9);
    }
    if let Some(l) = &ldm.language {
        push(
            Field::Language,
            l.clone(),
            Provenance::JsonLd("inLanguage"),
            0.7,
        );
    }
    // Enclosures: the page's statements, then the players and links of the article.
    let mut found: Vec<(Enclosure, Provenance)> = Vec::new();
    for (key, ty) in [("og:audio", "og:audio:type"), ("og:video", "og:video:type")] {
        for v in metas.all(key) {
            found.extend(
                typed_enclosure(base, v, metas.get(ty))
                    .map(|e| (e, Provenance::Meta("og:audio/og:video"))),
            );
        }
    }
    found.extend(
        ldm.media
            .into_iter()
            .map(|e| (e, Provenance::JsonLd("contentUrl"))),
    );
    found.extend(
        players_and_links(dom, base, |el| !in_boilerplate(dom, el))
            .into_iter()
            .map(|e| (e, Provenance::ArticleMedia)),
    );
    let mut enclosures: Vec<Enclosure> = Vec::new();
    for (e, source) in found {
        push(Field::Enclosure, e.url.to_string(), source, 0.8);
        if !enclosures.iter().any(|k| k.url == e.url) {
            enclosures.push(e);
        }
    }

    let mine = &cands[start..];
    let image = choose(mine, Field::Image)
        .winner
        .and_then(|i| Url::parse(&mine[i].value).ok());
    let language = choose(mine, Field::Language)
        .winner
        .map(|i| mine[i].value.clone());
    Media {
        image,
        categories: union_categories(mine),
        language,
        enclosures,
    }
}

/// Every category candidate, strongest source first (ties in page order), each once
/// (case-insensitively), at most [`MAX_CATEGORIES`].
fn union_categories(cands: &[Candidate]) -> Vec<String> {
    let mut idx: Vec<usize> = (0..cands.len())
        .filter(|&i| cands[i].field == Field::Category)
        .collect();
    idx.sort_by(|&a, &b| cands[b].weight.total_cmp(&cands[a].weight).then(a.cmp(&b)));
    let mut out: Vec<String> = Vec::new();
    for i in idx {
        let v = &cands[i].value;
        if !out.iter().any(|o| o.to_lowercase() == v.to_lowercase()) {
            out.push(v.clone());
        }
        if out.len() == MAX_CATEGORIES {
            break;
        }
    }
    out
}

impl<'a> Elements<'a> for Dom<'a> {
    fn each(&self) -> Vec<ElementRef<'a>> {
        self.elements
            .iter()
            .filter(|e| matches!(e.name(), "audio" | "video" | "source" | "a"))
            .map(|e| e.el)
            .collect()
    }
}

/// What the page's JSON-LD says about images, sections, keywords, language and media.
#[derive(Default)]
struct LdMedia {
    images: Vec<Url>,
    sections: Vec<String>,
    keywords: Vec<String>,
    language: Option<String>,
    media: Vec<Enclosure>,
}

/// Schema.org types whose `contentUrl` is a media file.
fn is_media_type(t: &str) -> bool {
    matches!(
        t.rsplit('/').next().unwrap_or(t),
        "AudioObject" | "VideoObject" | "MediaObject" | "PodcastEpisode" | "Episode"
    )
}

fn read_jsonld(values: &[Value], base: &Url) -> LdMedia {
    let (flat, by_id) = jsonld::objects(values);
    let mut m = LdMedia::default();
    // The first article-like object (the page's own, see `super::extract`).
    if let Some(a) = flat.iter().find(|v| {
        jsonld::types(v)
            .iter()
            .any(|t| jsonld::is_article_type(t) || is_media_type(t))
    }) {
        let mut best: Option<(u64, Url)> = None;
        for key in ["image", "thumbnailUrl"] {
            if let Some(v) = a.get(key) {
                ld_images(v, &by_id, base, &mut best, 0);
            }
            if best.is_some() {
                break;
            }
        }
        m.images.extend(best.map(|(_, u)| u));
        if let Some(v) = a.get("articleSection") {
            m.sections = ld_strings(v)
                .iter()
                .flat_map(|s| split_categories(s))
                .collect();
        }
        if let Some(v) = a.get("keywords") {
            m.keywords = ld_strings(v)
                .iter()
                .flat_map(|s| split_categories(s))
                .collect();
        }
        m.language = jsonld::text_of(a.get("inLanguage"))
            .map(|l| l.replace('_', "-"))
            .filter(|l| l.len() <= 35);
    }
    for v in &flat {
        if !jsonld::types(v).iter().any(|t| is_media_type(t)) {
            // An article's `audio`, `video` or `associatedMedia` objects.
            for key in ["audio", "video", "associatedMedia"] {
                if let Some(inner) = v.get(key) {
                    ld_media(
                        jsonld::resolve(inner, &by_id),
                        &by_id,
                        base,
                        &mut m.media,
                        0,
                    );
                }
            }
            continue;
        }
        ld_media(v, &by_id, base, &mut m.media, 0);
    }
    m
}

/// The largest image among a JSON-LD `image` value (URL string, `ImageObject`, or an
/// array of either); an image without a size counts as smaller than any sized one, the
/// first of equal size wins.
fn ld_images(
    v: &Value,
    by_id: &std::collections::HashMap<&str, &Value>,
    base: &Url,
    best: &mut Option<(u64, Url)>,
    depth: usize,
) {
    if depth > 3 {
        return;
    }
    let mut offer = |area: u64, u: Url| {
        if best.as_ref().is_none_or(|(a, _)| area > *a) {
            *best = Some((area, u));
        }
    };
    match jsonld::resolve(v, by_id) {
        Value::String(s) => {
            if let Some(u) = image_url(base, s) {
                offer(0, u);
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|i| ld_images(i, by_id, base, best, depth + 1)),
        o @ Value::Object(_) => {
            let url =
                jsonld::text_of(o.get("url")).or_else(|| jsonld::text_of(o.get("contentUrl")));
            if let Some(u) = url.and_then(|s| image_url(base, &s)) {
                let dim = |k: &str| {
                    jsonld::text_of(o.get(k))
                        .and_then(|s| s.trim_end_matches("px").trim().parse::<u64>().ok())
                        .unwrap_or(0)
                };
                offer(dim("width").saturating_mul(dim("height")).max(1), u);
            }
        }
        _ => {}
    }
}

/// Media files of a JSON-LD media object (its `contentUrl`, a `PodcastEpisode`'s
/// `associatedMedia`), with their `encodingFormat`.
fn ld_media(
    v: &Value,
    by_id: &std::collections::HashMap<&str, &Value>,
    base: &Url,
    out: &mut Vec<Enclosure>,
    depth: usize,
) {
    if depth > 3 {
        return;
    }
    match v {
        Value::Array(items) => items
            .iter()
            .for_each(|i| ld_media(jsonld::resolve(i, by_id), by_id, base, out, depth + 1)),
        Value::Object(o) => {
            if let Some(href) = jsonld::text_of(o.get("contentUrl")) {
                let ty = jsonld::text_of(o.get("encodingFormat"));
                if let Some(e) = typed_enclosure(base, &href, ty.as_deref()) {
                    if !out.iter().any(|k| k.url == e.url) {
                        out.push(e);
                    }
                }
            }
            for key in ["associatedMedia", "audio", "video"] {
                if let Some(inner) = o.get(key) {
                    ld_media(jsonld::resolve(inner, by_id), by_id, base, out, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// A JSON-LD value as strings: a string, or an array of strings (or named objects).
fn ld_strings(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter().filter_map(|x| jsonld::text_of(Some(x))).collect(),
        other => jsonld::text_of(Some(other)).into_iter().collect(),
    }
}

/// A category statement split at commas, each part cleaned.
fn split_categories(v: &str) -> Vec<String> {
    v.split(',').filter_map(clean_category).collect()
}

/// The first image of the article's body that is large and not page chrome.
fn body_image(dom: &Dom, base: &Url) -> Option<Url> {
    dom.named("img")
        .filter(|img| {
            img.ancestors().filter_map(ElementRef::wrap).any(|a| {
                let v = a.value();
                matches!(v.name(), "article" | "main" | "figure")
                    || v.attr("itemprop")
                        .is_some_and(|p| p.eq_ignore_ascii_case("articleBody"))
            })
        })
        .filter(|img| {
            let w = dimension(img.value().attr("width"));
            let h = dimension(img.value().attr("height"));
            let srcset_w = largest_srcset(img).map(|(_, w)| w);
            w.or(srcset_w).is_some_and(|w| w >= MIN_BODY_IMAGE_WIDTH) && h.is_none_or(|h| h >= 100)
        })
        .filter(|img| !in_boilerplate(dom, *img))
        .filter_map(|img| img_src(img, base))
        .find(|u| !looks_like_chrome(u.as_str()))
}

fn dimension(v: Option<&str>) -> Option<u32> {
    v?.trim().trim_end_matches("px").parse().ok()
}

/// An image the page names that is the site's stand-in, not the article's own: its
/// logo or a default sharing image.
fn looks_generic(u: &Url) -> bool {
    // Read on the file's name only: "sites/default/files/" is where Drupal keeps every
    // upload, the article's own pictures too.
    let file = u
        .path()
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    // Without its extension: "/i/facebook.png" is a site's sharing card.
    let stem = file.split('.').next().unwrap_or("");
    // "default" as a word of the name, not inside one ("maxresdefault.jpg" is a
    // video's own frame).
    let word = |w: &str| stem.split(['-', '_']).any(|p| p == w);
    looks_like_chrome(u.as_str())
        || ["default", "fallback", "placeholder"]
            .iter()
            .any(|w| word(w))
        || GENERIC_IMAGE_WORDS.iter().any(|w| file.contains(w))
        || matches!(
            stem,
            "facebook" | "twitter" | "og" | "share" | "social" | "opengraph"
        )
}

/// What a stand-in image weighs: below the image floor, so it is shown by `--explain`
/// but never published (an item without an image beats one with the site's logo).
const GENERIC_IMAGE: f32 = 0.05;

/// Path words of a site's stand-in sharing image.
const GENERIC_IMAGE_WORDS: &[&str] = &[
    "share-image",
    "og-image",
    "social-image",
    "social_media_image",
    "social-media-image",
];

/// The `--explain` lines for the media fields: each field's candidates, strongest
/// first, the chosen ones marked.
pub fn explain(cands: &[Candidate], chosen: &Media, out: &mut String) {
    use std::fmt::Write as _;
    for field in [
        Field::Image,
        Field::Category,
        Field::Language,
        Field::Enclosure,
    ] {
        let _ = writeln!(out, "{}:", field.name());
        let mut idx: Vec<usize> = (0..cands.len())
            .filter(|&i| cands[i].field == field)
            .collect();
        idx.sort_by(|&a, &b| cands[b].weight.total_cmp(&cands[a].weight).then(a.cmp(&b)));
        if idx.is_empty() {
            let _ = writeln!(out, "  (no candidates)");
        }
        for i in idx {
            let c = &cands[i];
            let taken = match field {
                Field::Image => chosen.image.as_ref().is_some_and(|u| u.as_str() == c.value),
                Field::Category => chosen.categories.contains(&c.value),
                Field::Language => chosen.language.as_deref() == Some(c.value.as_str()),
                _ => chosen.enclosures.iter().any(|e| e.url.as_str() == c.value),
            };
            super::candidate_line(out, c, taken);
        }
    }
}
