//! Reconciling a run's findings with what a feed already published, without I/O: which
//! side wins when the listing and an item's page disagree ([`Trust`], [`merge`]), the
//! newest items a feed file shows ([`window`], [`published_item`]), the checks of
//! `[feed.expect]` ([`check_expectations`]) and the warning item of a feed that keeps
//! failing ([`alert_item`]). Pure functions, unit-tested without HTTP.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use url::Url;

use crate::config::{ExpectField, FeedConfig, Source};
use crate::discover::{self, ListedItem};
use crate::extract::{self, Extracted};
use crate::html::media::Media;
use crate::model::{Enclosure, Item, MAX_CATEGORIES};
use crate::store::{FeedStatus, StoredItem};

/// The newest `max` items of a history: date (or first sighting) descending, then link.
pub(crate) fn window(items: &HashMap<String, StoredItem>, max: usize) -> Vec<(String, StoredItem)> {
    let mut v: Vec<(String, StoredItem)> =
        items.iter().map(|(g, s)| (g.clone(), s.clone())).collect();
    v.sort_by(|a, b| {
        b.1.sort_time()
            .cmp(&a.1.sort_time())
            .then_with(|| a.1.item.link.as_str().cmp(b.1.item.link.as_str()))
    });
    v.truncate(max);
    v
}

/// The item as a feed shows it: undated items carry their first sighting as date, and
/// an item whose content changed after it was first seen carries that as `updated`.
pub(crate) fn published_item(s: StoredItem) -> Item {
    let mut item = s.item;
    let utc = chrono::FixedOffset::east_opt(0).expect("zero offset is valid");
    if item.published.is_none() {
        item.published = Some(s.first_seen.with_timezone(&utc));
    }
    if s.changed_at > s.first_seen {
        let changed = s.changed_at.with_timezone(&utc);
        item.updated = Some(item.updated.map_or(changed, |u| u.max(changed)));
    }
    item
}

/// Which source won each field, for the history.
pub(crate) fn field_sources(e: &Extracted) -> HashMap<String, String> {
    e.verdicts
        .iter()
        .filter_map(|(f, v)| {
            Some((
                f.name().to_string(),
                e.candidates.get(v.winner?)?.source.to_string(),
            ))
        })
        .collect()
}

/// Which side wins when the listing and the item's page both give a value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Trust {
    /// The listing's title, author and date win (the user's selectors picked them, or
    /// a feed declared them).
    listed_fields: bool,
    /// The listing's summary wins (only for selectors: a feed's summary is often the
    /// cut-short teaser the user wants replaced).
    listed_summary: bool,
}

impl Trust {
    pub(crate) fn of(feed: &FeedConfig) -> Trust {
        // The user's own selectors or JSONPath rules picked the listed values.
        let selectors = feed.items.is_some() || feed.source == Source::Json;
        Trust {
            listed_fields: selectors || feed.source == Source::Feed,
            listed_summary: selectors,
        }
    }
}

/// The site a feed's items belong to, for [`merge`]: the listing's URL, its public
/// address (the listing's canonical, for a saved page) and the feed's `allow_hosts`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Site<'a> {
    /// The feed's `url`.
    pub(crate) listing: &'a Url,
    /// The listing page's canonical URL, when it names one.
    pub(crate) home: Option<&'a Url>,
    /// The feed's `allow_hosts`.
    pub(crate) allow_hosts: &'a [String],
}

/// Combines what the listing showed with what the item's own page says. Values the
/// user's selectors picked (or a feed declared) win; otherwise the article page, which
/// says more, wins.
pub(crate) fn merge(
    li: &ListedItem,
    ex: Option<&Extracted>,
    trust: Trust,
    site: &Site<'_>,
) -> Item {
    let user_selectors = trust.listed_fields;
    // The page's canonical URL replaces the listed link only on the same site (the
    // item's, the listing's or its public address', or `allow_hosts`): a canonical to
    // another host would carry the item, link and id, off the site it was listed on.
    let link = ex
        .and_then(|e| e.canonical.clone())
        .filter(|c| c != site.listing && !(c.path() == "/" && li.link.path() != "/"))
        .filter(|c| {
            let mut sites = vec![&li.link, site.listing];
            sites.extend(site.home);
            discover::on_site(c, &sites, site.allow_hosts)
        })
        .unwrap_or_else(|| li.link.clone());
    let pick = |listed: Option<String>, page: Option<String>| {
        if user_selectors {
            listed.or(page)
        } else {
            page.or(listed)
        }
    };
    let listed_authors = li
        .author
        .as_deref()
        .map(extract::author::clean_authors)
        .unwrap_or_default();
    let page_authors = ex.map(|e| e.authors.clone()).unwrap_or_default();
    let authors = if user_selectors && !listed_authors.is_empty() || page_authors.is_empty() {
        listed_authors
    } else {
        page_authors
    };
    let media = merge_media(&li.media, ex, trust.listed_fields);
    let listed_date = li.date.map(|d| d.value);
    let page_date = ex.and_then(|e| e.published);
    let published = if user_selectors {
        listed_date.or(page_date)
    } else {
        page_date.or(listed_date)
    };
    Item {
        guid: link.to_string(),
        link,
        // Listing values (selectors, a source feed, a sitemap) are capped here as the
        // extractor caps a page's, so every published title and summary is bounded.
        title: cap(
            pick(li.title.clone(), ex.and_then(|e| e.title.clone())),
            extract::MAX_TITLE_CHARS,
        ),
        authors: authors
            .into_iter()
            .map(|a| crate::text::truncate_chars(&a, extract::MAX_TITLE_CHARS))
            .collect(),
        published,
        // Only a modification after the publication is an update.
        updated: ex
            .and_then(|e| e.modified)
            .filter(|m| published.is_none_or(|p| *m > p)),
        summary: cap(
            if trust.listed_summary {
                li.summary
                    .clone()
                    .or_else(|| ex.and_then(|e| e.summary.clone()))
            } else {
                ex.and_then(|e| e.summary.clone())
                    .or_else(|| li.summary.clone())
            },
            extract::MAX_SUMMARY_CHARS,
        ),
        content_html: ex.and_then(|e| e.content_html.clone()),
        image: media.image,
        categories: media.categories,
        language: media.language,
        enclosures: media.enclosures,
    }
}

/// The media fields of an item from its listing entry (a card, or an upstream feed's
/// entry) and its page. With `listing_first` (a source feed: the publisher's own image,
/// categories and enclosures), the listing's values come first and the page enriches
/// them; otherwise the page's do and the card fills what the page lacks.
pub(crate) fn merge_media(listed: &Media, page: Option<&Extracted>, listing_first: bool) -> Media {
    let page = page.map(|e| Media {
        image: e.image.clone(),
        categories: e.categories.clone(),
        language: e.lang.clone(),
        enclosures: e.enclosures.clone(),
    });
    let page = page.unwrap_or_default();
    let (first, second) = if listing_first {
        (listed, &page)
    } else {
        (&page, listed)
    };
    let mut categories: Vec<String> = Vec::new();
    for c in first.categories.iter().chain(&second.categories) {
        if categories.len() < MAX_CATEGORIES
            && !categories
                .iter()
                .any(|k| k.to_lowercase() == c.to_lowercase())
        {
            categories.push(c.clone());
        }
    }
    let mut enclosures: Vec<Enclosure> = Vec::new();
    for e in first.enclosures.iter().chain(&second.enclosures) {
        match enclosures.iter_mut().find(|k| k.url == e.url) {
            // The same file named twice: the length one side knows stands.
            Some(k) => k.length = k.length.max(e.length),
            None => enclosures.push(e.clone()),
        }
    }
    Media {
        image: first.image.clone().or_else(|| second.image.clone()),
        categories,
        language: first.language.clone().or_else(|| second.language.clone()),
        enclosures,
    }
}

/// `s` cut to at most `max` characters (see [`crate::text::truncate_chars`]).
pub(crate) fn cap(s: Option<String>, max: usize) -> Option<String> {
    s.map(|s| crate::text::truncate_chars(&s, max))
}

/// A feed's title as published: the title limit of items applies.
pub(crate) fn cap_feed_title(s: String) -> String {
    crate::text::truncate_chars(&s, extract::MAX_TITLE_CHARS)
}

/// Checks a run's items against `[feed.expect]`; the error says what fell short.
pub(crate) fn check_expectations(feed: &FeedConfig, items: &[&StoredItem]) -> Result<(), String> {
    let e = &feed.expect;
    if items.len() < e.min_items {
        return Err(format!(
            "found {} items, expected at least {}",
            items.len(),
            e.min_items
        ));
    }
    for field in &e.fields {
        let have = items
            .iter()
            .filter(|s| match field {
                ExpectField::Title => s.item.title.is_some(),
                ExpectField::Author => !s.item.authors.is_empty(),
                ExpectField::Date => s.item.published.is_some(),
                ExpectField::Summary => s.item.summary.is_some(),
            })
            .count();
        let share = have as f32 / items.len().max(1) as f32;
        if share + 1e-6 < e.min_share {
            return Err(format!(
                "{field} found on {have} of {} items ({:.0}%), expected at least {:.0}%",
                items.len(),
                share * 100.0,
                e.min_share * 100.0
            ));
        }
    }
    Ok(())
}

/// The single warning item a failing feed's files get once it has failed
/// `alert_after` times in a row: the same guid for the whole run of failures (`since`,
/// when they began), linking to the feed's home page.
pub(crate) fn alert_item(
    feed: &FeedConfig,
    status: &FeedStatus,
    since: DateTime<Utc>,
    home: Url,
    error: &str,
) -> Item {
    let utc = chrono::FixedOffset::east_opt(0).expect("zero offset is valid");
    Item {
        guid: format!("urn:pagefeed:alert:{}:{}", feed.id, since.timestamp()),
        link: home,
        title: Some("pagefeed: this feed has stopped updating".into()),
        authors: vec!["pagefeed".into()],
        published: Some(since.with_timezone(&utc)),
        updated: None,
        summary: Some(format!(
            "pagefeed has not been able to update this feed since {} ({} attempts in a row). \
             The items below are from the last good run. Last error: {error}",
            since.format("%Y-%m-%d %H:%M UTC"),
            status.consecutive_failures
        )),
        content_html: None,
        image: None,
        categories: Vec::new(),
        language: None,
        enclosures: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(u: &str, len: u64) -> Enclosure {
        Enclosure {
            url: Url::parse(u).unwrap(),
            mime_type: "audio/mpeg".into(),
            length: len,
        }
    }

    #[test]
    fn a_source_feed_keeps_its_own_media_and_the_page_adds_to_it() {
        let listed = Media {
            image: Some(Url::parse("https://cdn.example/feed.jpg").unwrap()),
            categories: vec!["Podcast".into(), "Rust".into()],
            language: None,
            enclosures: vec![enc("https://cdn.example/ep1.mp3", 1234)],
        };
        let page = Extracted {
            image: Some(Url::parse("https://cdn.example/page.jpg").unwrap()),
            categories: vec!["rust".into(), "Audio".into()],
            lang: Some("en".into()),
            enclosures: vec![
                enc("https://cdn.example/ep1.mp3", 0),
                enc("https://cdn.example/ep1.mp4", 0),
            ],
            ..Extracted::default()
        };
        let m = merge_media(&listed, Some(&page), true);
        assert_eq!(m.image.unwrap().as_str(), "https://cdn.example/feed.jpg");
        assert_eq!(m.categories, ["Podcast", "Rust", "Audio"]);
        assert_eq!(m.language.as_deref(), Some("en"));
        assert_eq!(
            m.enclosures,
            [
                enc("https://cdn.example/ep1.mp3", 1234),
                enc("https://cdn.example/ep1.mp4", 0)
            ]
        );
        // An HTML listing's card only fills what the page lacks.
        let m = merge_media(&listed, Some(&page), false);
        assert_eq!(m.image.unwrap().as_str(), "https://cdn.example/page.jpg");
        assert_eq!(m.categories, ["rust", "Audio", "Podcast"]);
    }

    fn url(u: &str) -> Url {
        Url::parse(u).unwrap()
    }

    fn listed(link: &str) -> ListedItem {
        ListedItem {
            link: url(link),
            title: Some("Listed title".into()),
            date: None,
            author: Some("By Ann Listed".into()),
            summary: Some("Listed teaser".into()),
            media: Media::default(),
        }
    }

    fn feed() -> FeedConfig {
        FeedConfig::for_url(
            url("https://news.example/"),
            &crate::config::Settings::default(),
        )
    }

    fn stored(link: &str, published: Option<&str>, first_seen: &str) -> StoredItem {
        let at = |t: &str| DateTime::parse_from_rfc3339(t).unwrap();
        StoredItem {
            item: Item {
                guid: link.into(),
                link: url(link),
                title: None,
                authors: Vec::new(),
                published: published.map(at),
                updated: None,
                summary: None,
                content_html: None,
                image: None,
                categories: Vec::new(),
                language: None,
                enclosures: Vec::new(),
            },
            listed_link: link.into(),
            sources: HashMap::new(),
            first_seen: at(first_seen).with_timezone(&Utc),
            last_seen: at(first_seen).with_timezone(&Utc),
            extracted_at: None,
            changed_at: at(first_seen).with_timezone(&Utc),
            filtered: None,
        }
    }

    #[test]
    fn the_page_wins_unless_the_users_selectors_picked_the_listed_values() {
        let feed = feed();
        let li = listed("https://news.example/a");
        let page = Extracted {
            title: Some("Page title".into()),
            summary: Some("Page summary".into()),
            authors: vec!["Bob Page".into()],
            canonical: Some(url("https://news.example/a-canonical")),
            ..Extracted::default()
        };
        let site = Site {
            listing: &feed.url,
            home: None,
            allow_hosts: &[],
        };
        let auto = merge(&li, Some(&page), Trust::of(&feed), &site);
        assert_eq!(auto.title.as_deref(), Some("Page title"));
        assert_eq!(auto.summary.as_deref(), Some("Page summary"));
        assert_eq!(auto.authors, ["Bob Page"]);
        assert_eq!(auto.link.as_str(), "https://news.example/a-canonical");
        assert_eq!(auto.guid, "https://news.example/a-canonical");

        let selectors = Trust {
            listed_fields: true,
            listed_summary: true,
        };
        let picked = merge(&li, Some(&page), selectors, &site);
        assert_eq!(picked.title.as_deref(), Some("Listed title"));
        assert_eq!(picked.summary.as_deref(), Some("Listed teaser"));
        assert_eq!(picked.authors, ["Ann Listed"]);

        // Without a page, the listing's values stand.
        let alone = merge(&li, None, Trust::of(&feed), &site);
        assert_eq!(alone.title.as_deref(), Some("Listed title"));
        assert_eq!(alone.link.as_str(), "https://news.example/a");
    }

    #[test]
    fn a_canonical_off_the_site_or_to_the_home_page_keeps_the_listed_link() {
        let feed = feed();
        let li = listed("https://news.example/story");
        let site = Site {
            listing: &feed.url,
            home: None,
            allow_hosts: &[],
        };
        for canonical in ["https://elsewhere.example/story", "https://news.example/"] {
            let page = Extracted {
                canonical: Some(url(canonical)),
                ..Extracted::default()
            };
            let item = merge(&li, Some(&page), Trust::of(&feed), &site);
            assert_eq!(
                item.link.as_str(),
                "https://news.example/story",
                "{canonical}"
            );
        }
        // `allow_hosts` lets a partner host's canonical through.
        let allow = ["elsewhere.example".to_string()];
        let site = Site {
            allow_hosts: &allow,
            ..site
        };
        let page = Extracted {
            canonical: Some(url("https://elsewhere.example/story")),
            ..Extracted::default()
        };
        let item = merge(&li, Some(&page), Trust::of(&feed), &site);
        assert_eq!(item.link.as_str(), "https://elsewhere.example/story");
    }

    #[test]
    fn the_window_is_newest_first_then_by_link_and_cut_at_max() {
        let items: HashMap<String, StoredItem> = [
            stored(
                "https://news.example/b",
                Some("2026-01-02T00:00:00Z"),
                "2026-01-05T00:00:00Z",
            ),
            stored(
                "https://news.example/a",
                Some("2026-01-02T00:00:00Z"),
                "2026-01-05T00:00:00Z",
            ),
            // Undated: its first sighting is its date.
            stored("https://news.example/c", None, "2026-01-03T00:00:00Z"),
            stored(
                "https://news.example/d",
                Some("2025-12-01T00:00:00Z"),
                "2026-01-05T00:00:00Z",
            ),
        ]
        .into_iter()
        .map(|s| (s.item.guid.clone(), s))
        .collect();
        let guids: Vec<String> = window(&items, 3).into_iter().map(|(g, _)| g).collect();
        assert_eq!(
            guids,
            [
                "https://news.example/c",
                "https://news.example/a",
                "https://news.example/b"
            ]
        );
    }

    #[test]
    fn a_published_item_carries_its_first_sighting_and_later_change() {
        let mut s = stored("https://news.example/a", None, "2026-01-03T00:00:00Z");
        s.changed_at = s.first_seen + chrono::Duration::hours(5);
        let item = published_item(s);
        assert_eq!(
            item.published.map(|d| d.to_rfc3339()).as_deref(),
            Some("2026-01-03T00:00:00+00:00")
        );
        assert_eq!(
            item.updated.map(|d| d.to_rfc3339()).as_deref(),
            Some("2026-01-03T05:00:00+00:00")
        );
    }

    #[test]
    fn expectations_name_what_fell_short() {
        let mut feed = feed();
        feed.expect.min_items = 3;
        let a = stored(
            "https://news.example/a",
            Some("2026-01-02T00:00:00Z"),
            "2026-01-05T00:00:00Z",
        );
        let b = stored("https://news.example/b", None, "2026-01-05T00:00:00Z");
        assert_eq!(
            check_expectations(&feed, &[&a, &b]).unwrap_err(),
            "found 2 items, expected at least 3"
        );
        feed.expect.min_items = 1;
        feed.expect.fields = vec![ExpectField::Date];
        feed.expect.min_share = 0.9;
        assert_eq!(
            check_expectations(&feed, &[&a, &b]).unwrap_err(),
            "date found on 1 of 2 items (50%), expected at least 90%"
        );
        feed.expect.min_share = 0.5;
        assert_eq!(check_expectations(&feed, &[&a, &b]), Ok(()));
    }
}
