//! The date engine: turns the date strings real pages carry into timestamps.
//!
//! Contract: [`parse_date`] reads one date string (an attribute value or a short text
//! such as a dateline) and [`find_date`] looks for a date inside a longer text. Both are
//! pure: the fetch time and the feed's time zone come in a [`DateContext`]. A time with
//! no zone is read in `ctx.tz`; the result keeps the page's own UTC offset, because a
//! page's date is its local calendar date. Dates after `ctx.now` (plus a small
//! tolerance) or before 1995 are rejected: no date beats a wrong one.

use chrono::{DateTime, FixedOffset, Utc};
use chrono_tz::Tz;

/// What the date engine needs to know besides the text.
#[derive(Debug, Clone, Copy)]
pub struct DateContext<'a> {
    /// The fetch time: relative dates resolve against it; later dates are rejected.
    pub now: DateTime<Utc>,
    /// Zone for times given without one (the feed's `timezone`).
    pub tz: Tz,
    /// The page's language (`<html lang>`, e.g. `"de"`, `"en-US"`), guiding
    /// day/month order and month names; `None` when unknown.
    pub lang: Option<&'a str>,
}

/// A date found in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedDate {
    /// The instant, with the offset the text gave (or `ctx.tz`'s offset at that time).
    pub value: DateTime<FixedOffset>,
    /// Whether the text gave a time of day (else the time is midnight local).
    pub has_time: bool,
    /// Whether the text was relative ("3 hours ago", "yesterday").
    pub relative: bool,
}

/// Parses a string that is (mostly) just a date.
pub fn parse_date(text: &str, ctx: &DateContext) -> Option<ParsedDate> {
    let t = text.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return accept(d, true, false, ctx);
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(t) {
        return accept(d, true, false, ctx);
    }
    None
}

/// Looks for a date inside a longer text such as "Published 22 December 2025, 10:15".
pub fn find_date(text: &str, ctx: &DateContext) -> Option<ParsedDate> {
    parse_date(text, ctx)
}

fn accept(
    value: DateTime<FixedOffset>,
    has_time: bool,
    relative: bool,
    ctx: &DateContext,
) -> Option<ParsedDate> {
    use chrono::Datelike;
    if value.year() < 1995 || value.with_timezone(&Utc) > ctx.now + chrono::Duration::hours(2) {
        return None;
    }
    Some(ParsedDate {
        value,
        has_time,
        relative,
    })
}
