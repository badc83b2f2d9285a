//! One entry point that puts arbitrary bytes through everything a run does with a
//! fetched page, for the fuzz target (`fuzz/`) and for tests that replay what a fuzzer
//! found.
//!
//! Contract: never panics, never recurses with the page's depth, and returns in time
//! bounded by the input's size. The results are thrown away: what is checked is that
//! every reader comes back. It must not do I/O, read the clock (the time is fixed) or
//! keep anything between calls.

use chrono::{DateTime, Utc};
use url::Url;

use crate::date::DateContext;

/// Runs `bytes`, taken as the body of a page at a fixed URL, through charset
/// decoding, parsing, listing discovery and pagination, the sitemap and source-feed
/// readers, metadata extraction with its explanation, and main content.
pub fn analyse_page(bytes: &[u8]) {
    let Ok(url) = Url::parse("https://fuzz.example/section/page.html") else {
        return;
    };
    // 2026-06-01 12:00 UTC: dates on the page resolve against a fixed time.
    let now = DateTime::<Utc>::from_timestamp(1_780_315_200, 0).unwrap_or_default();
    let ctx = DateContext {
        now,
        tz: chrono_tz::Tz::UTC,
        lang: None,
    };
    let (text, _) = crate::fetch::charset::decode(bytes, None);
    let html = crate::html::parse_document(&text);
    let _ = crate::discover::discover(&html, &url, None, &ctx);
    let _ = crate::discover::pagination::next_page(&html, &url);
    let extracted = crate::extract::extract(&html, &url, &ctx);
    let _ = crate::extract::explain(&extracted);
    let _ = crate::readability::main_content(&html, &url);
    drop(html);
    let _ = crate::discover::sitemap::parse(&text, &url, &ctx, 50);
    let _ = crate::discover::feed::parse(&text, &url, &ctx);
}
