//! The whole pipeline against the demo site served over HTTP.

use chrono::{DateTime, Utc};

use crate::helpers::{demo_dir, read_feed, stderr, Workspace};
use crate::server::{Reply, Server};

struct Expected {
    title: &'static str,
    link: &'static str,
    authors: &'static [&'static str],
    published: &'static str,
    summary: &'static str,
}

/// What a careful reader would put in the feed for the demo's four articles, newest
/// first.
const DEMO: [Expected; 4] = [
    Expected {
        title: "Strong quake shakes northern Japan, no tsunami warning",
        link: "https://www.tokyo-ledger.example/2025/12/22/quake-north/",
        authors: &["Aiko Sato", "Ken Watanabe"],
        published: "2025-12-22T01:15:00Z",
        summary: "A magnitude 6.1 earthquake struck off Aomori early Monday; trains were halted but no damage was reported.",
    },
    Expected {
        title: "Yen slides as exporters cheer",
        link: "https://www.tokyo-ledger.example/2025/12/21/yen-slides/",
        authors: &["Mariko Tanaka"],
        published: "2025-12-21T07:05:00Z",
        summary: "The yen fell to its weakest level in five months against the dollar, lifting shares of carmakers and electronics firms.",
    },
    Expected {
        title: "Winter illuminations draw record crowds to Roppongi",
        link: "https://www.tokyo-ledger.example/culture/winter-lights/",
        authors: &["David Brown"],
        published: "2025-12-20T09:30:00Z",
        summary: "More than 400,000 people have visited the winter illuminations in Roppongi since they opened last month, organisers said on Saturday, a record for the annual event.",
    },
    Expected {
        title: "Robot-staffed cafe opens in Nihonbashi",
        link: "https://www.tokyo-ledger.example/tech/robot-cafe/",
        authors: &["Yuki Mori"],
        published: "2025-12-18T22:00:00Z",
        summary: "A cafe where remotely operated robots take orders and carry drinks opened in Tokyo's Nihonbashi district on Friday, giving work to people who cannot easily leave their homes.",
    },
];

fn demo_config(listing: &str, extra: &str) -> String {
    format!(
        "[settings]\nper_host_delay = \"0s\"\ninterval = \"0s\"\nbase_url = \"https://feeds.example.org/pub\"\n\n\
         [[feed]]\nid = \"ledger\"\nurl = \"{listing}\"\ntimezone = \"Asia/Tokyo\"\n{extra}"
    )
}

fn check_items(feed: &feed_rs::model::Feed, format: &str) {
    assert_eq!(feed.entries.len(), DEMO.len(), "{format}: item count");
    for (e, want) in feed.entries.iter().zip(DEMO.iter()) {
        let ctx = format!("{format}: {}", want.link);
        assert_eq!(
            e.title.as_ref().map(|t| t.content.as_str()),
            Some(want.title),
            "{ctx}"
        );
        assert_eq!(
            e.links.first().map(|l| l.href.as_str()),
            Some(want.link),
            "{ctx}"
        );
        assert_eq!(e.id, want.link, "{ctx}: guid is the canonical URL");
        let authors: Vec<&str> = e.authors.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(authors, want.authors, "{ctx}");
        let published: DateTime<Utc> = want.published.parse().unwrap();
        assert_eq!(e.published, Some(published), "{ctx}");
        assert_eq!(
            e.summary.as_ref().map(|s| s.content.as_str()),
            Some(want.summary),
            "{ctx}"
        );
    }
}

#[test]
fn demo_site_over_http_gives_exact_items_in_all_three_formats() {
    let server = Server::files(&demo_dir());
    let ws = Workspace::new(&demo_config(&server.url("/index.html"), ""));
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "run failed: {}", stderr(&out));
    assert_eq!(
        ws.files(),
        [
            "feeds.opml",
            "index.html",
            "ledger.atom.xml",
            "ledger.json",
            "ledger.rss.xml"
        ]
    );
    for (file, format) in [
        ("ledger.rss.xml", "rss"),
        ("ledger.atom.xml", "atom"),
        ("ledger.json", "json"),
    ] {
        let feed = read_feed(&ws.out(file));
        check_items(&feed, format);
        assert_eq!(
            feed.title.as_ref().map(|t| t.content.as_str()),
            Some("The Tokyo Ledger"),
            "{format}: the listing's site name is the feed title"
        );
    }
    let rss = std::fs::read_to_string(ws.out("ledger.rss.xml")).unwrap();
    assert!(rss.contains(
        r#"<atom:link href="https://feeds.example.org/pub/ledger.rss.xml" rel="self" type="application/rss+xml"/>"#
    ));
    assert!(rss.contains("<dc:creator>Aiko Sato</dc:creator>"));
    assert!(rss.contains("<pubDate>Mon, 22 Dec 2025 10:15:00 +0900</pubDate>"));
    assert!(
        rss.contains(r#"<guid>https://www.tokyo-ledger.example/2025/12/22/quake-north/</guid>"#)
    );
    let atom = std::fs::read_to_string(ws.out("ledger.atom.xml")).unwrap();
    assert!(
        atom.contains(r#"<link href="https://feeds.example.org/pub/ledger.atom.xml" rel="self""#)
    );
    // A comment's "Today 06:42 am JST" or its user name never reaches an item.
    assert!(!rss.contains("sakura_fan") && !rss.contains("night_owl"));
}

#[test]
fn only_the_listed_formats_are_written() {
    let server = Server::files(&demo_dir());
    let ws = Workspace::new(&demo_config(
        &server.url("/index.html"),
        "formats = [\"atom\"]\n",
    ));
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(ws.files(), ["feeds.opml", "index.html", "ledger.atom.xml"]);
    check_items(&read_feed(&ws.out("ledger.atom.xml")), "atom");
}

#[test]
fn without_follow_items_come_from_the_listing_with_selectors() {
    let server = Server::files(&demo_dir());
    let extra = "follow = false\n[feed.items]\nselector = \"main article\"\ntitle = \"h2, h3\"\n\
                 link = \"a@href\"\ndate = \"time@datetime\"\nsummary = \".teaser\"\n";
    let ws = Workspace::new(&demo_config(&server.url("/index.html"), extra));
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        server.hits("/articles/"),
        0,
        "follow = false fetches no article"
    );
    let feed = read_feed(&ws.out("ledger.json"));
    let got: Vec<(String, Option<DateTime<Utc>>)> = feed
        .entries
        .iter()
        .map(|e| (e.links[0].href.clone(), e.published))
        .collect();
    let base = server.url("/articles/");
    let links: Vec<&str> = got.iter().map(|(l, _)| l.as_str()).collect();
    // Undated items carry the time they were first seen, so they come first, in the
    // listing's order; dated ones follow by date.
    assert_eq!(
        links,
        [
            format!("{base}winter-lights.html"),
            format!("{base}robot-cafe.html"),
            format!("{base}quake-north.html"),
            format!("{base}yen-slides.html"),
        ]
    );
    assert_eq!(got[2].1, Some("2025-12-22T01:15:00Z".parse().unwrap()));
    assert_eq!(got[3].1, Some("2025-12-21T07:05:00Z".parse().unwrap()));
    let run_time = Utc::now();
    for (link, first_seen) in &got[..2] {
        let age = run_time - first_seen.expect("undated items get their first sighting");
        assert!(
            age.num_seconds() >= 0 && age.num_seconds() < 120,
            "{link}: {age}"
        );
    }
    let summary_of = |suffix: &str| {
        feed.entries
            .iter()
            .find(|e| e.links[0].href.ends_with(suffix))
            .and_then(|e| e.summary.as_ref().map(|s| s.content.clone()))
    };
    assert_eq!(
        summary_of("quake-north.html").as_deref(),
        Some("A magnitude 6.1 earthquake struck off Aomori early Monday.")
    );
}

#[test]
fn an_item_whose_page_fails_is_published_from_the_listing() {
    let root = demo_dir();
    let server = Server::start(move |req| {
        if req.path.contains("yen-slides") {
            return Reply::status(500);
        }
        let rel = req.path.trim_start_matches('/');
        match std::fs::read(root.join(rel)) {
            Ok(b) => Reply::html(b),
            Err(_) => Reply::status(404),
        }
    });
    let ws = Workspace::new(&demo_config(&server.url("/index.html"), ""));
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let feed = read_feed(&ws.out("ledger.atom.xml"));
    assert_eq!(feed.entries.len(), 4);
    let yen = feed
        .entries
        .iter()
        .find(|e| e.links[0].href.ends_with("/articles/yen-slides.html"))
        .expect("the failed item is still there, with its listing link");
    assert_eq!(
        yen.title.as_ref().unwrap().content,
        "Yen slides as exporters cheer"
    );
    assert_eq!(yen.published, Some("2025-12-21T07:05:00Z".parse().unwrap()));
    assert!(
        stderr(&out).contains("yen-slides.html: HTTP 500"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn one_failing_feed_keeps_its_files_and_the_others_are_published() {
    let server = Server::files(&demo_dir());
    let good = server.url("/index.html");
    let bad = server.url("/missing.html");
    let config = format!(
        "[settings]\nper_host_delay = \"0s\"\ninterval = \"0s\"\n\n[[feed]]\nid = \"good\"\nurl = \"{good}\"\n\n\
         [[feed]]\nid = \"bad\"\nurl = \"{bad}\"\n"
    );
    let ws = Workspace::new(&config);
    std::fs::create_dir_all(ws.out("")).unwrap();
    let old = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>old</title><link>http://x/</link><description>d</description></channel></rss>\n";
    std::fs::write(ws.out("bad.rss.xml"), old).unwrap();
    let out = ws.run(&["run"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("feed `bad`"), "{err}");
    assert!(err.contains(&format!("{bad}: HTTP 404")), "{err}");
    assert_eq!(std::fs::read_to_string(ws.out("bad.rss.xml")).unwrap(), old);
    assert!(!ws.out("bad.atom.xml").exists());
    assert_eq!(read_feed(&ws.out("good.rss.xml")).entries.len(), 4);
}

#[test]
fn a_second_run_with_nothing_changed_rewrites_no_file() {
    let server = Server::files(&demo_dir());
    let ws = Workspace::new(&demo_config(&server.url("/index.html"), ""));
    assert!(ws.run(&["run"]).status.success());
    let mtime = |f: &str| std::fs::metadata(ws.out(f)).unwrap().modified().unwrap();
    let before: Vec<_> = ["ledger.rss.xml", "ledger.atom.xml", "ledger.json"]
        .map(mtime)
        .into();
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert!(ws.run(&["run"]).status.success());
    let after: Vec<_> = ["ledger.rss.xml", "ledger.atom.xml", "ledger.json"]
        .map(mtime)
        .into();
    assert_eq!(before, after);
}

#[test]
fn the_bundled_demo_config_runs_offline() {
    // config/demo.toml, with its output redirected to a temp folder.
    let demo =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config/demo.toml")).unwrap();
    let ws = Workspace::new("");
    let listing = demo_dir().join("index.html");
    let text = demo
        .replace("output_dir = \"../feeds\"", "output_dir = \"feeds\"")
        .replace(
            "../tests/fixtures/demo/index.html",
            listing.to_str().unwrap(),
        );
    std::fs::write(ws.config(), text).unwrap();
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let feed = read_feed(&ws.out("tokyo-ledger.rss.xml"));
    check_items(&feed, "rss");
    assert_eq!(
        feed.links.first().map(|l| l.href.as_str()),
        Some("https://www.tokyo-ledger.example/latest/"),
        "a listing read from disk is linked by its canonical URL"
    );
}

#[test]
fn content_full_publishes_the_article_body_without_boilerplate() {
    let server = Server::files(&demo_dir());
    let ws = Workspace::new(&demo_config(
        &server.url("/index.html"),
        "content = \"full\"\n",
    ));
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for file in ["ledger.rss.xml", "ledger.atom.xml", "ledger.json"] {
        let feed = read_feed(&ws.out(file));
        let quake = feed
            .entries
            .iter()
            .find(|e| e.id.ends_with("/quake-north/"))
            .expect("quake item");
        let body = quake
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .unwrap_or_else(|| panic!("{file}: no content"));
        assert!(
            body.contains("halting bullet trains for several hours"),
            "{file}: {body}"
        );
        assert!(body.contains("It woke the whole house"), "{file}: {body}");
        assert!(
            body.contains(&server.url("/articles/img/quake.jpg")),
            "{file}: image made absolute: {body}"
        );
        for boilerplate in [
            "Glad everyone is safe",
            "Share on X",
            "All rights reserved",
            "Most read",
        ] {
            assert!(
                !body.contains(boilerplate),
                "{file}: {boilerplate:?} leaked: {body}"
            );
        }
        assert!(!body.contains("<script"), "{file}");
    }
    // Without the option, no content is published.
    let ws = Workspace::new(&demo_config(&server.url("/index.html"), ""));
    assert!(ws.run(&["run"]).status.success());
    let feed = read_feed(&ws.out("ledger.atom.xml"));
    assert!(feed.entries.iter().all(|e| e.content.is_none()));
}
