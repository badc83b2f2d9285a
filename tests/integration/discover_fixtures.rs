//! Golden tests for automatic item discovery on listing pages.
//!
//! Every directory under `tests/fixtures/discover/` is one invented listing page:
//!
//! - `page.html`: the page, in the charset its `expected.txt` names (UTF-8 by default).
//! - `expected.txt`: the item links a person reading the page would list, one absolute
//!   URL per line, in page order. Lines starting with `#` are comments, except two
//!   headers: `# url: <page URL>` (required: the URL the page was fetched from) and
//!   `# charset: <label>` (optional, an encoding label such as `shift_jis`).
//!
//! `no-list.html` (a file, not a directory) is a single article page: discovery must
//! report that it found no list.
//!
//! How the expectations were judged: the items are the articles (posts, threads,
//! releases, recipes…) the page's main content lists. Links to the same site's articles
//! in "most read"/"popular"/"related" rails, menus, footers and tickers are *not* part
//! of the list, nor are section, tag, author, comment, login and pagination links.
//!
//! The test prints a precision/recall table and asserts the totals, a per-fixture
//! recall floor, and that the page's first item comes first.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use pagefeed::date::DateContext;
use pagefeed::discover::{discover, DiscoverError, Discovery};
use scraper::Html;
use url::Url;

const MIN_TOTAL_PRECISION: f64 = 0.95;
const MIN_TOTAL_RECALL: f64 = 0.95;
const MIN_FIXTURE_RECALL: f64 = 0.8;

fn ctx() -> DateContext<'static> {
    DateContext {
        now: Utc.with_ymd_and_hms(2026, 1, 15, 12, 0, 0).unwrap(),
        tz: chrono_tz::UTC,
        lang: None,
    }
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/discover")
}

/// One fixture: the page URL, its decoded HTML and the expected links.
struct Fixture {
    name: String,
    url: Url,
    html: String,
    expected: Vec<String>,
}

fn load(dir: &Path) -> Fixture {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let spec = fs::read_to_string(dir.join("expected.txt"))
        .unwrap_or_else(|e| panic!("{name}: expected.txt: {e}"));
    let mut url = None;
    let mut charset = None;
    let mut expected = Vec::new();
    for line in spec.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(comment) = line.strip_prefix('#') {
            let comment = comment.trim();
            if let Some(u) = comment.strip_prefix("url:") {
                url = Some(Url::parse(u.trim()).unwrap_or_else(|e| panic!("{name}: url: {e}")));
            } else if let Some(c) = comment.strip_prefix("charset:") {
                charset = Some(c.trim().to_string());
            }
            continue;
        }
        let u = Url::parse(line).unwrap_or_else(|e| panic!("{name}: bad expected URL {line}: {e}"));
        expected.push(u.to_string());
    }
    let bytes =
        fs::read(dir.join("page.html")).unwrap_or_else(|e| panic!("{name}: page.html: {e}"));
    let html = match charset {
        None => String::from_utf8(bytes).unwrap_or_else(|e| panic!("{name}: not UTF-8: {e}")),
        Some(label) => {
            let enc = encoding_rs::Encoding::for_label(label.as_bytes())
                .unwrap_or_else(|| panic!("{name}: unknown charset {label}"));
            let (text, _, had_errors) = enc.decode(&bytes);
            assert!(!had_errors, "{name}: page.html is not valid {label}");
            text.into_owned()
        }
    };
    let url = url.unwrap_or_else(|| panic!("{name}: expected.txt lacks `# url:`"));
    Fixture {
        name,
        url,
        html,
        expected,
    }
}

fn all_fixtures() -> Vec<Fixture> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(fixtures_dir())
        .expect("fixtures dir")
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("expected.txt").is_file())
        .collect();
    dirs.sort();
    dirs.iter().map(|d| load(d)).collect()
}

fn run(f: &Fixture) -> Result<Discovery, DiscoverError> {
    let doc = Html::parse_document(&f.html);
    discover(&doc, &f.url, None, &ctx())
}

fn fixture(name: &str) -> (Fixture, Discovery) {
    let f = load(&fixtures_dir().join(name));
    let d = run(&f).unwrap_or_else(|e| panic!("{name}: {e}"));
    (f, d)
}

#[test]
fn discovery_precision_and_recall_over_fixtures() {
    let fixtures = all_fixtures();
    assert!(fixtures.len() >= 12, "only {} fixtures", fixtures.len());
    let (mut tp_all, mut found_all, mut expected_all) = (0usize, 0usize, 0usize);
    let mut failures = Vec::new();
    println!(
        "{:<22} {:>5} {:>5} {:>5} {:>9} {:>7}  method",
        "fixture", "exp", "found", "hits", "precision", "recall"
    );
    for f in &fixtures {
        let found: Vec<String> = match run(f) {
            Ok(d) => {
                let links: Vec<String> = d.items.iter().map(|i| i.link.to_string()).collect();
                print_row(f, &links, &d.method);
                links
            }
            Err(e) => {
                print_row(f, &[], &e.to_string());
                Vec::new()
            }
        };
        let expected: HashSet<&str> = f.expected.iter().map(String::as_str).collect();
        let hits = found
            .iter()
            .filter(|l| expected.contains(l.as_str()))
            .count();
        tp_all += hits;
        found_all += found.len();
        expected_all += f.expected.len();
        let recall = ratio(hits, f.expected.len());
        if recall < MIN_FIXTURE_RECALL {
            failures.push(format!(
                "{}: recall {recall:.2} < {MIN_FIXTURE_RECALL}",
                f.name
            ));
        }
        if found.first() != f.expected.first() {
            failures.push(format!(
                "{}: first item {:?}, expected {:?}",
                f.name,
                found.first(),
                f.expected.first()
            ));
        }
        for extra in found.iter().filter(|l| !expected.contains(l.as_str())) {
            println!("    + unexpected {extra}");
        }
        let found_set: HashSet<&str> = found.iter().map(String::as_str).collect();
        for missing in f
            .expected
            .iter()
            .filter(|l| !found_set.contains(l.as_str()))
        {
            println!("    - missing    {missing}");
        }
    }
    let precision = ratio(tp_all, found_all);
    let recall = ratio(tp_all, expected_all);
    println!(
        "{:<22} {:>5} {:>5} {:>5} {:>9.3} {:>7.3}",
        "TOTAL", expected_all, found_all, tp_all, precision, recall
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        precision >= MIN_TOTAL_PRECISION,
        "total precision {precision:.3} < {MIN_TOTAL_PRECISION}"
    );
    assert!(
        recall >= MIN_TOTAL_RECALL,
        "total recall {recall:.3} < {MIN_TOTAL_RECALL}"
    );
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

fn print_row(f: &Fixture, found: &[String], method: &str) {
    let expected: HashSet<&str> = f.expected.iter().map(String::as_str).collect();
    let hits = found
        .iter()
        .filter(|l| expected.contains(l.as_str()))
        .count();
    println!(
        "{:<22} {:>5} {:>5} {:>5} {:>9.3} {:>7.3}  {method}",
        f.name,
        f.expected.len(),
        found.len(),
        hits,
        ratio(hits, found.len()),
        ratio(hits, f.expected.len())
    );
}

/// A single article page links to other articles from its prose, tags and comments,
/// but shows no list: discovery must say so rather than guess.
#[test]
fn article_page_without_a_list_is_nothing_found() {
    let path = fixtures_dir().join("no-list.html");
    let html = fs::read_to_string(&path).unwrap();
    let url = Url::parse(
        "https://www.dailyharbor.test/local/2026/01/14/council-approves-seawall-budget-after-nine-hour-meeting",
    )
    .unwrap();
    let doc = Html::parse_document(&html);
    match discover(&doc, &url, None, &ctx()) {
        Err(DiscoverError::NothingFound { url: u }) => assert_eq!(u, url),
        Err(e) => panic!("wrong error: {e}"),
        Ok(d) => panic!(
            "found a list on an article page ({}): {:?}",
            d.method,
            d.items.iter().map(|i| i.link.as_str()).collect::<Vec<_>>()
        ),
    }
}

#[test]
fn blog_index_fields_come_from_each_post() {
    let (_, d) = fixture("blog-index");
    let first = &d.items[0];
    assert_eq!(first.title.as_deref(), Some("Small tools for big notes"));
    assert_eq!(
        first.date.map(|p| p.value.to_rfc3339()).as_deref(),
        Some("2026-01-11T09:14:22+00:00")
    );
    assert_eq!(first.author.as_deref(), Some("Mira Sato"));
    // The excerpt, without its "Continue reading →" link.
    assert_eq!(
        first.summary.as_deref(),
        Some(
            "I have kept notes in plain text for eleven years now. Here is the handful of \
             small scripts that make a folder of ten thousand files feel smaller than a notebook."
        )
    );
    let third = &d.items[2];
    assert_eq!(third.title.as_deref(), Some("The lazy rye loaf"));
    assert_eq!(
        third.date.map(|p| p.value.to_rfc3339()).as_deref(),
        Some("2025-12-28T11:40:00+00:00")
    );
}

#[test]
fn read_more_only_items_take_the_heading_as_title() {
    let (_, d) = fixture("readmore-only");
    let first = &d.items[0];
    assert_eq!(
        first.link.as_str(),
        "https://www.fieldnotes-mag.test/essays/2026/the-quiet-rivers"
    );
    assert_eq!(first.title.as_deref(), Some("The quiet rivers"));
    assert_eq!(first.author.as_deref(), Some("Ana Ruiz"));
    assert!(first
        .summary
        .as_deref()
        .is_some_and(|s| s.starts_with("For thirty years the town pretended")));
}

#[test]
fn news_front_lead_story_has_its_standfirst_and_time() {
    let (_, d) = fixture("news-front");
    let lead = &d.items[0];
    assert_eq!(
        lead.title.as_deref(),
        Some("Storm Ines closes Harbor Bridge for a second day as gusts top 110km/h")
    );
    assert_eq!(
        lead.date.map(|p| p.value.to_rfc3339()).as_deref(),
        Some("2026-01-14T06:42:00+00:00")
    );
    assert!(lead
        .summary
        .as_deref()
        .is_some_and(|s| s.starts_with("Engineers say the crossing will stay shut")));
    // A grid card: title from the headline link, not the image link or section link.
    assert_eq!(
        d.items[1].title.as_deref(),
        Some("Council approves seawall budget after nine-hour meeting")
    );
}

#[test]
fn shift_jis_titles_are_decoded_and_exclude_the_time() {
    let (_, d) = fixture("jp-news-sjis");
    assert_eq!(
        d.items[1].title.as_deref(),
        // `text::clean` folds the ideographic space into a plain one.
        Some("北浦市で大雪 交通機関に乱れ 午後も警戒続く")
    );
    assert_eq!(
        d.items[1].date.map(|p| p.value.to_rfc3339()).as_deref(),
        Some("2026-01-14T10:30:00+09:00")
    );
}

/// `pagefeed check --explain` (issue 12): the candidate blocks with their evidence and
/// verdicts, and the links of the chosen list's container left out with their rule.
#[test]
fn check_explain_shows_evidence_verdicts_and_dropped_links() {
    use crate::server::{Reply, Server};
    let page = fs::read(fixtures_dir().join("category-permalinks/page.html")).expect("fixture");
    let server = Server::start(move |req| match req.path.as_str() {
        "/category/world/" => Reply::html(page.clone()),
        _ => Reply::status(404),
    });
    let url = server.url("/category/world/");
    let ws = crate::helpers::Workspace::new(&format!(
        "[settings]\nper_host_delay = \"0s\"\nrespect_robots = false\n\n\
         [[feed]]\nid = \"world\"\nurl = \"{url}\"\nfollow = false\n"
    ));
    let out = ws.run(&["check", "world", "--explain"]);
    let text = crate::helpers::stdout(&out);
    assert!(
        out.status.success(),
        "{text}\n{}",
        crate::helpers::stderr(&out)
    );
    let base = url.trim_end_matches("category/world/");
    for want in [
        "found 6 items with auto: 5 repeated `article.media` blocks + 1 from 1 similar structure",
        "candidate blocks, best first:",
        " 1. article.media  5 links, ",
        ": chosen: the page's main list",
        ": joined: the lead story above the list",
        "URLs below the listing's",
        "links in the chosen list's container that are not items:",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
    // The pager inside the list's container, with the rule that left it out.
    let pager = format!("   {base}category/world/page/2/  \"2\": pagination");
    assert!(text.contains(&pager), "missing {pager:?} in:\n{text}");
    // The "Most popular" box repeats three stories: its group is evidence-weighed.
    assert!(
        text.contains("in a box titled like a rail (most read, related…)"),
        "{text}"
    );
    assert!(ws.files().is_empty(), "check writes no files");
}
