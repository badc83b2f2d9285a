//! Items from a listing's embedded app state, for pages whose markup has no item list.
//!
//! Contract: given the page, its base URL and the feed's `allow_hosts`, find in the
//! page's state blobs ([`crate::appstate::read`]) the collection that lists its items:
//! an array of objects (or an object of objects, as Apollo's normalised cache holds
//! them) of which most have a URL-like and a title-like field, on the listing's own
//! site. The collection with the most such objects wins, dated ones counting double
//! (so a menu of `{name, url}` entries loses to the posts); at least two are needed.
//! Items keep the collection's order, with the dates, authors and summaries the
//! objects give. Pure: no I/O. Called only when automatic discovery found nothing, so
//! every page with an item list in its markup is read as before.

use scraper::Html;
use serde_json::{Map, Value};
use url::Url;

use super::{canonical_link, ListedItem};
use crate::appstate::{self, Fields};
use crate::date::{parse_date, DateContext};
use crate::text::join_authors;

/// Fewest items a collection must give.
const MIN_ITEMS: usize = 2;
/// Share of a collection's objects that must be items.
const MIN_SHARE: f32 = 0.6;

/// The items of the best collection in the page's state, and how they were found
/// (for `check`), or `None` when no state lists items.
pub fn items(
    html: &Html,
    base: &Url,
    allow_hosts: &[String],
    ctx: &DateContext,
) -> Option<(Vec<ListedItem>, String)> {
    let mut best: Option<(f32, Vec<ListedItem>, String)> = None;
    for state in appstate::read(html) {
        let mut collections: Vec<Vec<&Map<String, Value>>> = Vec::new();
        collect(&state.value, &mut collections, 0);
        for objects in collections {
            let listed: Vec<ListedItem> = objects
                .iter()
                .filter_map(|o| item(&appstate::fields(o), base, allow_hosts, ctx))
                .collect();
            if listed.len() < MIN_ITEMS || (listed.len() as f32) < MIN_SHARE * objects.len() as f32
            {
                continue;
            }
            let dated = listed.iter().filter(|i| i.date.is_some()).count();
            let score = (listed.len() + dated) as f32;
            if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
                let method = format!(
                    "embedded app state ({}, {} items)",
                    state.name,
                    listed.len()
                );
                best = Some((score, listed, method));
            }
        }
    }
    best.map(|(_, items, method)| (super::dedup(items), method))
}

/// Every array of objects, and every object whose values are all objects (two or
/// more), below `v`.
fn collect<'a>(v: &'a Value, out: &mut Vec<Vec<&'a Map<String, Value>>>, depth: usize) {
    if depth > 64 {
        return;
    }
    match v {
        Value::Array(a) => {
            let objects: Vec<&Map<String, Value>> = a.iter().filter_map(Value::as_object).collect();
            if objects.len() >= MIN_ITEMS {
                out.push(objects);
            }
            for c in a {
                collect(c, out, depth + 1);
            }
        }
        Value::Object(o) => {
            let objects: Vec<&Map<String, Value>> =
                o.values().filter_map(Value::as_object).collect();
            if objects.len() >= MIN_ITEMS && objects.len() == o.len() {
                out.push(objects);
            }
            for c in o.values() {
                collect(c, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// One object as an item: a link on the listing's site (or an allowed host) and a
/// title are required.
fn item(f: &Fields, base: &Url, allow_hosts: &[String], ctx: &DateContext) -> Option<ListedItem> {
    let link = canonical_link(base, f.url.as_deref()?)?;
    let on_site = link.scheme() == "file" || super::on_site(&link, &[base], allow_hosts);
    if !on_site || link.path() == "/" && link.query().is_none() {
        return None;
    }
    Some(ListedItem {
        link,
        title: Some(f.title.clone()?),
        date: f.date.as_deref().and_then(|d| parse_date(d, ctx)),
        author: (!f.authors.is_empty()).then(|| join_authors(&f.authors)),
        summary: f.summary.clone(),
        media: Default::default(),
    })
}
