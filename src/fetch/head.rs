//! One HEAD request for an enclosure's size.
//!
//! Contract: [`Fetcher::head_length`] sends a single HEAD (no retry: a failed answer is
//! stored as "unknown" by the caller and never asked again) under the same per-host
//! limits, timeout, robots rules and SSRF guard as every other request of the feed, and
//! returns the `Content-Length` of a successful answer. It never reads a body and never
//! fails loudly: what went wrong is logged at debug level and the size stays unknown.

use std::sync::atomic::Ordering;

use reqwest::header::{self, HeaderValue};
use url::Url;

use super::{guard, Fetcher, WithoutUrlRef};
use crate::config::RequestSettings;

impl Fetcher {
    /// The size in bytes of the file at `url`, found on a page of the feed whose listing
    /// is `source`; `None` when the HEAD request fails or gives no length.
    pub async fn head_length(&self, url: &Url, source: &Url, req: &RequestSettings) -> Option<u64> {
        let mut clean = url.clone();
        crate::credentials::strip_userinfo(&mut clean);
        let url = &clean;
        if !matches!(url.scheme(), "http" | "https") {
            return None;
        }
        let allow_private = self.source_is_local(source).await;
        if let Err(refusal) = guard::check_target(url, allow_private) {
            tracing::debug!("fetch: HEAD {url}: {refusal}");
            return None;
        }
        if req.respect_robots && self.robots_allow(url, req, allow_private).await.is_err() {
            return None;
        }
        let host = self.host(url);
        let _host_permit = host.permits.acquire().await.ok()?;
        {
            let mut next = host.next_slot.lock().await;
            tokio::time::sleep_until(*next).await;
            *next = tokio::time::Instant::now() + req.per_host_delay;
        }
        let _global_permit = self.global.acquire().await.ok()?;
        let client = if allow_private {
            &self.client
        } else {
            &self.guarded
        };
        let mut builder = client.head(url.clone()).timeout(req.timeout);
        if let Ok(v) = HeaderValue::from_str(&req.user_agent) {
            builder = builder.header(header::USER_AGENT, v);
        }
        if let Some(auth) = req.auth.as_ref().filter(|a| a.applies_to(url)) {
            builder = builder.basic_auth(auth.username(), auth.password());
        }
        let resp = match builder.send().await {
            Ok(r) => r,
            Err(e) => {
                tracing::debug!("fetch: HEAD {url}: {}", e.without_url_ref());
                return None;
            }
        };
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        if !resp.status().is_success() {
            tracing::debug!("fetch: HEAD {url}: status {}", resp.status());
            return None;
        }
        resp.headers()
            .get(header::CONTENT_LENGTH)?
            .to_str()
            .ok()?
            .trim()
            .parse()
            .ok()
    }
}
