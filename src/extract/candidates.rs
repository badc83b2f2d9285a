//! Candidates with provenance, and the vote that picks a winner per field.
//!
//! Every source proposes values for fields, each tagged with where it came from and how
//! reliable that source is. The winner is the group of agreeing candidates with the best
//! combined weight, so three medium sources that agree beat one strong source that
//! disagrees with them, and a lone weak guess stays below the confidence floor.

pub use super::provenance::Provenance;
use crate::date::ParsedDate;

/// A metadata field of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// The headline.
    Title,
    /// The author(s) as one byline string.
    Author,
    /// Publication date.
    Published,
    /// Last modification date.
    Modified,
    /// Dek or description.
    Summary,
    /// The lead image's URL (see `super::media`; not in [`Field::ALL`]).
    Image,
    /// One category or tag; every one above the floor is kept, not just a winner.
    Category,
    /// The page's language.
    Language,
    /// An audio or video file's URL.
    Enclosure,
}

impl Field {
    /// All fields, in the order `--explain` prints them.
    pub const ALL: [Field; 5] = [
        Field::Title,
        Field::Author,
        Field::Published,
        Field::Modified,
        Field::Summary,
    ];

    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Author => "author",
            Field::Published => "date",
            Field::Modified => "modified",
            Field::Summary => "summary",
            Field::Image => "image",
            Field::Category => "categories",
            Field::Language => "language",
            Field::Enclosure => "enclosures",
        }
    }

    /// Below this combined weight a field is left empty: no value beats a wrong one.
    fn floor(self) -> f32 {
        match self {
            Field::Title => 0.1,
            Field::Author => 0.35,
            Field::Published | Field::Modified => 0.35,
            Field::Summary => 0.1,
            Field::Image | Field::Category | Field::Language | Field::Enclosure => 0.1,
        }
    }
}

/// One proposed value.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The field it is for.
    pub field: Field,
    /// The value, cleaned (authors: names joined "A, B and C").
    pub value: String,
    /// Parsed date, for date fields.
    pub date: Option<ParsedDate>,
    /// Where it came from, e.g. `json-ld datePublished` or `meta og:title`.
    pub source: Provenance,
    /// How far that source is trusted, 0..1.
    pub weight: f32,
}

/// The outcome of the vote for one field.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// Index of the winning candidate in the list passed to [`choose`].
    pub winner: Option<usize>,
    /// Combined weight of the winning group.
    pub score: f32,
    /// Sources that agreed with the winner.
    pub agreeing: usize,
}

/// The key under which candidates count as agreeing.
fn agreement_key(c: &Candidate) -> String {
    match c.field {
        Field::Published | Field::Modified => c
            .date
            .map(|d| d.value.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        Field::Author => {
            let mut toks: Vec<String> = name_tokens(&c.value);
            toks.sort();
            toks.join(" ")
        }
        Field::Title | Field::Summary | Field::Category | Field::Language => normalise(&c.value),
        Field::Image | Field::Enclosure => c.value.clone(),
    }
}

/// Lower-case letters and digits, single spaces: what "the same text" means here.
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        // ASCII, most of every page, without the Unicode tables.
        let alnum = if c.is_ascii() {
            c.is_ascii_alphanumeric()
        } else {
            c.is_alphanumeric()
        };
        if alnum {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        } else {
            space = true;
        }
    }
    out
}

/// Name tokens of a byline, joiners dropped.
pub fn name_tokens(s: &str) -> Vec<String> {
    normalise(s)
        .split(' ')
        .filter(|t| !t.is_empty() && !matches!(*t, "and" | "und" | "et" | "y" | "e" | "by"))
        .map(str::to_string)
        .collect()
}

/// Picks the winner among candidates for `field`: the group of agreeing candidates
/// with the highest weight, where each group scores its best weight plus a quarter of
/// every other distinct source's weight. Ties go to the earlier candidate.
pub fn choose(cands: &[Candidate], field: Field) -> Verdict {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, c) in cands.iter().enumerate() {
        if c.field != field {
            continue;
        }
        let key = agreement_key(c);
        if key.is_empty() {
            continue;
        }
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(i),
            None => groups.push((key, vec![i])),
        }
    }
    let mut best = Verdict {
        winner: None,
        score: 0.0,
        agreeing: 0,
    };
    for (_, members) in &groups {
        let mut weights: Vec<(f32, &Provenance)> = members
            .iter()
            .map(|&i| (cands[i].weight, &cands[i].source))
            .collect();
        weights.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut seen: Vec<&Provenance> = Vec::new();
        let mut score = 0.0;
        for (w, src) in weights {
            // Descriptions in meta tags are copies of one CMS field: their agreement is
            // one statement, not several.
            let by_family = field == Field::Summary;
            if seen.iter().any(|s| s.same_statement(src, by_family)) {
                continue;
            }
            score += if seen.is_empty() { w } else { w * 0.25 };
            seen.push(src);
        }
        if score > best.score + 1e-6 {
            // The representative: the most reliable member; for dates, the most precise
            // among the members that are nearly as reliable.
            let top = members
                .iter()
                .copied()
                .max_by(|&a, &b| {
                    rep_rank(&cands[a])
                        .total_cmp(&rep_rank(&cands[b]))
                        .then(b.cmp(&a))
                })
                .unwrap_or(members[0]);
            best = Verdict {
                winner: Some(top),
                score,
                agreeing: seen.len(),
            };
        }
    }
    if best.score < field.floor() {
        best.winner = None;
    }
    best
}

/// Least weight of a candidate whose calendar date may tell a UTC timestamp's local day.
const LOCAL_ANCHOR_WEIGHT: f32 = 0.4;
/// UTC timestamps earlier in the day than this may fall on the previous local day
/// (zones down to UTC−10); later ones on the next (zones up to UTC+14).
const PREV_DAY_BEFORE_SECS: u32 = 10 * 3600;

/// Moves UTC timestamps to the page's local calendar day when the page says which day
/// that is.
///
/// A page's date is its own local calendar date, but many CMSes write their timestamps
/// in UTC (`Z`, `+00:00`): "2018-12-31T23:11:59Z" on a German blog is New Year's Day
/// at home. A timestamp with a non-zero offset, or a date without a time (a visible
/// dateline, the URL path), states the local day. So when such a local source names
/// the day just before or after a UTC timestamp's own day, in the direction its time
/// of day allows, and no local source names the UTC day itself, the timestamp is
/// re-expressed (same instant) in an offset that lands on the local day and then
/// votes with it. Midnight UTC is a date without a time and is left alone.
pub fn localise_utc_dates(cands: &mut [Candidate]) {
    use chrono::{FixedOffset, Timelike};
    for field in [Field::Published, Field::Modified] {
        let locals: Vec<(chrono::NaiveDate, Option<FixedOffset>)> = cands
            .iter()
            .filter(|c| c.field == field && c.weight >= LOCAL_ANCHOR_WEIGHT)
            .filter_map(|c| c.date)
            .filter(|d| !d.has_time || d.value.offset().local_minus_utc() != 0)
            .map(|d| {
                let off = d.has_time.then(|| *d.value.offset());
                (d.value.date_naive(), off)
            })
            .collect();
        if locals.is_empty() {
            continue;
        }
        for c in cands.iter_mut().filter(|c| c.field == field) {
            let Some(d) = c.date.as_mut() else { continue };
            if !d.has_time || d.value.offset().local_minus_utc() != 0 {
                continue;
            }
            let secs = d.value.num_seconds_from_midnight();
            if secs == 0 {
                continue;
            }
            let day = d.value.date_naive();
            if locals.iter().any(|(l, _)| *l == day) {
                continue;
            }
            let (target, guess) = if secs < PREV_DAY_BEFORE_SECS {
                // The smallest whole-hour offset west of UTC that reaches the day before.
                (day.pred_opt(), -((secs / 3600 + 1) as i32) * 3600)
            } else {
                (day.succ_opt(), (24 - secs / 3600) as i32 * 3600)
            };
            let Some(target) = target else { continue };
            if !locals.iter().any(|(l, _)| *l == target) {
                continue;
            }
            // The offset a local timestamp gives, when it lands on that day; else the
            // nearest whole-hour offset that does.
            let offset = locals
                .iter()
                .filter_map(|(_, o)| *o)
                .find(|o| d.value.with_timezone(o).date_naive() == target)
                .or_else(|| FixedOffset::east_opt(guess));
            if let Some(o) = offset {
                d.value = d.value.with_timezone(&o);
                c.value = d.value.to_rfc3339();
            }
        }
    }
}

fn rep_rank(c: &Candidate) -> f32 {
    let precision = match c.date {
        Some(d) if d.has_time => 0.3,
        _ => 0.0,
    };
    c.weight + precision
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(field: Field, value: &str, source: Provenance, weight: f32) -> Candidate {
        Candidate {
            field,
            value: value.into(),
            date: None,
            source,
            weight,
        }
    }

    #[test]
    fn agreement_beats_a_single_stronger_source() {
        let cands = vec![
            cand(
                Field::Title,
                "Site Wide Name",
                Provenance::JsonLd("headline"),
                0.8,
            ),
            cand(
                Field::Title,
                "The Real Headline",
                Provenance::Meta("og:title"),
                0.6,
            ),
            cand(Field::Title, "The real headline!", Provenance::H1, 0.6),
            cand(
                Field::Title,
                "The Real Headline",
                Provenance::Meta("twitter:title"),
                0.6,
            ),
        ];
        let v = choose(&cands, Field::Title);
        assert_eq!(v.winner, Some(1));
        assert_eq!(v.agreeing, 3);
    }

    #[test]
    fn weak_lone_author_stays_below_the_floor() {
        let cands = vec![cand(Field::Author, "Someone", Provenance::ByLine, 0.2)];
        assert_eq!(choose(&cands, Field::Author).winner, None);
    }

    #[test]
    fn author_agreement_ignores_order_and_joiners() {
        let a = cand(
            Field::Author,
            "Ann Lee and Bo Chan",
            Provenance::Meta("author"),
            0.5,
        );
        let b = cand(
            Field::Author,
            "Bo Chan, Ann Lee",
            Provenance::JsonLd("author"),
            0.5,
        );
        assert_eq!(agreement_key(&a), agreement_key(&b));
    }
}
