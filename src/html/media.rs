//! Media a page's markup names, read the same way by discovery (a listing card's image,
//! category label and media, [`card`]) and extraction (an article page's, in
//! `extract::media`): image sources behind lazy-loading attributes, enclosures from
//! players and media links, the MIME type a file's extension implies, and category
//! labels cleaned of CMS placeholders.
//!
//! Contract: pure, like the rest of this layer: elements and a base URL in, absolute
//! http(s) URLs and trimmed strings out; no request (an enclosure's length is 0 here).

use scraper::ElementRef;
use url::Url;

use crate::model::{Enclosure, MAX_CATEGORIES};

/// Longest category kept, in characters: a longer "tag" is a sentence.
const MAX_CATEGORY_CHARS: usize = 60;

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
pub(crate) trait Elements<'a> {
    /// The elements to look at.
    fn each(&self) -> Vec<ElementRef<'a>>;
}

pub(crate) struct SubTree<'a>(ElementRef<'a>);

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
pub(crate) fn players_and_links<'a>(
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
pub(crate) fn typed_enclosure(base: &Url, href: &str, ty: Option<&str>) -> Option<Enclosure> {
    enclosure(base, href, ty).filter(|e| !e.mime_type.is_empty())
}

/// The MIME type a media file's extension implies.
pub fn mime_of_extension(path: &str) -> Option<&'static str> {
    let end = path
        .bytes()
        .position(|b| b == b'?' || b == b'#')
        .unwrap_or(path.len());
    let ext = path[..end].rsplit_once('.')?.1;
    // Every known extension has 2 to 4 letters: most links (pages) stop here.
    if !(2..=4).contains(&ext.len()) {
        return None;
    }
    let mut buf = [0u8; 4];
    for (b, c) in buf.iter_mut().zip(ext.bytes()) {
        *b = c.to_ascii_lowercase();
    }
    Some(match &buf[..ext.len()] {
        b"mp3" => "audio/mpeg",
        b"m4a" => "audio/mp4",
        b"aac" => "audio/aac",
        b"ogg" | b"oga" => "audio/ogg",
        b"opus" => "audio/opus",
        b"wav" => "audio/wav",
        b"flac" => "audio/flac",
        b"mp4" => "video/mp4",
        b"m4v" => "video/x-m4v",
        b"webm" => "video/webm",
        b"mov" => "video/quicktime",
        b"ogv" => "video/ogg",
        _ => return None,
    })
}

/// A category as published: trimmed, whitespace collapsed, not empty, not too long,
/// not a CMS placeholder.
pub(crate) fn clean_category(v: &str) -> Option<String> {
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

/// The widest candidate of an image's `srcset` (or lazy `data-srcset`) with a width
/// descriptor.
pub(crate) fn largest_srcset<'a>(img: &ElementRef<'a>) -> Option<(&'a str, u32)> {
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
pub(crate) fn img_src(img: ElementRef, base: &Url) -> Option<Url> {
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
    let frag = super::parse_fragment(&text);
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

pub(crate) fn looks_like_chrome(u: &str) -> bool {
    let l = u.to_ascii_lowercase();
    CHROME_WORDS.iter().any(|w| l.contains(w)) || l.ends_with(".svg") || l.ends_with(".ico")
}

/// An absolute http(s) URL of an image, within the URL length limit.
pub(crate) fn image_url(base: &Url, href: &str) -> Option<Url> {
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

pub(crate) fn has_token(attr: Option<&str>, token: &str) -> bool {
    attr.is_some_and(|a| {
        a.split_ascii_whitespace()
            .any(|t| t.eq_ignore_ascii_case(token))
    })
}
