//! Configuration: read → TOML → validate into compiled types.
//!
//! Loading either yields a [`Config`] whose every URL, selector, duration and time zone
//! is already parsed, or a [`ConfigError`] that lists *every* problem with the file,
//! line, feed and key. Nothing here touches the network, and a bad selector fails here,
//! before any request is made. Relative paths resolve against the config file's folder.

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono_tz::Tz;
use scraper::Selector;
use serde::Deserialize;
use toml::Spanned;
use url::Url;

mod json;
pub use json::{JsonRules, LinkRule, TemplatePart};

/// Default config file, relative to the working directory.
pub const DEFAULT_CONFIG_PATH: &str = "config/pagefeed.toml";
/// Default output folder, relative to the config file's folder.
pub const DEFAULT_OUTPUT_DIR: &str = "feeds";
/// Default User-Agent: names the tool and where to read about it.
pub const DEFAULT_USER_AGENT: &str = concat!(
    "pagefeed/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/pagefeed/pagefeed; feed generator)"
);
/// Default per-request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default cap on a response body, after decompression: 10 MiB.
pub const DEFAULT_MAX_BODY_SIZE: u64 = 10 * 1024 * 1024;
/// Default number of requests in flight over all hosts.
pub const DEFAULT_CONCURRENCY: usize = 16;
/// Default number of requests in flight to one host.
pub const DEFAULT_PER_HOST_CONCURRENCY: usize = 2;
/// Default minimum pause between two requests to one host.
pub const DEFAULT_PER_HOST_DELAY: Duration = Duration::from_secs(1);
/// Default number of redirects followed before giving up.
pub const DEFAULT_MAX_REDIRECTS: usize = 10;
/// Default longest `Retry-After` waited for inside a run.
pub const DEFAULT_MAX_RETRY_WAIT: Duration = Duration::from_secs(10);
/// Default longest CPU time the analysis of one page (parse, discovery, extraction)
/// may take (`page_work_limit`).
pub const DEFAULT_PAGE_WORK_LIMIT: Duration = Duration::from_secs(2);
/// Largest `page_work_limit` accepted.
pub const MAX_PAGE_WORK_LIMIT: Duration = Duration::from_secs(3600);
/// Default state file, relative to `output_dir`.
pub const DEFAULT_STATE_FILE: &str = ".pagefeed/state.sqlite";
/// Default time between two runs of a feed (`pagefeed run` skips feeds not yet due).
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(30 * 60);
/// Default consecutive failures before a feed shows a warning item.
pub const DEFAULT_ALERT_AFTER: u32 = 3;
/// Default share of items that must have each expected field.
pub const DEFAULT_MIN_SHARE: f32 = 0.8;
/// Default number of items in a feed file.
pub const DEFAULT_MAX_ITEMS: usize = 50;
/// Default number of listing pages read per run (`pages`): the first only.
pub const DEFAULT_PAGES: usize = 1;
/// Most listing pages a feed may ask for: each is a request on every run.
pub const MAX_PAGES: usize = 50;

/// Allowed range of `timeout`: long enough for a slow page, short enough that one URL
/// cannot hold a run for long.
pub const TIMEOUT_RANGE: (Duration, Duration) =
    (Duration::from_millis(100), Duration::from_secs(10 * 60));
/// Allowed range of `per_host_delay`: a feed of 50 items at the longest delay takes
/// under an hour per host.
pub const PER_HOST_DELAY_RANGE: (Duration, Duration) = (Duration::ZERO, Duration::from_secs(60));
/// Allowed range of `max_retry_wait` (a longer `Retry-After` skips the URL until a later
/// run instead of holding this one).
pub const MAX_RETRY_WAIT_RANGE: (Duration, Duration) =
    (Duration::ZERO, Duration::from_secs(10 * 60));
/// Allowed range of `interval` (`"0s"`: due on every run).
pub const INTERVAL_RANGE: (Duration, Duration) =
    (Duration::ZERO, Duration::from_secs(30 * 24 * 60 * 60));
/// Allowed range of `refresh_after`.
pub const REFRESH_AFTER_RANGE: (Duration, Duration) =
    (Duration::ZERO, Duration::from_secs(30 * 24 * 60 * 60));

/// Where a feed's items are listed (`source`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Source {
    /// An HTML listing page, read with `[feed.items]` selectors or automatically.
    #[default]
    Html,
    /// A sitemap, Google News sitemap or sitemap index (followed one level).
    Sitemap,
    /// An existing RSS, Atom or JSON feed whose items are followed and enriched.
    Feed,
    /// A JSON document (an API) whose items `[feed.json]` selects with JSONPath.
    Json,
}

impl Source {
    /// The name written in the config.
    pub fn name(self) -> &'static str {
        match self {
            Source::Html => "html",
            Source::Sitemap => "sitemap",
            Source::Feed => "feed",
            Source::Json => "json",
        }
    }

    fn parse(s: &str) -> Option<Source> {
        match s {
            "html" => Some(Source::Html),
            "sitemap" => Some(Source::Sitemap),
            "feed" => Some(Source::Feed),
            "json" => Some(Source::Json),
            _ => None,
        }
    }
}

/// Output formats a feed can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// RSS 2.0, `<id>.rss.xml`.
    Rss,
    /// Atom 1.0, `<id>.atom.xml`.
    Atom,
    /// JSON Feed 1.1, `<id>.json`.
    Json,
}

impl Format {
    /// All formats, in the order they are written.
    pub const ALL: [Format; 3] = [Format::Rss, Format::Atom, Format::Json];

    /// The output file name for a feed id.
    pub fn file_name(self, id: &str) -> String {
        match self {
            Format::Rss => format!("{id}.rss.xml"),
            Format::Atom => format!("{id}.atom.xml"),
            Format::Json => format!("{id}.json"),
        }
    }

    fn parse(s: &str) -> Option<Format> {
        match s {
            "rss" => Some(Format::Rss),
            "atom" => Some(Format::Atom),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// A validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it was loaded from (for messages).
    pub path: PathBuf,
    /// Global settings.
    pub settings: Settings,
    /// Feeds, in file order.
    pub feeds: Vec<FeedConfig>,
}

/// The `[settings]` table, validated.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where feed files are written (absolute or relative to the working directory).
    pub output_dir: PathBuf,
    /// Public URL of `output_dir`, for self links; always ends with `/`.
    pub base_url: Option<Url>,
    /// Global limit of requests in flight.
    pub concurrency: usize,
    /// Limit of requests in flight to one host.
    pub per_host_concurrency: usize,
    /// Redirects followed per request.
    pub max_redirects: usize,
    /// Request settings every feed inherits unless it sets its own.
    pub request: RequestSettings,
    /// Default time zone for times given without one.
    pub timezone: Tz,
    /// The SQLite file holding item history and HTTP state.
    pub state_file: PathBuf,
    /// A PostgreSQL state shared by several processes (`state_url`), instead of
    /// `state_file`; `PAGEFEED_STATE_URL` overrides it (see `store::StateLocation`).
    pub state_url: Option<Url>,
    /// An S3-compatible bucket (`output_url = "s3://bucket/prefix/"`) the files are
    /// written to instead of `output_dir`; always ends with `/`.
    pub output_url: Option<Url>,
    /// Longest `Retry-After` waited for inside a run; longer waits skip the URL until
    /// the next run.
    pub max_retry_wait: Duration,
    /// Whether RSS and Atom files carry an XSLT stylesheet for browsers.
    pub stylesheet: bool,
    /// Default time between two runs of a feed.
    pub interval: Duration,
    /// The headless browser for `render = "browser"` feeds (`browser`,
    /// `browser_concurrency`).
    pub browser: crate::render::BrowserSettings,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            output_dir: PathBuf::from(DEFAULT_OUTPUT_DIR),
            base_url: None,
            concurrency: DEFAULT_CONCURRENCY,
            per_host_concurrency: DEFAULT_PER_HOST_CONCURRENCY,
            max_redirects: DEFAULT_MAX_REDIRECTS,
            request: RequestSettings::default(),
            timezone: Tz::UTC,
            state_file: PathBuf::from(DEFAULT_OUTPUT_DIR).join(DEFAULT_STATE_FILE),
            state_url: None,
            output_url: None,
            max_retry_wait: DEFAULT_MAX_RETRY_WAIT,
            stylesheet: false,
            interval: DEFAULT_INTERVAL,
            browser: crate::render::BrowserSettings::default(),
        }
    }
}

impl Default for RequestSettings {
    fn default() -> RequestSettings {
        RequestSettings {
            user_agent: DEFAULT_USER_AGENT.to_string(),
            timeout: DEFAULT_TIMEOUT,
            max_body_size: DEFAULT_MAX_BODY_SIZE,
            per_host_delay: DEFAULT_PER_HOST_DELAY,
            respect_robots: true,
            auth: None,
            page_work_limit: DEFAULT_PAGE_WORK_LIMIT,
        }
    }
}

/// Settings for each request; global in `[settings]`, overridable per feed.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestSettings {
    /// `User-Agent` header.
    pub user_agent: String,
    /// Whole-request timeout.
    pub timeout: Duration,
    /// Body cap in bytes, enforced while streaming.
    pub max_body_size: u64,
    /// Minimum pause between two requests to the same host.
    pub per_host_delay: Duration,
    /// Whether robots.txt is honoured.
    pub respect_robots: bool,
    /// HTTP basic auth from the userinfo of the feed's `url`, sent only to that URL's
    /// origin (see [`crate::credentials`]); `None` in `[settings]`.
    pub auth: Option<crate::credentials::Credentials>,
    /// Longest CPU time the analysis of one fetched page may take (`page_work_limit`,
    /// set in `[settings]` only); a page past it fails (see [`crate::work`]).
    pub page_work_limit: Duration,
}

/// One `[[feed]]`, validated.
#[derive(Debug, Clone)]
pub struct FeedConfig {
    /// File-name safe id, unique in the config.
    pub id: String,
    /// The listing page (`http(s)://` or `file://`).
    pub url: Url,
    /// What `url` is: an HTML page, a sitemap or a feed.
    pub source: Source,
    /// Listing pages read per run, following each page's "next" link (HTML only).
    pub pages: usize,
    /// Hosts besides the page's own site whose links count as items (lower-case; a
    /// name also allows its subdomains).
    pub allow_hosts: Vec<String>,
    /// Title override.
    pub title: Option<String>,
    /// Items kept in the feed files.
    pub max_items: usize,
    /// Formats written.
    pub formats: Vec<Format>,
    /// Whether each item's own page is fetched and extracted.
    pub follow: bool,
    /// Selectors for the listing page, when given.
    pub items: Option<ItemRules>,
    /// Time zone for times a page gives without one.
    pub timezone: Tz,
    /// Request settings for this feed.
    pub request: RequestSettings,
    /// Item pages younger than this are re-extracted on every run (`None`: never).
    pub refresh_after: Option<Duration>,
    /// Time between two runs.
    pub interval: Duration,
    /// What a good run must produce.
    pub expect: Expect,
    /// Whether items carry the article's main content (`content = "full"`).
    pub full_content: bool,
    /// `[feed.json]`: the JSONPath rules of a `source = "json"` feed.
    pub json: Option<JsonRules>,
    /// How pages are loaded in the headless browser (`render = "browser"`); `None`:
    /// plain HTTP.
    pub render: Option<crate::render::RenderRules>,
    /// `[feed.filter]` and `[[feed.rewrite]]`, compiled.
    pub rules: crate::filter::Rules,
}

impl FeedConfig {
    /// A feed with every default, for a URL given on the command line
    /// (`pagefeed check URL`): HTML source, items followed, the settings' request
    /// settings and time zone.
    pub fn for_url(url: Url, settings: &Settings) -> FeedConfig {
        let (url, auth) = crate::credentials::split_userinfo(url);
        FeedConfig {
            id: "check".into(),
            url,
            source: Source::Html,
            pages: DEFAULT_PAGES,
            allow_hosts: Vec::new(),
            title: None,
            max_items: DEFAULT_MAX_ITEMS,
            formats: Format::ALL.to_vec(),
            follow: true,
            items: None,
            timezone: settings.timezone,
            request: RequestSettings {
                auth,
                ..settings.request.clone()
            },
            refresh_after: None,
            interval: settings.interval,
            expect: Expect::default(),
            full_content: false,
            json: None,
            render: None,
            rules: crate::filter::Rules::default(),
        }
    }
}

/// `[feed.expect]`: what a run must find for its result to replace the last good feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Expect {
    /// Fewest items a run must find.
    pub min_items: usize,
    /// Fields each found on at least `min_share` of the items.
    pub fields: Vec<ExpectField>,
    /// Share of items that must have each field.
    pub min_share: f32,
    /// Consecutive failures before the feed shows a warning item.
    pub alert_after: u32,
}

/// A field `[feed.expect] fields` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpectField {
    /// `"title"`.
    Title,
    /// `"author"`.
    Author,
    /// `"date"`: the publication date.
    Date,
    /// `"summary"`.
    Summary,
}

impl ExpectField {
    /// The field a config names, as spelled there.
    pub fn parse(name: &str) -> Option<ExpectField> {
        Some(match name {
            "title" => ExpectField::Title,
            "author" => ExpectField::Author,
            "date" => ExpectField::Date,
            "summary" => ExpectField::Summary,
            _ => return None,
        })
    }

    /// The name a config spells it with.
    pub fn name(self) -> &'static str {
        match self {
            ExpectField::Title => "title",
            ExpectField::Author => "author",
            ExpectField::Date => "date",
            ExpectField::Summary => "summary",
        }
    }
}

impl std::fmt::Display for ExpectField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Default for Expect {
    fn default() -> Expect {
        Expect {
            min_items: 1,
            fields: Vec::new(),
            min_share: DEFAULT_MIN_SHARE,
            alert_after: DEFAULT_ALERT_AFTER,
        }
    }
}

/// Compiled `[feed.items]` selectors.
#[derive(Debug, Clone)]
pub struct ItemRules {
    /// The repeated item element.
    pub selector: Selector,
    /// Title inside the item.
    pub title: Option<FieldRule>,
    /// Link inside the item (default: the first `a[href]`).
    pub link: Option<FieldRule>,
    /// Date inside the item.
    pub date: Option<FieldRule>,
    /// Author inside the item.
    pub author: Option<FieldRule>,
    /// Summary inside the item.
    pub summary: Option<FieldRule>,
}

/// A selector for one field, optionally reading an attribute instead of the text.
#[derive(Debug, Clone)]
pub struct FieldRule {
    /// `None` means the item element itself (written `@attr`).
    pub selector: Option<Selector>,
    /// Attribute to read; the element's text when `None`.
    pub attr: Option<String>,
}

/// Why a config could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config file {}: {cause}", path.display())]
    Read {
        /// The config file.
        path: PathBuf,
        /// The I/O error (in the message, with the operating system's reason).
        cause: std::io::Error,
    },
    /// The file is not valid TOML, or has an unknown key or a value of the wrong type.
    #[error("{}:{line}: {message}", path.display())]
    Syntax {
        /// The config file.
        path: PathBuf,
        /// 1-based line of the problem (0 when unknown).
        line: usize,
        /// The parser's message (names the key).
        message: String,
    },
    /// The TOML is well-formed but values are invalid; every problem is listed.
    #[error("{}", ProblemList(path, problems))]
    Invalid {
        /// The config file.
        path: PathBuf,
        /// Each invalid value.
        problems: Vec<Problem>,
    },
}

/// One invalid value in a config file.
#[derive(Debug, Clone)]
pub struct Problem {
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// The feed's id (or `#n` when the id itself is bad), `None` for `[settings]` and
    /// for the file as a whole.
    pub feed: Option<String>,
    /// The key, e.g. `url` or `items.date`; empty for a problem of the file as a whole
    /// (the message then names the key).
    pub key: String,
    /// What is wrong.
    pub message: String,
}

struct ProblemList<'a>(&'a PathBuf, &'a Vec<Problem>);

impl fmt::Display for ProblemList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.1.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}:{}: ", self.0.display(), p.line)?;
            match &p.feed {
                Some(feed) => write!(f, "feed `{feed}`, key `{}`: {}", p.key, p.message)?,
                // A problem of the file as a whole (a top-level key, a value of the
                // wrong type).
                None if p.key.is_empty() => write!(f, "{}", p.message)?,
                None => write!(f, "key `settings.{}`: {}", p.key, p.message)?,
            }
        }
        Ok(())
    }
}

// ---- raw, as written -------------------------------------------------------------
//
// Unknown keys are not refused by serde here (`deny_unknown_fields` stops at the first
// one and hides every other problem of the file): [`unknown_keys`] walks the parsed
// document against these structs' own field lists and reports each unknown key with
// its line, together with the validation problems.

#[derive(Deserialize, Default)]
struct RawConfig {
    #[serde(default)]
    settings: RawSettings,
    #[serde(default, rename = "feed")]
    feeds: Vec<RawFeed>,
}

#[derive(Deserialize, Default)]
struct RawSettings {
    output_dir: Option<String>,
    base_url: Option<Spanned<String>>,
    concurrency: Option<Spanned<usize>>,
    per_host_concurrency: Option<Spanned<usize>>,
    max_redirects: Option<usize>,
    timezone: Option<Spanned<String>>,
    state_file: Option<String>,
    state_url: Option<Spanned<String>>,
    output_url: Option<Spanned<String>>,
    max_retry_wait: Option<Spanned<String>>,
    page_work_limit: Option<Spanned<String>>,
    interval: Option<Spanned<String>>,
    stylesheet: Option<bool>,
    user_agent: Option<Spanned<String>>,
    timeout: Option<Spanned<String>>,
    max_body_size: Option<Spanned<ByteSize>>,
    per_host_delay: Option<Spanned<String>>,
    respect_robots: Option<bool>,
    browser: Option<String>,
    browser_concurrency: Option<Spanned<usize>>,
}

/// The request keys, shared by `[settings]` and `[[feed]]` (both tables list them, so
/// each table's field list is complete for the unknown-key walk, and lend them here).
struct RawRequest<'a> {
    user_agent: &'a Option<Spanned<String>>,
    timeout: &'a Option<Spanned<String>>,
    max_body_size: &'a Option<Spanned<ByteSize>>,
    per_host_delay: &'a Option<Spanned<String>>,
    respect_robots: Option<bool>,
}

macro_rules! raw_request {
    ($raw:expr) => {
        RawRequest {
            user_agent: &$raw.user_agent,
            timeout: &$raw.timeout,
            max_body_size: &$raw.max_body_size,
            per_host_delay: &$raw.per_host_delay,
            respect_robots: $raw.respect_robots,
        }
    };
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ByteSize {
    Bytes(u64),
    Text(String),
}

#[derive(Deserialize)]
struct RawFeed {
    id: Spanned<String>,
    url: Spanned<String>,
    source: Option<Spanned<String>>,
    pages: Option<Spanned<usize>>,
    allow_hosts: Option<Spanned<Vec<String>>>,
    content: Option<Spanned<String>>,
    title: Option<String>,
    max_items: Option<Spanned<usize>>,
    formats: Option<Spanned<Vec<String>>>,
    follow: Option<bool>,
    items: Option<RawItems>,
    timezone: Option<Spanned<String>>,
    refresh_after: Option<Spanned<String>>,
    interval: Option<Spanned<String>>,
    expect: Option<RawExpect>,
    user_agent: Option<Spanned<String>>,
    timeout: Option<Spanned<String>>,
    max_body_size: Option<Spanned<ByteSize>>,
    per_host_delay: Option<Spanned<String>>,
    respect_robots: Option<bool>,
    headers: Option<Spanned<std::collections::BTreeMap<String, String>>>,
    cookies_file: Option<Spanned<String>>,
    cookie: Option<Spanned<String>>,
    basic_auth: Option<Spanned<RawBasicAuth>>,
    json: Option<json::RawJson>,
    render: Option<Spanned<String>>,
    render_items: Option<Spanned<bool>>,
    wait_for: Option<Spanned<String>>,
    filter: Option<crate::filter::RawFilter>,
    rewrite: Option<Vec<crate::filter::RawRewrite>>,
}

/// `basic_auth = { user = "…", password = "…" }`.
#[derive(Deserialize)]
struct RawBasicAuth {
    user: String,
    password: Option<String>,
}

#[derive(Deserialize)]
struct RawExpect {
    min_items: Option<usize>,
    fields: Option<Spanned<Vec<String>>>,
    min_share: Option<Spanned<f32>>,
    alert_after: Option<Spanned<u32>>,
}

#[derive(Deserialize)]
struct RawItems {
    selector: Spanned<String>,
    title: Option<Spanned<RawField>>,
    link: Option<Spanned<RawField>>,
    date: Option<Spanned<RawField>>,
    author: Option<Spanned<RawField>>,
    summary: Option<Spanned<RawField>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawField {
    Short(String),
    Full(RawFieldTable),
}

/// A field written as a table: `{ selector = "time", attr = "datetime" }`.
#[derive(Deserialize)]
struct RawFieldTable {
    selector: Option<String>,
    attr: Option<String>,
}

// ---- loading ----------------------------------------------------------------------

impl Config {
    /// Reads and validates a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|cause| ConfigError::Read {
            path: path.to_path_buf(),
            cause,
        })?;
        Config::parse(&text, path)
    }

    /// Validates config text; `path` names the file in messages and anchors relative paths.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let unknown = unknown_keys(text);
        let raw: RawConfig = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(e) => {
                let line = e.span().map(|s| line_of(text, s.start)).unwrap_or_default();
                let message = e.message().trim().to_string();
                if unknown.is_empty() {
                    return Err(ConfigError::Syntax {
                        path: path.to_path_buf(),
                        line,
                        message,
                    });
                }
                // A value of the wrong type stops serde; the unknown keys found before
                // are still listed with it.
                let mut problems = unknown;
                problems.push(Problem {
                    line,
                    feed: None,
                    key: String::new(),
                    message,
                });
                problems.sort_by_key(|p| p.line);
                return Err(ConfigError::Invalid {
                    path: path.to_path_buf(),
                    problems,
                });
            }
        };
        let base_dir = path
            .parent()
            .map(Path::to_path_buf)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from("."));
        let mut v = Validator {
            text,
            problems: Vec::new(),
        };
        let settings = v.settings(raw.settings, &base_dir);
        let mut seen = HashSet::new();
        let mut feeds = Vec::new();
        for (i, f) in raw.feeds.into_iter().enumerate() {
            if let Some(feed) = v.feed(f, i, &settings, &base_dir, &mut seen) {
                feeds.push(feed);
            }
        }
        let mut problems = v.problems;
        problems.extend(unknown);
        problems.sort_by_key(|p| p.line);
        if problems.is_empty() {
            Ok(Config {
                path: path.to_path_buf(),
                settings,
                feeds,
            })
        } else {
            Err(ConfigError::Invalid {
                path: path.to_path_buf(),
                problems,
            })
        }
    }

    /// The feed with this id.
    pub fn feed(&self, id: &str) -> Option<&FeedConfig> {
        self.feeds.iter().find(|f| f.id == id)
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

struct Validator<'a> {
    text: &'a str,
    problems: Vec<Problem>,
}

impl Validator<'_> {
    fn problem<T>(
        &mut self,
        at: &Spanned<T>,
        feed: Option<&str>,
        key: &str,
        message: impl Into<String>,
    ) {
        self.problems.push(Problem {
            line: line_of(self.text, at.span().start),
            feed: feed.map(str::to_string),
            key: key.to_string(),
            message: message.into(),
        });
    }

    fn settings(&mut self, raw: RawSettings, base_dir: &Path) -> Settings {
        let output_dir = base_dir.join(raw.output_dir.as_deref().unwrap_or(DEFAULT_OUTPUT_DIR));
        let base_url = raw.base_url.as_ref().and_then(|u| {
            let mut s = u.get_ref().clone();
            if !s.ends_with('/') {
                s.push('/');
            }
            match Url::parse(&s) {
                Ok(url) if matches!(url.scheme(), "http" | "https") => Some(url),
                Ok(_) => {
                    self.problem(u, None, "base_url", "must be an http or https URL");
                    None
                }
                Err(e) => {
                    self.problem(u, None, "base_url", format!("not a valid URL: {e}"));
                    None
                }
            }
        });
        let mut request = self.request(&raw_request!(raw), &RequestSettings::default(), None);
        if let Some(raw_limit) = &raw.page_work_limit {
            match self.duration(
                Some(raw_limit),
                None,
                "page_work_limit",
                (Duration::ZERO, Duration::MAX),
            ) {
                Some(d) if d.is_zero() || d > MAX_PAGE_WORK_LIMIT => self.problem(
                    raw_limit,
                    None,
                    "page_work_limit",
                    "must be more than 0s and at most 1h",
                ),
                Some(d) => request.page_work_limit = d,
                None => {}
            }
        }
        let concurrency = self.positive(raw.concurrency, DEFAULT_CONCURRENCY, "concurrency");
        let per_host_concurrency = self.positive(
            raw.per_host_concurrency,
            DEFAULT_PER_HOST_CONCURRENCY,
            "per_host_concurrency",
        );
        let timezone = self.timezone(raw.timezone.as_ref(), Tz::UTC, None);
        let state_file = match &raw.state_file {
            Some(p) => base_dir.join(p),
            None => output_dir.join(DEFAULT_STATE_FILE),
        };
        let state_url =
            raw.state_url.as_ref().and_then(|u| {
                match crate::store::StateLocation::parse(u.get_ref(), "state_url") {
                    Ok(crate::store::StateLocation::Postgres(url)) => Some(url),
                    Ok(_) => {
                        self.problem(
                            u,
                            None,
                            "state_url",
                            "must be a postgres:// URL (a SQLite file is `state_file`)",
                        );
                        None
                    }
                    Err(crate::store::StoreError::StateUrl { message, .. }) => {
                        self.problem(u, None, "state_url", message);
                        None
                    }
                    Err(e) => {
                        self.problem(u, None, "state_url", e.to_string());
                        None
                    }
                }
            });
        let output_url = raw.output_url.as_ref().and_then(|u| {
            match crate::write::output::parse_bucket_url(u.get_ref()) {
                Ok(url) => Some(url),
                Err(message) => {
                    self.problem(u, None, "output_url", message);
                    None
                }
            }
        });
        let max_retry_wait = self
            .duration(
                raw.max_retry_wait.as_ref(),
                None,
                "max_retry_wait",
                MAX_RETRY_WAIT_RANGE,
            )
            .unwrap_or(DEFAULT_MAX_RETRY_WAIT);
        let interval = self
            .duration(raw.interval.as_ref(), None, "interval", INTERVAL_RANGE)
            .unwrap_or(DEFAULT_INTERVAL);
        let browser = crate::render::BrowserSettings {
            path: raw.browser.as_deref().map_or_else(
                || PathBuf::from(crate::render::DEFAULT_BROWSER),
                |p| base_dir.join(p),
            ),
            concurrency: self.positive(
                raw.browser_concurrency,
                crate::render::DEFAULT_BROWSER_CONCURRENCY,
                "browser_concurrency",
            ),
        };
        Settings {
            browser,
            state_file,
            state_url,
            output_url,
            max_retry_wait,
            interval,
            stylesheet: raw.stylesheet.unwrap_or(false),
            output_dir,
            base_url,
            concurrency,
            per_host_concurrency,
            max_redirects: raw.max_redirects.unwrap_or(DEFAULT_MAX_REDIRECTS),
            request,
            timezone,
        }
    }

    /// A duration setting, checked against its allowed `range` (both ends included).
    fn duration(
        &mut self,
        v: Option<&Spanned<String>>,
        feed: Option<&str>,
        key: &str,
        range: (Duration, Duration),
    ) -> Option<Duration> {
        let v = v?;
        let (min, max) = range;
        match humantime::parse_duration(v.get_ref()) {
            Ok(d) if d < min || d > max => {
                self.problem(
                    v,
                    feed,
                    key,
                    format!(
                        "{:?} is out of range: must be between {} and {}",
                        v.get_ref(),
                        humantime::format_duration(min),
                        humantime::format_duration(max)
                    ),
                );
                None
            }
            Ok(d) => Some(d),
            Err(e) => {
                self.problem(
                    v,
                    feed,
                    key,
                    format!(
                        "not a duration ({e}); write e.g. \"10s\" or \"2h\" (between {} and {})",
                        humantime::format_duration(min),
                        humantime::format_duration(max)
                    ),
                );
                None
            }
        }
    }

    fn positive(&mut self, v: Option<Spanned<usize>>, default: usize, key: &str) -> usize {
        match v {
            Some(n) if *n.get_ref() == 0 => {
                self.problem(&n, None, key, "must be at least 1");
                default
            }
            Some(n) => n.into_inner(),
            None => default,
        }
    }

    fn timezone(&mut self, v: Option<&Spanned<String>>, default: Tz, feed: Option<&str>) -> Tz {
        let Some(s) = v else { return default };
        match s.get_ref().parse::<Tz>() {
            Ok(tz) => tz,
            Err(_) => {
                self.problem(
                    s,
                    feed,
                    "timezone",
                    format!(
                        "unknown time zone {:?}; use an IANA name such as \"Europe/Berlin\" or \"UTC\"",
                        s.get_ref()
                    ),
                );
                default
            }
        }
    }

    fn request(
        &mut self,
        raw: &RawRequest<'_>,
        inherit: &RequestSettings,
        feed: Option<&str>,
    ) -> RequestSettings {
        let mut out = inherit.clone();
        if let Some(ua) = raw.user_agent {
            if ua.get_ref().trim().is_empty() || ua.get_ref().contains(['\r', '\n']) {
                self.problem(ua, feed, "user_agent", "must be one non-empty line");
            } else {
                out.user_agent = ua.get_ref().clone();
            }
        }
        if let Some(d) = self.duration(raw.timeout.as_ref(), feed, "timeout", TIMEOUT_RANGE) {
            out.timeout = d;
        }
        if let Some(d) = self.duration(
            raw.per_host_delay.as_ref(),
            feed,
            "per_host_delay",
            PER_HOST_DELAY_RANGE,
        ) {
            out.per_host_delay = d;
        }
        if let Some(r) = raw.respect_robots {
            out.respect_robots = r;
        }
        if let Some(b) = raw.max_body_size {
            match parse_byte_size(b.get_ref()) {
                Some(0) | None => self.problem(
                    b,
                    feed,
                    "max_body_size",
                    "must be a positive size in bytes, e.g. 10485760 or \"10MiB\"",
                ),
                Some(n) => out.max_body_size = n,
            }
        }
        out
    }

    fn feed(
        &mut self,
        raw: RawFeed,
        index: usize,
        settings: &Settings,
        base_dir: &Path,
        seen: &mut HashSet<String>,
    ) -> Option<FeedConfig> {
        let before = self.problems.len();
        let id = raw.id.get_ref().clone();
        let label = if valid_id(&id) {
            id.clone()
        } else {
            format!("#{}", index + 1)
        };
        let label = label.as_str();
        if !valid_id(&id) {
            self.problem(
                &raw.id,
                Some(label),
                "id",
                format!(
                    "{id:?} is not a valid feed id: use lower-case letters, digits, '-' and '_', \
                     starting with a letter or digit, and not a reserved device name"
                ),
            );
        } else if !seen.insert(id.clone()) {
            self.problem(
                &raw.id,
                Some(label),
                "id",
                format!("duplicate feed id {id:?}"),
            );
        }
        let url = match parse_feed_url(raw.url.get_ref(), base_dir) {
            Ok(u) => Some(u),
            Err(msg) => {
                self.problem(&raw.url, Some(label), "url", msg);
                None
            }
        };
        let max_items = match &raw.max_items {
            Some(n) if *n.get_ref() == 0 => {
                self.problem(n, Some(label), "max_items", "must be at least 1");
                DEFAULT_MAX_ITEMS
            }
            Some(n) => *n.get_ref(),
            None => DEFAULT_MAX_ITEMS,
        };
        let formats = match &raw.formats {
            None => Format::ALL.to_vec(),
            Some(list) => {
                let mut out = Vec::new();
                for s in list.get_ref() {
                    match Format::parse(s) {
                        Some(f) if !out.contains(&f) => out.push(f),
                        Some(_) => {}
                        None => self.problem(
                            list,
                            Some(label),
                            "formats",
                            format!("unknown format {s:?}; use \"rss\", \"atom\" or \"json\""),
                        ),
                    }
                }
                if out.is_empty() && list.get_ref().is_empty() {
                    self.problem(
                        list,
                        Some(label),
                        "formats",
                        "must list at least one format",
                    );
                }
                out
            }
        };
        let source = match &raw.source {
            None => Source::Html,
            Some(s) => Source::parse(s.get_ref()).unwrap_or_else(|| {
                self.problem(
                    s,
                    Some(label),
                    "source",
                    format!(
                        "unknown source {:?}; use \"html\", \"sitemap\", \"feed\" or \"json\"",
                        s.get_ref()
                    ),
                );
                Source::Html
            }),
        };
        let pages = match &raw.pages {
            None => DEFAULT_PAGES,
            Some(n) if *n.get_ref() == 0 || *n.get_ref() > MAX_PAGES => {
                self.problem(
                    n,
                    Some(label),
                    "pages",
                    format!("must be between 1 and {MAX_PAGES}"),
                );
                DEFAULT_PAGES
            }
            Some(n) if *n.get_ref() > 1 && source != Source::Html => {
                self.problem(
                    n,
                    Some(label),
                    "pages",
                    format!(
                        "only an HTML listing has pages to follow; a {} source is read whole",
                        source.name()
                    ),
                );
                DEFAULT_PAGES
            }
            Some(n) => *n.get_ref(),
        };
        let allow_hosts = match &raw.allow_hosts {
            None => Vec::new(),
            Some(list) => {
                let mut out = Vec::new();
                for h in list.get_ref() {
                    match valid_host(h) {
                        Some(h) => out.push(h),
                        None => self.problem(
                            list,
                            Some(label),
                            "allow_hosts",
                            format!(
                                "{h:?} is not a host name; write e.g. \"cdn.example.com\" \
                                 (no scheme, path or port)"
                            ),
                        ),
                    }
                }
                out
            }
        };
        if source != Source::Html {
            if let Some(items) = &raw.items {
                self.problem(
                    &items.selector,
                    Some(label),
                    "items",
                    format!(
                        "[feed.items] selectors apply to HTML listings only; \
                         a {} source lists its items itself",
                        source.name()
                    ),
                );
            }
        }
        let items = raw.items.as_ref().and_then(|r| self.items(r, label));
        let json = self.json(&raw, source, label);
        let timezone = self.timezone(raw.timezone.as_ref(), settings.timezone, Some(label));
        let mut request = self.request(&raw_request!(raw), &settings.request, Some(label));
        // The userinfo of `url` becomes basic auth for its origin, and leaves the URL:
        // nothing after this point can print, log, store or publish it.
        let url = url.map(|u| {
            let (u, auth) = crate::credentials::split_userinfo(u);
            request.auth = self.credentials(&raw, auth, &u, base_dir, label);
            u
        });
        let refresh_after = self.duration(
            raw.refresh_after.as_ref(),
            Some(label),
            "refresh_after",
            REFRESH_AFTER_RANGE,
        );
        let interval = self
            .duration(
                raw.interval.as_ref(),
                Some(label),
                "interval",
                INTERVAL_RANGE,
            )
            .unwrap_or(settings.interval);
        let expect = raw
            .expect
            .as_ref()
            .map(|e| self.expect(e, label))
            .unwrap_or_default();
        let full_content = match raw.content.as_ref().map(|c| (c, c.get_ref().as_str())) {
            None | Some((_, "summary")) => false,
            Some((_, "full")) => true,
            Some((c, other)) => {
                self.problem(
                    c,
                    Some(label),
                    "content",
                    format!("unknown value {other:?}; use \"summary\" or \"full\""),
                );
                false
            }
        };
        let render = self.render(&raw, url.as_ref(), source, label);
        let (rules, problems) =
            crate::filter::compile(raw.filter.as_ref(), raw.rewrite.as_deref().unwrap_or(&[]));
        for (at, key, message) in problems {
            self.problems.push(Problem {
                line: line_of(self.text, at),
                feed: Some(label.to_string()),
                key,
                message,
            });
        }
        if self.problems.len() > before {
            return None;
        }
        Some(FeedConfig {
            render,
            id,
            url: url?,
            source,
            pages,
            allow_hosts,
            title: raw
                .title
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty()),
            max_items,
            formats,
            follow: raw.follow.unwrap_or(true),
            items,
            timezone,
            request,
            refresh_after,
            interval,
            expect,
            full_content,
            json,
            rules,
        })
    }

    /// `[feed.json]`, required by and only allowed with `source = "json"`.
    fn json(&mut self, raw: &RawFeed, source: Source, feed: &str) -> Option<JsonRules> {
        let Some(j) = &raw.json else {
            if let (Source::Json, Some(s)) = (source, &raw.source) {
                self.problem(
                    s,
                    Some(feed),
                    "json",
                    "source = \"json\" needs a [feed.json] table with `items` and `link`",
                );
            }
            return None;
        };
        let mut compile = |v: &Option<Spanned<String>>, key: &str| {
            let v = v.as_ref()?;
            let compiled = match key {
                "link" => json::link(v.get_ref()),
                _ => json::path(v.get_ref()).map(LinkRule::Path),
            };
            match compiled {
                Ok(c) => Some(c),
                Err(msg) => {
                    self.problem(v, Some(feed), &format!("json.{key}"), msg);
                    None
                }
            }
        };
        let mut field = |v: &Option<Spanned<String>>, key: &str| match compile(v, key) {
            Some(LinkRule::Path(p)) => Some(p),
            _ => None,
        };
        let (title, date, author) = (
            field(&j.title, "title"),
            field(&j.date, "date"),
            field(&j.author, "author"),
        );
        let (summary, image, id) = (
            field(&j.summary, "summary"),
            field(&j.image, "image"),
            field(&j.id, "id"),
        );
        let items = field(&j.items, "items");
        let link = compile(&j.link, "link");
        let anchor = j.items.as_ref().or(j.link.as_ref()).or(raw.source.as_ref());
        if let Some(at) = anchor {
            if source != Source::Json {
                let msg = format!(
                    "[feed.json] applies to source = \"json\" only, not to a {} source",
                    source.name()
                );
                self.problem(at, Some(feed), "json", msg);
            } else if j.items.is_none() || j.link.is_none() {
                self.problem(
                    at,
                    Some(feed),
                    "json",
                    "[feed.json] needs `items` and `link`",
                );
            }
        }
        Some(JsonRules {
            items: items?,
            link: link?,
            title,
            date,
            author,
            summary,
            image,
            id,
        })
    }

    /// The feed's credential keys (`headers`, `cookies_file`, `cookie`, `basic_auth`)
    /// added to its URL's userinfo; the rules live in [`crate::credentials`].
    fn credentials(
        &mut self,
        raw: &RawFeed,
        from_url: Option<crate::credentials::Credentials>,
        url: &Url,
        base_dir: &Path,
        feed: &str,
    ) -> Option<crate::credentials::Credentials> {
        let line = |at: std::ops::Range<usize>| line_of(self.text, at.start);
        let keys = crate::credentials::FeedKeys {
            headers: raw.headers.as_ref().map_or_else(Vec::new, |h| {
                h.get_ref()
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect()
            }),
            headers_line: raw.headers.as_ref().map_or(0, |h| line(h.span())),
            cookies_file: raw
                .cookies_file
                .as_ref()
                .map(|c| (c.get_ref().as_str(), line(c.span()))),
            cookie: raw
                .cookie
                .as_ref()
                .map(|c| (c.get_ref().as_str(), line(c.span()))),
            basic_auth: raw.basic_auth.as_ref().map(|b| {
                let r = b.get_ref();
                (r.user.as_str(), r.password.as_deref(), line(b.span()))
            }),
        };
        let env = |name: &str| std::env::var(name).ok();
        match crate::credentials::Credentials::with_feed_keys(from_url, &keys, url, base_dir, &env)
        {
            Ok(c) => c,
            Err(problems) => {
                self.problems.extend(problems.into_iter().map(|p| Problem {
                    line: p.line,
                    feed: Some(feed.to_string()),
                    key: p.key,
                    message: p.message,
                }));
                None
            }
        }
    }

    /// `render`, `render_items` and `wait_for`: the browser is for HTML listings on the
    /// web, and the other two keys mean nothing without it.
    fn render(
        &mut self,
        raw: &RawFeed,
        url: Option<&Url>,
        source: Source,
        feed: &str,
    ) -> Option<crate::render::RenderRules> {
        let browser = match &raw.render {
            None => false,
            Some(r) => match r.get_ref().as_str() {
                "html" => false,
                "browser" if source != Source::Html => {
                    let why = format!(
                        "only an HTML listing is rendered; a {} source is read as it is",
                        source.name()
                    );
                    self.problem(r, Some(feed), "render", why);
                    false
                }
                "browser" if url.is_some_and(|u| !matches!(u.scheme(), "http" | "https")) => {
                    self.problem(
                        r,
                        Some(feed),
                        "render",
                        "the browser loads http(s) pages only; a saved page is read as it is",
                    );
                    false
                }
                "browser" => true,
                other => {
                    let why = format!("unknown value {other:?}; use \"html\" or \"browser\"");
                    self.problem(r, Some(feed), "render", why);
                    false
                }
            },
        };
        let asked = raw
            .render
            .as_ref()
            .is_some_and(|r| r.get_ref() == "browser");
        let needs_browser = "needs render = \"browser\"";
        if let Some(items) = raw.render_items.as_ref().filter(|_| !asked) {
            self.problem(items, Some(feed), "render_items", needs_browser);
        }
        let wait_for = raw.wait_for.as_ref().map(|w| {
            if let Err(e) = Selector::parse(w.get_ref()) {
                let why = format!(
                    "invalid CSS selector {:?}: {}",
                    w.get_ref(),
                    selector_error(&e)
                );
                self.problem(w, Some(feed), "wait_for", why);
            } else if !asked {
                self.problem(w, Some(feed), "wait_for", needs_browser);
            }
            w.get_ref().clone()
        });
        browser.then(|| crate::render::RenderRules {
            items: raw.render_items.as_ref().is_some_and(|b| *b.get_ref()),
            wait_for,
        })
    }

    fn expect(&mut self, raw: &RawExpect, feed: &str) -> Expect {
        let mut e = Expect::default();
        if let Some(n) = raw.min_items {
            e.min_items = n;
        }
        if let Some(fields) = &raw.fields {
            for f in fields.get_ref() {
                if let Some(field) = ExpectField::parse(f) {
                    e.fields.push(field);
                } else {
                    self.problem(
                        fields,
                        Some(feed),
                        "expect.fields",
                        format!("unknown field {f:?}; use \"title\", \"author\", \"date\" or \"summary\""),
                    );
                }
            }
        }
        if let Some(share) = &raw.min_share {
            if (0.0..=1.0).contains(share.get_ref()) {
                e.min_share = *share.get_ref();
            } else {
                self.problem(
                    share,
                    Some(feed),
                    "expect.min_share",
                    "must be between 0 and 1",
                );
            }
        }
        if let Some(n) = &raw.alert_after {
            if *n.get_ref() == 0 {
                self.problem(n, Some(feed), "expect.alert_after", "must be at least 1");
            } else {
                e.alert_after = *n.get_ref();
            }
        }
        e
    }

    fn items(&mut self, raw: &RawItems, feed: &str) -> Option<ItemRules> {
        let selector = match Selector::parse(raw.selector.get_ref()) {
            Ok(s) => Some(s),
            Err(e) => {
                self.problem(
                    &raw.selector,
                    Some(feed),
                    "items.selector",
                    format!(
                        "invalid CSS selector {:?}: {}",
                        raw.selector.get_ref(),
                        selector_error(&e)
                    ),
                );
                None
            }
        };
        let mut field = |f: &Option<Spanned<RawField>>, key: &str| -> Option<FieldRule> {
            let f = f.as_ref()?;
            match compile_field(f.get_ref()) {
                Ok(rule) => Some(rule),
                Err(msg) => {
                    self.problem(f, Some(feed), &format!("items.{key}"), msg);
                    None
                }
            }
        };
        let title = field(&raw.title, "title");
        let link = field(&raw.link, "link");
        let date = field(&raw.date, "date");
        let author = field(&raw.author, "author");
        let summary = field(&raw.summary, "summary");
        Some(ItemRules {
            selector: selector?,
            title,
            link,
            date,
            author,
            summary,
        })
    }
}

// ---- unknown keys -----------------------------------------------------------------

/// The field names serde's derive gives a struct (what it passes to
/// `deserialize_struct`), so the unknown-key walk and the structs cannot drift apart.
fn fields_of<T: serde::de::DeserializeOwned>() -> &'static [&'static str] {
    use serde::de::{self, Visitor};
    struct Probe<'a>(&'a mut &'static [&'static str]);
    impl<'de> serde::Deserializer<'de> for Probe<'_> {
        type Error = de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("not a struct"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            _visitor: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = fields;
            Err(de::Error::custom("fields read"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(Probe(&mut fields));
    fields
}

/// Every key of the file that no table knows, each with its line, feed and key, in the
/// same words whatever table it is in.
fn unknown_keys(text: &str) -> Vec<Problem> {
    use toml_edit::{Item, TableLike};
    // A file that does not parse is reported by the TOML reader itself.
    let Ok(doc) = toml_edit::ImDocument::parse(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    // `prefix` is `None` for the top level, else what goes before the key's name.
    let mut check =
        |table: &dyn TableLike, known: &[&str], feed: Option<&str>, prefix: Option<&str>| {
            for (key, item) in table.iter() {
                if known.contains(&key) {
                    continue;
                }
                let span = table
                    .get_key_value(key)
                    .and_then(|(k, _)| k.span())
                    .or_else(|| item.span());
                let expected = known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push(Problem {
                    line: span.map(|s| line_of(text, s.start)).unwrap_or_default(),
                    feed: feed.map(str::to_string),
                    key: prefix.map(|p| format!("{p}{key}")).unwrap_or_default(),
                    message: match prefix {
                        None => format!("unknown top-level key `{key}`, expected {expected}"),
                        Some(_) => format!("unknown field `{key}`, expected one of {expected}"),
                    },
                });
            }
        };
    let root = doc.as_table();
    check(root, fields_of::<RawConfig>(), None, None);
    if let Some(settings) = root.get("settings").and_then(Item::as_table_like) {
        check(settings, fields_of::<RawSettings>(), None, Some(""));
    }
    let feeds: Vec<&dyn TableLike> = match root.get("feed") {
        Some(Item::ArrayOfTables(a)) => a.iter().map(|t| t as &dyn TableLike).collect(),
        Some(Item::Value(toml_edit::Value::Array(a))) => a
            .iter()
            .filter_map(|v| v.as_inline_table())
            .map(|t| t as &dyn TableLike)
            .collect(),
        _ => Vec::new(),
    };
    for (i, feed) in feeds.into_iter().enumerate() {
        // The same label the validator gives the feed.
        let label = match feed.get("id").and_then(Item::as_str) {
            Some(id) if valid_id(id) => id.to_string(),
            _ => format!("#{}", i + 1),
        };
        check(feed, fields_of::<RawFeed>(), Some(&label), Some(""));
        if let Some(expect) = feed.get("expect").and_then(Item::as_table_like) {
            check(
                expect,
                fields_of::<RawExpect>(),
                Some(&label),
                Some("expect."),
            );
        }
        if let Some(j) = feed.get("json").and_then(Item::as_table_like) {
            check(j, fields_of::<json::RawJson>(), Some(&label), Some("json."));
        }
        if let Some(basic) = feed.get("basic_auth").and_then(Item::as_table_like) {
            let known = fields_of::<RawBasicAuth>();
            check(basic, known, Some(&label), Some("basic_auth."));
        }
        if let Some(filter) = feed.get("filter").and_then(Item::as_table_like) {
            let known = fields_of::<crate::filter::RawFilter>();
            check(filter, known, Some(&label), Some("filter."));
        }
        if let Some(Item::ArrayOfTables(rewrites)) = feed.get("rewrite") {
            for r in rewrites.iter() {
                let known = fields_of::<crate::filter::RawRewrite>();
                check(r, known, Some(&label), Some("rewrite."));
            }
        }
        if let Some(items) = feed.get("items").and_then(Item::as_table_like) {
            check(items, fields_of::<RawItems>(), Some(&label), Some("items."));
            for (key, field) in items.iter() {
                if let Some(t) = field.as_table_like() {
                    check(
                        t,
                        fields_of::<RawFieldTable>(),
                        Some(&label),
                        Some(&format!("items.{key}.")),
                    );
                }
            }
        }
    }
    out
}

/// Names Windows and some tools treat as devices; refused as ids so output files are
/// portable.
const RESERVED_IDS: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// `[a-z0-9][a-z0-9_-]*`, at most 100 characters, not a reserved device name.
pub fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    first_ok
        && id.len() <= 100
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && !RESERVED_IDS.contains(&id)
}

/// A host name for `allow_hosts`, lower-cased; `None` when it has a scheme, path, port
/// or characters a host cannot have.
fn valid_host(h: &str) -> Option<String> {
    let h = h.trim().trim_end_matches('.').to_ascii_lowercase();
    let ok = !h.is_empty()
        && h.len() <= 253
        && !h.starts_with('.')
        && !h.contains("..")
        && h.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'));
    ok.then_some(h)
}

/// A feed URL: `http(s)://`, `file://`, or a plain path relative to the config folder.
fn parse_feed_url(s: &str, base_dir: &Path) -> Result<Url, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("must not be empty".into());
    }
    if s.contains("://") || s.starts_with("file:") {
        // Messages show the URL without a password it may carry.
        let shown = crate::credentials::redact_userinfo_str(s);
        let url = Url::parse(s).map_err(|e| format!("{shown:?} is not a valid URL: {e}"))?;
        return match url.scheme() {
            "http" | "https" if url.host_str().is_some() => Ok(url),
            "file" => Ok(url),
            other => Err(format!(
                "{shown:?}: unsupported scheme {other:?}; use http, https, file or a path"
            )),
        };
    }
    let path = base_dir.join(s);
    let abs = std::path::absolute(&path).map_err(|e| format!("cannot resolve path {s:?}: {e}"))?;
    Url::from_file_path(&abs).map_err(|_| format!("cannot turn path {s:?} into a file URL"))
}

fn parse_byte_size(b: &ByteSize) -> Option<u64> {
    match b {
        ByteSize::Bytes(n) => Some(*n),
        ByteSize::Text(s) => {
            let s = s.trim();
            let split = s
                .find(|c: char| !c.is_ascii_digit() && c != '.')
                .unwrap_or(s.len());
            let (num, unit) = s.split_at(split);
            let n: f64 = num.parse().ok()?;
            let mul: f64 = match unit.trim().to_ascii_lowercase().as_str() {
                "" | "b" => 1.0,
                "k" | "kb" => 1e3,
                "kib" => 1024.0,
                "m" | "mb" => 1e6,
                "mib" => 1024.0 * 1024.0,
                "g" | "gb" => 1e9,
                "gib" => 1024.0 * 1024.0 * 1024.0,
                _ => return None,
            };
            Some((n * mul) as u64)
        }
    }
}

fn compile_field(f: &RawField) -> Result<FieldRule, String> {
    let (sel, attr) = match f {
        RawField::Short(s) => split_attr(s),
        RawField::Full(RawFieldTable { selector, attr }) => (
            selector.clone().unwrap_or_default(),
            attr.clone().filter(|a| !a.is_empty()),
        ),
    };
    let sel = sel.trim();
    let selector = if sel.is_empty() {
        if attr.is_none() {
            return Err("needs a selector or an attribute".into());
        }
        None
    } else {
        Some(
            Selector::parse(sel)
                .map_err(|e| format!("invalid CSS selector {sel:?}: {}", selector_error(&e)))?,
        )
    };
    Ok(FieldRule { selector, attr })
}

/// What is wrong with a selector, in words. The selector crate's own text for most of
/// its errors is "Unexpected error occurred. Please report this to the developer" and a
/// debug dump, so each kind is put into a sentence here.
fn selector_error(e: &scraper::error::SelectorErrorKind<'_>) -> String {
    use cssparser::ToCss;
    use scraper::error::SelectorErrorKind as K;
    use selectors::parser::SelectorParseErrorKind as P;
    let tok = |t: &cssparser::Token<'_>| format!("`{}`", t.to_css_string());
    match e {
        K::UnexpectedToken(t) => format!("unexpected {} here", tok(t)),
        K::EndOfLine => "it ends too early (an unclosed `[` or `(`, or nothing after a \
                         `.`, `#`, `:` or combinator)"
            .into(),
        K::InvalidAtRule(r) => format!("`@{r}` has no place in a selector"),
        K::InvalidAtRuleBody | K::QualRuleInvalid => "this is not a selector".into(),
        K::ExpectedColonOnPseudoElement(t) | K::ExpectedIdentityOnPseudoElement(t) => {
            format!("a pseudo-element needs a name after `::`, found {}", tok(t))
        }
        K::UnexpectedSelectorParseError(p) => match p {
            P::NoQualifiedNameInAttributeSelector(t) => format!(
                "an attribute selector needs an attribute name after `[`, found {} \
                 (to read an attribute, write `selector@attr`, e.g. \"time@datetime\")",
                tok(t)
            ),
            P::EmptySelector => "the selector is empty".into(),
            P::DanglingCombinator => {
                "a combinator (` `, `>`, `+` or `~`) has no selector on one side".into()
            }
            P::NonCompoundSelector => {
                "only a simple selector (no combinator) is allowed inside this".into()
            }
            P::NonPseudoElementAfterSlotted
            | P::InvalidPseudoElementAfterSlotted
            | P::InvalidPseudoElementInsideWhere => "a pseudo-element is not allowed here".into(),
            P::InvalidState => "its parts are in an order CSS does not allow".into(),
            P::UnexpectedTokenInAttributeSelector(t) => format!(
                "unexpected {} inside an attribute selector; write e.g. `[data-id]` or \
                 `[rel=\"next\"]`",
                tok(t)
            ),
            P::PseudoElementExpectedColon(t) | P::PseudoElementExpectedIdent(t) => {
                format!("a pseudo-element needs a name after `::`, found {}", tok(t))
            }
            P::NoIdentForPseudo(t) => {
                format!("a pseudo-class needs a name after `:`, found {}", tok(t))
            }
            P::UnsupportedPseudoClassOrElement(name) => {
                format!("`:{name}` is not a pseudo-class or pseudo-element that can be used")
            }
            P::UnexpectedIdent(name) => format!("unexpected name `{name}` here"),
            P::ExpectedNamespace(ns) => {
                format!("`{ns}|` is a namespace prefix, and selectors here have no namespaces")
            }
            P::ExpectedBarInAttr(t) => {
                format!("expected `|` in the attribute's name, found {}", tok(t))
            }
            P::BadValueInAttr(t) => format!(
                "an attribute's value must be a word or a quoted string, found {}",
                tok(t)
            ),
            P::InvalidQualNameInAttr(t) => {
                format!("{} is not a valid attribute name", tok(t))
            }
            P::ExplicitNamespaceUnexpectedToken(t) => {
                format!("unexpected {} after a namespace prefix", tok(t))
            }
            P::ClassNeedsIdent(t) => {
                format!("a class selector needs a name after `.`, found {}", tok(t))
            }
        },
    }
}

/// Splits `"time@datetime"` into selector and attribute. An `@` inside brackets or
/// quotes belongs to the selector.
fn split_attr(s: &str) -> (String, Option<String>) {
    if let Some(at) = s.rfind('@') {
        let attr = &s[at + 1..];
        let is_name = !attr.is_empty()
            && attr
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'));
        if is_name {
            return (s[..at].to_string(), Some(attr.to_string()));
        }
    }
    (s.to_string(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("dir/test.toml"))
    }

    #[test]
    fn minimal_feed_gets_defaults() {
        let c = parse("[[feed]]\nid = \"news\"\nurl = \"https://example.com/news\"\n").unwrap();
        let f = &c.feeds[0];
        assert_eq!(f.max_items, DEFAULT_MAX_ITEMS);
        assert_eq!(f.formats, Format::ALL.to_vec());
        assert!(f.follow);
        assert_eq!(f.timezone, Tz::UTC);
        assert_eq!(f.request.timeout, DEFAULT_TIMEOUT);
        assert_eq!(c.settings.output_dir, Path::new("dir/feeds"));
    }

    #[test]
    fn attr_shorthand_and_table_forms() {
        let c = parse(
            "[[feed]]\nid = \"a\"\nurl = \"https://e.com/\"\n[feed.items]\nselector = \"li\"\n\
             link = \"a@href\"\ndate = { selector = \"time\", attr = \"datetime\" }\nauthor = \"@data-author\"\n",
        )
        .unwrap();
        let items = c.feeds[0].items.as_ref().unwrap();
        assert_eq!(items.link.as_ref().unwrap().attr.as_deref(), Some("href"));
        assert_eq!(
            items.date.as_ref().unwrap().attr.as_deref(),
            Some("datetime")
        );
        assert!(items.author.as_ref().unwrap().selector.is_none());
    }

    #[test]
    fn every_problem_is_listed_with_line_feed_and_key() {
        let err = parse(
            "[settings]\ntimeout = \"soon\"\n[[feed]]\nid = \"Bad Id\"\nurl = \"ftp://x\"\n\
             [[feed]]\nid = \"ok\"\nurl = \"https://e.com\"\ntimezone = \"Mars/Base\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("dir/test.toml:2: key `settings.timeout`"),
            "{err}"
        );
        assert!(
            err.contains("dir/test.toml:4: feed `#1`, key `id`"),
            "{err}"
        );
        assert!(
            err.contains("dir/test.toml:5: feed `#1`, key `url`"),
            "{err}"
        );
        assert!(
            err.contains("dir/test.toml:9: feed `ok`, key `timezone`"),
            "{err}"
        );
    }

    #[test]
    fn expected_fields_are_read_into_their_kinds_and_an_unknown_one_is_named() {
        let c = parse(
            "[[feed]]\nid = \"a\"\nurl = \"https://e.com/\"\n[feed.expect]\n\
             fields = [\"title\", \"author\", \"date\", \"summary\"]\n",
        )
        .unwrap();
        assert_eq!(
            c.feeds[0].expect.fields,
            [
                ExpectField::Title,
                ExpectField::Author,
                ExpectField::Date,
                ExpectField::Summary
            ]
        );
        let err = parse(
            "[[feed]]\nid = \"a\"\nurl = \"https://e.com/\"\n[feed.expect]\n\
             fields = [\"title\", \"body\"]\n",
        )
        .unwrap_err()
        .to_string();
        let want = "dir/test.toml:5: feed `a`, key `expect.fields`: unknown field \"body\"; \
                    use \"title\", \"author\", \"date\" or \"summary\"";
        assert!(err.contains(want), "expected {want:?} in:\n{err}");
    }

    #[test]
    fn unknown_keys_are_listed_with_a_value_of_the_wrong_type() {
        let err = parse(
            "[settings]\nconcurrency = \"many\"\nuser_agnet = \"x\"\n\
             [[feed]]\nid = \"a\"\nurl = \"https://e.com/\"\nfollw = false\n",
        )
        .unwrap_err()
        .to_string();
        for want in [
            "dir/test.toml:2: invalid type: string \"many\", expected usize",
            "dir/test.toml:3: key `settings.user_agnet`: unknown field `user_agnet`",
            "dir/test.toml:7: feed `a`, key `follw`: unknown field `follw`",
        ] {
            assert!(err.contains(want), "expected {want:?} in:\n{err}");
        }
    }

    #[test]
    fn source_pages_and_allow_hosts() {
        let c = parse(
            "[[feed]]\nid = \"a\"\nurl = \"https://e.com/\"\npages = 3\n\
             allow_hosts = [\"CDN.e.net\"]\n\
             [[feed]]\nid = \"b\"\nurl = \"https://e.com/sitemap.xml\"\nsource = \"sitemap\"\n",
        )
        .unwrap();
        assert_eq!(c.feeds[0].source, Source::Html);
        assert_eq!(c.feeds[0].pages, 3);
        assert_eq!(c.feeds[0].allow_hosts, vec!["cdn.e.net".to_string()]);
        assert_eq!(c.feeds[1].source, Source::Sitemap);
        assert_eq!(c.feeds[1].pages, DEFAULT_PAGES);
    }

    #[test]
    fn bad_source_pages_and_hosts_name_their_key_and_line() {
        let err = parse(
            "[[feed]]\nid = \"a\"\nurl = \"https://e.com/\"\nsource = \"atom\"\n\
             [[feed]]\nid = \"b\"\nurl = \"https://e.com/\"\npages = 0\n\
             [[feed]]\nid = \"c\"\nurl = \"https://e.com/s.xml\"\nsource = \"sitemap\"\npages = 2\n\
             [[feed]]\nid = \"d\"\nurl = \"https://e.com/\"\nallow_hosts = [\"https://x.com/\"]\n\
             [[feed]]\nid = \"e\"\nurl = \"https://e.com/f.xml\"\nsource = \"feed\"\n\
             [feed.items]\nselector = \"li\"\n",
        )
        .unwrap_err()
        .to_string();
        for want in [
            "dir/test.toml:4: feed `a`, key `source`: unknown source \"atom\"",
            "dir/test.toml:8: feed `b`, key `pages`: must be between 1 and 50",
            "dir/test.toml:13: feed `c`, key `pages`: only an HTML listing",
            "dir/test.toml:17: feed `d`, key `allow_hosts`: \"https://x.com/\" is not a host name",
            "dir/test.toml:23: feed `e`, key `items`: [feed.items] selectors apply to HTML",
        ] {
            assert!(err.contains(want), "expected {want:?} in:\n{err}");
        }
    }

    #[test]
    fn page_work_limit_is_read_inherited_and_checked() {
        let feed = "[[feed]]\nid = \"a\"\nurl = \"https://e.com/\"\n";
        let c = parse(feed).unwrap();
        assert_eq!(c.feeds[0].request.page_work_limit, DEFAULT_PAGE_WORK_LIMIT);
        let c = parse(&format!("[settings]\npage_work_limit = \"750ms\"\n{feed}")).unwrap();
        assert_eq!(
            c.feeds[0].request.page_work_limit,
            Duration::from_millis(750)
        );
        for bad in ["0s", "2h", "soon"] {
            let err = parse(&format!("[settings]\npage_work_limit = \"{bad}\"\n{feed}"))
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("dir/test.toml:2: key `settings.page_work_limit`: "),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn ids_that_could_escape_or_clash_are_refused() {
        for bad in ["../../etc/passwd", "con", "a/b", "", "-x", "A", "x.y"] {
            assert!(!valid_id(bad), "{bad}");
        }
        assert!(valid_id("news-2_b"));
    }

    #[test]
    fn byte_sizes() {
        assert_eq!(
            parse_byte_size(&ByteSize::Text("10MiB".into())),
            Some(10 << 20)
        );
        assert_eq!(
            parse_byte_size(&ByteSize::Text("500 kB".into())),
            Some(500_000)
        );
        assert_eq!(parse_byte_size(&ByteSize::Bytes(42)), Some(42));
        assert_eq!(parse_byte_size(&ByteSize::Text("lots".into())), None);
    }
}
