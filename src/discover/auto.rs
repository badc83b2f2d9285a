//! Automatic item detection on a listing page with no selectors.
//!
//! First version: `<article>` elements, each taken with its first link. The discovery
//! issue replaces this with a scored detector.

use scraper::Html;
use url::Url;

use super::{canonical_link, ListedItem};
use crate::extract::date::{parse_date, DateContext};
use crate::text::clean_opt;

/// What automatic detection found.
pub struct Detected {
    /// Items in page order.
    pub items: Vec<ListedItem>,
    /// How they were found.
    pub method: String,
}

/// Finds the list of items on a page.
pub fn detect(html: &Html, base: &Url, ctx: &DateContext) -> Detected {
    let items = html
        .select(selector!("article"))
        .filter_map(|art| {
            let a = art.select(selector!("a[href]")).next()?;
            let link = canonical_link(base, a.value().attr("href")?)?;
            let title = art
                .select(selector!("h1, h2, h3, h4"))
                .next()
                .and_then(|h| clean_opt(&h.text().collect::<String>()))
                .or_else(|| clean_opt(&a.text().collect::<String>()));
            let date = art
                .select(selector!("time[datetime]"))
                .next()
                .and_then(|t| parse_date(t.value().attr("datetime")?, ctx));
            Some(ListedItem {
                link,
                title,
                date,
                author: None,
                summary: None,
            })
        })
        .collect();
    Detected {
        items,
        method: "auto: <article> elements".into(),
    }
}
