//! robots.txt: fetched once per origin per run, then consulted for every URL.
//!
//! A missing robots.txt (4xx) allows everything. One that cannot be fetched because of
//! the server or the network (5xx, 429, a timeout, a refused connection) disallows the
//! whole origin for this run, as RFC 9309 (section 2.3.1.4) asks: the server may be
//! down precisely because it is overloaded. Nothing of that is stored, so the next run
//! asks again. The token matched against `User-agent` lines is `pagefeed`.

use std::collections::HashMap;
use std::sync::Arc;

use texting_robots::Robot;
use url::Url;

/// The product token robots.txt rules are matched against.
pub const AGENT_TOKEN: &str = "pagefeed";

/// Largest robots.txt read (Google reads 500 KiB).
pub const MAX_ROBOTS_SIZE: u64 = 512 * 1024;

/// What an origin's robots.txt says for this run.
pub enum Rules {
    /// The file's rules; `None`: everything is allowed (no file, 4xx, or unparseable).
    Read(Option<Robot>),
    /// The file could not be fetched (5xx or unreachable): everything is disallowed
    /// for this run. Holds why, for the message.
    Unavailable(String),
}

/// Per-origin rules, fetched at most once per run.
#[derive(Default)]
pub struct RobotsCache {
    origins: tokio::sync::Mutex<HashMap<String, Arc<tokio::sync::OnceCell<Rules>>>>,
}

impl RobotsCache {
    /// The cell for an origin (created empty on first use).
    pub async fn cell(&self, url: &Url) -> Arc<tokio::sync::OnceCell<Rules>> {
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
