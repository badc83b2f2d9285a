//! Incremental, polite runs against a server that counts requests and honours ETags.

use std::sync::{Arc, Mutex};

use crate::helpers::{read_feed, stderr, Workspace};
use crate::server::{Reply, Request, Server};

/// One listed article: slug, title, published date.
type Listed = (&'static str, &'static str, Option<&'static str>);

/// A small site whose listing can change between runs; answers conditional requests.
struct Site {
    server: Server,
    listing: Arc<Mutex<Vec<Listed>>>,
}

fn article(slug: &str, title: &str, date: Option<&str>) -> String {
    let date_meta = date
        .map(|d| format!("<meta property=\"article:published_time\" content=\"{d}\">"))
        .unwrap_or_default();
    format!(
        "<html><head><title>{title} | Site</title><link rel=\"canonical\" href=\"https://site.example/{slug}\">{date_meta}\
         <meta name=\"author\" content=\"Ann Lee\"></head><body><article><h1>{title}</h1>\
         <p>This is the first paragraph of {title}, long enough to be a real summary of the story here.</p></article></body></html>"
    )
}

fn etag_of(body: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut h);
    format!("\"{:x}\"", h.finish())
}

fn respond(req: &Request, body: String) -> Reply {
    let etag = etag_of(&body);
    if req.header("if-none-match") == Some(etag.as_str()) {
        return Reply::Full {
            status: 304,
            headers: vec![("ETag".into(), etag)],
            body: Vec::new(),
        };
    }
    Reply::html(body).with_header("ETag", &etag)
}

impl Site {
    fn start(robots: &'static str) -> Site {
        let listing: Arc<Mutex<Vec<Listed>>> = Arc::new(Mutex::new(vec![
            ("one", "First story", Some("2025-12-20T10:00:00Z")),
            ("two", "Second story", Some("2025-12-19T10:00:00Z")),
            ("three", "Undated story", None),
        ]));
        let l = listing.clone();
        let server = Server::start(move |req| {
            let items = l.lock().unwrap().clone();
            if req.path == "/robots.txt" {
                return Reply::Full {
                    status: 200,
                    headers: vec![("Content-Type".into(), "text/plain".into())],
                    body: robots.as_bytes().to_vec(),
                };
            }
            if req.path == "/news/" {
                let lis: String = items
                    .iter()
                    .map(|(slug, title, _)| format!("<li><article><h2><a href=\"/news/{slug}\">{title}</a></h2></article></li>"))
                    .collect();
                // Served from 127.0.0.1, published as site.example: the listing names
                // its public address, so the articles' canonical URLs are its own site.
                return respond(req, format!("<html><head><title>Site news</title><link rel=\"canonical\" href=\"https://site.example/news/\"></head><body><ul class=\"list\">{lis}</ul></body></html>"));
            }
            for (slug, title, date) in &items {
                if req.path == format!("/news/{slug}") {
                    return respond(req, article(slug, title, *date));
                }
            }
            Reply::status(404)
        });
        Site { server, listing }
    }

    fn config(&self, extra: &str) -> String {
        format!(
            "[settings]\nper_host_delay = \"0s\"\ninterval = \"0s\"\n\n[[feed]]\nid = \"news\"\nurl = \"{}\"\n{extra}",
            self.server.url("/news/")
        )
    }

    fn article_hits(&self) -> usize {
        self.server
            .requests()
            .iter()
            .filter(|r| r.path.starts_with("/news/") && r.path != "/news/")
            .count()
    }
}

fn mtimes(ws: &Workspace) -> Vec<std::time::SystemTime> {
    ["news.rss.xml", "news.atom.xml", "news.json"]
        .iter()
        .map(|f| std::fs::metadata(ws.out(f)).unwrap().modified().unwrap())
        .collect()
}

fn links(ws: &Workspace) -> Vec<(String, String)> {
    read_feed(&ws.out("news.atom.xml"))
        .entries
        .iter()
        .map(|e| (e.id.clone(), e.published.unwrap().to_rfc3339()))
        .collect()
}

#[test]
fn second_run_with_nothing_changed_is_one_conditional_request_and_no_write() {
    let site = Site::start("");
    let ws = Workspace::new(&site.config(""));
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(site.article_hits(), 3);
    let first = links(&ws);
    let before = mtimes(&ws);
    std::thread::sleep(std::time::Duration::from_millis(1100));

    let n = site.server.requests().len();
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let second: Vec<Request> = site.server.requests()[n..].to_vec();
    let paths: Vec<&str> = second.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        ["/robots.txt", "/news/"],
        "only robots.txt and the listing"
    );
    assert!(
        second[1].header("if-none-match").is_some(),
        "the listing is asked for conditionally"
    );
    assert_eq!(site.article_hits(), 3, "no article fetched again");
    assert_eq!(mtimes(&ws), before, "no file rewritten");
    assert_eq!(links(&ws), first);
}

#[test]
fn one_new_article_costs_one_article_request_and_comes_first() {
    let site = Site::start("");
    let ws = Workspace::new(&site.config(""));
    assert!(ws.run(&["run"]).status.success());
    let first = links(&ws);
    assert_eq!(first.len(), 3);
    site.listing
        .lock()
        .unwrap()
        .insert(0, ("four", "Fresh story", None));

    let hits = site.article_hits();
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(site.article_hits(), hits + 1, "exactly one article request");
    let second = links(&ws);
    assert_eq!(
        second[0].0, "https://site.example/four",
        "the new item is first"
    );
    for old in &first {
        assert!(second.contains(old), "old item {old:?} keeps guid and date");
    }
    assert_eq!(second.len(), 4);
}

#[test]
fn an_item_that_scrolls_off_the_listing_stays_in_the_feed() {
    let site = Site::start("");
    let ws = Workspace::new(&site.config(""));
    assert!(ws.run(&["run"]).status.success());
    {
        let mut l = site.listing.lock().unwrap();
        l.retain(|(slug, _, _)| *slug != "two");
        l.insert(0, ("four", "Fresh story", None));
    }
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let ids: Vec<String> = links(&ws).into_iter().map(|(id, _)| id).collect();
    assert!(
        ids.contains(&"https://site.example/two".to_string()),
        "{ids:?}"
    );
}

#[test]
fn dry_run_reports_changes_and_writes_nothing() {
    let site = Site::start("");
    let ws = Workspace::new(&site.config("max_items = 3\n"));
    assert!(ws.run(&["run"]).status.success());
    let before = mtimes(&ws);
    site.listing
        .lock()
        .unwrap()
        .insert(0, ("four", "Fresh story", Some("2025-12-21T10:00:00Z")));
    let out = ws.run(&["run", "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = crate::helpers::stdout(&out);
    assert!(
        text.contains("feed `news`: 1 added, 0 changed, 1 dropped"),
        "{text}"
    );
    assert!(text.contains("+ Fresh story"), "{text}");
    assert!(text.contains("- Second story"), "{text}");
    assert_eq!(mtimes(&ws), before);
    assert_eq!(links(&ws).len(), 3);
    // Nothing was stored either: a real run still sees the item as new.
    let out = ws.run(&["run", "--dry-run"]);
    assert!(crate::helpers::stdout(&out).contains("1 added"));
}

#[test]
fn a_disallowed_path_is_never_requested() {
    let site = Site::start("User-agent: *\nDisallow: /news/two\n");
    let ws = Workspace::new(&site.config(""));
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(site.server.hits("/news/two"), 0);
    assert_eq!(
        site.server.hits("/robots.txt"),
        1,
        "robots.txt read once per run"
    );
    // The item is still published from what the listing shows.
    let feed = read_feed(&ws.out("news.json"));
    assert!(feed
        .entries
        .iter()
        .any(|e| e.title.as_ref().unwrap().content == "Second story"));
}

#[test]
fn respect_robots_false_reads_disallowed_pages() {
    let site = Site::start("User-agent: pagefeed\nDisallow: /\n");
    let ws = Workspace::new(&site.config("respect_robots = false\n"));
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(site.server.hits("/robots.txt"), 0);
    assert_eq!(site.article_hits(), 3);
}

#[test]
fn a_429_with_retry_after_is_waited_for_and_retried_once() {
    let count = Arc::new(Mutex::new(0));
    let c = count.clone();
    let server = Server::start(move |req| {
        if req.path == "/list" {
            let mut n = c.lock().unwrap();
            *n += 1;
            if *n == 1 {
                return Reply::status(429).with_header("Retry-After", "2");
            }
            return Reply::html(
                "<html><body><article><h2><a href=\"/a\">A story</a></h2></article></body></html>",
            );
        }
        if req.path == "/a" {
            return Reply::html(article("a", "A story", Some("2025-12-20T10:00:00Z")));
        }
        Reply::status(404)
    });
    let ws = Workspace::new(&format!(
        "[settings]\nper_host_delay = \"0s\"\ninterval = \"0s\"\n[[feed]]\nid = \"news\"\nurl = \"{}\"\n[feed.items]\nselector = \"article\"\n",
        server.url("/list")
    ));
    let start = std::time::Instant::now();
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        start.elapsed() >= std::time::Duration::from_secs(2),
        "waited for Retry-After"
    );
    assert_eq!(server.hits("/list"), 2);
    assert_eq!(read_feed(&ws.out("news.json")).entries.len(), 1);
}

#[test]
fn a_long_retry_after_skips_the_feed_and_the_next_run_respects_it() {
    let server = Server::start(|req| {
        if req.path == "/list" {
            return Reply::status(503).with_header("Retry-After", "3600");
        }
        Reply::status(404)
    });
    let ws = Workspace::new(&format!(
        "[settings]\nper_host_delay = \"0s\"\ninterval = \"0s\"\n[[feed]]\nid = \"news\"\nurl = \"{}\"\n",
        server.url("/list")
    ));
    let out = ws.run(&["run"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("retry after 3600s"),
        "{}",
        stderr(&out)
    );
    let out = ws.run(&["run"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not to retry before"),
        "{}",
        stderr(&out)
    );
    assert_eq!(server.hits("/list"), 1, "the second run did not ask again");
}

#[test]
fn refresh_after_re_extracts_young_items_keeping_guid_and_date() {
    let site = Site::start("");
    let ws = Workspace::new(&site.config("refresh_after = \"1h\"\n"));
    assert!(ws.run(&["run"]).status.success());
    let before = read_feed(&ws.out("news.atom.xml"));
    let first = before
        .entries
        .iter()
        .find(|e| e.id == "https://site.example/one")
        .unwrap()
        .clone();
    site.listing.lock().unwrap()[0].1 = "First story, corrected";
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let hits = site.article_hits();
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        site.article_hits(),
        hits + 3,
        "young items are re-extracted"
    );
    let after = read_feed(&ws.out("news.atom.xml"));
    assert_eq!(after.entries.len(), 3, "not duplicated");
    let one = after
        .entries
        .iter()
        .find(|e| e.id == "https://site.example/one")
        .unwrap();
    assert_eq!(
        one.title.as_ref().unwrap().content,
        "First story, corrected"
    );
    assert_eq!(one.published, first.published, "published date kept");
    assert!(
        one.updated > first.updated,
        "Atom updated moves: {:?} -> {:?}",
        first.updated,
        one.updated
    );
    let two = after
        .entries
        .iter()
        .find(|e| e.id == "https://site.example/two")
        .unwrap();
    let two_before = before
        .entries
        .iter()
        .find(|e| e.id == "https://site.example/two")
        .unwrap();
    assert_eq!(
        two.updated, two_before.updated,
        "an unchanged item keeps its updated"
    );
}

#[test]
fn per_host_concurrency_and_delay_are_respected() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, Instant};
    let in_flight = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let starts: Arc<Mutex<Vec<Instant>>> = Arc::new(Mutex::new(Vec::new()));
    let (f, p, st) = (in_flight.clone(), peak.clone(), starts.clone());
    let server = Server::start(move |req| {
        if req.path == "/list" {
            let lis: String = (0..6)
                .map(|i| {
                    format!("<article><h2><a href=\"/a/{i}\">Story number {i}</a></h2></article>")
                })
                .collect();
            return Reply::html(format!(
                "<html><head><link rel=\"canonical\" href=\"https://site.example/list\"></head>\
                 <body><main>{lis}</main></body></html>"
            ));
        }
        if req.path.starts_with("/a/") {
            st.lock().unwrap().push(Instant::now());
            let now = f.fetch_add(1, Ordering::SeqCst) + 1;
            p.fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(150));
            f.fetch_sub(1, Ordering::SeqCst);
            return Reply::html(article("x", "Story", Some("2025-12-20T10:00:00Z")));
        }
        Reply::status(404)
    });
    // Delay 0: the concurrency limit alone bounds requests in flight.
    let ws = Workspace::new(&format!(
        "[settings]\nper_host_delay = \"0s\"\nper_host_concurrency = 2\n[[feed]]\nid = \"news\"\nurl = \"{}\"\n",
        server.url("/list")
    ));
    assert!(ws.run(&["run"]).status.success());
    assert_eq!(
        peak.load(Ordering::SeqCst),
        2,
        "at most 2 in flight, and both used"
    );

    // With a delay, request starts to one host are at least that far apart.
    starts.lock().unwrap().clear();
    let ws = Workspace::new(&format!(
        "[settings]\nper_host_delay = \"300ms\"\nper_host_concurrency = 4\n[[feed]]\nid = \"news\"\nurl = \"{}\"\n",
        server.url("/list")
    ));
    assert!(ws.run(&["run"]).status.success());
    let s = starts.lock().unwrap().clone();
    assert_eq!(s.len(), 6);
    for w in s.windows(2) {
        assert!(
            w[1] - w[0] >= Duration::from_millis(280),
            "gap {:?}",
            w[1] - w[0]
        );
    }
}

#[test]
fn pages_that_all_name_one_canonical_stay_separate_items() {
    let server = Server::start(|req| {
        if req.path == "/list" {
            let lis: String = (0..3)
                .map(|i| {
                    format!("<article><h2><a href=\"/a/{i}\">Story number {i}</a></h2></article>")
                })
                .collect();
            return Reply::html(format!("<html><body><main>{lis}</main></body></html>"));
        }
        if let Some(i) = req.path.strip_prefix("/a/") {
            // A misconfigured site: every page claims the home page's address.
            return Reply::html(format!(
                "<html><head><title>Story number {i}</title><link rel=\"canonical\" href=\"https://site.example/news\">\
                 <meta property=\"article:published_time\" content=\"2025-12-2{i}T10:00:00Z\"></head><body><h1>Story number {i}</h1></body></html>"
            ));
        }
        Reply::status(404)
    });
    let ws = Workspace::new(&format!(
        "[settings]\nper_host_delay = \"0s\"\n[[feed]]\nid = \"news\"\nurl = \"{}\"\n",
        server.url("/list")
    ));
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let feed = read_feed(&ws.out("news.atom.xml"));
    let titles: Vec<&str> = feed
        .entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.as_str())
        .collect();
    assert_eq!(
        titles,
        ["Story number 2", "Story number 1", "Story number 0"]
    );
    let mut ids: Vec<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 3, "three distinct guids: {ids:?}");
}
