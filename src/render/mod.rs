//! Pages built by JavaScript: loading a page in headless Chromium and taking its DOM.
//!
//! Contract: [`fetch`] gets a feed's page the way its config says: a plain request
//! through the [`Fetcher`], or, for `render = "browser"` (the listing; item pages too
//! with `render_items = true`), the page loaded in headless Chromium over the DevTools
//! protocol, waited on until the network is idle or `wait_for` matches, and its
//! rendered DOM returned as a [`Page`] like any fetched page, for the same discovery
//! and extraction. The wait is bounded by the feed's `timeout`.
//!
//! Every request the browser is about to send is paused (the DevTools `Fetch` domain)
//! and let through only when [`policy::Policy`] allows it: the SSRF guard, the feed's
//! site or `allow_hosts`, and never images, fonts or media. A navigation is also
//! subject to robots.txt and the per-host delay, as a plain fetch is, and the feed's
//! credentials (userinfo, `headers`, cookies, `basic_auth`) go only where a plain
//! request would send them. Channels the `Fetch` domain cannot pause (WebSocket, WebRTC, workers) are removed from every page before its
//! scripts run.
//!
//! [`Browser`] holds at most one Chromium per run, started on first use (so a run
//! without a due rendered feed starts none), with at most `browser_concurrency` pages
//! open at once, in a profile folder of its own that is removed when it closes. A
//! browser that crashed fails the page being loaded; the next page starts a new one.
//! It is closed by [`Browser::close`] at the end of a run, and killed when dropped
//! (a daemon stopped by SIGTERM drops its run). This module knows nothing of
//! discovery or feeds beyond the config.

pub mod policy;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chromiumoxide::cdp::browser_protocol::fetch::{
    self as cdp_fetch, ContinueRequestParams, EventRequestPaused, FailRequestParams, HeaderEntry,
    RequestPattern, RequestStage,
};
use chromiumoxide::cdp::browser_protocol::inspector::EventTargetCrashed;
use chromiumoxide::cdp::browser_protocol::network::{
    ErrorReason, EventResponseReceived, ResourceType, SetUserAgentOverrideParams,
};
use chromiumoxide::cdp::browser_protocol::page::{EventLifecycleEvent, NavigateParams};
use futures_util::StreamExt;
use tokio::sync::{Mutex, Semaphore};
use tokio::time::Instant;
use url::Url;

use crate::config::FeedConfig;
use crate::fetch::{FetchError, Fetched, Fetcher, Page, Validators};
use policy::{Kind, Policy};

/// Where Debian's `chromium` package puts the browser (`[settings] browser`).
pub const DEFAULT_BROWSER: &str = "/usr/bin/chromium";
/// Default number of pages open in the browser at once (`browser_concurrency`).
pub const DEFAULT_BROWSER_CONCURRENCY: usize = 2;
/// How often `wait_for` looks for its selector.
const POLL: Duration = Duration::from_millis(100);
/// Longest wait for Chromium to start and print its DevTools address.
const LAUNCH_TIMEOUT: Duration = Duration::from_secs(30);
/// Time left to read the DOM of a page that reached its `timeout` without going idle.
const DOM_GRACE: Duration = Duration::from_secs(5);

/// Run before any script of every page: the channels the DevTools `Fetch` domain does
/// not pause are taken away, so no request of the page escapes the policy.
const LOCK_DOWN: &str = "(() => {
  for (const name of ['WebSocket', 'WebTransport', 'RTCPeerConnection',
      'webkitRTCPeerConnection', 'Worker', 'SharedWorker']) {
    try { Object.defineProperty(window, name, { value: undefined, configurable: false }); } catch (e) {}
  }
  try { Object.defineProperty(Navigator.prototype, 'serviceWorker', { get: () => undefined }); } catch (e) {}
})();";

/// `[settings] browser` and `browser_concurrency`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowserSettings {
    /// The Chromium executable.
    pub path: PathBuf,
    /// Pages open at once.
    pub concurrency: usize,
}

impl Default for BrowserSettings {
    fn default() -> BrowserSettings {
        BrowserSettings {
            path: PathBuf::from(DEFAULT_BROWSER),
            concurrency: DEFAULT_BROWSER_CONCURRENCY,
        }
    }
}

/// A feed's `render = "browser"` keys, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderRules {
    /// Item pages are rendered too (`render_items`).
    pub items: bool,
    /// Wait for this CSS selector instead of network idle (`wait_for`); validated at
    /// load.
    pub wait_for: Option<String>,
}

/// Why a page could not be rendered. Each message names the URL (or the browser).
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// Chromium could not be started.
    #[error("browser: cannot start {}: {reason} (install Debian's `chromium` package, or set [settings] browser to its path)", path.display())]
    Launch {
        /// The executable.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// The DevTools connection failed, or Chromium crashed, while loading the page.
    #[error("browser: {url}: {reason}")]
    Browser {
        /// The page.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// The page's renderer crashed.
    #[error("browser: {url}: the page crashed the browser's renderer")]
    Crashed {
        /// The page.
        url: String,
    },
    /// The navigation failed (connection refused, blocked, …).
    #[error("browser: {url}: {reason}")]
    Navigation {
        /// The page.
        url: String,
        /// Chromium's error text (e.g. `net::ERR_CONNECTION_REFUSED`).
        reason: String,
    },
    /// The page answered with an error status.
    #[error("browser: {url}: HTTP {status}")]
    Status {
        /// The page.
        url: String,
        /// The status.
        status: i64,
    },
    /// The page did not load within the feed's `timeout`.
    #[error("browser: {url}: not loaded after {}s (timeout)", after.as_secs_f32())]
    Timeout {
        /// The page.
        url: String,
        /// The feed's timeout.
        after: Duration,
    },
    /// `wait_for` did not match within the feed's `timeout`.
    #[error("browser: {url}: wait_for {selector:?} matched nothing after {}s (timeout)", after.as_secs_f32())]
    WaitFor {
        /// The page.
        url: String,
        /// The selector.
        selector: String,
        /// The feed's timeout.
        after: Duration,
    },
    /// The page itself may not be loaded (policy, guard).
    #[error("browser: refused {0}")]
    Blocked(#[from] policy::Blocked),
}

impl From<RenderError> for FetchError {
    fn from(e: RenderError) -> FetchError {
        FetchError::Render(Box::new(e))
    }
}

/// Which of a feed's pages is fetched, for [`fetch`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The feed's `url` (requested conditionally when plain).
    Listing,
    /// A further listing page (`pages`).
    NextPage,
    /// An item's own page.
    Item,
}

/// Fetches one of a feed's pages: rendered in the browser when the feed says so for
/// this role, otherwise a plain request (conditional for the listing when
/// `validators` are given; a rendered page never is).
pub async fn fetch(
    fetcher: &Fetcher,
    feed: &FeedConfig,
    url: &Url,
    role: Role,
    validators: Option<&Validators>,
) -> Result<Fetched, FetchError> {
    let rendered = match (&feed.render, role) {
        (Some(r), Role::Item) => r.items,
        (Some(_), _) => true,
        (None, _) => false,
    };
    if rendered {
        return fetcher.browser.render(fetcher, feed, url).await;
    }
    match role {
        Role::Listing => fetcher.fetch(url, &feed.request, validators).await,
        Role::NextPage | Role::Item => fetcher.fetch_linked(url, &feed.url, &feed.request).await,
    }
}

/// Counts profile folders, so two browsers of one process never share one.
static PROFILES: AtomicU64 = AtomicU64::new(0);

/// A started Chromium.
struct Running {
    browser: Mutex<chromiumoxide::Browser>,
    /// False once the DevTools connection ended (the browser exited or crashed).
    alive: Arc<AtomicBool>,
    handler: tokio::task::JoinHandle<()>,
    /// Last: removed after the process is gone.
    _profile: Profile,
}

impl Drop for Running {
    fn drop(&mut self) {
        // A run dropped midway (SIGTERM) kills its browser here, before the profile
        // folder it writes to is removed (a field, dropped after this). After `Browser::close` this finds the process
        // gone already.
        if let Some(child) = self.browser.get_mut().get_mut_child() {
            let child = child.as_mut_inner();
            if child.start_kill().is_ok() {
                // Chromium writes its profile until it is gone: a short wait (it dies
                // within milliseconds of SIGKILL) lets the folder go with it.
                for _ in 0..40 {
                    if !matches!(child.try_wait(), Ok(None)) {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(25));
                }
            }
        }
        self.handler.abort();
    }
}

/// The browser's profile folder, removed when dropped (also when a launch is dropped
/// midway).
struct Profile(PathBuf);

impl Drop for Profile {
    fn drop(&mut self) {
        // Chromium's helper processes may still write a file or two as they exit.
        for _ in 0..20 {
            match std::fs::remove_dir_all(&self.0) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    std::thread::sleep(Duration::from_millis(25));
                }
                _ => return,
            }
        }
        tracing::warn!("browser: cannot remove its profile {}", self.0.display());
    }
}

/// Runs `work` (a `pagefeed run` or `check`) until it ends, or until SIGTERM: then the run is
/// dropped, which kills a browser it started and removes its profile, and the process
/// exits with 143, as one ended by SIGTERM does. (Without a handler SIGTERM would end
/// the process at once and leave Chromium running.) A daemon stops on SIGTERM by
/// itself and drops its run the same way.
pub async fn until_sigterm<F: std::future::Future>(work: F) -> F::Output {
    use tokio::signal::unix::{signal, SignalKind};
    let Ok(mut term) = signal(SignalKind::terminate()) else {
        return work.await;
    };
    let mut work = Box::pin(work);
    tokio::select! {
        out = &mut work => return out,
        _ = term.recv() => {}
    }
    tracing::info!("SIGTERM received; stopping the run");
    drop(work);
    std::process::exit(143)
}

/// The run's browser: started on first use, at most `browser_concurrency` pages at
/// once.
pub struct Browser {
    settings: BrowserSettings,
    running: Mutex<Option<Arc<Running>>>,
    pages: Semaphore,
    /// Chromium processes started (for tests and `-v`).
    pub launches: AtomicU64,
}

impl Browser {
    /// A browser that starts when first needed.
    pub fn new(settings: &crate::config::Settings) -> Browser {
        Browser {
            settings: settings.browser.clone(),
            running: Mutex::new(None),
            pages: Semaphore::new(settings.browser.concurrency.max(1)),
            launches: AtomicU64::new(0),
        }
    }

    /// The running browser, started (again, after a crash) when there is none.
    async fn running(&self) -> Result<Arc<Running>, RenderError> {
        let mut slot = self.running.lock().await;
        if let Some(r) = slot.as_ref() {
            // Alive: the DevTools connection is open and the process has not exited.
            let exited = !matches!(r.browser.lock().await.try_wait(), Ok(None));
            if !exited && r.alive.load(Ordering::Relaxed) {
                return Ok(r.clone());
            }
        }
        if slot.take().is_some() {
            tracing::warn!("browser: the browser exited; starting a new one");
        }
        let r = Arc::new(self.launch().await?);
        self.launches.fetch_add(1, Ordering::Relaxed);
        *slot = Some(r.clone());
        Ok(r)
    }

    async fn launch(&self) -> Result<Running, RenderError> {
        let path = &self.settings.path;
        let fail = |reason: String| RenderError::Launch {
            path: path.clone(),
            reason,
        };
        if !path.is_file() {
            return Err(fail("no such file".into()));
        }
        let profile = Profile(std::env::temp_dir().join(format!(
            "pagefeed-browser-{}-{}",
            std::process::id(),
            PROFILES.fetch_add(1, Ordering::Relaxed)
        )));
        let mut config = chromiumoxide::BrowserConfig::builder()
            .chrome_executable(path)
            .user_data_dir(&profile.0)
            .launch_timeout(LAUNCH_TIMEOUT)
            // Each wait is bounded by the feed's timeout, here; not by the crate's.
            .request_timeout(crate::config::TIMEOUT_RANGE.1 + DOM_GRACE)
            .args([
                "--blink-settings=imagesEnabled=false",
                // One renderer per page, so every frame's requests are paused with the
                // page's (an out-of-process frame would be a target of its own).
                "--disable-site-isolation-trials",
                "--disable-features=TranslateUI,IsolateOrigins,site-per-process,MediaRouter",
                "--dns-prefetch-disable",
                "--no-pings",
                "--disable-gpu",
                "--mute-audio",
            ]);
        // Chromium's sandbox cannot run as root (a container); the pages it loads are
        // still held to the request policy.
        if running_as_root() {
            config = config.no_sandbox();
        }
        let config = config.build().map_err(fail)?;
        let (browser, mut handler) = chromiumoxide::Browser::launch(config)
            .await
            .map_err(|e| fail(e.to_string()))?;
        let alive = Arc::new(AtomicBool::new(true));
        let still = alive.clone();
        let handler = tokio::spawn(async move {
            while let Some(event) = handler.next().await {
                if let Err(e) = event {
                    tracing::debug!("browser: DevTools connection: {e}");
                    if matches!(e, chromiumoxide::error::CdpError::Ws(_)) {
                        break;
                    }
                }
            }
            still.store(false, Ordering::Relaxed);
        });
        Ok(Running {
            browser: Mutex::new(browser),
            alive,
            handler,
            _profile: profile,
        })
    }

    /// Loads `url` (a page of `feed`) in the browser and returns its rendered DOM.
    pub async fn render(
        &self,
        fetcher: &Fetcher,
        feed: &FeedConfig,
        url: &Url,
    ) -> Result<Fetched, FetchError> {
        let mut url = url.clone();
        crate::credentials::strip_userinfo(&mut url);
        // robots.txt, the guard on the page's own URL, and the per-host delay, as for a
        // plain request.
        let allow_private = fetcher.admit(&url, &feed.url, &feed.request).await?;
        let policy = Policy {
            listing: feed.url.clone(),
            allow_hosts: feed.allow_hosts.clone(),
            allow_private,
        };
        policy.check(&url, Kind::Other).map_err(RenderError::from)?;
        let _permit = self
            .pages
            .acquire()
            .await
            .map_err(|e| RenderError::Browser {
                url: url.to_string(),
                reason: e.to_string(),
            })?;
        let running = self.running().await?;
        let mut page = load(&running, feed, &url, policy).await;
        let exited = !matches!(running.browser.lock().await.try_wait(), Ok(None));
        if exited || !running.alive.load(Ordering::Relaxed) {
            // Gone while loading: this page fails, the next one starts a new browser.
            tracing::warn!(
                "browser: the browser exited while loading {url}; the next page starts a new one"
            );
            let reason = match &page {
                Err(RenderError::Browser { reason, .. }) => Some(reason.clone()),
                Err(RenderError::Crashed { .. }) => Some("its renderer crashed".into()),
                _ => None,
            };
            if let Some(reason) = reason {
                page = Err(RenderError::Browser {
                    url: url.to_string(),
                    reason: format!("the browser exited or crashed ({reason})"),
                });
            }
            let mut slot = self.running.lock().await;
            if slot.as_ref().is_some_and(|r| Arc::ptr_eq(r, &running)) {
                *slot = None;
            }
        }
        let page = page?;
        fetcher.count_response(page.bytes);
        Ok(Fetched::Page(page))
    }

    /// Closes the browser, if one was started, and removes its profile.
    pub async fn close(&self) {
        let Some(running) = self.running.lock().await.take() else {
            return;
        };
        {
            let mut b = running.browser.lock().await;
            let closed = tokio::time::timeout(Duration::from_secs(5), b.close()).await;
            if !matches!(closed, Ok(Ok(_))) {
                let _ = b.kill().await;
            }
            let _ = tokio::time::timeout(Duration::from_secs(5), b.wait()).await;
        }
        drop(running);
    }
}

fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// One page: open a tab, pause every request for the policy, navigate, wait, read the
/// DOM, close the tab.
async fn load(
    running: &Running,
    feed: &FeedConfig,
    url: &Url,
    policy: Policy,
) -> Result<Page, RenderError> {
    let cdp = |e: chromiumoxide::error::CdpError| RenderError::Browser {
        url: url.to_string(),
        reason: e.to_string(),
    };
    let timeout = feed.request.timeout;
    let opened = Instant::now();
    let tab = {
        let b = running.browser.lock().await;
        // A browser that died does not answer: bounded like the page.
        match tokio::time::timeout(timeout, b.new_page("about:blank")).await {
            Ok(tab) => tab.map_err(cdp)?,
            Err(_) => {
                return Err(RenderError::Browser {
                    url: url.to_string(),
                    reason: format!("no new tab after {}s", timeout.as_secs_f32()),
                })
            }
        }
    };
    tracing::debug!("browser: {url}: tab open after {:?}", opened.elapsed());
    let deadline = Instant::now() + timeout;
    let result = tokio::time::timeout_at(deadline + DOM_GRACE, async {
        // Pausing is on before the navigation starts: no request goes out unchecked.
        let guard = guard_requests(tab.clone(), policy, feed.request.auth.clone())
            .await
            .map_err(cdp)?;
        let loaded = navigate_and_wait(&tab, feed, url, deadline).await;
        guard.abort();
        loaded
    })
    .await
    .unwrap_or_else(|_| {
        Err(RenderError::Timeout {
            url: url.to_string(),
            after: timeout,
        })
    });
    // A tab left open would hold its memory until the browser closes.
    let _ = tokio::time::timeout(Duration::from_secs(5), tab.close()).await;
    result
}

async fn navigate_and_wait(
    tab: &chromiumoxide::Page,
    feed: &FeedConfig,
    url: &Url,
    deadline: Instant,
) -> Result<Page, RenderError> {
    let cdp = |e: chromiumoxide::error::CdpError| RenderError::Browser {
        url: url.to_string(),
        reason: e.to_string(),
    };
    let timeout = feed.request.timeout;
    let mut crashed = tab
        .event_listener::<EventTargetCrashed>()
        .await
        .map_err(cdp)?;
    let mut responses = tab
        .event_listener::<EventResponseReceived>()
        .await
        .map_err(cdp)?;
    let mut lifecycle = tab
        .event_listener::<EventLifecycleEvent>()
        .await
        .map_err(cdp)?;
    tab.execute(SetUserAgentOverrideParams::new(
        feed.request.user_agent.clone(),
    ))
    .await
    .map_err(cdp)?;
    tab.evaluate_on_new_document(LOCK_DOWN).await.map_err(cdp)?;
    let started = Instant::now();
    let wait_selector = feed.render.as_ref().and_then(|r| r.wait_for.clone());
    // Set once the document itself has answered: a timeout after that is a page that
    // did not settle, before it a page that did not load.
    let loaded = AtomicBool::new(false);
    let work = async {
        let nav = tab
            .execute(NavigateParams::new(url.as_str()))
            .await
            .map_err(cdp)?
            .result;
        if let Some(reason) = nav.error_text.filter(|t| !t.is_empty()) {
            return Err(RenderError::Navigation {
                url: url.to_string(),
                reason,
            });
        }
        let loader = nav.loader_id;
        // The document's own response (after any redirects) carries its status.
        while let Some(r) = responses.next().await {
            if r.r#type == ResourceType::Document && Some(&r.loader_id) == loader.as_ref() {
                if r.response.status >= 400 {
                    return Err(RenderError::Status {
                        url: url.to_string(),
                        status: r.response.status,
                    });
                }
                break;
            }
        }
        loaded.store(true, Ordering::Relaxed);
        tracing::debug!(
            "browser: {url}: document answered after {:?}",
            started.elapsed()
        );
        match &wait_selector {
            Some(selector) => {
                wait_for(tab, selector).await;
                Ok(())
            }
            None => {
                while let Some(ev) = lifecycle.next().await {
                    if ev.name == "networkIdle" && Some(&ev.loader_id) == loader.as_ref() {
                        break;
                    }
                }
                Ok(())
            }
        }
    };
    let outcome = tokio::select! {
        r = tokio::time::timeout_at(deadline, work) => r,
        _ = crashed.next() => return Err(RenderError::Crashed { url: url.to_string() }),
    };
    match (outcome, wait_selector) {
        (Ok(r), _) => r?,
        (Err(_), None) if loaded.load(Ordering::Relaxed) => {
            // A page that keeps a connection busy never goes idle: its DOM as it
            // stands at the timeout is what there is.
            tracing::warn!(
                "browser: {url}: the network was not idle after {}s (timeout); reading the page as it is",
                timeout.as_secs_f32()
            );
        }
        (Err(_), Some(selector)) if loaded.load(Ordering::Relaxed) => {
            return Err(RenderError::WaitFor {
                url: url.to_string(),
                selector,
                after: timeout,
            })
        }
        (Err(_), _) => {
            return Err(RenderError::Timeout {
                url: url.to_string(),
                after: timeout,
            })
        }
    }
    tracing::debug!("browser: {url}: settled after {:?}", started.elapsed());
    let html = tab.content().await.map_err(cdp)?;
    let final_url = tab
        .url()
        .await
        .map_err(cdp)?
        .and_then(|u| Url::parse(&u).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .unwrap_or_else(|| url.clone());
    let bytes = html.len() as u64;
    Ok(Page {
        url: final_url,
        text: html,
        content_type: Some("text/html; charset=utf-8".into()),
        validators: Validators::default(),
        truncated: false,
        bytes,
        // The rendered DOM's `<html lang>` is read by extraction; no header here.
        content_language: None,
    })
}

/// Polls the page until `selector` matches an element (the caller's deadline ends
/// the wait).
async fn wait_for(tab: &chromiumoxide::Page, selector: &str) {
    let quoted = serde_json::to_string(selector).unwrap_or_default();
    let probe = format!("document.querySelector({quoted}) !== null");
    loop {
        // A page between two documents has no context to evaluate in: try again.
        if let Ok(found) = tab.evaluate(probe.as_str()).await {
            if found.into_value::<bool>().unwrap_or(false) {
                return;
            }
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Pauses every request of the tab and lets through only what the policy allows;
/// the feed URL's credentials are added on its own origin. Returns once pausing is on,
/// with the task that answers the paused requests.
async fn guard_requests(
    tab: chromiumoxide::Page,
    policy: Policy,
    auth: Option<crate::credentials::Credentials>,
) -> Result<tokio::task::JoinHandle<()>, chromiumoxide::error::CdpError> {
    let mut paused = tab.event_listener::<EventRequestPaused>().await?;
    let pattern = RequestPattern {
        url_pattern: Some("*".into()),
        resource_type: None,
        request_stage: Some(RequestStage::Request),
    };
    let enable = cdp_fetch::EnableParams {
        patterns: Some(vec![pattern]),
        handle_auth_requests: None,
    };
    tab.execute(enable).await?;
    Ok(tokio::spawn(async move {
        while let Some(ev) = paused.next().await {
            answer(&tab, &policy, auth.as_ref(), &ev).await;
        }
    }))
}

/// Lets one paused request go on, or fails it.
async fn answer(
    tab: &chromiumoxide::Page,
    policy: &Policy,
    auth: Option<&crate::credentials::Credentials>,
    ev: &EventRequestPaused,
) {
    {
        let kind = match ev.resource_type {
            ResourceType::Image | ResourceType::Font | ResourceType::Media => Kind::Heavy,
            _ => Kind::Other,
        };
        let verdict = match Url::parse(&ev.request.url) {
            Ok(u) => match policy.check(&u, kind) {
                Ok(()) => policy.check_dns(&u).await.map(|()| u),
                Err(b) => Err(b),
            },
            Err(_) => Err(policy::Blocked::Scheme(ev.request.url.clone())),
        };
        let sent = match verdict {
            Ok(u) => {
                let mut go = ContinueRequestParams::new(ev.request_id.clone());
                if let Some(a) = auth.filter(|a| a.applies_to(&u)) {
                    let now = chrono::Utc::now().timestamp();
                    go.headers = Some(with_credentials(
                        &ev.request.headers,
                        a.for_request(&u, now),
                    ));
                }
                tab.execute(go).await.map(|_| ())
            }
            Err(blocked) => {
                if kind == Kind::Heavy {
                    tracing::debug!("browser: blocked {blocked}");
                } else {
                    tracing::info!("browser: blocked {blocked}");
                }
                tab.execute(FailRequestParams::new(
                    ev.request_id.clone(),
                    ErrorReason::BlockedByClient,
                ))
                .await
                .map(|_| ())
            }
        };
        if let Err(e) = sent {
            tracing::debug!("browser: answering a paused request: {e}");
        }
    }
}

/// The request's headers with the feed's credentials for this URL, under the same rules
/// as a plain request ([`crate::credentials::Credentials::for_request`]): basic auth as
/// `Authorization`, the `headers` key's headers (replacing the browser's of the same
/// name) and the cookies after the page's own.
fn with_credentials(
    headers: &chromiumoxide::cdp::browser_protocol::network::Headers,
    creds: crate::credentials::ForRequest<'_>,
) -> Vec<HeaderEntry> {
    use base64::Engine;
    let ours: Vec<(String, String)> = creds
        .headers
        .iter()
        .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
        .collect();
    let replaced = |k: &str| {
        (creds.basic.is_some() && k.eq_ignore_ascii_case("authorization"))
            || ours
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case(k) && !n.eq_ignore_ascii_case("cookie"))
    };
    let mut page_cookie: Option<String> = None;
    let mut out: Vec<HeaderEntry> = Vec::new();
    for (k, v) in headers.inner().as_object().into_iter().flatten() {
        let Some(v) = v.as_str() else { continue };
        if k.eq_ignore_ascii_case("cookie") {
            page_cookie = Some(v.to_string());
        } else if !replaced(k) {
            out.push(HeaderEntry {
                name: k.clone(),
                value: v.to_string(),
            });
        }
    }
    let mut cookie = page_cookie;
    for (name, value) in ours {
        if name.eq_ignore_ascii_case("cookie") {
            cookie = Some(match cookie {
                Some(c) if !c.is_empty() => format!("{c}; {value}"),
                _ => value,
            });
        } else {
            out.push(HeaderEntry { name, value });
        }
    }
    if let Some(c) = cookie {
        out.push(HeaderEntry {
            name: "Cookie".into(),
            value: c,
        });
    }
    if let Some((user, password)) = creds.basic {
        let pair = format!("{user}:{}", password.unwrap_or(""));
        out.push(HeaderEntry {
            name: "Authorization".into(),
            value: format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(pair)
            ),
        });
    }
    out
}

/// For `pagefeed check` on a feed that is not rendered and showed no items: when its
/// listing, as a plain request gets it, looks built by JavaScript, what to try.
pub async fn scripted_hint(
    feed: &FeedConfig,
    settings: &crate::config::Settings,
) -> Option<String> {
    if feed.render.is_some() || feed.source != crate::config::Source::Html {
        return None;
    }
    let fetcher = Fetcher::new(settings).ok()?;
    let Ok(Fetched::Page(page)) = fetcher.fetch(&feed.url, &feed.request, None).await else {
        return None;
    };
    let (signs, shipped) = {
        let html = crate::html::parse_document(&page.text);
        let shipped: Vec<String> = crate::appstate::read(&html)
            .into_iter()
            .map(|s| s.name)
            .collect();
        (crate::discover::scripted::signs(&html, &page.text), shipped)
    };
    // Discovery already looked in the data the page ships for its script: say whether
    // there was any, since a list there would have been found.
    let state = if shipped.is_empty() {
        "It ships no app state that pagefeed reads (__NEXT_DATA__, __NUXT__, \
         __INITIAL_STATE__, JSON islands)."
            .to_string()
    } else {
        format!(
            "The app state it ships ({}) holds no list of on-site links with titles.",
            shipped.join(", ")
        )
    };
    signs.likely().then(|| {
        format!(
            "{} looks built by JavaScript: {}. Its items are probably written by a script \
             after the page loads, so the HTML has none. {state} Try render = \"browser\" on \
             the feed (the page is then loaded in headless Chromium; add wait_for = \"CSS \
             selector\" if its list appears late).\n",
            crate::credentials::public_url(&feed.url),
            signs.evidence().join(", ")
        )
    })
}
