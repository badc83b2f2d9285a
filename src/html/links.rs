//! A page's own URLs: the base its relative links resolve against and the canonical
//! URL it declares.
//!
//! Contract: [`base_url`] and [`canonical_url`] read the parsed page only; the result is
//! an absolute URL (the canonical one only http(s), without fragment or userinfo, at
//! most [`crate::model::MAX_URL_BYTES`] long). No I/O.

use scraper::{ElementRef, Html};
use url::Url;

use super::meta::Metas;

/// The URL relative links resolve against: `<base href>` when present.
pub fn base_url(html: &Html, page_url: &Url) -> Url {
    // What `html.select("base[href]").next()` finds (the first attached one in the
    // tree's order), without matching a selector against every element.
    html.tree
        .nodes()
        .filter_map(ElementRef::wrap)
        .find(|e| {
            e.value().name() == "base" && e.value().attr("href").is_some() && e.parent().is_some()
        })
        .and_then(|b| b.value().attr("href"))
        .and_then(|h| page_url.join(h.trim()).ok())
        .unwrap_or_else(|| page_url.clone())
}

/// `<link rel=canonical>`, else `og:url`, resolved against the page URL; only http(s).
pub fn canonical_url(html: &Html, url: &Url) -> Option<Url> {
    canonical_url_with(html, &Metas::read(html), url)
}

/// [`canonical_url`] with the page's meta tags already read.
pub fn canonical_url_with(html: &Html, metas: &Metas, url: &Url) -> Option<Url> {
    let from_link = html
        .select(selector!("link[rel][href]"))
        .find(|l| {
            l.value().attr("rel").is_some_and(|r| {
                r.split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("canonical"))
            })
        })
        .and_then(|l| l.value().attr("href"));
    [from_link, metas.get("og:url")]
        .into_iter()
        .flatten()
        .filter(|h| h.len() <= crate::model::MAX_URL_BYTES)
        .filter_map(|h| url.join(h.trim()).ok())
        .find(|u| {
            matches!(u.scheme(), "http" | "https")
                && u.host_str().is_some()
                && u.as_str().len() <= crate::model::MAX_URL_BYTES
        })
        .map(|mut u| {
            u.set_fragment(None);
            crate::credentials::strip_userinfo(&mut u);
            u
        })
}
