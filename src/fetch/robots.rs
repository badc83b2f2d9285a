//! robots.txt: fetched once per origin per run, then consulted for every URL.
//!
//! A missing robots.txt (4xx) allows everything; one that cannot be fetched (network
//! error, 5xx) also allows, with a log line, since a transient failure should not empty
//! a feed. The token matched against `User-agent` lines is `pagefeed`.

use std::collections::HashMap;
use std::sync::Arc;

use texting_robots::Robot;
use url::Url;

/// The product token robots.txt rules are matched against.
pub const AGENT_TOKEN: &str = "pagefeed";

/// Largest robots.txt read (Google reads 500 KiB).
pub const MAX_ROBOTS_SIZE: u64 = 512 * 1024;

/// Per-origin rules, fetched at most once per run.
#[derive(Default)]
pub struct RobotsCache {
    origins: tokio::sync::Mutex<HashMap<String, Arc<tokio::sync::OnceCell<Option<Robot>>>>>,
}

impl RobotsCache {
    /// The cell for an origin (created empty on first use).
    pub async fn cell(&self, url: &Url) -> Arc<tokio::sync::OnceCell<Option<Robot>>> {
        let origin = url.origin().ascii_serialization();
        self.origins.lock().await.entry(origin).or_default().clone()
    }
}

/// The robots.txt URL for a page.
pub fn robots_url(url: &Url) -> Option<Url> {
    let mut u = url.clone();
    u.set_path("/robots.txt");
    u.set_query(None);
    u.set_fragment(None);
    Some(u)
}

/// Parses robots.txt text; unparseable files allow everything.
pub fn parse(body: &[u8]) -> Option<Robot> {
    Robot::new(AGENT_TOKEN, body).ok()
}
