//! Item sources other than one HTML page (issue 4): sitemaps, sitemap indexes, existing
//! feeds, pagination over several listing pages, and `pagefeed check`.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::helpers::{pagefeed, read_feed, stderr, stdout, Workspace};
use crate::server::{Reply, Server};

/// A site: path → (content type, body); anything else is a 404.
fn site(routes: Vec<(String, &'static str, String)>) -> Server {
    let routes: Arc<HashMap<String, (&'static str, String)>> =
        Arc::new(routes.into_iter().map(|(p, t, b)| (p, (t, b))).collect());
    Server::start(move |req| match routes.get(req.path.as_str()) {
        Some((ty, body)) => Reply::Full {
            status: 200,
            headers: vec![("Content-Type".into(), ty.to_string())],
            body: body.clone().into_bytes(),
        },
        None => Reply::status(404),
    })
}

const HTML: &str = "text/html; charset=utf-8";
const XML: &str = "application/xml";

/// An article page the extractor reads exactly.
fn article(title: &str, author: &str, date: &str, summary: &str) -> String {
    format!(
        r#"<!doctype html><html lang="en"><head><title>{title} | The Harbour Post</title>
<meta property="og:title" content="{title}">
<meta name="author" content="{author}">
<meta property="article:published_time" content="{date}">
<meta name="description" content="{summary}">
</head><body><article><h1>{title}</h1><p class="byline">By {author}</p>
<p>Body text of the article, long enough to count as a paragraph of real content for the extractor.</p>
</article></body></html>"#
    )
}

fn config(url: &str, extra: &str) -> String {
    format!(
        "[settings]\nper_host_delay = \"0s\"\ninterval = \"0s\"\n\n\
         [[feed]]\nid = \"news\"\nurl = \"{url}\"\n{extra}"
    )
}

fn titles_links_dates(feed: &feed_rs::model::Feed) -> Vec<(String, String, Option<DateTime<Utc>>)> {
    feed.entries
        .iter()
        .map(|e| {
            (
                e.title
                    .as_ref()
                    .map(|t| t.content.clone())
                    .unwrap_or_default(),
                e.links.first().map(|l| l.href.clone()).unwrap_or_default(),
                e.published,
            )
        })
        .collect()
}

fn utc(s: &str) -> Option<DateTime<Utc>> {
    Some(s.parse().expect("test date"))
}

// ---- sitemaps -------------------------------------------------------------------

#[test]
fn news_sitemap_gives_newest_first_with_news_titles_and_dates() {
    // Document order is not date order; one entry is undated and one is an image
    // extension whose <image:loc>/<image:title> must not become an item.
    let server = site(vec![(
        "/news-sitemap.xml".into(),
        XML,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
 <url><loc>https://harbour.example/about</loc></url>
 <url><loc>https://harbour.example/2026/01/10/ferry</loc>
  <news:news><news:publication><news:name>Harbour Post</news:name><news:language>en</news:language></news:publication>
   <news:publication_date>2026-01-10T08:00:00+01:00</news:publication_date><news:title>Ferry timetable changes</news:title></news:news></url>
 <url><loc>https://harbour.example/2026/01/12/storm</loc>
  <image:image><image:loc>https://cdn.harbour.example/storm.jpg</image:loc><image:title>Waves</image:title></image:image>
  <news:news><news:publication><news:name>Harbour Post</news:name><news:language>en</news:language></news:publication>
   <news:publication_date>2026-01-12T18:30:00Z</news:publication_date><news:title>Storm closes the pier &amp; the beach</news:title></news:news></url>
 <url><loc>https://harbour.example/2026/01/11/market</loc>
  <news:news><news:publication><news:name>Harbour Post</news:name><news:language>en</news:language></news:publication>
   <news:publication_date>2026-01-11</news:publication_date><news:title>Fish market reopens</news:title></news:news></url>
</urlset>"#
            .into(),
    )]);
    let ws = Workspace::new(&config(
        &server.url("/news-sitemap.xml"),
        "source = \"sitemap\"\nfollow = false\nmax_items = 3\n",
    ));
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for file in ["news.rss.xml", "news.atom.xml", "news.json"] {
        let feed = read_feed(&ws.out(file));
        assert_eq!(
            titles_links_dates(&feed),
            [
                (
                    "Storm closes the pier & the beach".to_string(),
                    "https://harbour.example/2026/01/12/storm".to_string(),
                    utc("2026-01-12T18:30:00Z")
                ),
                (
                    "Fish market reopens".to_string(),
                    "https://harbour.example/2026/01/11/market".to_string(),
                    utc("2026-01-11T00:00:00Z")
                ),
                (
                    "Ferry timetable changes".to_string(),
                    "https://harbour.example/2026/01/10/ferry".to_string(),
                    utc("2026-01-10T07:00:00Z")
                ),
            ],
            "{file}"
        );
        // The feed's home is the site, not the sitemap.
        assert_eq!(
            feed.links.first().map(|l| l.href.as_str()),
            Some(server.url("/").as_str()),
            "{file}"
        );
    }
}

#[test]
fn plain_sitemap_items_are_followed_and_take_titles_from_their_pages() {
    let mut routes = vec![(
        "/sitemap.xml".to_string(),
        XML,
        String::new(), // filled below, needs the server's port
    )];
    for (slug, title, date) in [
        ("old", "An older story", "2026-01-02T10:00:00Z"),
        ("new", "The newest story", "2026-01-05T10:00:00Z"),
    ] {
        routes.push((
            format!("/p/{slug}"),
            HTML,
            article(
                title,
                "Jane Doe",
                date,
                "A summary of the story, from its own page.",
            ),
        ));
    }
    // Relative <loc>s resolve against the sitemap, so the port need not be known.
    routes[0].2 = r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>/p/old</loc><lastmod>2026-01-02</lastmod></url>
<url><loc>/p/new</loc><lastmod>2026-01-05</lastmod></url>
</urlset>"#
        .into();
    let server = site(routes);
    let ws = Workspace::new(&config(
        &server.url("/sitemap.xml"),
        "source = \"sitemap\"\n",
    ));
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let feed = read_feed(&ws.out("news.json"));
    assert_eq!(
        titles_links_dates(&feed),
        [
            (
                "The newest story".to_string(),
                server.url("/p/new"),
                utc("2026-01-05T10:00:00Z")
            ),
            (
                "An older story".to_string(),
                server.url("/p/old"),
                utc("2026-01-02T10:00:00Z")
            ),
        ]
    );
    assert_eq!(feed.entries[0].authors[0].name, "Jane Doe");
}

#[test]
fn sitemap_index_is_followed_one_level_newest_children_first() {
    // Seven children: the five newest are read; the two oldest and the grandchildren
    // of a nested index are never requested.
    let mut routes = Vec::new();
    let mut index =
        String::from(r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">"#);
    for day in 1..=7 {
        index.push_str(&format!(
            "<sitemap><loc>/sm/{day}.xml</loc><lastmod>2026-01-0{day}</lastmod></sitemap>"
        ));
        let body = if day == 7 {
            // The newest child is itself an index: skipped (one level only).
            r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>/deeper.xml</loc></sitemap></sitemapindex>"#.to_string()
        } else {
            format!(
                r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>/a/{day}-morning</loc><news:news><news:publication_date>2026-01-0{day}T08:00:00Z</news:publication_date><news:title>Morning of day {day}</news:title></news:news></url>
<url><loc>/a/{day}-evening</loc><news:news><news:publication_date>2026-01-0{day}T20:00:00Z</news:publication_date><news:title>Evening of day {day}</news:title></news:news></url>
</urlset>"#
            )
        };
        routes.push((format!("/sm/{day}.xml"), XML, body));
    }
    index.push_str("</sitemapindex>");
    routes.push(("/sitemap_index.xml".into(), XML, index));
    let server = site(routes);
    let ws = Workspace::new(&config(
        &server.url("/sitemap_index.xml"),
        "source = \"sitemap\"\nfollow = false\nmax_items = 5\n",
    ));
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for day in 3..=7 {
        assert_eq!(
            server.hits(&format!("/sm/{day}.xml")),
            1,
            "child {day} read"
        );
    }
    assert_eq!(server.hits("/sm/1.xml") + server.hits("/sm/2.xml"), 0);
    assert_eq!(server.hits("/deeper.xml"), 0, "one level only");
    assert!(stderr(&out).is_empty() || !stderr(&out).contains("error"));
    let feed = read_feed(&ws.out("news.rss.xml"));
    let titles: Vec<String> = titles_links_dates(&feed).into_iter().map(|t| t.0).collect();
    assert_eq!(
        titles,
        [
            "Evening of day 6",
            "Morning of day 6",
            "Evening of day 5",
            "Morning of day 5",
            "Evening of day 4"
        ]
    );
}

#[test]
fn oversized_sitemap_is_refused_with_a_message() {
    let mut body = String::from(r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">"#);
    for i in 0..100 {
        body.push_str(&format!(
            "<url><loc>/page/{i}</loc><lastmod>2026-01-01</lastmod></url>\n"
        ));
    }
    body.push_str("</urlset>");
    assert!(body.len() > 2000);
    let server = site(vec![("/sitemap.xml".into(), XML, body)]);
    let ws = Workspace::new(&config(
        &server.url("/sitemap.xml"),
        "source = \"sitemap\"\nfollow = false\nmax_body_size = 2000\n",
    ));
    let out = ws.run(&["run"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let want = format!(
        "sitemap {} is larger than max_body_size (2000 bytes); raise max_body_size or use a smaller sitemap",
        server.url("/sitemap.xml")
    );
    assert!(err.contains(&want), "expected {want:?} in: {err}");
    assert!(
        !ws.out("news.rss.xml").exists(),
        "no feed from half a sitemap"
    );
}

// ---- existing feeds -------------------------------------------------------------

/// An RSS feed whose items carry a useless teaser; their pages carry the real summary.
fn feed_site() -> Server {
    let rss = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>Harbour Post</title><link>https://harbour.example/</link><description>Local news</description>
<item><title>Storm closes the pier</title><link>/a/storm?utm_source=rss</link>
 <pubDate>Mon, 12 Jan 2026 18:30:00 +0000</pubDate><dc:creator>Jane Doe</dc:creator>
 <description>Read more…</description></item>
<item><title>Fish market reopens</title><link>/a/market</link>
 <pubDate>Sun, 11 Jan 2026 09:00:00 +0100</pubDate><author>ken@harbour.example (Ken Sato)</author>
 <description>Read more…</description></item>
<item><title>Ferry timetable changes</title><link>/a/ferry</link>
 <pubDate>Sat, 10 Jan 2026 07:00:00 +0000</pubDate><dc:creator>Mia Berg</dc:creator>
 <description>Read more…</description></item>
</channel></rss>"#;
    let mut routes = vec![(
        "/feed.xml".to_string(),
        "application/rss+xml",
        rss.to_string(),
    )];
    for (slug, title, date) in [
        ("storm", "Storm closes the pier", "2026-01-12T18:30:00Z"),
        ("market", "Fish market reopens", "2026-01-11T08:00:00Z"),
        ("ferry", "Ferry timetable changes", "2026-01-10T07:00:00Z"),
    ] {
        routes.push((
            format!("/a/{slug}"),
            HTML,
            // The page names another author: the feed's declared author wins.
            article(
                title,
                "Desk Editor",
                date,
                &format!("The full story of {}, told by the page itself.", slug),
            ),
        ));
    }
    site(routes)
}

#[test]
fn feed_source_items_are_followed_and_enriched() {
    let server = feed_site();
    let ws = Workspace::new(&config(&server.url("/feed.xml"), "source = \"feed\"\n"));
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for slug in ["storm", "market", "ferry"] {
        assert_eq!(server.hits(&format!("/a/{slug}")), 1, "{slug} followed");
    }
    for file in ["news.rss.xml", "news.atom.xml", "news.json"] {
        let feed = read_feed(&ws.out(file));
        assert_eq!(
            titles_links_dates(&feed),
            [
                (
                    "Storm closes the pier".to_string(),
                    server.url("/a/storm"),
                    utc("2026-01-12T18:30:00Z")
                ),
                (
                    "Fish market reopens".to_string(),
                    server.url("/a/market"),
                    utc("2026-01-11T08:00:00Z")
                ),
                (
                    "Ferry timetable changes".to_string(),
                    server.url("/a/ferry"),
                    utc("2026-01-10T07:00:00Z")
                ),
            ],
            "{file}"
        );
        let authors: Vec<String> = feed
            .entries
            .iter()
            .map(|e| {
                e.authors
                    .first()
                    .map(|a| a.name.clone())
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(authors, ["Jane Doe", "Ken Sato", "Mia Berg"], "{file}");
        let summaries: Vec<String> = feed
            .entries
            .iter()
            .map(|e| {
                e.summary
                    .as_ref()
                    .map(|s| s.content.clone())
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(
            summaries[0], "The full story of storm, told by the page itself.",
            "{file}: the page's summary replaces the teaser"
        );
        assert_eq!(
            feed.title.as_ref().map(|t| t.content.as_str()),
            Some("Harbour Post"),
            "{file}"
        );
    }
}

// ---- pagination -----------------------------------------------------------------

const POSTS_PER_PAGE: usize = 3;
const BLOG_PAGES: usize = 4;

fn post_title(k: usize) -> String {
    format!("Harbour diary, entry number {k}")
}

/// Post `k` is dated day `28 - k`, so page order is newest first.
fn post_date(k: usize) -> String {
    format!("2026-01-{:02}T09:00:00Z", 28 - k)
}

/// A blog index page; `rel_next` marks the next link with `rel="next"`, else only its
/// text says "Older posts »".
fn blog_page(n: usize, rel_next: bool) -> String {
    let mut posts = String::new();
    for k in (n - 1) * POSTS_PER_PAGE + 1..=n * POSTS_PER_PAGE {
        posts.push_str(&format!(
            r#"<article class="post"><h2><a href="/blog/post-{k}/">{}</a></h2>
<time datetime="{}">{}</time>
<p>Notes from the harbour for entry {k}: boats, weather, and who caught what this week.</p></article>
"#,
            post_title(k),
            post_date(k),
            &post_date(k)[..10],
        ));
    }
    let next = if n < BLOG_PAGES {
        let rel = if rel_next { r#" rel="next""# } else { "" };
        format!(r#"<a href="/blog/page/{}/"{rel}>Older posts »</a>"#, n + 1)
    } else {
        String::new()
    };
    let prev = if n > 1 {
        r#"<a href="/blog/">« Newer posts</a>"#
    } else {
        ""
    };
    format!(
        r#"<!doctype html><html lang="en"><head><title>Harbour Diary</title>
<link rel="alternate" type="application/rss+xml" title="Harbour Diary" href="/feed.xml">
</head><body>
<header><nav><a href="/">Home</a> <a href="/about/">About</a> <a href="/contact/">Contact</a></nav></header>
<main>{posts}<div class="pagination">{prev} {next}</div></main>
<footer><a href="/privacy/">Privacy</a></footer></body></html>"#
    )
}

fn blog_site(rel_next: bool) -> Server {
    let mut routes = vec![("/blog/".to_string(), HTML, blog_page(1, rel_next))];
    for n in 2..=BLOG_PAGES {
        routes.push((format!("/blog/page/{n}/"), HTML, blog_page(n, rel_next)));
    }
    for k in 1..=BLOG_PAGES * POSTS_PER_PAGE {
        routes.push((
            format!("/blog/post-{k}/"),
            HTML,
            article(
                &post_title(k),
                "Mia Berg",
                &post_date(k),
                &format!("Notes from the harbour for entry {k}."),
            ),
        ));
    }
    site(routes)
}

fn assert_blog_feed(ws: &Workspace, server: &Server, posts: usize) {
    let feed = read_feed(&ws.out("news.json"));
    let want: Vec<(String, String, Option<DateTime<Utc>>)> = (1..=posts)
        .map(|k| {
            (
                post_title(k),
                server.url(&format!("/blog/post-{k}/")),
                utc(&post_date(k)),
            )
        })
        .collect();
    assert_eq!(titles_links_dates(&feed), want);
}

#[test]
fn pagination_follows_rel_next_up_to_pages() {
    let server = blog_site(true);
    let ws = Workspace::new(&config(
        &server.url("/blog/"),
        "pages = 3\nfollow = false\n",
    ));
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_blog_feed(&ws, &server, 3 * POSTS_PER_PAGE);
    assert_eq!(server.hits("/blog/page/2/"), 1);
    assert_eq!(server.hits("/blog/page/3/"), 1);
    assert_eq!(server.hits("/blog/page/4/"), 0, "stops at pages = 3");
}

#[test]
fn pagination_follows_an_older_posts_text_link() {
    let server = blog_site(false);
    let ws = Workspace::new(&config(
        &server.url("/blog/"),
        "pages = 3\nfollow = false\n",
    ));
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_blog_feed(&ws, &server, 3 * POSTS_PER_PAGE);
    assert_eq!(server.hits("/blog/page/4/"), 0);
}

#[test]
fn pages_default_of_one_reads_only_the_first_page() {
    let server = blog_site(true);
    let ws = Workspace::new(&config(&server.url("/blog/"), "follow = false\n"));
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_blog_feed(&ws, &server, POSTS_PER_PAGE);
    assert_eq!(server.hits("/blog/page/"), 0);
}

#[test]
fn pagination_stops_at_the_last_page() {
    let server = blog_site(true);
    let ws = Workspace::new(&config(
        &server.url("/blog/"),
        "pages = 10\nfollow = false\nmax_items = 100\n",
    ));
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_blog_feed(&ws, &server, BLOG_PAGES * POSTS_PER_PAGE);
    // Each page once: the "Newer posts" links back to page 1 are never taken.
    let first_page = server
        .requests()
        .iter()
        .filter(|r| r.path == "/blog/")
        .count();
    assert_eq!(first_page, 1);
    for n in 2..=BLOG_PAGES {
        assert_eq!(server.hits(&format!("/blog/page/{n}/")), 1);
    }
}

// ---- pagefeed check -------------------------------------------------------------

#[test]
fn check_url_prints_the_table_method_and_advertised_feed() {
    let server = blog_site(true);
    let cwd = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pagefeed"))
        .args(["check", &server.url("/blog/"), "--pages", "2"])
        .current_dir(cwd.path())
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}\n{}", stderr(&out));
    assert!(text.contains("found 6 items with auto"), "{text}");
    assert!(text.contains("over 2 pages"), "{text}");
    assert!(text.contains("item pages: 6 extracted, 0 failed"), "{text}");
    let header = text
        .lines()
        .find(|l| l.starts_with("TITLE"))
        .unwrap_or_else(|| panic!("no header: {text}"));
    for col in ["DATE (UTC)", "AUTHOR", "LINK"] {
        assert!(header.contains(col), "{header}");
    }
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("Harbour diary"))
        .collect();
    assert_eq!(rows.len(), 6, "{text}");
    for (k, row) in (1..=6).zip(&rows) {
        assert!(row.starts_with(&post_title(k)), "{row}");
        assert!(row.contains(&post_date(k)[..10]), "{row}");
        assert!(row.contains(" 09:00 "), "{row}");
        assert!(row.contains("Mia Berg"), "{row}");
        assert!(
            row.ends_with(&server.url(&format!("/blog/post-{k}/"))),
            "{row}"
        );
    }
    assert!(
        text.contains(&format!(
            "this page advertises a feed: {} — consider `source = \"feed\"` or subscribing to it directly",
            server.url("/feed.xml")
        )),
        "{text}"
    );
    assert_eq!(server.hits("/blog/page/3/"), 0);
    assert_eq!(
        std::fs::read_dir(cwd.path()).unwrap().count(),
        0,
        "check writes nothing"
    );
}

#[test]
fn check_feed_id_uses_that_feeds_config() {
    let server = feed_site();
    let ws = Workspace::new(&config(&server.url("/feed.xml"), "source = \"feed\"\n"));
    let out = ws.run(&["check", "news"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}\n{}", stderr(&out));
    assert!(
        text.contains("found 3 items with feed: RSS 2.0 (3 items)"),
        "{text}"
    );
    for (title, author) in [
        ("Storm closes the pier", "Jane Doe"),
        ("Fish market reopens", "Ken Sato"),
        ("Ferry timetable changes", "Mia Berg"),
    ] {
        let row = text
            .lines()
            .find(|l| l.starts_with(title))
            .unwrap_or_else(|| panic!("no row for {title}: {text}"));
        assert!(row.contains(author), "{row}");
    }
    assert!(!text.contains("advertises"), "{text}");
    assert!(ws.files().is_empty(), "check writes no feed files");
    assert!(
        !ws.dir.path().join("feeds").exists(),
        "nor the state file or output folder"
    );
}

#[test]
fn check_on_a_page_without_a_list_exits_2_and_shows_candidate_blocks() {
    let page = article(
        "A single article",
        "Jane Doe",
        "2026-01-10T08:00:00Z",
        "Nothing here is a list.",
    )
    .replace(
        "<article>",
        r#"<nav><a href="/">Home</a> <a href="/news/">News</a></nav><article>"#,
    );
    let server = site(vec![("/story".into(), HTML, page)]);
    let url = server.url("/story");
    let out = pagefeed(&["check", &url]);
    let (text, err) = (stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(2), "{text}\n{err}");
    assert!(
        err.contains(&format!(
            "no repeated items found on {url}; add [feed.items] selectors"
        )),
        "{err}"
    );
    assert!(
        text.contains(&format!("candidate blocks on {url}")),
        "{text}"
    );
}

#[test]
fn check_unknown_feed_id_is_a_config_error() {
    let ws = Workspace::new(&config("https://example.com/", ""));
    let out = ws.run(&["check", "nosuch"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("\"nosuch\" is neither a URL nor a feed id"));
}

#[test]
fn gzipped_sitemap_file_is_unpacked() {
    use std::io::Write;
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
 <url><loc>https://harbour.example/2026/01/10/ferry</loc><lastmod>2026-01-10</lastmod></url>
 <url><loc>https://harbour.example/2026/01/12/storm</loc><lastmod>2026-01-12</lastmod></url>
</urlset>"#;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(xml.as_bytes()).unwrap();
    let body = gz.finish().unwrap();
    let server = Server::start(move |req| {
        if req.path == "/sitemap.xml.gz" {
            return Reply::Full {
                status: 200,
                headers: vec![("Content-Type".into(), "application/x-gzip".into())],
                body: body.clone(),
            };
        }
        Reply::status(404)
    });
    let ws = Workspace::new(&config(
        &server.url("/sitemap.xml.gz"),
        "source = \"sitemap\"\nfollow = false\n",
    ));
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let feed = read_feed(&ws.out("news.atom.xml"));
    let links: Vec<&str> = feed
        .entries
        .iter()
        .map(|e| e.links[0].href.as_str())
        .collect();
    assert_eq!(
        links,
        [
            "https://harbour.example/2026/01/12/storm",
            "https://harbour.example/2026/01/10/ferry"
        ]
    );
}
