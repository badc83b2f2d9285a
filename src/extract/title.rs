//! Headline cleaning: removes the site name and section prefixes a `<title>` or an
//! `og:title` carries ("… | Site", "Site - …", "… - Japan Today").

use super::candidates::{normalise, Provenance};

const SEPARATORS: &[&str] = &[
    " | ", " || ", " - ", " – ", " — ", " :: ", " · ", " • ", " » ", " « ", " // ", " ~ ", "｜",
    " ｜ ", "：", " — ", " -- ",
];

/// Removes leading and trailing segments that name the site.
///
/// `site_names` are known names of the site (`og:site_name`, `application-name`, the
/// host); `headline` is an independent headline (the `<h1>`) when one is known: a
/// segment run equal to it is kept and the rest dropped.
pub fn strip_site_name(title: &str, site_names: &[String], headline: Option<&str>) -> String {
    let title = title.trim();
    let segments = split_segments(title);
    if segments.len() < 2 {
        return title.to_string();
    }
    // When the page's own headline is one of the contiguous runs, that run wins.
    if let Some(h) = headline.map(normalise).filter(|h| !h.is_empty()) {
        for start in 0..segments.len() {
            for end in (start + 1..=segments.len()).rev() {
                if (start, end) == (0, segments.len()) {
                    continue;
                }
                let run = join(title, &segments[start..end]);
                if normalise(&run) == h {
                    return run;
                }
            }
        }
    }
    let names: Vec<String> = site_names
        .iter()
        .map(|s| normalise(s).replace(' ', ""))
        .filter(|s| !s.is_empty())
        .collect();
    let is_site = |seg: &str| {
        let n = normalise(seg).replace(' ', "");
        !n.is_empty()
            && (names.iter().any(|s| {
                *s == n
                    || (n.len() >= 4 && s.contains(&n))
                    || (s.len() >= 4 && n.contains(s.as_str()) && n.len() <= s.len() + 12)
            }) || looks_like_domain(seg))
    };
    let mut lo = 0;
    let mut hi = segments.len();
    while hi - lo > 1 && is_site(segments[hi - 1].1) {
        hi -= 1;
    }
    // "Headline - Politik - Site": a one-word section left before the site name goes
    // with it.
    if hi < segments.len()
        && hi - lo > 1
        && segments[hi - 1].1.split_whitespace().count() == 1
        && segments[lo..hi - 1]
            .iter()
            .map(|(_, s)| s.split_whitespace().count())
            .sum::<usize>()
            >= 4
    {
        hi -= 1;
    }
    while hi - lo > 1 && is_site(segments[lo].1) {
        lo += 1;
    }
    if (lo, hi) == (0, segments.len()) {
        // No site name known: a short last segment after " | " is almost always one.
        if let Some(&(sep, last)) = segments.last() {
            let rest_words = title.len() - last.len();
            if matches!(sep, " | " | " || " | "｜" | " ｜ " | " :: " | " » ")
                && last.split_whitespace().count() <= 4
                && rest_words > last.len()
            {
                hi -= 1;
            }
        }
    }
    join(title, &segments[lo..hi])
}

/// Splits at separators, keeping each segment's preceding separator.
fn split_segments(title: &str) -> Vec<(&'static str, &str)> {
    let mut out = Vec::new();
    let mut rest = title;
    let mut sep_before: &'static str = "";
    loop {
        let next = SEPARATORS
            .iter()
            .filter_map(|s| rest.find(s).map(|i| (i, *s)))
            .min_by_key(|&(i, s)| (i, std::cmp::Reverse(s.len())));
        match next {
            Some((i, s)) => {
                out.push((sep_before, &rest[..i]));
                rest = &rest[i + s.len()..];
                sep_before = s;
            }
            None => {
                out.push((sep_before, rest));
                break;
            }
        }
    }
    out.retain(|(_, s)| !s.trim().is_empty());
    out
}

/// Rebuilds the text of a run of segments from the original title.
fn join(title: &str, run: &[(&'static str, &str)]) -> String {
    match (run.first(), run.last()) {
        (Some(first), Some(last)) => {
            let start = first.1.as_ptr() as usize - title.as_ptr() as usize;
            let end = last.1.as_ptr() as usize - title.as_ptr() as usize + last.1.len();
            title[start..end].trim().to_string()
        }
        _ => String::new(),
    }
}

fn looks_like_domain(seg: &str) -> bool {
    let s = seg.trim().to_ascii_lowercase();
    !s.contains(' ')
        && s.contains('.')
        && [
            ".com", ".net", ".org", ".co", ".io", ".de", ".jp", ".uk", ".fr", ".info", ".news",
        ]
        .iter()
        .any(|tld| s.ends_with(tld) || s.contains(&format!("{tld}.")))
}

/// Cleans the site name off every title candidate collected so far and adds the
/// `<title>` as a weaker candidate, cleaned the same way.
pub fn add_title_candidates(
    sink: &mut super::sink::Sink,
    html: &scraper::Html,
    site_name: Option<&str>,
    url: &url::Url,
) {
    use super::candidates::Field;
    let mut names: Vec<String> = site_name.map(str::to_string).into_iter().collect();
    if let Some(host) = url.host_str() {
        let host = host.trim_start_matches("www.");
        names.push(host.to_string());
        // The registered name: the label before the public suffix ("cbc" in cbc.ca,
        // "mynavi" in news.mynavi.jp, "bbc" in bbc.co.uk).
        if let Some(name) = crate::html::site::registered_name(host).filter(|l| l.len() >= 3) {
            names.push(name);
        }
    }
    let h1 = sink
        .cands
        .iter()
        .find(|c| c.field == Field::Title && c.source == Provenance::H1)
        .map(|c| c.value.clone());
    for c in sink.cands.iter_mut().filter(|c| c.field == Field::Title) {
        if c.source != Provenance::H1 {
            c.value = strip_site_name(&c.value, &names, h1.as_deref());
        }
    }
    if let Some(t) = html.select(selector!("title")).next() {
        let raw: String = t.text().collect();
        title_date(sink, &crate::text::clean(&raw));
        let cleaned = strip_site_name(&crate::text::clean(&raw), &names, h1.as_deref());
        sink.text(Field::Title, &cleaned, Provenance::Title, 0.5);
    }
    trust_visible_headline(&mut sink.cands);
}

/// The longest title segment read as a date ("08.11.2021", "22 December 2025").
const TITLE_DATE_CHARS: usize = 24;

/// A date that is a whole segment at the start or end of the `<title>` ("08.11.2021 |
/// Online-Fachtag …"): pages of news and events lists put the day there.
fn title_date(sink: &mut super::sink::Sink, title: &str) {
    use super::candidates::Field;
    let segments = split_segments(title);
    if segments.len() < 2 {
        return;
    }
    let ends = [segments.first(), segments.last()];
    for (_, seg) in ends.into_iter().flatten() {
        let seg = seg.trim();
        // Just a date: short, and mostly digits and separators or a month name with
        // a four-digit year.
        if seg.chars().count() > TITLE_DATE_CHARS || !seg.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        let before = sink.cands.len();
        sink.date(Field::Published, seg, Provenance::TitleDate, 0.45, false);
        if sink.cands.len() > before {
            return;
        }
    }
}

/// Weight of a visible headline that is a variant of the metadata titles: it wins.
const TRUSTED_HEADLINE: f32 = 1.5;

/// The `<h1>` is what the reader sees as the headline; `og:title`, `twitter:title`,
/// `<title>` and often the JSON-LD headline are one SEO/social title copied around, so
/// their agreement is not independent evidence against it. When the `<h1>` is a
/// variant of those titles (it shares most of its words with one of them) it is the
/// headline. When it only adds a kicker in front of one ("Kicker: Title"), the title
/// without the kicker is meant. An `<h1>` unrelated to every other title (a section
/// name, a widget heading) keeps its modest weight.
fn trust_visible_headline(cands: &mut [super::candidates::Candidate]) {
    use super::candidates::Field;
    let Some(hi) = cands
        .iter()
        .position(|c| c.field == Field::Title && c.source == Provenance::H1)
    else {
        return;
    };
    let h1 = normalise(&cands[hi].value);
    let h1_words: Vec<&str> = h1.split(' ').collect();
    let mut best_overlap = 0.0f32;
    let mut kicker_free: Option<String> = None;
    for c in cands
        .iter()
        .filter(|c| c.field == Field::Title && c.source != Provenance::H1)
    {
        let other = normalise(&c.value);
        if other.is_empty() {
            continue;
        }
        if other == h1 {
            best_overlap = 1.0;
            continue;
        }
        // "Kicker Title" where another source says just "Title".
        if let Some(prefix) = h1.strip_suffix(other.as_str()) {
            let kicker_words = prefix.split_whitespace().count();
            let title_words = other.split(' ').count();
            if prefix.ends_with(' ')
                && (1..=6).contains(&kicker_words)
                && title_words >= kicker_words
            {
                kicker_free.get_or_insert_with(|| c.value.clone());
            }
        }
        best_overlap = best_overlap.max(overlap(&h1_words, &other));
    }
    if let Some(v) = kicker_free {
        cands[hi].value = v;
        cands[hi].weight = TRUSTED_HEADLINE;
    } else if best_overlap >= 0.6 {
        cands[hi].weight = TRUSTED_HEADLINE;
    }
}

/// Share of the smaller word set found in the larger one.
fn overlap(a: &[&str], b: &str) -> f32 {
    let mut a: Vec<&str> = a.to_vec();
    let mut b: Vec<&str> = b.split(' ').collect();
    for v in [&mut a, &mut b] {
        v.sort_unstable();
        v.dedup();
    }
    let (small, large) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if small.is_empty() {
        return 0.0;
    }
    let shared = small
        .iter()
        .filter(|w| large.binary_search(w).is_ok())
        .count();
    shared as f32 / small.len() as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn site_name_suffix_and_prefix_are_removed() {
        assert_eq!(
            strip_site_name("Big news today | The Daily", &names(&["The Daily"]), None),
            "Big news today"
        );
        assert_eq!(
            strip_site_name(
                "Japan Today - Quake hits north",
                &names(&["Japan Today"]),
                None
            ),
            "Quake hits north"
        );
        assert_eq!(
            strip_site_name(
                "Quake hits north - Japan Today",
                &[],
                Some("Quake hits north")
            ),
            "Quake hits north"
        );
        assert_eq!(
            strip_site_name("Rust 2.0 released - a look inside | example.com", &[], None),
            "Rust 2.0 released - a look inside"
        );
    }

    #[test]
    fn dashes_inside_headlines_stay() {
        assert_eq!(
            strip_site_name("Spider-Man - the review", &[], None),
            "Spider-Man - the review"
        );
        assert_eq!(
            strip_site_name("Markets rally - and fall | Site", &names(&["Site"]), None),
            "Markets rally - and fall"
        );
    }
}
