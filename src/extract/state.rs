//! Article fields from a page's embedded app state, when markup and metadata lack them.
//!
//! Contract: [`fill`] only fills what extraction left empty (title, authors,
//! publication date, summary), from the state object that describes the page: the one
//! whose URL-like field is the page's own URL or path, else the shallowest object with
//! a title and a date (a Next.js `props.pageProps.post` before the related posts below
//! it). It never replaces a value the page's markup or metadata gave. Pure: no I/O.

use scraper::Html;
use url::Url;

use super::Extracted;
use crate::appstate::{self, Fields};
use crate::date::{parse_date, DateContext};

/// Fills `e`'s empty fields from the page's state.
pub fn fill(html: &Html, url: &Url, ctx: &DateContext, e: &mut Extracted) {
    let wanted =
        e.title.is_none() || e.authors.is_empty() || e.published.is_none() || e.summary.is_none();
    if !wanted {
        return;
    }
    let pages: Vec<&Url> = [Some(url), e.canonical.as_ref()]
        .into_iter()
        .flatten()
        .collect();
    let mut best: Option<(bool, usize, Fields)> = None;
    for state in appstate::read(html) {
        appstate::walk(&state.value, &mut |o, depth| {
            let f = appstate::fields(o);
            if f.title.is_none() || f.date.is_none() {
                return;
            }
            let this_page = f.url.as_deref().is_some_and(|u| {
                pages.iter().any(|p| {
                    p.join(u)
                        .is_ok_and(|j| j.path() == p.path() && j.host_str() == p.host_str())
                })
            });
            let better = match &best {
                None => true,
                Some((mine, d, _)) => (this_page && !mine) || (this_page == *mine && depth < *d),
            };
            if better {
                best = Some((this_page, depth, f));
            }
        });
    }
    let Some((_, _, f)) = best else { return };
    if e.title.is_none() {
        e.title = f.title;
    }
    if e.authors.is_empty() {
        e.authors = f
            .authors
            .iter()
            .flat_map(|a| super::author::clean_authors(a))
            .collect();
    }
    if e.published.is_none() {
        e.published = f
            .date
            .as_deref()
            .and_then(|d| parse_date(d, ctx))
            .map(|d| d.value);
    }
    if e.summary.is_none() {
        e.summary = f.summary;
    }
}
