//! `pagefeed extract`: one page (a file or a URL) or a batch, extracted and printed.

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use url::Url;

use crate::cli::ExtractArgs;
use crate::config::Settings;
use crate::extract::{self, Extracted};
use crate::fetch::{charset, Fetched, Fetcher};
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

/// Reads a file or fetches a URL; returns the text and the page's URL.
pub fn load_input(input: &str, url: Option<&str>) -> Result<(String, Url), ExtractError> {
    let path = std::path::Path::new(input);
    if path.exists() {
        let text = read_page(path)?;
        let url = url
            .and_then(|u| Url::parse(u).ok())
            .or_else(|| {
                std::path::absolute(path)
                    .ok()
                    .and_then(|p| Url::from_file_path(p).ok())
            })
            .ok_or_else(|| ExtractError::BadInput {
                input: crate::credentials::redact_userinfo_str(input),
            })?;
        return Ok((text, url));
    }
    let parsed = Url::parse(input).map_err(|_| ExtractError::BadInput {
        input: crate::credentials::redact_userinfo_str(input),
    })?;
    let rt = super::runtime().map_err(|cause| ExtractError::Read {
        path: path.to_path_buf(),
        cause,
    })?;
    let settings = Settings::default();
    // A password in the URL is sent as basic auth to that host only, never printed.
    let (parsed, auth) = crate::credentials::split_userinfo(parsed);
    let request = crate::config::RequestSettings {
        auth,
        ..settings.request.clone()
    };
    let fetched = rt.block_on(async {
        let fetcher = Fetcher::new(&settings)?;
        fetcher.fetch(&parsed, &request, None).await
    })?;
    match fetched {
        Fetched::Page(p) => Ok((p.text, p.url)),
        Fetched::NotModified => Err(ExtractError::BadInput {
            input: crate::credentials::redact_userinfo_str(input),
        }),
    }
}

/// Writes one extracted input as `pagefeed extract` prints it: the explanation
/// (`--explain`), a JSON line (`--json`) or the plain fields, with the main content when
/// `--content` asked for it.
pub fn write_extracted(
    out: &mut impl Write,
    input: &str,
    e: &Extracted,
    url: &Url,
    args: &ExtractArgs,
) -> std::io::Result<()> {
    let mut line = ExtractLine::new(None, e, Some(url));
    if args.content {
        line = line.with_content(e);
    }
    if args.explain {
        writeln!(out, "{input}\n{}", extract::explain(e))
    } else if args.json {
        writeln!(out, "{}", serde_json::to_string(&line).unwrap_or_default())
    } else {
        writeln!(
            out,
            "url:     {}\ntitle:   {}\nauthor:  {}\ndate:    {}\nsummary: {}\n",
            line.url.as_deref().unwrap_or("-"),
            line.title.unwrap_or("-"),
            line.author.as_deref().unwrap_or("-"),
            line.date.as_deref().unwrap_or("-"),
            line.summary.unwrap_or("-"),
        )
        .and_then(|()| match line.content_html {
            Some(c) => writeln!(out, "content: {}\n", c.unwrap_or("-")),
            None => Ok(()),
        })
    }
}
