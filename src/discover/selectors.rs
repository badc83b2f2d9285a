//! Items found with the feed's own `[feed.items]` selectors.

use scraper::{ElementRef, Html};
use url::Url;

use super::{canonical_link, ListedItem};
use crate::config::{FieldRule, ItemRules};
use crate::date::{find_date, parse_date, DateContext};
use crate::text::clean_opt;

/// Applies the selectors; items without a usable link are skipped.
pub(super) fn items(
    html: &Html,
    base: &Url,
    rules: &ItemRules,
    ctx: &DateContext,
) -> Vec<ListedItem> {
    html.select(&rules.selector)
        .filter_map(|el| item(el, base, rules, ctx))
        .collect()
}

fn item(el: ElementRef, base: &Url, rules: &ItemRules, ctx: &DateContext) -> Option<ListedItem> {
    let href = match &rules.link {
        Some(rule) => read(el, rule)?,
        None if el.value().name() == "a" => el.value().attr("href")?.to_string(),
        None => el
            .select(selector!("a[href]"))
            .next()?
            .value()
            .attr("href")?
            .to_string(),
    };
    let link = canonical_link(base, &href)?;
    let title = match &rules.title {
        Some(rule) => read(el, rule),
        None => el
            .select(selector!("h1, h2, h3, h4, a[href]"))
            .find_map(|e| clean_opt(&e.text().collect::<String>())),
    };
    let date = rules.date.as_ref().and_then(|rule| {
        let text = read(el, rule)?;
        parse_date(&text, ctx).or_else(|| find_date(&text, ctx))
    });
    Some(ListedItem {
        link,
        title,
        date,
        author: rules.author.as_ref().and_then(|r| read(el, r)),
        summary: rules.summary.as_ref().and_then(|r| read(el, r)),
        media: crate::html::media::card(&[el], base),
    })
}

/// The rule's value inside `el`: the attribute when named, else the text.
fn read(el: ElementRef, rule: &FieldRule) -> Option<String> {
    let target = match &rule.selector {
        Some(sel) => el.select(sel).next()?,
        None => el,
    };
    match &rule.attr {
        Some(attr) => clean_opt(target.value().attr(attr)?),
        None => clean_opt(&target.text().collect::<String>()),
    }
}
