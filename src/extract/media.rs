//! Media and taxonomy of an article page: its lead image, categories, language and
//! audio/video enclosures; and the same for a listing card ([`card`]).
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
use super::candidates::{choose, Candidate, Field};
use super::dom::Dom;
use super::jsonld;
use crate::html::Metas;
use crate::model::{Enclosure, MAX_CATEGORIES};

/// Longest category kept, in characters: a longer "tag" is a sentence.
const MAX_CATEGORY_CHARS: usize = 60;

/// Width (in CSS pixels) from which an image of the article body counts as its lead
/// image when the page names no image itself; thumbnails and icons are smaller.
const MIN_BODY_IMAGE_WIDTH: u32 = 300;

/// What the media sources chose for one page or card.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Media {
    /// The lead image.
    pub image: Option<Url>,
    /// Categories and tags, best sources first, at most [`MAX_CATEGORIES`].
    pub categories: Vec<String>,
    /// The page's language (BCP 47).
    pub language: Option<String>,
    /// Audio and video files, length 0 (unknown) until the pipeline asks.
    pub enclosures: Vec<Enclosure>,
}

/// Reads the media fields of an article page, pushing every candidate onto `cands`.
/// `lang` is the language extraction already read from the markup (`<html lang>`,
/// `Content-Language` meta, `og:locale`), with the source it came from.
pub fn add_media(
    cands: &mut Vec<Candidate>,
    dom: &Dom,
    metas: &Metas,
    ld: &[Value],
    base: &Url,
    lang: Option<(&str, &str)>,
) -> Media {
    let start = cands.len();
    let mut push = |field: Field, value: String, source: &str, weight: f32| {
        cands.push(Candidate {
            field,
            value,
            date: None,
            source: source.to_string(),
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
            push(Field::Image, u.to_string(), &format!("meta {key}"), w);
        }
    }
    for l in dom.named("link") {
        let v = l.value();
        if has_token(v.attr("rel"), "image_src") {
            if let Some(u) = v.attr("href").and_then(|h| image_url(base, h)) {
                push(Field::Image, u.to_string(), "link rel=image_src", 0.6);
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
        push(Field::Image, u.to_string(), "json-ld image", w);
    }
    if let Some(u) = body_image(dom, base) {
        push(
            Field::Image,
            u.to_string(),
            "first large image of the article",
            0.35,
        );
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
                push(Field::Category, c, &format!("meta {key}"), w);
            }
        }
    }
    for c in &ldm.sections {
        push(Field::Category, c.clone(), "json-ld articleSection", 0.8);
    }
    for c in &ldm.keywords {
        push(Field::Category, c.clone(), "json-ld keywords", 0.6);
    }
    for &(a, href, rel) in &dom.links {
        if has_token(rel, "tag") && !href.is_empty() && !in_boilerplate(dom, a) {
            if let Some(c) = clean_category(&a.text().collect::<String>()) {
                push(Field::Category, c, "link rel=tag in the article", 0.6);
            }
        }
    }
    if let Some((l, source)) = lang {
        push(Field::Language, l.to_string(), source, 0.9);
    }
    if let Some(l) = &ldm.language {
        push(Field::Language, l.clone(), "json-ld inLanguage", 0.7);
    }
    // Enclosures: the page's statements, then the players and links of the article.
    let mut found: Vec<(Enclosure, &'static str)> = Vec::new();
    for (key, ty) in [("og:audio", "og:audio:type"), ("og:video", "og:video:type")] {
        for v in metas.all(key) {
            found.extend(
                typed_enclosure(base, v, metas.get(ty)).map(|e| (e, "meta og:audio/og:video")),
            );
        }
    }
    found.extend(ldm.media.into_iter().map(|e| (e, "json-ld contentUrl")));
    found.extend(
        players_and_links(dom, base, |el| !in_boilerplate(dom, el))
            .into_iter()
            .map(|e| (e, "audio/video element or media link in the article")),
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

/// The media a listing card shows for its item: the card's image (lazy-loading
/// attributes and `<noscript>` fallbacks resolved), its category label and any audio
/// or video it plays or links. `scope` is the card's elements.
pub fn card(scope: &[ElementRef], base: &Url) -> Media {
    let mut m = Media::default();
    for el in scope {
        let imgs = std::iter::once(*el)
            .chain(el.descendants().filter_map(ElementRef::wrap))
            .filter(|e| e.value().name() == "img");
        if let Some(u) = imgs
            .filter_map(|i| img_src(i, base))
            .find(|u| !looks_like_chrome(u.as_str()))
        {
            m.image = Some(u);
            break;
        }
        if let Some(u) = el
            .descendants()
            .filter_map(ElementRef::wrap)
            .filter(|e| e.value().name() == "noscript")
            .find_map(|n| noscript_img(n, base))
        {
            m.image = Some(u);
            break;
        }
    }
    for el in scope {
        for e in std::iter::once(*el).chain(el.descendants().filter_map(ElementRef::wrap)) {
            let v = e.value();
            let labelled = has_token(v.attr("rel"), "tag")
                || has_token(v.attr("rel"), "category")
                || v.attr("class").is_some_and(|c| {
                    c.split_ascii_whitespace().any(|t| {
                        let t = t.to_ascii_lowercase();
                        CARD_LABEL_WORDS.iter().any(|w| t.contains(w))
                    })
                });
            if !labelled {
                continue;
            }
            if let Some(c) = clean_category(&e.text().collect::<String>()) {
                if !m.categories.iter().any(|k| k.eq_ignore_ascii_case(&c))
                    && m.categories.len() < MAX_CATEGORIES
                {
                    m.categories.push(c);
                }
            }
        }
    }
    for el in scope {
        for e in players_and_links(&SubTree(*el), base, |_| true) {
            if !m.enclosures.iter().any(|k| k.url == e.url) {
                m.enclosures.push(e);
            }
        }
    }
    m
}

/// Class words of a card's category label ("post-category", "kicker", "eyebrow").
const CARD_LABEL_WORDS: &[&str] = &["categor", "kicker", "eyebrow", "rubric", "topic"];

/// Where [`players_and_links`] looks: a whole page or one card.
trait Elements<'a> {
    fn each(&self) -> Vec<ElementRef<'a>>;
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

struct SubTree<'a>(ElementRef<'a>);

impl<'a> Elements<'a> for SubTree<'a> {
    fn each(&self) -> Vec<ElementRef<'a>> {
        std::iter::once(self.0)
            .chain(self.0.descendants().filter_map(ElementRef::wrap))
            .filter(|e| matches!(e.value().name(), "audio" | "video" | "source" | "a"))
            .collect()
    }
}

/// `<audio>`/`<video>` sources and links to media files, in document order, where
/// `keep` allows.
fn players_and_links<'a>(
    els: &impl Elements<'a>,
    base: &Url,
    keep: impl Fn(ElementRef<'a>) -> bool,
) -> Vec<Enclosure> {
    let mut out = Vec::new();
    for el in els.each() {
        let v = el.value();
        let (href, ty) = match v.name() {
            "audio" | "video" => (v.attr("src"), v.attr("type")),
            "source" => {
                let in_player = el
                    .parent()
                    .and_then(ElementRef::wrap)
                    .is_some_and(|p| matches!(p.value().name(), "audio" | "video"));
                if !in_player {
                    continue;
                }
                (v.attr("src"), v.attr("type"))
            }
            _ => match v.attr("href") {
                Some(h) if mime_of_extension(h).is_some() => (Some(h), v.attr("type")),
                _ => continue,
            },
        };
        let Some(href) = href else { continue };
        if !keep(el) {
            continue;
        }
        // A player's `<source>` says by its parent whether it is audio or video.
        let kind = match v.name() {
            "source" => el
                .parent()
                .and_then(ElementRef::wrap)
                .map_or("audio", |p| p.value().name()),
            k => k,
        };
        if let Some(mut e) = enclosure(base, href, ty) {
            // A bare `<audio src>` without a type or known extension is still audio.
            if e.mime_type.is_empty() {
                e.mime_type = if kind == "video" {
                    "video/mp4"
                } else {
                    "audio/mpeg"
                }
                .into();
            }
            out.push(e);
        }
    }
    out
}

/// An enclosure for a media URL: its type from the page, else from the extension, else
/// empty (the caller decides); `None` when the page gives a type that is not audio or
/// video (a YouTube player page, a Flash object).
fn enclosure(base: &Url, href: &str, ty: Option<&str>) -> Option<Enclosure> {
    let url = absolute(base, href)?;
    let ty = ty
        .map(|t| {
            t.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .filter(|t| !t.is_empty());
    let mime_type = match ty {
        Some(t) if t.starts_with("audio/") || t.starts_with("video/") => t,
        Some(_) => return None,
        None => mime_of_extension(url.path())
            .unwrap_or_default()
            .to_string(),
    };
    Some(Enclosure {
        url,
        mime_type,
        length: 0,
    })
}

/// [`enclosure`], only when its type is known.
fn typed_enclosure(base: &Url, href: &str, ty: Option<&str>) -> Option<Enclosure> {
    enclosure(base, href, ty).filter(|e| !e.mime_type.is_empty())
}

/// The MIME type a media file's extension implies.
pub fn mime_of_extension(path: &str) -> Option<&'static str> {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "mp3" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "aac" => "audio/aac",
        "ogg" | "oga" => "audio/ogg",
        "opus" => "audio/opus",
        "wav" => "audio/wav",
        "flac" => "audio/flac",
        "mp4" => "video/mp4",
        "m4v" => "video/x-m4v",
        "webm" => "video/webm",
        "mov" => "video/quicktime",
        "ogv" => "video/ogg",
        _ => return None,
    })
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

/// A category as published: trimmed, whitespace collapsed, not empty, not too long,
/// not a CMS placeholder.
fn clean_category(v: &str) -> Option<String> {
    let c = crate::text::clean_opt(v)?;
    let c = c.trim_start_matches('#').trim().to_string();
    let placeholder = PLACEHOLDER_CATEGORIES
        .iter()
        .any(|p| c.eq_ignore_ascii_case(p));
    (!c.is_empty() && !placeholder && c.chars().count() <= MAX_CATEGORY_CHARS).then_some(c)
}

/// Values CMSs fill a category field with when nobody chose one (WordPress's default
/// category in English, German, French and Spanish; template placeholders).
const PLACEHOLDER_CATEGORIES: &[&str] = &[
    "tags",
    "tag",
    "category",
    "categories",
    "uncategorized",
    "uncategorised",
    "allgemein",
    "non classé",
    "sin categoría",
    "default",
    "none",
    "null",
    "undefined",
];

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

/// The widest candidate of an image's `srcset` (or lazy `data-srcset`) with a width
/// descriptor.
fn largest_srcset<'a>(img: &ElementRef<'a>) -> Option<(&'a str, u32)> {
    let v = img.value();
    let set = v.attr("data-srcset").or_else(|| v.attr("srcset"))?;
    set.split(',')
        .filter_map(|part| {
            let mut it = part.split_ascii_whitespace();
            let url = it.next()?;
            let w = it
                .next()
                .and_then(|d| d.strip_suffix('w'))
                .and_then(|n| n.parse::<u32>().ok())
                .unwrap_or(0);
            Some((url, w))
        })
        .max_by_key(|(_, w)| *w)
}

/// An image element's real source: lazy-loading attributes (`data-src`,
/// `data-lazy-src`, `data-original`), then the widest `srcset` entry, then `src` unless
/// it is a placeholder (a `data:` URI or a blank/spacer file).
pub fn img_src(img: ElementRef, base: &Url) -> Option<Url> {
    let v = img.value();
    let lazy = ["data-src", "data-lazy-src", "data-original", "data-url"]
        .iter()
        .find_map(|k| v.attr(k).filter(|s| !s.trim().is_empty()));
    let src = v
        .attr("src")
        .filter(|s| !s.trim_start().starts_with("data:") && !is_placeholder(s));
    lazy.or_else(|| largest_srcset(&img).map(|(u, _)| u))
        .or(src)
        .and_then(|s| image_url(base, s))
}

/// The image inside a `<noscript>` fallback (its content is text to the parser).
fn noscript_img(n: ElementRef, base: &Url) -> Option<Url> {
    let text: String = n.text().collect();
    if !text.contains("<img") {
        return None;
    }
    let frag = crate::html::parse_fragment(&text);
    let found = frag
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().name() == "img")
        .and_then(|i| img_src(i, base));
    found
}

fn is_placeholder(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    [
        "blank.",
        "spacer.",
        "placeholder",
        "pixel.",
        "transparent.",
        "lazy-load",
        "lazyload",
        "1x1",
    ]
    .iter()
    .any(|w| l.contains(w))
}

/// URL words of images that are page chrome, not an article's picture.
const CHROME_WORDS: &[&str] = &[
    "logo", "icon", "avatar", "gravatar", "favicon", "sprite", "/pixel", "pixel.", "spacer",
    "blank.", "badge", "emoji", "/ads/", "/ad/", "advert", "banner", "button", "tracking", "1x1",
];

fn looks_like_chrome(u: &str) -> bool {
    let l = u.to_ascii_lowercase();
    CHROME_WORDS.iter().any(|w| l.contains(w)) || l.ends_with(".svg") || l.ends_with(".ico")
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

/// An absolute http(s) URL of an image, within the URL length limit.
fn image_url(base: &Url, href: &str) -> Option<Url> {
    absolute(base, href)
}

fn absolute(base: &Url, href: &str) -> Option<Url> {
    let href = href.trim();
    if href.is_empty() || href.len() > crate::model::MAX_URL_BYTES || href.starts_with("data:") {
        return None;
    }
    let mut u = base.join(href).ok()?;
    if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none() {
        return None;
    }
    crate::credentials::strip_userinfo(&mut u);
    Some(u)
}

fn has_token(attr: Option<&str>, token: &str) -> bool {
    attr.is_some_and(|a| {
        a.split_ascii_whitespace()
            .any(|t| t.eq_ignore_ascii_case(token))
    })
}

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
