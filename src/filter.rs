//! Per-feed filters and rewrites: `[feed.filter]` and `[[feed.rewrite]]`.
//!
//! Contract: [`compile`] turns the raw config tables into compiled regexes and
//! durations, or reports each problem with the byte offset of its value, the key and a
//! message (the config layer adds the file, line and feed). [`Rules::apply`] is pure:
//! given a stored item, its first sighting and `now`, it returns the item as published
//! (rewrites applied to title, summary, author or link; the guid never changes) and why
//! the filter drops it, if it does. Rewrites apply before the filter. Nothing here
//! touches the history or the files: the pipeline publishes what this says, so the
//! files stay a pure function of history + config.

use std::time::Duration;

use chrono::{DateTime, Utc};
use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use crate::model::Item;

/// Longest `max_age` accepted: 100 years.
pub const MAX_AGE_LIMIT: Duration = Duration::from_secs(100 * 366 * 24 * 60 * 60);

/// Largest compiled size of one pattern (regex's own limit is 10 MiB by default; a
/// feed's keyword pattern needs far less).
const PATTERN_SIZE_LIMIT: usize = 1 << 20;

/// `[feed.filter]` as written.
#[derive(Deserialize)]
pub(crate) struct RawFilter {
    include: Option<Spanned<Vec<String>>>,
    exclude: Option<Spanned<Vec<String>>>,
    fields: Option<Spanned<Vec<String>>>,
    max_age: Option<Spanned<String>>,
}

/// One `[[feed.rewrite]]` as written.
#[derive(Deserialize)]
pub(crate) struct RawRewrite {
    field: Spanned<String>,
    pattern: Spanned<String>,
    replace: Option<String>,
}

/// What a filter pattern reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterField {
    /// The title.
    Title,
    /// The summary.
    Summary,
    /// Each author name.
    Author,
    /// Each category.
    Categories,
    /// The link.
    Link,
}

impl FilterField {
    const ALL: [FilterField; 5] = [
        FilterField::Title,
        FilterField::Summary,
        FilterField::Author,
        FilterField::Categories,
        FilterField::Link,
    ];

    fn name(self) -> &'static str {
        match self {
            FilterField::Title => "title",
            FilterField::Summary => "summary",
            FilterField::Author => "author",
            FilterField::Categories => "categories",
            FilterField::Link => "link",
        }
    }

    fn parse(s: &str) -> Option<FilterField> {
        FilterField::ALL.into_iter().find(|f| f.name() == s)
    }

    /// The item's texts for this field.
    fn texts(self, it: &Item) -> Vec<&str> {
        match self {
            FilterField::Title => it.title.as_deref().into_iter().collect(),
            FilterField::Summary => it.summary.as_deref().into_iter().collect(),
            FilterField::Author => it.authors.iter().map(String::as_str).collect(),
            FilterField::Categories => it.categories.iter().map(String::as_str).collect(),
            FilterField::Link => vec![it.link.as_str()],
        }
    }
}

/// What a rewrite changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RewriteField {
    /// The title.
    Title,
    /// The summary.
    Summary,
    /// Each author name.
    Author,
    /// The link (the guid stays).
    Link,
}

/// One compiled rewrite.
#[derive(Debug, Clone)]
pub struct Rewrite {
    /// What it changes.
    pub field: RewriteField,
    /// What it looks for.
    pub pattern: Regex,
    /// What replaces each match (`$1`, `${name}` name groups).
    pub replace: String,
}

/// A feed's compiled filter and rewrites; the default keeps every item as it is.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    /// An item is kept only when one of these matches (none: every item).
    pub include: Vec<Regex>,
    /// An item is dropped when one of these matches.
    pub exclude: Vec<Regex>,
    /// What the patterns read (default: every field).
    pub fields: Vec<FilterField>,
    /// Items older than this are dropped (by date, else first sighting).
    pub max_age: Option<Duration>,
    /// Rewrites, in config order.
    pub rewrites: Vec<Rewrite>,
}

/// A config problem: byte offset of the value, key, message.
pub(crate) type Problem = (usize, String, String);

/// Compiles a feed's `[feed.filter]` and `[[feed.rewrite]]` tables.
pub(crate) fn compile(
    filter: Option<&RawFilter>,
    rewrites: &[RawRewrite],
) -> (Rules, Vec<Problem>) {
    let mut rules = Rules {
        fields: FilterField::ALL.to_vec(),
        ..Rules::default()
    };
    let mut problems = Vec::new();
    if let Some(f) = filter {
        for (list, key, out) in [
            (&f.include, "filter.include", &mut rules.include),
            (&f.exclude, "filter.exclude", &mut rules.exclude),
        ] {
            let Some(list) = list else { continue };
            for p in list.get_ref() {
                match regex(p) {
                    Ok(r) => out.push(r),
                    Err(m) => problems.push((list.span().start, key.to_string(), m)),
                }
            }
        }
        if let Some(fields) = &f.fields {
            let mut chosen = Vec::new();
            for name in fields.get_ref() {
                match FilterField::parse(name) {
                    Some(x) if !chosen.contains(&x) => chosen.push(x),
                    Some(_) => {}
                    None => problems.push((
                        fields.span().start,
                        "filter.fields".into(),
                        format!(
                            "unknown field {name:?}; use \"title\", \"summary\", \"author\", \
                             \"categories\" or \"link\""
                        ),
                    )),
                }
            }
            if fields.get_ref().is_empty() {
                problems.push((
                    fields.span().start,
                    "filter.fields".into(),
                    "must list at least one field".into(),
                ));
            }
            if !chosen.is_empty() {
                rules.fields = chosen;
            }
        }
        if let Some(age) = &f.max_age {
            match humantime::parse_duration(age.get_ref()) {
                Ok(d) if d.is_zero() || d > MAX_AGE_LIMIT => problems.push((
                    age.span().start,
                    "filter.max_age".into(),
                    format!(
                        "{:?} is out of range: must be more than 0s and at most {}",
                        age.get_ref(),
                        humantime::format_duration(MAX_AGE_LIMIT)
                    ),
                )),
                Ok(d) => rules.max_age = Some(d),
                Err(e) => problems.push((
                    age.span().start,
                    "filter.max_age".into(),
                    format!(
                        "{:?} is not a duration ({e}); write e.g. \"30d\"",
                        age.get_ref()
                    ),
                )),
            }
        }
    }
    for r in rewrites {
        let field = match r.field.get_ref().as_str() {
            "title" => Some(RewriteField::Title),
            "summary" => Some(RewriteField::Summary),
            "author" => Some(RewriteField::Author),
            "link" => Some(RewriteField::Link),
            other => {
                problems.push((
                    r.field.span().start,
                    "rewrite.field".into(),
                    format!(
                        "unknown field {other:?}; use \"title\", \"summary\", \"author\" or \"link\""
                    ),
                ));
                None
            }
        };
        let pattern = match regex(r.pattern.get_ref()) {
            Ok(p) => Some(p),
            Err(m) => {
                problems.push((r.pattern.span().start, "rewrite.pattern".into(), m));
                None
            }
        };
        if let (Some(field), Some(pattern)) = (field, pattern) {
            rules.rewrites.push(Rewrite {
                field,
                pattern,
                replace: r.replace.clone().unwrap_or_default(),
            });
        }
    }
    (rules, problems)
}

fn regex(p: &str) -> Result<Regex, String> {
    regex::RegexBuilder::new(p)
        .size_limit(PATTERN_SIZE_LIMIT)
        .build()
        .map_err(|e| {
            // regex's message spans several lines (the pattern, a caret, the error);
            // its last line says what is wrong.
            let text = e.to_string();
            let why = text
                .lines()
                .last()
                .unwrap_or("")
                .trim()
                .trim_start_matches("error: ");
            format!("{p:?} is not a valid regular expression: {why}")
        })
}

impl Rules {
    /// Whether these rules change nothing (no filter, no rewrite).
    pub fn is_empty(&self) -> bool {
        self.include.is_empty()
            && self.exclude.is_empty()
            && self.max_age.is_none()
            && self.rewrites.is_empty()
    }

    /// The item as published (rewrites applied) and why the filter drops it (`None`:
    /// published). `first_seen` dates an item without a date for `max_age`.
    pub fn apply(
        &self,
        item: &Item,
        first_seen: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> (Item, Option<String>) {
        let mut it = item.clone();
        for r in &self.rewrites {
            let sub = |s: &str| {
                r.pattern
                    .replace_all(s, r.replace.as_str())
                    .trim()
                    .to_string()
            };
            match r.field {
                RewriteField::Title => {
                    it.title = it.title.as_deref().map(sub).filter(|t| !t.is_empty())
                }
                RewriteField::Summary => {
                    it.summary = it.summary.as_deref().map(sub).filter(|t| !t.is_empty())
                }
                RewriteField::Author => {
                    it.authors = it
                        .authors
                        .iter()
                        .map(|a| sub(a))
                        .filter(|a| !a.is_empty())
                        .collect()
                }
                RewriteField::Link => {
                    // A rewritten link that is not an http(s) URL leaves the link as it was.
                    if let Ok(u) = url::Url::parse(&sub(it.link.as_str())) {
                        if matches!(u.scheme(), "http" | "https") {
                            it.link = u;
                        }
                    }
                }
            }
        }
        let why = self.verdict(&it, first_seen, now);
        (it, why)
    }

    fn verdict(&self, it: &Item, first_seen: DateTime<Utc>, now: DateTime<Utc>) -> Option<String> {
        if let Some(age) = self.max_age {
            let when = it
                .published
                .map(|d| d.with_timezone(&Utc))
                .unwrap_or(first_seen);
            let limit = chrono::Duration::from_std(age).unwrap_or(chrono::Duration::MAX);
            if now.signed_duration_since(when) > limit {
                let by = if it.published.is_some() {
                    "dated"
                } else {
                    "first seen"
                };
                return Some(format!(
                    "older than max_age {} ({by} {})",
                    humantime::format_duration(age),
                    when.format("%Y-%m-%d")
                ));
            }
        }
        let hit = |r: &Regex| {
            self.fields
                .iter()
                .find(|f| f.texts(it).iter().any(|t| r.is_match(t)))
                .map(|f| f.name())
        };
        for r in &self.exclude {
            if let Some(field) = hit(r) {
                return Some(format!(
                    "exclude pattern {:?} matches the {field}",
                    r.as_str()
                ));
            }
        }
        if !self.include.is_empty() && !self.include.iter().any(|r| hit(r).is_some()) {
            return Some("no include pattern matches".into());
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(toml_text: &str) -> Result<Rules, Vec<Problem>> {
        #[derive(Deserialize)]
        struct Doc {
            filter: Option<RawFilter>,
            #[serde(default)]
            rewrite: Vec<RawRewrite>,
        }
        let doc: Doc = toml::from_str(toml_text).expect("test TOML parses");
        let (r, problems) = compile(doc.filter.as_ref(), &doc.rewrite);
        if problems.is_empty() {
            Ok(r)
        } else {
            Err(problems)
        }
    }

    fn item(title: &str, summary: &str, date: Option<&str>) -> Item {
        Item {
            guid: "https://e.com/a".into(),
            link: url::Url::parse("https://e.com/a").unwrap(),
            title: Some(title.into()),
            authors: vec!["Jo Doe".into()],
            published: date.map(|d| DateTime::parse_from_rfc3339(d).unwrap()),
            updated: None,
            summary: Some(summary.into()),
            content_html: None,
            image: None,
            categories: vec!["Sport".into()],
            language: None,
            enclosures: Vec::new(),
        }
    }

    #[test]
    fn include_exclude_fields_and_max_age_say_why_they_drop() {
        let r = rules(
            "[filter]\ninclude = [\"(?i)rust|webassembly\"]\nexclude = [\"(?i)sponsored\"]\n\
             fields = [\"title\", \"categories\"]\nmax_age = \"30d\"\n",
        )
        .unwrap();
        let now = DateTime::parse_from_rfc3339("2026-03-01T00:00:00Z")
            .unwrap()
            .to_utc();
        let keep = item("Rust 2.0 is out", "x", Some("2026-02-20T00:00:00Z"));
        assert_eq!(r.apply(&keep, now, now).1, None);
        let sponsored = item("Sponsored: Rust hosting", "x", Some("2026-02-20T00:00:00Z"));
        assert_eq!(
            r.apply(&sponsored, now, now).1.as_deref(),
            Some("exclude pattern \"(?i)sponsored\" matches the title")
        );
        // The summary is not read: `fields` names title and categories only.
        let other = item("Gardening", "all about Rust", Some("2026-02-20T00:00:00Z"));
        assert_eq!(
            r.apply(&other, now, now).1.as_deref(),
            Some("no include pattern matches")
        );
        let old = item("Rust 1.0", "x", Some("2026-01-02T00:00:00Z"));
        assert_eq!(
            r.apply(&old, now, now).1.as_deref(),
            Some("older than max_age 30days (dated 2026-01-02)")
        );
    }

    #[test]
    fn rewrites_apply_before_the_filter_and_keep_the_guid() {
        let r = rules(
            "[filter]\nexclude = [\"Example News$\"]\n\
             [[rewrite]]\nfield = \"title\"\npattern = \" [-|] Example News$\"\nreplace = \"\"\n\
             [[rewrite]]\nfield = \"link\"\npattern = \"^https://e.com/\"\nreplace = \"https://www.e.com/\"\n",
        )
        .unwrap();
        let now = Utc::now();
        let (it, why) = r.apply(&item("Big match | Example News", "x", None), now, now);
        assert_eq!(why, None);
        assert_eq!(it.title.as_deref(), Some("Big match"));
        assert_eq!(it.link.as_str(), "https://www.e.com/a");
        assert_eq!(it.guid, "https://e.com/a");
    }

    #[test]
    fn bad_patterns_fields_and_ages_name_their_key() {
        let p = rules(
            "[filter]\ninclude = [\"(unclosed\"]\nfields = [\"body\"]\nmax_age = \"soon\"\n\
             [[rewrite]]\nfield = \"guid\"\npattern = \"[z-a]\"\n",
        )
        .unwrap_err();
        let keys: Vec<&str> = p.iter().map(|(_, k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "filter.include",
                "filter.fields",
                "filter.max_age",
                "rewrite.field",
                "rewrite.pattern"
            ]
        );
        assert!(
            p[0].2
                .starts_with("\"(unclosed\" is not a valid regular expression: "),
            "{}",
            p[0].2
        );
    }
}
