//! The commands behind the CLI, as library functions the binary and tests call.

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use url::Url;

use crate::extract::Extracted;
use crate::fetch::charset;
use crate::text::join_authors;

/// One extracted page, as `pagefeed extract --json` and `--batch` print it.
#[derive(Debug, Serialize)]
pub struct ExtractLine<'a> {
    /// Manifest id (batch mode only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
    /// Canonical URL, else the page URL.
    pub url: Option<String>,
    /// Headline.
    pub title: Option<&'a str>,
    /// Authors joined "A, B and C".
    pub author: Option<String>,
    /// Publication date, RFC 3339 with the page's offset.
    pub date: Option<String>,
    /// Summary.
    pub summary: Option<&'a str>,
    /// The lead image's URL.
    pub image: Option<&'a str>,
    /// Categories and tags.
    pub categories: &'a [String],
    /// The page's language.
    pub language: Option<&'a str>,
    /// Last modification, RFC 3339, when later than the publication.
    pub updated: Option<String>,
    /// Audio and video files: `url`, `mime_type`, `length` (0 here: only a run asks).
    pub enclosures: Vec<EnclosureLine<'a>>,
    /// Main content as `content = "full"` publishes it (with `--content` only; `null`
    /// when the page has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_html: Option<Option<&'a str>>,
}

impl<'a> ExtractLine<'a> {
    /// The printable form of an extraction.
    pub fn new(id: Option<&'a str>, e: &'a Extracted, url: Option<&Url>) -> ExtractLine<'a> {
        ExtractLine {
            id,
            url: e.canonical.as_ref().or(url).map(Url::to_string),
            title: e.title.as_deref(),
            author: (!e.authors.is_empty()).then(|| join_authors(&e.authors)),
            date: e.published.map(|d| d.to_rfc3339()),
            summary: e.summary.as_deref(),
            image: e.image.as_ref().map(Url::as_str),
            categories: &e.categories,
            language: e.lang.as_deref(),
            updated: e
                .modified
                .filter(|m| e.published.is_none_or(|p| *m > p))
                .map(|d| d.to_rfc3339()),
            enclosures: e
                .enclosures
                .iter()
                .map(|x| EnclosureLine {
                    url: x.url.as_str(),
                    mime_type: &x.mime_type,
                    length: x.length,
                })
                .collect(),
            content_html: None,
        }
    }

    /// Adds the main content (`--content`): the key is present, `null` when none was found.
    pub fn with_content(mut self, e: &'a Extracted) -> ExtractLine<'a> {
        self.content_html = Some(e.content_html.as_deref());
        self
    }
}

/// One enclosure of an [`ExtractLine`].
#[derive(Debug, Serialize)]
pub struct EnclosureLine<'a> {
    /// Absolute URL.
    pub url: &'a str,
    /// MIME type.
    pub mime_type: &'a str,
    /// Size in bytes, 0 when unknown.
    pub length: u64,
}

/// Why `extract` failed on an input.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// A file could not be read.
    #[error("extract: cannot read {}: {cause}", path.display())]
    Read {
        /// The file.
        path: std::path::PathBuf,
        /// The I/O error (in the message, with the operating system's reason).
        cause: std::io::Error,
    },
    /// A manifest line is not `id<TAB>path<TAB>url`.
    #[error("extract: {}:{line}: expected `id<TAB>path<TAB>url`", path.display())]
    Manifest {
        /// The manifest.
        path: std::path::PathBuf,
        /// 1-based line.
        line: usize,
    },
    /// The page could not be fetched.
    #[error(transparent)]
    Fetch(#[from] crate::fetch::FetchError),
    /// A URL argument is malformed.
    #[error("extract: {input:?} is not a file or a valid URL")]
    BadInput {
        /// What was given.
        input: String,
    },
    /// The time zone is unknown.
    #[error("extract: unknown time zone {0:?}")]
    TimeZone(String),
}

/// Reads and decodes a saved page.
pub fn read_page(path: &Path) -> Result<String, ExtractError> {
    let bytes = std::fs::read(path).map_err(|cause| ExtractError::Read {
        path: path.to_path_buf(),
        cause,
    })?;
    Ok(charset::decode(&bytes, None).0)
}

/// Extracts one page's text.
pub fn extract_text(text: &str, url: &Url, tz: Tz, now: DateTime<Utc>) -> Extracted {
    crate::pipeline::extract_page(text, url, tz, now, false)
}

/// Extracts one page's text and its main content, exactly as a feed with
/// `content = "full"` publishes it (`Extracted::content_html`).
pub fn extract_text_with_content(text: &str, url: &Url, tz: Tz, now: DateTime<Utc>) -> Extracted {
    crate::pipeline::extract_page(text, url, tz, now, true)
}

/// Parses a time zone name.
pub fn parse_tz(name: &str) -> Result<Tz, ExtractError> {
    name.parse::<Tz>()
        .map_err(|_| ExtractError::TimeZone(name.to_string()))
}

/// `pagefeed extract --batch`: one JSON line per manifest entry, in one process.
/// Pages that cannot be read print a line with only their id (and are logged).
/// With `content`, each line also carries `content_html`.
pub fn extract_batch(
    manifest: &Path,
    tz: Tz,
    now: DateTime<Utc>,
    content: bool,
    out: &mut impl Write,
) -> Result<usize, ExtractError> {
    let text = std::fs::read_to_string(manifest).map_err(|cause| ExtractError::Read {
        path: manifest.to_path_buf(),
        cause,
    })?;
    let base = manifest.parent().unwrap_or(Path::new("."));
    let mut n = 0;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let mut parts = line.split('\t');
        let (Some(id), Some(path)) = (parts.next(), parts.next()) else {
            return Err(ExtractError::Manifest {
                path: manifest.to_path_buf(),
                line: i + 1,
            });
        };
        let url_field = parts.next().unwrap_or("").trim();
        let path = base.join(path);
        let url = Url::parse(url_field)
            .ok()
            .or_else(|| {
                std::path::absolute(&path)
                    .ok()
                    .and_then(|p| Url::from_file_path(p).ok())
            })
            .unwrap_or_else(|| Url::parse("file:///").expect("static URL is valid"));
        let line = match read_page(&path) {
            Ok(page) => {
                let e = if content {
                    extract_text_with_content(&page, &url, tz, now)
                } else {
                    extract_text(&page, &url, tz, now)
                };
                let line = ExtractLine::new(Some(id), &e, Some(&url));
                if content {
                    serde_json::to_string(&line.with_content(&e))
                } else {
                    serde_json::to_string(&line)
                }
            }
            Err(err) => {
                tracing::error!("{err}");
                serde_json::to_string(&serde_json::json!({ "id": id }))
            }
        };
        let _ = writeln!(out, "{}", line.unwrap_or_default());
        n += 1;
    }
    Ok(n)
}

/// One feed's line in `pagefeed status`.
#[derive(Debug, Clone)]
pub struct StatusRow {
    /// The stored status.
    pub status: crate::store::FeedStatus,
    /// Share of stored items that have a title, author, date and summary.
    pub coverage: [f32; 4],
    /// When the listing may be requested again, if its server asked to wait (a long
    /// `Retry-After`) and that time has not passed.
    pub retry_not_before: Option<DateTime<Utc>>,
    /// The lease on the feed, when a process sharing a PostgreSQL state holds one.
    pub lease: Option<crate::store::Lease>,
}

/// Reads every configured feed's status from the state file (without creating one).
pub fn status(config: &crate::Config) -> Result<Vec<StatusRow>, crate::store::StoreError> {
    let location = crate::store::StateLocation::of(&config.settings)?;
    if !location.exists() {
        return Ok(config
            .feeds
            .iter()
            .map(|f| StatusRow {
                status: crate::store::FeedStatus {
                    id: f.id.clone(),
                    ..Default::default()
                },
                coverage: [0.0; 4],
                retry_not_before: None,
                lease: None,
            })
            .collect());
    }
    let mut store = crate::store::Store::open(&location)?;
    // One query per table for all feeds: a query per feed that reads every feed made
    // `status` quadratic (4,000 feeds took 24 s).
    let mut statuses = store.statuses()?;
    let coverage = store.coverage()?;
    let retry = store.retry_times()?;
    let mut leases: std::collections::HashMap<String, crate::store::Lease> = store
        .leases()?
        .into_iter()
        .map(|l| (l.feed.clone(), l))
        .collect();
    let now = Utc::now();
    let max_wait =
        chrono::Duration::from_std(crate::fetch::MAX_STORED_RETRY_AFTER).unwrap_or_default();
    let rows = config
        .feeds
        .iter()
        .map(|f| {
            let n = coverage.get(&f.id).copied().unwrap_or_default();
            let all = n[4].max(1) as f32;
            let mut status = statuses
                .remove(&f.id)
                .unwrap_or_else(|| crate::store::FeedStatus {
                    id: f.id.clone(),
                    ..Default::default()
                });
            // A message stored by a version that kept credentials in URLs.
            if let Some(auth) = &f.request.auth {
                status.last_error = status.last_error.map(|e| auth.redact(&e));
            }
            StatusRow {
                status,
                coverage: [0, 1, 2, 3].map(|i| n[i] as f32 / all),
                // As a run sees it: a time further ahead than a run honours is not shown.
                retry_not_before: retry
                    .get(f.url.as_str())
                    .copied()
                    .filter(|t| *t > now && *t <= now + max_wait),
                lease: leases.remove(&f.id),
            }
        })
        .collect();
    Ok(rows)
}

/// Renders `pagefeed status` as a plain table.
pub fn format_status(rows: &[StatusRow]) -> String {
    let t = |d: Option<DateTime<Utc>>| {
        d.map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_else(|| "-".into())
    };
    let mut out = format!(
        "{:<20} {:>5}  {:<20}  {:<20}  {:>5}  {:<22}  {:<20}  {}\n",
        "FEED",
        "ITEMS",
        "LAST SUCCESS",
        "LAST FAILURE",
        "FAILS",
        "TITLE/AUTHOR/DATE/SUM",
        "RETRY NOT BEFORE",
        "LAST ERROR"
    );
    for r in rows {
        let s = &r.status;
        let cov = r
            .coverage
            .iter()
            .map(|c| format!("{:.0}%", c * 100.0))
            .collect::<Vec<_>>()
            .join("/");
        let cov = if s.items == 0 { "-".to_string() } else { cov };
        let err = if s.consecutive_failures > 0 {
            s.last_error.as_deref().unwrap_or("-")
        } else {
            "-"
        };
        out.push_str(&format!(
            "{:<20} {:>5}  {:<20}  {:<20}  {:>5}  {:<22}  {:<20}  {}\n",
            s.id,
            s.items,
            t(s.last_success),
            t(s.last_failure),
            s.consecutive_failures,
            cov,
            t(r.retry_not_before),
            err
        ));
    }
    out.push_str(&crate::store::Lease::table(
        rows.iter().filter_map(|r| r.lease.as_ref()),
    ));
    out
}

/// Groups of links shown when `pagefeed check` finds no list.
pub const CHECK_CANDIDATE_BLOCKS: usize = 5;

/// Groups of links shown by `pagefeed check --explain`.
pub const CHECK_EXPLAIN_BLOCKS: usize = 8;

/// What `pagefeed check` was given: a page URL, or a feed id of the config.
#[derive(Debug, Clone, PartialEq)]
pub enum CheckTarget {
    /// An `http(s)://` or `file://` URL, or the path of a saved page.
    Url(Url),
    /// A feed id.
    Feed(String),
}

impl CheckTarget {
    /// A URL when `target` has a scheme (or names an existing file), else a feed id.
    pub fn parse(target: &str) -> CheckTarget {
        let t = target.trim();
        if t.contains("://") || t.starts_with("file:") {
            if let Ok(u) = Url::parse(t) {
                return CheckTarget::Url(u);
            }
        }
        let path = Path::new(t);
        if !crate::config::valid_id(t) && path.exists() {
            if let Some(u) = std::path::absolute(path)
                .ok()
                .and_then(|p| Url::from_file_path(p).ok())
            {
                return CheckTarget::Url(u);
            }
        }
        CheckTarget::Feed(t.to_string())
    }
}

/// What `pagefeed check` prints.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// The table (or, when nothing was found, the page's candidate blocks), for stdout.
    pub output: String,
    /// Why nothing was found, for stderr.
    pub error: Option<String>,
    /// Whether any item was found (exit 0, else 2).
    pub found: bool,
}

/// `pagefeed check`: fetches, discovers and extracts a feed, and renders what it found.
/// With `explain`, also why automatic discovery chose its list: the best candidate
/// blocks with the evidence for and against each, and every link of the chosen list's
/// container that was left out with the rule that left it out. Writes no file and no
/// state.
pub async fn check(
    feed: &crate::config::FeedConfig,
    settings: &crate::config::Settings,
    now: DateTime<Utc>,
    explain: bool,
) -> CheckReport {
    use crate::discover::DiscoverError;
    use crate::pipeline::{self, FeedError};
    let automatic = feed.items.is_none() && feed.source == crate::config::Source::Html;
    let explanation = || async {
        match pipeline::explain_listing(feed, settings, now, CHECK_EXPLAIN_BLOCKS).await {
            Ok(x) => format_explanation(&feed.url, &x),
            Err(e) => format!("cannot explain the page's discovery: {e}\n"),
        }
    };
    match pipeline::check_feed(feed, settings, now).await {
        Ok(checked) => {
            let mut output = format_check(feed, &checked);
            if explain && automatic {
                output.push('\n');
                output.push_str(&explanation().await);
            }
            CheckReport {
                found: !checked.items.is_empty(),
                output,
                error: None,
            }
        }
        Err(
            e @ FeedError::Discover(
                DiscoverError::NothingFound { .. } | DiscoverError::SelectorMatchedNothing { .. },
            ),
        ) => {
            let output = if explain && automatic {
                explanation().await
            } else {
                match pipeline::explain_listing(feed, settings, now, CHECK_CANDIDATE_BLOCKS).await {
                    Ok(x) => format_candidates(&feed.url, &x.groups),
                    Err(e) => format!("cannot show the page's candidate blocks: {e}\n"),
                }
            };
            let output = match crate::render::scripted_hint(feed, settings).await {
                Some(hint) => format!("{hint}\n{output}"),
                None => output,
            };
            CheckReport {
                output,
                error: Some(e.to_string()),
                found: false,
            }
        }
        Err(e) => CheckReport {
            output: String::new(),
            error: Some(e.to_string()),
            found: false,
        },
    }
}

/// Renders [`crate::discover::auto::Explanation`] for `pagefeed check --explain`.
pub fn format_explanation(url: &Url, x: &crate::discover::auto::Explanation) -> String {
    let mut out = format!("discovery on {url}: {}\n", x.method);
    if x.groups.is_empty() {
        out.push_str("no candidate blocks: the page has no repeated links to its own site\n");
        return out;
    }
    out.push_str("candidate blocks, best first:\n");
    for (i, g) in x.groups.iter().enumerate() {
        out.push_str(&format!(
            "{:>2}. {}  {} links, quality {:.1}, score {:.1}: {}\n",
            i + 1,
            g.block,
            g.items,
            g.quality,
            g.score,
            g.verdict
        ));
        let list = |terms: &[(&str, f32)]| {
            terms
                .iter()
                .map(|(n, v)| format!("{n} {v:+.1}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !g.evidence_for.is_empty() {
            out.push_str(&format!("      for: {}\n", list(&g.evidence_for)));
        }
        if !g.evidence_against.is_empty() {
            out.push_str(&format!("      against: {}\n", list(&g.evidence_against)));
        }
        for (what, n) in &g.against_links {
            out.push_str(&format!("        {n} of {} links {what}\n", g.items));
        }
        for (link, title) in &g.sample {
            out.push_str(&format!(
                "      {link}  {}\n",
                title.as_deref().unwrap_or("(no title)")
            ));
        }
    }
    if !x.dropped.is_empty() {
        out.push_str("links in the chosen list's container that are not items:\n");
        for d in &x.dropped {
            let text = crate::text::truncate_chars(&d.text, 40);
            out.push_str(&format!("   {}  \"{text}\": {}\n", d.url, d.rule));
        }
    }
    out
}

/// Renders found items as a table: title, date (UTC), author, image (file name),
/// categories, link.
pub fn format_check(feed: &crate::config::FeedConfig, c: &crate::pipeline::Checked) -> String {
    use crate::text::truncate_chars;
    let mut out = format!("{}\n", feed.url);
    out.push_str(&format!(
        "found {} items with {}\n",
        c.discovery.items.len(),
        c.discovery.method
    ));
    if c.items.len() < c.discovery.items.len() {
        out.push_str(&format!(
            "showing the first {} (max_items)\n",
            c.items.len()
        ));
    }
    if feed.follow {
        out.push_str(&format!(
            "item pages: {} extracted, {} failed\n",
            c.pages_extracted, c.item_errors
        ));
    }
    out.push('\n');
    let row = |title: &str, date: &str, author: &str, image: &str, cats: &str, link: &str| {
        format!("{title:<50}  {date:<16}  {author:<24}  {image:<28}  {cats:<28}  {link}\n")
    };
    out.push_str(&row(
        "TITLE",
        "DATE (UTC)",
        "AUTHOR",
        "IMAGE",
        "CATEGORIES",
        "LINK",
    ));
    for item in &c.items {
        let title = truncate_chars(item.title.as_deref().unwrap_or("-"), 50);
        let date = item
            .published
            .map(|d| d.with_timezone(&Utc).format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_else(|| "-".into());
        let author = if item.authors.is_empty() {
            "-".to_string()
        } else {
            truncate_chars(&join_authors(&item.authors), 24)
        };
        // The image's file name (its URL is long; `extract --json` prints it whole).
        let image = item
            .image
            .as_ref()
            .map(|u| {
                let name = u
                    .path_segments()
                    .and_then(|mut p| p.next_back())
                    .unwrap_or("");
                truncate_chars(if name.is_empty() { u.as_str() } else { name }, 28)
            })
            .unwrap_or_else(|| "-".into());
        let cats = if item.categories.is_empty() {
            "-".to_string()
        } else {
            truncate_chars(&item.categories.join(", "), 28)
        };
        out.push_str(&row(
            &title,
            &date,
            &author,
            &image,
            &cats,
            item.link.as_str(),
        ));
    }
    for f in &c.discovery.advertised_feeds {
        out.push_str(&format!(
            "\nthis page advertises a feed: {f} — consider `source = \"feed\"` or subscribing to it directly\n"
        ));
    }
    out
}

/// Renders the page's candidate blocks, best first, for a page where no list was found.
pub fn format_candidates(url: &Url, groups: &[crate::discover::auto::CandidateGroup]) -> String {
    if groups.is_empty() {
        return format!(
            "no candidate blocks on {url}: the page has no repeated links to its own site\n"
        );
    }
    let mut out = format!("candidate blocks on {url}, best first:\n");
    for (i, g) in groups.iter().enumerate() {
        out.push_str(&format!(
            "{:>2}. {}  {} links, quality {:.1}, score {:.1}\n",
            i + 1,
            g.block,
            g.items,
            g.quality,
            g.score
        ));
        for (link, title) in &g.sample {
            out.push_str(&format!(
                "      {link}  {}\n",
                title.as_deref().unwrap_or("(no title)")
            ));
        }
    }
    out.push_str(
        "Write [feed.items] selectors for the block that holds the items \
         (`selector` = the block, e.g. \"article\" or \"li.post\").\n",
    );
    out
}
