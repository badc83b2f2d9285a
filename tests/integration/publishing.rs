//! The published folder as people use it: index.html in a real browser (headless
//! Chromium), feeds.opml imported into a real reader (newsboat).
//!
//! Both tools come from Debian packages that `.ci/run` installs. On a machine without
//! them the tests say so and pass, except under CI (`CI` set), where a missing tool is a
//! failure, so CI always exercises them.

use std::path::Path;
use std::process::Command;

use crate::helpers::{demo_dir, stderr, Workspace};
use crate::server::Server;

/// The tool's path, or `None` (with a note) when it is missing outside CI.
fn tool(name: &str) -> Option<&'static str> {
    let path: &'static str = match name {
        "chromium" => "/usr/bin/chromium",
        _ => "/usr/bin/newsboat",
    };
    if Path::new(path).exists() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{path} is missing; .ci/run installs it"
    );
    eprintln!("skipping: {path} is not installed (apt-get install {name})");
    None
}

/// Runs the demo into a fresh output folder served over HTTP; returns the workspace and
/// the servers of the site and of the output folder. The second feed reads only the
/// listing, so its items (listing links) are distinct from the first's (canonical links).
fn published() -> (Workspace, Server, Server) {
    let site = Server::files(&demo_dir());
    let ws = Workspace::new("");
    std::fs::create_dir_all(ws.out("")).unwrap();
    let host = Server::files(&ws.out(""));
    let config = format!(
        "[settings]\nper_host_delay = \"0s\"\nbase_url = \"{}\"\n\n[[feed]]\nid = \"ledger\"\nurl = \"{}\"\ntimezone = \"Asia/Tokyo\"\n\n\
         [[feed]]\nid = \"ledger-atom\"\ntitle = \"The Tokyo Ledger (Atom only)\"\nurl = \"{}\"\nformats = [\"atom\"]\n\
         follow = false\n[feed.items]\nselector = \"main article\"\n",
        host.url("/"),
        site.url("/index.html"),
        site.url("/index.html"),
    );
    std::fs::write(ws.config(), config).unwrap();
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    (ws, site, host)
}

fn chromium(args: &[&str], profile: &Path) -> std::process::Output {
    let mut cmd = Command::new("/usr/bin/chromium");
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .args(args);
    cmd.output().expect("run chromium")
}

#[test]
fn index_page_in_a_real_browser_links_every_feed() {
    if tool("chromium").is_none() {
        return;
    }
    let (ws, _site, host) = published();
    let profile = tempfile::tempdir().unwrap();
    let out = chromium(&["--dump-dom", &host.url("/index.html")], profile.path());
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(dom.contains("<h1>Feeds</h1>"), "{dom}\n{}", stderr(&out));
    for href in [
        "ledger.rss.xml",
        "ledger.atom.xml",
        "ledger.json",
        "ledger-atom.atom.xml",
        "feeds.opml",
    ] {
        assert!(
            dom.contains(&format!("href=\"{href}\"")),
            "{href} missing from the rendered page:\n{dom}"
        );
    }
    assert!(dom.contains("The Tokyo Ledger (Atom only)"));
    assert!(
        dom.contains(">tokyo-ledger.example</a>"),
        "source site shown"
    );
    // A screenshot, as a person would see it (docs/index.png in the repo was made so).
    let shot = ws.dir.path().join("index.png");
    let out = chromium(
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1000,420",
            &host.url("/index.html"),
        ],
        profile.path(),
    );
    let png =
        std::fs::read(&shot).unwrap_or_else(|e| panic!("no screenshot ({e}): {}", stderr(&out)));
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 5_000,
        "a real picture"
    );
    if let Ok(dest) = std::env::var("PAGEFEED_SCREENSHOT") {
        std::fs::copy(&shot, dest).unwrap();
    }
}

#[test]
fn opml_imports_into_newsboat_which_reads_every_feed() {
    if tool("newsboat").is_none() {
        return;
    }
    let (ws, _site, _host) = published();
    let home = tempfile::tempdir().unwrap();
    let urls = home.path().join("urls");
    let cache = home.path().join("cache.db");
    let conf = home.path().join("config");
    std::fs::write(&conf, "").unwrap();
    let newsboat = |args: &[&str]| {
        Command::new("/usr/bin/newsboat")
            .env("HOME", home.path())
            .arg("-u")
            .arg(&urls)
            .arg("-c")
            .arg(&cache)
            .arg("-C")
            .arg(&conf)
            .args(args)
            .output()
            .expect("run newsboat")
    };
    let out = newsboat(&["-i", ws.out("feeds.opml").to_str().unwrap()]);
    assert!(
        out.status.success(),
        "import: {}{}",
        stderr(&out),
        String::from_utf8_lossy(&out.stdout)
    );
    let imported = std::fs::read_to_string(&urls).unwrap();
    assert_eq!(
        imported.lines().filter(|l| l.starts_with("http")).count(),
        2,
        "{imported}"
    );
    let out = newsboat(&["-x", "reload"]);
    assert!(
        out.status.success(),
        "reload: {}{}",
        stderr(&out),
        String::from_utf8_lossy(&out.stdout)
    );
    let db = rusqlite::Connection::open(&cache).unwrap();
    let mut stmt = db
        .prepare("SELECT f.title, COUNT(i.id) FROM rss_feed f JOIN rss_item i ON i.feedurl = f.rssurl GROUP BY f.rssurl ORDER BY f.title")
        .unwrap();
    let rows: Vec<(String, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(
        rows,
        vec![
            ("The Tokyo Ledger".to_string(), 4),
            ("The Tokyo Ledger (Atom only)".to_string(), 4)
        ]
    );
    let titles: Vec<String> = db
        .prepare("SELECT title FROM rss_item ORDER BY pubDate DESC, title")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert!(
        titles.contains(&"Strong quake shakes northern Japan, no tsunami warning".to_string()),
        "{titles:?}"
    );
}
