//! Extraction: title, author, date and summary of an article page.
//!
//! Contract: [`extract`] is pure, `(html, url, context) → Extracted`. It parses nothing
//! itself (the caller parses the page once and every source reads the same DOM), does no
//! I/O and reads no clock: the fetch time comes in the [`crate::date::DateContext`].
//!
//! Every source (JSON-LD, meta tags, microdata, microformats, markup hints, bylines, the
//! URL, the text) proposes [`candidates::Candidate`]s tagged with their provenance and
//! reliability; [`candidates::choose`] picks each field's winner by agreement and
//! reliability. Comments, navigation, related-article lists and footers never feed a
//! field (see [`sources::in_boilerplate`]).

pub mod author;
pub mod boilerplate;
pub mod candidates;
pub mod dom;
pub mod jsonld;
pub mod media;
pub mod provenance;
pub mod sink;
pub mod sources;
pub mod state;
pub mod summary;
pub mod title;
pub mod words;

use chrono::{DateTime, FixedOffset};
use scraper::Html;
use std::fmt::Write as _;
use url::Url;

use crate::date::DateContext;
use crate::html::links::canonical_url_with;
use crate::html::Metas;
use candidates::{choose, Candidate, Field, Provenance, Verdict};
use sink::Sink;

/// Longest title kept, in characters.
pub const MAX_TITLE_CHARS: usize = 300;
/// Longest summary kept, in characters (descriptions can be long; paragraphs are cut
/// near [`SUMMARY_TARGET_CHARS`]).
pub const MAX_SUMMARY_CHARS: usize = 1000;
/// Where a summary taken from the body is cut, at a sentence end.
pub const SUMMARY_TARGET_CHARS: usize = 300;

/// What extraction found on one page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    /// The page's canonical URL (`<link rel=canonical>`, `og:url`), when it names one.
    pub canonical: Option<Url>,
    /// The headline.
    pub title: Option<String>,
    /// Authors in byline order.
    pub authors: Vec<String>,
    /// Publication time, with the page's own offset.
    pub published: Option<DateTime<FixedOffset>>,
    /// Modification time, when given.
    pub modified: Option<DateTime<FixedOffset>>,
    /// Dek, description or first paragraph.
    pub summary: Option<String>,
    /// The page's language (`<html lang>`, `Content-Language` meta, `og:locale`, else
    /// JSON-LD `inLanguage`).
    pub lang: Option<String>,
    /// The lead image, absolute (see [`media`]).
    pub image: Option<Url>,
    /// The article's categories and tags.
    pub categories: Vec<String>,
    /// Audio and video files of the article, length 0 (the pipeline asks for it).
    pub enclosures: Vec<crate::model::Enclosure>,
    /// The site's name (`og:site_name`).
    pub site_name: Option<String>,
    /// Sanitised main content, filled by the caller with [`crate::readability::main_content`] when a
    /// feed asks for it (`content = "full"`); `extract` leaves it empty.
    pub content_html: Option<String>,
    /// Every candidate, for `--explain`.
    pub candidates: Vec<Candidate>,
    /// The vote per field, for `--explain`.
    pub verdicts: Vec<(Field, Verdict)>,
}

/// Extracts an article page's metadata. `ctx.lang` is ignored: the page's own
/// language is read from its markup.
pub fn extract(html: &Html, url: &Url, ctx: &DateContext) -> Extracted {
    // One walk over the page's elements, shared by every source below.
    let dom = dom::Dom::new(html);
    let metas = Metas::from_elements(dom.named("meta"));
    let lang_found = page_lang(html, &metas);
    let lang = lang_found.as_ref().map(|(l, _)| l.clone());
    let ctx = DateContext {
        lang: lang.as_deref().or_else(|| tld_lang(url)),
        ..*ctx
    };
    let mut sink = Sink {
        cands: Vec::new(),
        ctx,
    };
    let ld_values = jsonld::values_in(dom.named("script"));
    let ld = jsonld::articles_from(&ld_values);
    let canonical = canonical_url_with(html, &metas, url);
    let page_urls: Vec<&str> = [Some(url.as_str()), canonical.as_ref().map(Url::as_str)]
        .into_iter()
        .flatten()
        .collect();
    for (i, a) in ld.iter().enumerate() {
        // The object describing this page counts fully; others (e.g. a related article
        // listed in the same graph) much less.
        let about_page = i == 0
            || a.urls
                .iter()
                .any(|u| page_urls.iter().any(|p| same_page(u, p)));
        let k = if about_page { 1.0 } else { 0.3 };
        let page_level = matches!(
            a.kind.as_str(),
            "WebPage" | "ItemPage" | "CreativeWork" | "Blog"
        );
        let k = if page_level { k * 0.6 } else { k };
        if let Some(h) = &a.headline {
            sink.text(Field::Title, h, Provenance::JsonLd("headline"), 0.8 * k);
        }
        // A news agency listed as an organisation beside the people is a co-credit.
        let agencies = a
            .organisations
            .iter()
            .filter(|o| !a.people.is_empty() && author::is_agency(o));
        sink.authors(
            &a.people
                .iter()
                .chain(agencies)
                .flat_map(|p| author::clean_authors(p))
                .collect::<Vec<_>>(),
            Provenance::JsonLd("author"),
            0.9 * k,
        );
        if a.people.is_empty() {
            sink.authors(&a.organisations, Provenance::JsonLdOrganisation, 0.3 * k);
        }
        if let Some(d) = &a.published {
            sink.date(
                Field::Published,
                d,
                Provenance::JsonLd("datePublished"),
                0.9 * k,
                true,
            );
        }
        if let Some(d) = &a.modified {
            sink.date(
                Field::Modified,
                d,
                Provenance::JsonLd("dateModified"),
                0.85 * k,
                true,
            );
        }
        if let Some(d) = &a.description {
            sink.text(
                Field::Summary,
                d,
                Provenance::JsonLd("description"),
                0.75 * k,
            );
        }
    }
    sources::meta(&mut sink, &metas);
    sources::markup(&mut sink, &dom, url);
    sources::copyright(&mut sink, &dom, metas.get("copyright"));

    let site_name = metas
        .get("og:site_name")
        .or_else(|| metas.get("application-name"))
        .and_then(crate::text::clean_opt)
        .or_else(|| ld.iter().find_map(|a| a.publisher.clone()));
    let site_keys = site_keys(site_name.as_deref(), url);
    demote_site_as_author(&mut sink.cands, &site_keys);
    demote_accounts(&mut sink.cands);
    title::add_title_candidates(&mut sink, html, site_name.as_deref(), url);
    summary::add_summary_candidates(&mut sink, &dom);

    let mut cands = sink.cands;
    // A page read from disk resolves its image and media links as on its public address.
    let base = match (url.scheme(), &canonical) {
        ("file", Some(c)) => c,
        _ => url,
    };
    let media = media::add_media(
        &mut cands,
        &dom,
        &metas,
        &ld_values,
        base,
        lang_found.as_ref().map(|(l, s)| (l.as_str(), s.clone())),
    );
    settle_guessed_years(&mut cands);
    candidates::localise_utc_dates(&mut cands);
    if let Some(zone) = ctx.lang.and_then(crate::date::language_zone) {
        localise_by_language(&mut cands, zone);
    }
    prefer_original_publication(&mut cands);
    let verdicts: Vec<(Field, Verdict)> =
        Field::ALL.iter().map(|&f| (f, choose(&cands, f))).collect();
    let win = |f: Field| -> Option<&Candidate> {
        verdicts
            .iter()
            .find(|(g, _)| *g == f)
            .and_then(|(_, v)| v.winner)
            .map(|i| &cands[i])
    };
    let title = win(Field::Title).map(|c| crate::text::truncate_chars(&c.value, MAX_TITLE_CHARS));
    let authors = win(Field::Author)
        .map(|c| drop_site_coauthors(author::clean_authors(&c.value), &site_keys))
        .unwrap_or_default();
    let published = win(Field::Published).and_then(|c| c.date).map(|d| d.value);
    let modified = win(Field::Modified)
        .and_then(|c| c.date)
        .map(|d| d.value)
        .filter(|m| published.is_none_or(|p| *m >= p));
    let summary =
        win(Field::Summary).map(|c| crate::text::truncate_chars(&c.value, MAX_SUMMARY_CHARS));
    let mut e = Extracted {
        canonical,
        title,
        authors,
        // A page that only says when it was modified is dated by that.
        published: published.or(modified),
        modified,
        summary,
        lang: media.language,
        image: media.image,
        categories: media.categories,
        enclosures: media.enclosures,
        site_name,
        content_html: None,
        candidates: cands,
        verdicts,
    };
    // The page's own language does not matter for the state's machine-written dates.
    let plain = DateContext { lang: None, ..ctx };
    state::fill(html, url, &plain, &mut e);
    e
}

/// A date given without a year takes its year from the fetch time, which is wrong for
/// an older page (a saved 2019 page read in 2026). When another date on the page names
/// its year, the year-less date is read in that year: the year of the strongest dated
/// candidate that is not later than the guess. A relative date far after every dated
/// candidate is demoted.
fn settle_guessed_years(cands: &mut [Candidate]) {
    use chrono::Datelike;
    let guessed = |c: &Candidate| c.source.year_guessed();
    let is_date = |c: &Candidate| matches!(c.field, Field::Published | Field::Modified);
    let Some(year) = cands
        .iter()
        .filter(|c| is_date(c) && !guessed(c))
        .filter_map(|c| c.date.map(|d| (d.value.year(), c.weight)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(y, _)| y)
    else {
        return;
    };
    for c in cands.iter_mut().filter(|c| is_date(c) && guessed(c)) {
        let Some(d) = c.date.as_mut() else { continue };
        if d.value.year() <= year {
            continue;
        }
        if let Some(v) = d.value.with_year(year) {
            d.value = v;
            c.value = v.to_rfc3339();
        }
    }
    // A relative date ("3 hours ago") is resolved against the fetch time too: on a
    // saved page read later it lands after every dated statement of the page. Then
    // it only counts beside them, never alone.
    let Some(latest) = cands
        .iter()
        .filter(|c| is_date(c) && !guessed(c) && c.date.is_some_and(|d| !d.relative))
        .filter_map(|c| c.date.map(|d| d.value))
        .max()
    else {
        return;
    };
    for c in cands.iter_mut().filter(|c| is_date(c)) {
        if c.date
            .is_some_and(|d| d.relative && d.value > latest + chrono::Days::new(2))
        {
            c.weight = c.weight.min(RELATIVE_AFTER_DATED);
        }
    }
}

/// A date field whose every candidate is a UTC timestamp (`Z`, `+00:00`) with a time
/// of day is re-expressed (same instant) in the zone the page's language is written
/// in: "2024-08-26T23:27:57Z" on a German page was published on the 27th at home, and
/// a page's date is its local calendar day. A timestamp with a non-zero offset, or a
/// date without a time, already states the local day and leaves the field alone (see
/// `candidates::localise_utc_dates`). Only machine-written timestamps move: a visible
/// time without a zone was read in the feed's zone, which may not be UTC's.
fn localise_by_language(cands: &mut [Candidate], zone: chrono_tz::Tz) {
    use chrono::Timelike;
    let utc_time = |d: &crate::date::ParsedDate| {
        d.has_time
            && d.value.offset().local_minus_utc() == 0
            && d.value.num_seconds_from_midnight() != 0
    };
    let machine = |c: &Candidate| c.source == Provenance::TimeDatetime || c.source.is_metadata();
    for field in [Field::Published, Field::Modified] {
        let mut dated = cands
            .iter()
            .filter(|c| c.field == field)
            .filter_map(|c| c.date);
        if !dated.all(|d| utc_time(&d)) {
            continue;
        }
        for c in cands.iter_mut().filter(|c| c.field == field && machine(c)) {
            let Some(d) = c.date.as_mut() else { continue };
            d.value = d.value.with_timezone(&zone).fixed_offset();
            c.value = d.value.to_rfc3339();
        }
    }
}

/// The most a relative date that lands days after every dated statement of the page
/// may weigh: below the date floor.
const RELATIVE_AFTER_DATED: f32 = 0.2;

/// Weight a publication-date candidate needs to count as the page's own structured
/// statement of its first publication.
const STRUCTURED_PUBLISHED: f32 = 0.8;

/// Published preferred over modified: an updated page often shows (and marks up as
/// "published") the day of its update. When the page's modification date is known,
/// publication candidates on that day are halved if a structured source gives an
/// earlier publication, so "published April 2017, updated February 2020" is dated
/// April 2017 even when the visible dateline shows the update.
fn prefer_original_publication(cands: &mut [Candidate]) {
    let day = |c: &Candidate| c.date.map(|d| d.value.date_naive());
    let Some(modified) = choose(cands, Field::Modified)
        .winner
        .and_then(|i| day(&cands[i]))
    else {
        return;
    };
    let earlier = cands.iter().any(|c| {
        c.field == Field::Published
            && c.weight >= STRUCTURED_PUBLISHED
            && day(c).is_some_and(|d| d < modified)
    });
    if !earlier {
        return;
    }
    for c in cands.iter_mut() {
        if c.field == Field::Published && day(c) == Some(modified) {
            c.weight *= 0.5;
        }
    }
}

/// The most an author candidate that is just the site's own name may weigh: above the
/// author floor, below any byline that names a person.
const SITE_AS_AUTHOR: f32 = 0.4;

/// A byline that names the site itself ("ABC News", "Makronom") is the publisher, not
/// the author: it may stand when no person is named, but any person named in a byline
/// beats it.
fn demote_site_as_author(cands: &mut [Candidate], names: &[String]) {
    for c in cands.iter_mut().filter(|c| c.field == Field::Author) {
        let v = candidates::normalise(&c.value).replace(' ', "");
        if names
            .iter()
            .any(|n| v == *n || (v.len() >= 3 && (n.starts_with(&v) || v.starts_with(n.as_str()))))
        {
            c.weight = c.weight.min(SITE_AS_AUTHOR);
        }
    }
}

/// Login names that CMSs put in the author field ("admin", "editor", "wpengine"):
/// accounts, not bylines.
const ACCOUNT_NAMES: &[&str] = &[
    "admin",
    "administrator",
    "webmaster",
    "editor",
    "root",
    "user",
    "wpengine",
    "wordpress",
    "webredaktion",
    "cms",
];

/// An author that is a CMS account, written as a login (one lower-case word, or a
/// known account name), weighs no more than the site's own name: a byline that names
/// a person beats it, and it stands only when nothing else is named.
fn demote_accounts(cands: &mut [Candidate]) {
    for c in cands.iter_mut().filter(|c| c.field == Field::Author) {
        let v = c.value.trim();
        let login = !v.contains(char::is_whitespace)
            && v.chars().all(|ch| {
                ch.is_ascii_lowercase() || ch.is_ascii_digit() || matches!(ch, '_' | '.' | '-')
            })
            && !author::is_agency(v);
        if login || ACCOUNT_NAMES.contains(&v.to_lowercase().as_str()) {
            c.weight = c.weight.min(SITE_AS_AUTHOR);
        }
    }
}

/// Drops the site's own name ("Jane Doe and Daily Gull", "Jane Doe and Daily Gull
/// Health News") from a byline that also names a person. Beside an agency only ("Le
/// Figaro and AFP") the site is a co-credit and stays, as does a staff code written
/// with the site's name ("srf/hosb").
fn drop_site_coauthors(authors: Vec<String>, names: &[String]) -> Vec<String> {
    let is_site = |a: &str| {
        let toks = candidates::normalise(a);
        let joined = toks.replace(' ', "");
        let first = toks.split(' ').next().unwrap_or("");
        !author::is_agency(a)
            && !a.contains('/')
            && names.iter().any(|n| {
                joined == *n || first == n || (joined.starts_with(n.as_str()) && n.len() >= 5)
            })
    };
    let person = |a: &String| !is_site(a) && !author::is_agency(a);
    if authors.len() < 2 || !authors.iter().any(person) {
        return authors;
    }
    authors.into_iter().filter(|a| !is_site(a)).collect()
}

/// The site's names, lower case without spaces: its `og:site_name` and the
/// registered name of its host.
fn site_keys(site_name: Option<&str>, url: &Url) -> Vec<String> {
    let mut names: Vec<String> = site_name
        .map(|s| candidates::normalise(s).replace(' ', ""))
        .into_iter()
        .collect();
    if let Some(name) = url.host_str().and_then(crate::html::site::registered_name) {
        names.push(name.replace('-', ""));
    }
    names.retain(|n| n.len() >= 3);
    names
}

fn same_page(a: &str, b: &str) -> bool {
    let trim = |s: &str| {
        s.trim()
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_start_matches("www.")
            .split(['#', '?'])
            .next()
            .unwrap_or("")
            .trim_end_matches('/')
            .to_string()
    };
    trim(a) == trim(b)
}

/// The page's declared language and where it was declared.
fn page_lang(html: &Html, metas: &Metas) -> Option<(String, Provenance)> {
    html.root_element()
        .value()
        .attr("lang")
        .or_else(|| {
            html.select(selector!("html[lang]"))
                .next()?
                .value()
                .attr("lang")
        })
        .map(|l| (l, Provenance::HtmlLang))
        .or_else(|| {
            metas
                .get("content-language")
                .map(|l| (l, Provenance::Meta("content-language")))
        })
        .or_else(|| {
            metas
                .get("og:locale")
                .map(|l| (l, Provenance::Meta("og:locale")))
        })
        .map(|(l, s)| (l.trim().replace('_', "-"), s))
        .filter(|(l, _)| !l.is_empty())
}

/// Country domains whose sites write in one language, and that language: how dates
/// are read on a page that declares no language ("23.09.22" on a `.de` site is German).
/// Multilingual countries (`.ch`, `.be`, `.ca`) are left out.
const TLD_LANGS: &[(&str, &str)] = &[
    ("de", "de"),
    ("at", "de"),
    ("fr", "fr"),
    ("it", "it"),
    ("es", "es"),
    ("nl", "nl"),
    ("pl", "pl"),
    ("cz", "cs"),
    ("dk", "da"),
    ("se", "sv"),
    ("no", "no"),
    ("fi", "fi"),
    ("pt", "pt"),
    ("br", "pt"),
    ("ru", "ru"),
    ("jp", "ja"),
];

/// The language a page's country domain implies, for pages that declare none.
fn tld_lang(url: &Url) -> Option<&'static str> {
    let tld = url.host_str()?.rsplit('.').next()?;
    TLD_LANGS
        .iter()
        .find(|(t, _)| tld.eq_ignore_ascii_case(t))
        .map(|(_, l)| *l)
}

/// A human-readable account of every candidate and why each winner won.
pub fn explain(e: &Extracted) -> String {
    let mut out = String::new();
    explain_fields(e, &mut out);
    let chosen = crate::html::media::Media {
        image: e.image.clone(),
        categories: e.categories.clone(),
        language: e.lang.clone(),
        enclosures: e.enclosures.clone(),
    };
    media::explain(&e.candidates, &chosen, &mut out);
    out
}

/// One `--explain` line: the candidate's weight, source and value, `→` when taken.
pub(crate) fn candidate_line(out: &mut String, c: &Candidate, taken: bool) {
    let mark = if taken { "→" } else { " " };
    let _ = writeln!(
        out,
        "  {mark} [{:.2} {}] {}",
        c.weight,
        c.source,
        crate::text::truncate_chars(&c.value, 120)
    );
}

fn explain_fields(e: &Extracted, out: &mut String) {
    for (field, verdict) in &e.verdicts {
        let _ = writeln!(out, "{}:", field.name());
        let mut idx: Vec<usize> = (0..e.candidates.len())
            .filter(|&i| e.candidates[i].field == *field)
            .collect();
        idx.sort_by(|&a, &b| e.candidates[b].weight.total_cmp(&e.candidates[a].weight));
        if idx.is_empty() {
            let _ = writeln!(out, "  (no candidates)");
        }
        for i in idx {
            let c = &e.candidates[i];
            candidate_line(out, c, verdict.winner == Some(i));
        }
        match verdict.winner {
            Some(_) => {
                let _ = writeln!(
                    out,
                    "  winner: score {:.2}, {} source(s) agree",
                    verdict.score, verdict.agreeing
                );
            }
            None if verdict.score > 0.0 => {
                let _ = writeln!(
                    out,
                    "  no winner: best score {:.2} is below the confidence floor",
                    verdict.score
                );
            }
            None => {}
        }
    }
}
