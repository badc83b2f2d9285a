//! Fetching: polite, bounded HTTP (and `file://`) reads that return decoded text.
//!
//! Contract: [`Fetcher::fetch`] returns a page's text, decoded with the right charset,
//! or a [`FetchError`] naming the URL. It enforces, per request: a timeout, a redirect
//! limit and a body-size cap counted on decompressed bytes while streaming (a page over
//! the cap is cut there, never read whole). Across requests it enforces a global limit
//! of requests in flight, a per-host limit and a minimum delay between two requests to
//! the same host. It sends conditional requests when given validators. It does not
//! parse HTML and knows nothing of feeds, but for one fact: whether the feed's source
//! is public, which decides whether the SSRF guard ([`guard`]) applies to a request.
//!
//! Retries: only what a second try can fix — connection failures, a connection dropped
//! mid-body, 502, 503 without `Retry-After`, 504 and 408 — with backoff, at most
//! [`MAX_TRIES`] tries; a `Retry-After` within `max_retry_wait` is honoured once. A
//! request that used its whole `timeout` is not retried: the configured timeout is the
//! most one slow URL costs a run. 404, 410, 500 and the other errors fail at once.

pub mod charset;
pub mod guard;
mod head;
pub mod robots;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::StatusCode;
use tokio::sync::Semaphore;
use tokio::time::Instant;
use url::Url;

use crate::config::{RequestSettings, Settings};

/// Tries for a transient failure (connect error, dropped connection, 502, 503 without
/// `Retry-After`, 504), the first included.
pub const MAX_TRIES: u32 = 3;

/// Longest `Retry-After` stored for a later run: a server asking for more (say
/// `Retry-After: 99999999`) is asked again after this long. `run --force` ignores a
/// stored time altogether.
pub const MAX_STORED_RETRY_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// Validators from an earlier response, for a conditional GET.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// The `ETag` header.
    pub etag: Option<String>,
    /// The `Last-Modified` header.
    pub last_modified: Option<String>,
}

/// A fetched page.
#[derive(Debug, Clone)]
pub struct Page {
    /// The final URL, after redirects.
    pub url: Url,
    /// Decoded text.
    pub text: String,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// Validators to store for the next conditional request.
    pub validators: Validators,
    /// Whether the body was cut at the size cap.
    pub truncated: bool,
    /// Bytes received (after decompression).
    pub bytes: u64,
    /// The `Content-Language` header, if any: an item's language when its page
    /// declares none.
    pub content_language: Option<String>,
}

/// The outcome of a fetch that did not fail.
// One `Fetched` lives per request, briefly, and is unpacked at once: boxing the page
// would cost an allocation per request for nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Fetched {
    /// The page, with its text.
    Page(Page),
    /// The server answered 304: the stored copy is current.
    NotModified,
}

/// Why a fetch failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The server answered with an error status.
    #[error("fetch: {url}: HTTP {status}")]
    Status {
        /// The URL requested.
        url: Url,
        /// The status received.
        status: StatusCode,
    },
    /// The server asked to wait longer than `max_retry_wait`.
    #[error("fetch: {url}: HTTP {status}, server asks to retry after {}s; skipped for this run", wait.as_secs())]
    RetryLater {
        /// The URL requested.
        url: Url,
        /// 429 or 503.
        status: StatusCode,
        /// How long the server asked to wait.
        wait: Duration,
    },
    /// The server answered 304 Not Modified to a request that sent no validator: a
    /// server error, since there is no copy it could mean.
    #[error(
        "fetch: {url}: HTTP 304 Not Modified to a request without a validator (a server error)"
    )]
    UnconditionalNotModified {
        /// The URL requested.
        url: Url,
    },
    /// The request did not finish in time.
    #[error("fetch: {url}: timed out after {}s", after.as_secs_f32())]
    Timeout {
        /// The URL requested.
        url: Url,
        /// The configured timeout.
        after: Duration,
    },
    /// Connection, TLS, redirect or protocol failure.
    #[error("fetch: {url}: {}", error_chain(cause))]
    Network {
        /// The URL requested.
        url: Url,
        /// The client's error.
        cause: reqwest::Error,
    },
    /// A `file://` URL could not be read.
    #[error("fetch: cannot read {}: {cause}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// The I/O error (in the message, with the operating system's reason).
        cause: std::io::Error,
    },
    /// robots.txt forbids the URL.
    #[error("fetch: {url}: disallowed by robots.txt")]
    Disallowed {
        /// The URL.
        url: Url,
    },
    /// robots.txt could not be fetched (a server error or no connection), which RFC 9309
    /// says to read as "everything disallowed" until it can be read again.
    #[error("fetch: {url}: not fetched, the site's robots.txt is unavailable ({reason}); a server error there means everything is disallowed for this run (RFC 9309)")]
    RobotsUnavailable {
        /// The URL that was not fetched.
        url: Url,
        /// Why robots.txt could not be read.
        reason: String,
    },
    /// An earlier run was told to wait until a time that has not come yet.
    #[error("fetch: {url}: server asked not to retry before {until}; skipped for this run")]
    NotBefore {
        /// The URL.
        url: Url,
        /// When it may be requested again.
        until: chrono::DateTime<chrono::Utc>,
    },
    /// A `file:` link on a listing read from disk leads out of the listing's folder.
    #[error("fetch: {url}: outside the listing's folder {}; not read", folder.display())]
    OutsideFolder {
        /// The link.
        url: Url,
        /// The listing's folder.
        folder: PathBuf,
    },
    /// The URL's scheme is not one pagefeed reads.
    #[error("fetch: {url}: unsupported URL scheme")]
    Scheme {
        /// The URL.
        url: Url,
    },
    /// The page could not be loaded in the headless browser (`render = "browser"`).
    #[error(transparent)]
    Render(Box<crate::render::RenderError>),
    /// The SSRF guard or the redirect policy refused the URL or one of its redirects.
    #[error("fetch: {url}: {refusal}")]
    Refused {
        /// The URL requested.
        url: Url,
        /// What was refused, naming the URL of the hop.
        refusal: guard::Refusal,
    },
}

/// reqwest's errors hide the useful part (e.g. "connection refused") in their sources.
fn error_chain(e: &reqwest::Error) -> String {
    let mut parts = vec![e.without_url_ref().to_string()];
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        let t = s.to_string();
        if !parts.iter().any(|p| p.contains(&t)) {
            parts.push(t);
        }
        src = s.source();
    }
    parts.join(": ")
}

trait WithoutUrlRef {
    fn without_url_ref(&self) -> String;
}

impl WithoutUrlRef for reqwest::Error {
    fn without_url_ref(&self) -> String {
        let s = self.to_string();
        match self.url() {
            Some(u) => s
                .replace(&format!(" ({u})"), "")
                .replace(&format!(" for url ({u})"), ""),
            None => s,
        }
    }
}

/// Counters for the run summary.
#[derive(Debug, Default)]
pub struct FetchStats {
    /// Responses received (any status).
    pub requests: AtomicU64,
    /// 304 answers.
    pub not_modified: AtomicU64,
    /// Body bytes received.
    pub bytes: AtomicU64,
}

/// Per-host politeness state.
struct Host {
    permits: Semaphore,
    /// Earliest time the next request to this host may start.
    next_slot: tokio::sync::Mutex<Instant>,
}

/// The HTTP client with its limits. Cheap to share behind an `Arc`.
pub struct Fetcher {
    /// For requests whose source is local: may reach any address.
    client: reqwest::Client,
    /// For requests whose source is public: resolves to public addresses only and
    /// refuses redirects to non-public literal addresses.
    guarded: reqwest::Client,
    /// `client` and `guarded` without redirects, for requests that carry credentials
    /// and so follow each hop themselves (see `request`).
    manual: reqwest::Client,
    manual_guarded: reqwest::Client,
    max_redirects: usize,
    /// Whether a source host is local, per `scheme://host:port` (a DNS look-up each).
    local_sources: Mutex<HashMap<String, bool>>,
    global: Semaphore,
    per_host_concurrency: usize,
    hosts: Mutex<HashMap<String, Arc<Host>>>,
    /// Longest `Retry-After` honoured inside a run.
    pub max_retry_wait: Duration,
    /// Counters for the run summary.
    pub stats: FetchStats,
    robots: robots::RobotsCache,
    /// The headless browser for `render = "browser"` feeds, started on first use.
    pub browser: crate::render::Browser,
}

impl Fetcher {
    /// Builds the client from the global settings.
    pub fn new(settings: &Settings) -> Result<Fetcher, FetchError> {
        let build = |allow_private: bool, follow: bool| {
            let policy = if follow {
                guard::redirect_policy(settings.max_redirects, allow_private)
            } else {
                reqwest::redirect::Policy::none()
            };
            let builder = reqwest::Client::builder()
                .redirect(policy)
                .connect_timeout(settings.request.timeout.min(Duration::from_secs(15)))
                .pool_idle_timeout(Duration::from_secs(30));
            let builder = if allow_private {
                builder
            } else {
                builder.dns_resolver(Arc::new(guard::PublicOnlyResolver))
            };
            builder.build().map_err(|cause| FetchError::Network {
                url: Url::parse("http://localhost/").expect("static URL is valid"),
                cause,
            })
        };
        Ok(Fetcher {
            client: build(true, true)?,
            guarded: build(false, true)?,
            manual: build(true, false)?,
            manual_guarded: build(false, false)?,
            max_redirects: settings.max_redirects,
            local_sources: Mutex::new(HashMap::new()),
            global: Semaphore::new(settings.concurrency),
            per_host_concurrency: settings.per_host_concurrency,
            hosts: Mutex::new(HashMap::new()),
            max_retry_wait: settings.max_retry_wait,
            stats: FetchStats::default(),
            robots: robots::RobotsCache::default(),
            browser: crate::render::Browser::new(settings),
        })
    }

    fn host(&self, url: &Url) -> Arc<Host> {
        let key = format!(
            "{}:{}",
            url.host_str().unwrap_or(""),
            url.port_or_known_default().unwrap_or(0)
        );
        let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
        hosts
            .entry(key)
            .or_insert_with(|| {
                Arc::new(Host {
                    permits: Semaphore::new(self.per_host_concurrency),
                    next_slot: tokio::sync::Mutex::new(Instant::now()),
                })
            })
            .clone()
    }

    /// Fetches a URL the user configured (a feed's listing): `http(s)://` over the
    /// network, `file://` from disk. The URL is its own source: a public one is guarded
    /// on its redirects, a local one is not.
    pub async fn fetch(
        &self,
        url: &Url,
        req: &RequestSettings,
        validators: Option<&Validators>,
    ) -> Result<Fetched, FetchError> {
        self.fetch_from(url, url, req, validators).await
    }

    /// Fetches a URL found on a page of the feed whose listing is `source` (an item
    /// link). When `source` is public, the SSRF guard refuses a target, a redirect hop or
    /// a resolved address that is loopback, private or link-local, and a `file://`
    /// target.
    pub async fn fetch_linked(
        &self,
        url: &Url,
        source: &Url,
        req: &RequestSettings,
    ) -> Result<Fetched, FetchError> {
        if url.scheme() == "file" {
            if source.scheme() != "file" {
                return Err(FetchError::Scheme { url: url.clone() });
            }
            check_under_folder(url, source)?;
        }
        self.fetch_from(url, source, req, None).await
    }

    async fn fetch_from(
        &self,
        url: &Url,
        source: &Url,
        req: &RequestSettings,
        validators: Option<&Validators>,
    ) -> Result<Fetched, FetchError> {
        // Userinfo never goes on the wire as part of a URL, nor into a message: the
        // only credentials sent are the feed's own, as a header (see `request`).
        let mut clean = url.clone();
        crate::credentials::strip_userinfo(&mut clean);
        let url = &clean;
        match url.scheme() {
            "file" => self.read_file(url, req).await.map(Fetched::Page),
            "http" | "https" => {
                let allow_private = self.permit(url, source, req).await?;
                self.fetch_http(url, req, validators, allow_private).await
            }
            _ => Err(FetchError::Scheme { url: url.clone() }),
        }
    }

    /// The checks an `http(s)` request of the feed whose listing is `source` passes
    /// before it is sent: the SSRF guard on its address and robots.txt. Returns whether
    /// the source is local (private addresses allowed).
    async fn permit(
        &self,
        url: &Url,
        source: &Url,
        req: &RequestSettings,
    ) -> Result<bool, FetchError> {
        let allow_private = self.source_is_local(source).await;
        guard::check_target(url, allow_private).map_err(|refusal| FetchError::Refused {
            url: url.clone(),
            refusal,
        })?;
        if req.respect_robots {
            self.robots_allow(url, req, allow_private).await?;
        }
        Ok(allow_private)
    }

    /// What a page loaded in the browser goes through before its navigation, as a
    /// plain request of the feed whose listing is `source` would: an `http(s)` URL, the
    /// SSRF guard on its address, robots.txt, and the per-host delay (its slot is
    /// taken). Returns whether the source is local (private addresses allowed).
    pub async fn admit(
        &self,
        url: &Url,
        source: &Url,
        req: &RequestSettings,
    ) -> Result<bool, FetchError> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(FetchError::Scheme { url: url.clone() });
        }
        let allow_private = self.permit(url, source, req).await?;
        let host = self.host(url);
        let mut next = host.next_slot.lock().await;
        tokio::time::sleep_until(*next).await;
        *next = Instant::now() + req.per_host_delay;
        Ok(allow_private)
    }

    /// Counts a page the browser loaded in the run's summary.
    pub fn count_response(&self, bytes: u64) {
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        self.stats.bytes.fetch_add(bytes, Ordering::Relaxed);
    }

    /// [`guard::source_is_local`], remembered per origin for the run.
    async fn source_is_local(&self, source: &Url) -> bool {
        let key = source.origin().ascii_serialization();
        let known = self
            .local_sources
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
            .copied();
        if let Some(local) = known {
            return local;
        }
        let local = guard::source_is_local(source).await;
        self.local_sources
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, local);
        local
    }

    /// Whether robots.txt allows `url`; fetches the origin's robots.txt on first use.
    /// An origin whose robots.txt answered a server error or could not be reached is
    /// disallowed for the run (RFC 9309), with the reason.
    async fn robots_allow(
        &self,
        url: &Url,
        req: &RequestSettings,
        allow_private: bool,
    ) -> Result<(), FetchError> {
        let cell = self.robots.cell(url).await;
        let rules = cell
            .get_or_init(|| async {
                let Some(robots_url) = robots::robots_url(url) else {
                    return robots::Rules::Read(None);
                };
                let req = RequestSettings {
                    max_body_size: robots::MAX_ROBOTS_SIZE,
                    ..req.clone()
                };
                match self
                    .fetch_http(&robots_url, &req, None, allow_private)
                    .await
                {
                    Ok(Fetched::Page(p)) => robots::Rules::Read(robots::parse(p.text.as_bytes())),
                    Ok(Fetched::NotModified) => robots::Rules::Read(None),
                    // No robots.txt (404, 410, 403 …): no rules. A 429 is the server
                    // asking for less traffic, so it counts with the server errors.
                    Err(FetchError::Status { status, .. })
                        if status.is_client_error() && status != StatusCode::TOO_MANY_REQUESTS =>
                    {
                        robots::Rules::Read(None)
                    }
                    Err(e) => {
                        tracing::warn!(
                            "{e}; robots.txt unavailable, so the site is treated as disallowed \
                             for this run (RFC 9309); the next run asks again"
                        );
                        robots::Rules::Unavailable(e.to_string())
                    }
                }
            })
            .await;
        match rules {
            robots::Rules::Read(robot)
                if robot.as_ref().is_none_or(|r| r.allowed(url.as_str())) =>
            {
                Ok(())
            }
            robots::Rules::Read(_) => {
                tracing::info!("fetch: {url}: disallowed by robots.txt; skipped");
                Err(FetchError::Disallowed { url: url.clone() })
            }
            robots::Rules::Unavailable(reason) => Err(FetchError::RobotsUnavailable {
                url: url.clone(),
                reason: reason.clone(),
            }),
        }
    }

    async fn read_file(&self, url: &Url, req: &RequestSettings) -> Result<Page, FetchError> {
        let path = url
            .to_file_path()
            .map_err(|_| FetchError::Scheme { url: url.clone() })?;
        let file_err = |cause| FetchError::File {
            path: path.clone(),
            cause,
        };
        let meta = tokio::fs::metadata(&path).await.map_err(file_err)?;
        let truncated = meta.len() > req.max_body_size;
        let mut bytes = if truncated {
            use tokio::io::AsyncReadExt;
            let f = tokio::fs::File::open(&path).await.map_err(file_err)?;
            let mut buf = Vec::new();
            f.take(req.max_body_size)
                .read_to_end(&mut buf)
                .await
                .map_err(file_err)?;
            buf
        } else {
            tokio::fs::read(&path).await.map_err(file_err)?
        };
        bytes.truncate(req.max_body_size as usize);
        let len = bytes.len() as u64;
        self.stats.bytes.fetch_add(len, Ordering::Relaxed);
        let (bytes, cut) = gunzip_file(bytes, req.max_body_size as usize);
        let truncated = truncated || cut;
        let (text, _) = charset::decode_owned(bytes, None);
        Ok(Page {
            url: url.clone(),
            text,
            content_type: None,
            validators: Validators::default(),
            truncated,
            bytes: len,
            content_language: None,
        })
    }

    async fn fetch_http(
        &self,
        url: &Url,
        req: &RequestSettings,
        validators: Option<&Validators>,
        allow_private: bool,
    ) -> Result<Fetched, FetchError> {
        let mut tries = 0;
        loop {
            tries += 1;
            match self.try_once(url, req, validators, allow_private).await {
                Ok(f) => return Ok(f),
                Err(e) => {
                    let wait = match &e {
                        // 503 with a `Retry-After` is `RetryLater`; without one it is
                        // the commonest "overloaded, try again" answer.
                        FetchError::Status { status, .. }
                            if matches!(status.as_u16(), 502 | 503 | 504 | 408) =>
                        {
                            Some(backoff(tries))
                        }
                        // A connection refused, or dropped before the body was whole.
                        FetchError::Network { cause, .. }
                            if cause.is_connect() || cause.is_body() || cause.is_decode() =>
                        {
                            Some(backoff(tries))
                        }
                        FetchError::RetryLater { wait, .. } if *wait <= self.max_retry_wait => {
                            // Honoured once: a second 429 gives up for this run.
                            if tries >= 2 {
                                return Err(e);
                            }
                            Some(*wait)
                        }
                        _ => None,
                    };
                    match wait {
                        Some(w) if tries < MAX_TRIES => {
                            tracing::debug!("{e}; retrying in {}ms", w.as_millis());
                            tokio::time::sleep(w).await;
                        }
                        _ => return Err(e),
                    }
                }
            }
        }
    }

    async fn try_once(
        &self,
        url: &Url,
        req: &RequestSettings,
        validators: Option<&Validators>,
        allow_private: bool,
    ) -> Result<Fetched, FetchError> {
        let host = self.host(url);
        let _host_permit = host
            .permits
            .acquire()
            .await
            .expect("semaphore is never closed");
        {
            let mut next = host.next_slot.lock().await;
            tokio::time::sleep_until(*next).await;
            *next = Instant::now() + req.per_host_delay;
        }
        let _global_permit = self
            .global
            .acquire()
            .await
            .expect("semaphore is never closed");
        let timeout = req.timeout;
        let work = self.request(url, req, validators, allow_private);
        match tokio::time::timeout(timeout, work).await {
            Ok(r) => r,
            Err(_) => Err(FetchError::Timeout {
                url: url.clone(),
                after: timeout,
            }),
        }
    }

    async fn request(
        &self,
        url: &Url,
        req: &RequestSettings,
        validators: Option<&Validators>,
        allow_private: bool,
    ) -> Result<Fetched, FetchError> {
        let mut headers = HeaderMap::new();
        if let Ok(v) = HeaderValue::from_str(&req.user_agent) {
            headers.insert(header::USER_AGENT, v);
        }
        headers.insert(
            header::ACCEPT,
            HeaderValue::from_static(
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            ),
        );
        if let Some(v) = validators {
            if let Some(etag) = v
                .etag
                .as_deref()
                .and_then(|e| HeaderValue::from_str(e).ok())
            {
                headers.insert(header::IF_NONE_MATCH, etag);
            }
            if let Some(lm) = v
                .last_modified
                .as_deref()
                .and_then(|e| HeaderValue::from_str(e).ok())
            {
                headers.insert(header::IF_MODIFIED_SINCE, lm);
            }
        }
        // Only a request that sent a validator can be answered "not modified"; a 304 to
        // any other request says nothing about a copy pagefeed holds.
        let conditional = headers.contains_key(header::IF_NONE_MATCH)
            || headers.contains_key(header::IF_MODIFIED_SINCE);
        let net = |cause: reqwest::Error| {
            if let Some(refusal) = guard::refusal_in(&cause) {
                FetchError::Refused {
                    url: url.clone(),
                    refusal,
                }
            } else if cause.is_timeout() {
                FetchError::Timeout {
                    url: url.clone(),
                    after: req.timeout,
                }
            } else {
                FetchError::Network {
                    url: url.clone(),
                    cause,
                }
            }
        };
        let client = if allow_private {
            &self.client
        } else {
            &self.guarded
        };
        // The feed's credentials go to its own site (or origin) only: not to another
        // host an item link or robots.txt lives on, nor across a redirect there. A
        // request that carries them follows its redirects itself, hop by hop, because
        // reqwest keeps custom headers (say `X-Api-Key`) on a cross-host hop.
        let resp = match req.auth.as_ref().filter(|a| a.applies_to(url)) {
            None => client
                .get(url.clone())
                .headers(headers)
                .timeout(req.timeout)
                .send()
                .await
                .map_err(net)?,
            Some(auth) => {
                let client = if allow_private {
                    &self.manual
                } else {
                    &self.manual_guarded
                };
                let send = |hop: &Url| {
                    credentials_hop(client, hop, headers.clone(), auth, req.timeout).send()
                };
                let mut resp = send(url).await.map_err(net)?;
                let mut hops = 0;
                while resp.status().is_redirection() {
                    let Some(next) = resp
                        .headers()
                        .get(header::LOCATION)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|l| resp.url().join(l).ok())
                    else {
                        break;
                    };
                    hops += 1;
                    guard::check_redirect(&next, hops, self.max_redirects, allow_private).map_err(
                        |refusal| FetchError::Refused {
                            url: url.clone(),
                            refusal,
                        },
                    )?;
                    resp = send(&next).await.map_err(net)?;
                }
                resp
            }
        };
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        let status = resp.status();
        if status == StatusCode::NOT_MODIFIED {
            if !conditional {
                return Err(FetchError::UnconditionalNotModified { url: url.clone() });
            }
            self.stats.not_modified.fetch_add(1, Ordering::Relaxed);
            return Ok(Fetched::NotModified);
        }
        if matches!(status.as_u16(), 429 | 503) {
            if let Some(wait) = retry_after(resp.headers()) {
                return Err(FetchError::RetryLater {
                    url: url.clone(),
                    status,
                    wait,
                });
            }
        }
        if status.is_redirection() {
            // The client hands back a redirect it would not follow, e.g. one to a
            // `file:` or `ftp:` URL; say so rather than report a bare 301.
            if let Some(next) = resp
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|l| resp.url().join(l).ok())
            {
                let hops = 1;
                if let Err(refusal) = guard::check_redirect(&next, hops, usize::MAX, allow_private)
                {
                    return Err(FetchError::Refused {
                        url: url.clone(),
                        refusal,
                    });
                }
            }
        }
        if !status.is_success() {
            return Err(FetchError::Status {
                url: url.clone(),
                status,
            });
        }
        let mut final_url = resp.url().clone();
        crate::credentials::strip_userinfo(&mut final_url);
        let header_str = |h| {
            resp.headers()
                .get(h)
                .and_then(|v: &HeaderValue| v.to_str().ok())
                .map(str::to_string)
        };
        let content_type = header_str(header::CONTENT_TYPE);
        let content_language = header_str(header::CONTENT_LANGUAGE);
        let validators = Validators {
            etag: header_str(header::ETAG),
            last_modified: header_str(header::LAST_MODIFIED),
        };
        let cap = req.max_body_size as usize;
        let mut body: Vec<u8> = Vec::with_capacity(
            resp.content_length()
                .map_or(64 * 1024, |n| (n as usize).min(cap)),
        );
        let mut truncated = false;
        let mut stream = resp.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(net)?;
            let room = cap - body.len();
            if chunk.len() > room {
                body.extend_from_slice(&chunk[..room]);
                truncated = true;
                break;
            }
            body.extend_from_slice(&chunk);
        }
        if truncated {
            tracing::warn!(
                "fetch: {url}: body larger than max_body_size ({} bytes); cut there",
                req.max_body_size
            );
        }
        let bytes = body.len() as u64;
        self.stats.bytes.fetch_add(bytes, Ordering::Relaxed);
        let (body, cut) = gunzip_file(body, cap);
        let truncated = truncated || cut;
        let (text, _) = charset::decode_owned(body, content_type.as_deref());
        Ok(Fetched::Page(Page {
            url: final_url,
            text,
            content_type,
            validators,
            truncated,
            bytes,
            content_language,
        }))
    }
}

/// One request of a credentialed fetch: the common headers, and the feed's
/// credentials only when `hop` is inside their scope.
fn credentials_hop(
    client: &reqwest::Client,
    hop: &Url,
    mut headers: HeaderMap,
    auth: &crate::credentials::Credentials,
    timeout: Duration,
) -> reqwest::RequestBuilder {
    let now = chrono::Utc::now().timestamp();
    let grant = auth.for_request(hop, now);
    for (name, value) in grant.headers {
        headers.insert(name, value);
    }
    let builder = client.get(hop.clone()).headers(headers).timeout(timeout);
    match grant.basic {
        Some((user, password)) => builder.basic_auth(user, password),
        None => builder,
    }
}

/// A `file:` link found on a listing read from disk may only be read from below the
/// listing's own folder: a saved page linking to `file:///etc/passwd`, to `../..`, or
/// through a symlink out of the folder must not pull that file into a public feed.
/// Both paths are resolved (`..`, symlinks) before they are compared.
fn check_under_folder(url: &Url, listing: &Url) -> Result<(), FetchError> {
    let outside = |folder: PathBuf| FetchError::OutsideFolder {
        url: url.clone(),
        folder,
    };
    let folder = listing
        .to_file_path()
        .ok()
        .and_then(|p| p.parent().map(std::path::Path::to_path_buf))
        .ok_or_else(|| FetchError::Scheme {
            url: listing.clone(),
        })?;
    let folder = std::fs::canonicalize(&folder).unwrap_or(folder);
    let path = url
        .to_file_path()
        .map_err(|_| FetchError::Scheme { url: url.clone() })?;
    match std::fs::canonicalize(&path) {
        Ok(real) if real.starts_with(&folder) => Ok(()),
        Ok(_) => Err(outside(folder)),
        // A file that does not exist: judged by its path, so the error says "cannot
        // read" for a missing file inside and "outside" for one outside.
        Err(_) => {
            let abs = std::path::absolute(&path).unwrap_or(path);
            let lexical: PathBuf = abs.components().fold(PathBuf::new(), |mut p, c| {
                match c {
                    std::path::Component::ParentDir => {
                        p.pop();
                    }
                    std::path::Component::CurDir => {}
                    c => p.push(c),
                }
                p
            });
            if lexical.starts_with(&folder) {
                Ok(())
            } else {
                Err(outside(folder))
            }
        }
    }
}

/// Unpacks a body that is itself a gzip file (a `sitemap.xml.gz` served as
/// `application/x-gzip`, which HTTP content decoding leaves alone), bounded by the same
/// cap as any body. Returns the bytes and whether the cap cut them.
fn gunzip_file(body: Vec<u8>, cap: usize) -> (Vec<u8>, bool) {
    use std::io::Read;
    if !body.starts_with(&[0x1f, 0x8b]) {
        return (body, false);
    }
    let mut out = Vec::new();
    let mut dec = flate2::read::GzDecoder::new(&body[..]).take(cap as u64 + 1);
    match dec.read_to_end(&mut out) {
        Ok(_) => {
            let cut = out.len() > cap;
            out.truncate(cap);
            (out, cut)
        }
        // Not really gzip after all: keep the bytes as they came.
        Err(_) => (body, false),
    }
}

/// Exponential backoff with jitter: ~0.5 s, 1 s, 2 s … plus up to 50%.
fn backoff(try_no: u32) -> Duration {
    let base = 500u64 << (try_no.saturating_sub(1)).min(6);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos() as u64)
        .unwrap_or(0);
    Duration::from_millis(base + nanos % (base / 2 + 1))
}

/// `Retry-After` as seconds or an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let secs = (when.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_seconds();
    Some(Duration::from_secs(secs.max(0) as u64))
}
