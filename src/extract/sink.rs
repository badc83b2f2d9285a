//! The collector every metadata source pushes its candidates into.
//!
//! Contract: [`Sink`] cleans a value (text, byline, date) and records it as a
//! [`Candidate`] with its source and weight, or drops it when nothing is left; it
//! decides nothing (the vote in `candidates` does). Pure: dates are read against the
//! [`DateContext`] it holds, never the clock.

use chrono::Datelike;

use super::author::clean_authors;
use super::candidates::{Candidate, Field, Provenance};
use crate::date::{find_date, parse_date, DateContext};
use crate::text::{clean_opt, join_authors};

/// Collects candidates into a list.
pub struct Sink<'a> {
    /// The candidates so far.
    pub cands: Vec<Candidate>,
    /// Date context for parsing date values.
    pub ctx: DateContext<'a>,
}

impl Sink<'_> {
    /// Adds a text candidate (title or summary).
    pub fn text(&mut self, field: Field, value: &str, source: Provenance, weight: f32) {
        if let Some(v) = clean_opt(value) {
            self.cands.push(Candidate {
                field,
                value: v,
                date: None,
                source,
                weight,
            });
        }
    }

    /// Adds a byline candidate after cleaning it into names.
    pub fn author(&mut self, raw: &str, source: Provenance, weight: f32) {
        let names = clean_authors(raw);
        self.authors(&names, source, weight);
    }

    /// Adds already-separated names as one byline candidate.
    pub fn authors(&mut self, names: &[String], source: Provenance, weight: f32) {
        if !names.is_empty() {
            self.cands.push(Candidate {
                field: Field::Author,
                value: join_authors(names),
                date: None,
                source,
                weight,
            });
        }
    }

    /// Adds a date candidate when the value parses; `loose` searches inside text.
    pub fn date(&mut self, field: Field, raw: &str, source: Provenance, weight: f32, loose: bool) {
        let parsed = parse_date(raw, &self.ctx).or_else(|| {
            if loose {
                find_date(raw, &self.ctx)
            } else {
                None
            }
        });
        if let Some(d) = parsed {
            let source = if !d.relative && year_guessed(raw, d.value.year()) {
                Provenance::YearGuessed(Box::new(source))
            } else {
                source
            };
            self.cands.push(Candidate {
                field,
                value: d.value.to_rfc3339(),
                date: Some(d),
                source,
                weight,
            });
        }
    }
}

/// Whether a date text that parsed to `year` names no year: neither four digits nor
/// the year's last two.
fn year_guessed(raw: &str, year: i32) -> bool {
    use std::fmt::Write as _;
    if has_year(raw) {
        return false;
    }
    let mut short = String::new();
    let _ = write!(short, "{:02}", year.rem_euclid(100));
    !raw.contains(&short)
}

/// Whether a text holds a four-digit year (1995–2099) or a CJK year ("2025年").
pub(crate) fn has_year(text: &str) -> bool {
    let b = text.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    (0..b.len()).any(|i| {
        (i == 0 || !digit(i - 1))
            && digit(i)
            && digit(i + 1)
            && digit(i + 2)
            && digit(i + 3)
            && !digit(i + 4)
            && matches!(&b[i..i + 2], b"19" | b"20")
    })
}
