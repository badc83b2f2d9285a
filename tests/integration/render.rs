//! Pages built by JavaScript (issue 15): `render = "browser"` loads the listing (and
//! with `render_items` the item pages) in the real headless Chromium, against a local
//! site whose HTML has no item links: a script builds the list from the site's JSON
//! API. Without the browser `check` says the page looks JavaScript-built. Every request
//! the page's script makes to another host is blocked.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::helpers::{read_feed, stderr, stdout, Workspace};
use crate::server::{Reply, Server};

const CHROMIUM: &str = "/usr/bin/chromium";

/// The browser is a requirement of these tests, in CI and out of it: `.ci/run`
/// installs it (`apt-get install chromium`), and a test that skipped would prove
/// nothing about the feature it is for.
fn require_chromium() {
    assert!(
        Path::new(CHROMIUM).is_file(),
        "{CHROMIUM} is missing: install Debian's chromium package (.ci/run does)"
    );
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/render")
}

/// The site: the app shell at `/`, its scripts, the JSON API, images. `beacon` is
/// the URL the listing's script tries to reach on another host.
fn site(beacon: String) -> Server {
    Server::start(site_handler(beacon))
}

fn site_handler(beacon: String) -> impl Fn(&crate::server::Request) -> Reply + Send + Sync {
    let root = fixtures();
    move |req| {
        let path = req.path.split('?').next().unwrap_or("").to_string();
        let file = |rel: &str| std::fs::read(root.join(rel));
        let typed = |body: Vec<u8>, ty: &str| Reply::html(body).with_header("Content-Type", ty);
        match path.as_str() {
            "/" => match file("app.html") {
                Ok(b) => Reply::html(String::from_utf8_lossy(&b).replace("{{BEACON}}", &beacon)),
                Err(_) => Reply::status(500),
            },
            "/static/app.js" | "/static/post.js" => match file(&path["/static/".len()..]) {
                Ok(b) => typed(b, "text/javascript"),
                Err(_) => Reply::status(404),
            },
            p if p.starts_with("/api/") && !p.contains("..") => match file(&p[1..]) {
                Ok(b) => typed(b, "application/json"),
                Err(_) => Reply::status(404),
            },
            p if p.starts_with("/posts/") => match file("post.html") {
                Ok(b) => Reply::html(b),
                Err(_) => Reply::status(500),
            },
            p if p.starts_with("/img/") => typed(vec![0x89, b'P', b'N', b'G'], "image/png"),
            _ => Reply::status(404),
        }
    }
}

/// Another host (`localhost`, not the listing's `127.0.0.1`) that records what reaches
/// it.
fn other_host() -> (Server, String) {
    let s = Server::start(|_| Reply::html("ok").with_header("Access-Control-Allow-Origin", "*"));
    let beacon = s.url("/beacon").replace("127.0.0.1", "localhost");
    (s, beacon)
}

fn config(url: &str, extra: &str) -> String {
    format!(
        "[settings]\nper_host_delay = \"0s\"\n\n[[feed]]\nid = \"harbour\"\nurl = \"{url}\"\n\
         timeout = \"30s\"\n{extra}\n"
    )
}

const TITLES: [&str; 4] = [
    "Tide tables return to the harbour office",
    "Ferry moves to its winter timetable",
    "Lighthouse open day draws a record crowd",
    "Forty new pontoon berths for visiting boats",
];
const SLUGS: [&str; 4] = [
    "tide-tables-return",
    "ferry-winter-timetable",
    "lighthouse-open-day",
    "new-pontoon-berths",
];
const DATES: [&str; 4] = [
    "2026-11-03T08:15:00+00:00",
    "2026-11-01T16:40:00+00:00",
    "2026-10-28T10:05:00+00:00",
    "2026-10-24T06:30:00+00:00",
];
const AUTHORS: [&str; 4] = ["Maren Holt", "Ivo Brandt", "Sunniva Lie", "Tomas Ek"];

#[test]
fn a_script_built_listing_rendered_in_the_browser_gives_exact_items_in_all_formats() {
    require_chromium();
    let (other, beacon) = other_host();
    let site = Arc::new(site(beacon));
    let ws = Workspace::new(&config(
        &site.url("/"),
        "render = \"browser\"\nrender_items = true",
    ));
    let out = ws.run(&["-v", "run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for file in ["harbour.rss.xml", "harbour.atom.xml", "harbour.json"] {
        let feed = read_feed(&ws.out(file));
        assert_eq!(feed.entries.len(), 4, "{file}");
        for (i, e) in feed.entries.iter().enumerate() {
            assert_eq!(
                e.title.as_ref().map(|t| t.content.as_str()),
                Some(TITLES[i]),
                "{file}"
            );
            assert_eq!(
                e.links.first().map(|l| l.href.as_str()),
                Some(site.url(&format!("/posts/{}", SLUGS[i])).as_str()),
                "{file}"
            );
            assert_eq!(
                e.published.map(|d| d.to_rfc3339()).as_deref(),
                Some(DATES[i]),
                "{file}"
            );
            // Only the rendered article page names the author: the item pages were
            // rendered too (`render_items`).
            assert_eq!(
                e.authors.first().map(|a| a.name.as_str()),
                Some(AUTHORS[i]),
                "{file}"
            );
        }
    }
    // The script's request to another host never left the browser, and no image was
    // loaded.
    assert_eq!(other.hits("/"), 0, "{:?}", other.requests());
    assert_eq!(site.hits("/img/"), 0);
    assert!(
        stderr(&out).contains("browser: blocked http://localhost:"),
        "{}",
        stderr(&out)
    );
    // The listing and each item page were loaded once, with their scripts and data.
    assert_eq!(site.hits("/api/posts.json"), 1);
    assert_eq!(site.hits("/api/posts/"), 4);
}

#[test]
fn a_host_in_allow_hosts_is_reached_by_the_page_script() {
    require_chromium();
    let (other, beacon) = other_host();
    let site = site(beacon);
    let ws = Workspace::new(&config(
        &site.url("/"),
        "render = \"browser\"\nfollow = false\nallow_hosts = [\"localhost\"]",
    ));
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(other.hits("/beacon"), 1, "{}", stderr(&out));
    let feed = read_feed(&ws.out("harbour.atom.xml"));
    let titles: Vec<&str> = feed
        .entries
        .iter()
        .filter_map(|e| e.title.as_ref().map(|t| t.content.as_str()))
        .collect();
    assert_eq!(titles, TITLES);
}

#[test]
fn wait_for_waits_for_the_selector_and_fails_the_feed_when_it_never_matches() {
    require_chromium();
    let (_other, beacon) = other_host();
    let site = site(beacon);
    let ws = Workspace::new(&format!(
        "{}\n[[feed]]\nid = \"never\"\nurl = \"{}\"\ntimeout = \"2s\"\nrender = \"browser\"\n\
         wait_for = \"ul.comments\"\n",
        config(
            &site.url("/"),
            "render = \"browser\"\nfollow = false\nwait_for = \"li.post time\"",
        ),
        site.url("/")
    ));
    let out = ws.run(&["run"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("feed `never`: browser: http://127.0.0.1:")
            && err.contains("wait_for \"ul.comments\" matched nothing after 2s (timeout)"),
        "{err}"
    );
    // The other feed, rendered by the same browser, was published.
    let feed = read_feed(&ws.out("harbour.json"));
    assert_eq!(feed.entries.len(), 4);
    assert!(!ws.out("never.json").exists());
}

#[test]
fn check_without_the_browser_says_the_page_looks_javascript_built() {
    let (_other, beacon) = other_host();
    let site = site(beacon);
    let out = crate::helpers::pagefeed(&["check", &site.url("/")]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(&format!(
            "{} looks built by JavaScript: little visible text (0 characters), an empty app \
             root (#app), a <noscript> asking for JavaScript, 1 scripts.",
            site.url("/")
        )),
        "{text}"
    );
    assert!(
        text.contains("Try render = \"browser\" on the feed"),
        "{text}"
    );
    // Discovery looked in the data pages ship for their script: there is none here.
    assert!(
        text.contains("It ships no app state that pagefeed reads"),
        "{text}"
    );
}

#[test]
fn check_of_a_rendered_feed_lists_its_items() {
    require_chromium();
    let (_other, beacon) = other_host();
    let site = site(beacon);
    let ws = Workspace::new(&config(
        &site.url("/"),
        "render = \"browser\"\nfollow = false",
    ));
    let out = ws.run(&["check", "harbour"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    for t in TITLES {
        assert!(text.contains(t), "{text}");
    }
    assert!(!text.contains("looks built by JavaScript"), "{text}");
}

#[test]
fn render_keys_are_validated_at_load() {
    let ws = Workspace::new(
        "[[feed]]\nid = \"a\"\nurl = \"https://example.org/\"\nrender = \"browser\"\n\
         wait_for = \"li[@x]\"\n\n[[feed]]\nid = \"b\"\nurl = \"https://example.org/\"\n\
         render_items = true\nwait_for = \"li\"\n\n[[feed]]\nid = \"c\"\n\
         url = \"https://example.org/\"\nrender = \"chrome\"\n\n[settings]\n\
         browser_concurrency = 0\n",
    );
    let out = ws.run(&["validate"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    for expected in [
        ":5: feed `a`, key `wait_for`: invalid CSS selector \"li[@x]\"",
        ":10: feed `b`, key `render_items`: needs render = \"browser\"",
        ":11: feed `b`, key `wait_for`: needs render = \"browser\"",
        ":16: feed `c`, key `render`: unknown value \"chrome\"; use \"html\" or \"browser\"",
        ":19: key `settings.browser_concurrency`: must be at least 1",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
}

#[test]
fn a_missing_browser_fails_the_rendered_feed_only() {
    let (_other, beacon) = other_host();
    let site = site(beacon);
    let plain = Server::files(&crate::helpers::demo_dir());
    let ws = Workspace::new(&format!(
        "[settings]\nbrowser = \"no/such/chromium\"\nper_host_delay = \"0s\"\n\n\
         [[feed]]\nid = \"harbour\"\nurl = \"{}\"\nrender = \"browser\"\n\n\
         [[feed]]\nid = \"plain\"\nurl = \"{}\"\nfollow = false\n",
        site.url("/"),
        plain.url("/index.html")
    ));
    let out = ws.run(&["run"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    let missing = ws.dir.path().join("no/such/chromium");
    assert!(
        err.contains(&format!(
            "feed `harbour`: browser: cannot start {}: no such file",
            missing.display()
        )),
        "{err}"
    );
    assert!(ws.out("plain.json").exists(), "{err}");
    assert!(!ws.out("harbour.json").exists());
}

/// Chromium processes started by the pagefeed process `pid` (their profile folder is
/// named after it).
fn browsers_of(pid: u32) -> usize {
    let marker = format!("pagefeed-browser-{pid}-");
    std::fs::read_dir("/proc")
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
                .filter(|c| String::from_utf8_lossy(c).contains(&marker))
                .count()
        })
        .unwrap_or(0)
}

/// A run stopped by SIGTERM while the browser waits on a page leaves no Chromium
/// behind, and no profile folder.
#[test]
fn sigterm_during_a_run_closes_the_browser() {
    require_chromium();
    // The page never answers: the browser is started and waits on it.
    let hang = Server::start(|_| {
        Reply::Raw(Box::new(|_| {
            std::thread::sleep(std::time::Duration::from_secs(20))
        }))
    });
    let ws = Workspace::new(&config(
        &hang.url("/"),
        "render = \"browser\"\nrespect_robots = false",
    ));
    let config = ws.config();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pagefeed"))
        .args(["--config", config.to_str().unwrap(), "run"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start pagefeed");
    let pid = child.id();
    let started = std::time::Instant::now();
    while browsers_of(pid) == 0 || hang.hits("/") == 0 {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "the browser did not ask for the page"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = child.wait().expect("pagefeed exits");
    assert_eq!(status.code(), Some(143));
    let gone = std::time::Instant::now();
    while browsers_of(pid) > 0 {
        assert!(
            gone.elapsed() < std::time::Duration::from_secs(10),
            "{} Chromium processes left after SIGTERM",
            browsers_of(pid)
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(!std::env::temp_dir()
        .join(format!("pagefeed-browser-{pid}-0"))
        .exists());
}

/// The main Chromium process of the pagefeed process `pid` (not a helper: those carry
/// `--type=`).
fn main_browser_of(pid: u32) -> Option<u32> {
    let marker = format!("pagefeed-browser-{pid}-");
    std::fs::read_dir("/proc")
        .ok()?
        .filter_map(|e| e.ok())
        .find_map(|e| {
            let cmd = std::fs::read(e.path().join("cmdline")).ok()?;
            let cmd = String::from_utf8_lossy(&cmd);
            (cmd.contains(&marker) && !cmd.contains("--type=")).then_some(())?;
            e.file_name().to_str()?.parse().ok()
        })
}

/// The browser dies while it loads one feed's page: that feed fails, and the next
/// rendered feed starts a new browser and is published.
#[test]
fn a_browser_that_dies_fails_that_feed_only() {
    require_chromium();
    let hang = Server::start(|_| {
        Reply::Raw(Box::new(|_| {
            std::thread::sleep(std::time::Duration::from_secs(20))
        }))
    });
    let (_other, beacon) = other_host();
    let site = site(beacon);
    // One page at a time: `second` (which first reads robots.txt) waits for `first`.
    let ws = Workspace::new(&format!(
        "[settings]\nbrowser_concurrency = 1\nper_host_delay = \"0s\"\n\n\
         [[feed]]\nid = \"first\"\nurl = \"{}\"\nrender = \"browser\"\nrespect_robots = false\n\n\
         [[feed]]\nid = \"second\"\nurl = \"{}\"\nrender = \"browser\"\nfollow = false\n",
        hang.url("/"),
        site.url("/")
    ));
    let config = ws.config();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_pagefeed"))
        .args(["--config", config.to_str().unwrap(), "run"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start pagefeed");
    let started = std::time::Instant::now();
    let browser = loop {
        if let Some(b) = main_browser_of(child.id()).filter(|_| hang.hits("/") > 0) {
            break b;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "the browser did not ask for the page"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let killed = std::process::Command::new("kill")
        .args(["-KILL", &browser.to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let out = child.wait_with_output().expect("pagefeed exits");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "feed `first`: browser: {}: the browser exited or crashed",
            hang.url("/")
        )),
        "{err}"
    );
    assert!(
        err.contains("browser: the browser exited while loading"),
        "{err}"
    );
    assert_eq!(read_feed(&ws.out("second.json")).entries.len(), 4, "{err}");
    assert!(!ws.out("first.json").exists());
}

/// The listing's site, answering only requests that `allowed` accepts (else
/// `refusal`), and the other host its script reaches.
fn guarded_site(
    allowed: impl Fn(&crate::server::Request) -> bool + Send + Sync + 'static,
    refusal: u16,
) -> (Server, Arc<Server>) {
    let other = Arc::new(Server::start(|_| {
        Reply::html("ok").with_header("Access-Control-Allow-Origin", "*")
    }));
    let beacon = other.url("/beacon").replace("127.0.0.1", "localhost");
    let inner = site_handler(beacon);
    let site = Server::start(move |req| {
        if allowed(req) {
            inner(req)
        } else {
            Reply::status(refusal)
        }
    });
    (site, other)
}

/// Runs the rendered feed at `url` (with `extra` keys) once: its 4 items published, the
/// API asked once, the other host reached once. Returns what the other host got and the
/// run's stderr.
fn rendered_run(
    site: &Server,
    other: &Server,
    url: &str,
    extra: &str,
) -> (Vec<crate::server::Request>, String) {
    let ws = Workspace::new(&config(
        url,
        &format!(
            "render = \"browser\"\nfollow = false\nrespect_robots = false\n\
             allow_hosts = [\"localhost\"]\n{extra}"
        ),
    ));
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(read_feed(&ws.out("harbour.json")).entries.len(), 4);
    assert_eq!(site.hits("/api/posts.json"), 1);
    let reached = other.requests();
    assert_eq!(reached.len(), 1, "{reached:?}");
    (reached, stderr(&out))
}

/// The feed URL's user name and password go with every request the browser makes to
/// the listing's origin (the page, its script, its API), and not to another host its
/// script reaches.
#[test]
fn the_feed_urls_credentials_go_to_its_origin_only() {
    require_chromium();
    let (site, other) = guarded_site(
        |req| req.header("authorization") == Some("Basic bWU6czNjcmV0"),
        401,
    );
    let url = site.url("/").replace("http://", "http://me:s3cret@");
    let (reached, err) = rendered_run(&site, &other, &url, "");
    assert_eq!(reached[0].header("authorization"), None);
    assert!(!err.contains("s3cret"));
}

/// The feed's `headers` and `cookie` keys reach every request the rendered page makes
/// on the feed's site (the page, its script's API call) and none to another host.
#[test]
fn the_feeds_headers_and_cookie_go_to_its_site_only_in_the_browser() {
    require_chromium();
    let (site, other) = guarded_site(
        |req| {
            let cookie_ok = req
                .header("cookie")
                .is_some_and(|c| c.split("; ").any(|p| p == "session=k3y-c00kie"));
            req.header("x-api-key") == Some("k3y-h3ader") && cookie_ok
        },
        403,
    );
    let extra = "headers = { \"X-Api-Key\" = \"k3y-h3ader\" }\ncookie = \"session=k3y-c00kie\"";
    let (reached, err) = rendered_run(&site, &other, &site.url("/"), extra);
    assert_eq!(reached[0].header("x-api-key"), None);
    assert_eq!(reached[0].header("cookie"), None);
    assert!(!err.contains("k3y-"));
}
