//! Issue 14: items as rich as a publisher's own feed. Images, categories, language,
//! updates and audio/video enclosures (with a length from one HEAD request) in all
//! three formats, read back with feed-rs; a podcast listing; lazy card images; a source
//! feed's own media; and per-feed filters and rewrites.

use std::path::Path;

use crate::helpers::{entry_titles, read_feed, stderr, stdout, Workspace};
use crate::server::{Reply, Server};

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/items")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A file of `len` bytes, as a media host answers HEAD and GET for it.
fn media(mime: &str, len: usize) -> Reply {
    Reply::Full {
        status: 200,
        headers: vec![("Content-Type".into(), mime.into())],
        body: vec![0; len],
    }
}

/// The Harbour Gazette: a listing and three articles, each carrying its media in
/// another way, and the media files themselves (the MP4 refuses HEAD).
fn gazette() -> Server {
    Server::start(|req| match req.path.as_str() {
        "/" | "/index.html" => Reply::html(fixture("index.html")),
        "/2026/02/ferry-timetable-changes" => Reply::html(fixture("ferry.html")),
        "/2026/02/lighthouse-restoration-video" => Reply::html(fixture("lighthouse.html")),
        "/2026/02/harbour-choir-interview" => {
            Reply::html(fixture("choir.html")).with_header("Content-Language", "en-GB")
        }
        "/audio/ferry-announcement.mp3" => media("audio/mpeg", 48_213),
        "/video/lens-timelapse.webm" => media("video/webm", 150_000),
        "/video/lens-timelapse.mp4" if req.method == "HEAD" => Reply::status(405),
        "/media/choir-interview.mp3" => media("audio/mpeg", 73_400),
        _ => Reply::status(404),
    })
}

/// A config of one feed `id` reading `url`, with `extra` keys after its `url`.
fn one_feed(id: &str, url: &str, extra: &str) -> String {
    format!(
        "[settings]\nper_host_delay = \"0s\"\n\n[[feed]]\nid = \"{id}\"\nurl = \"{url}\"\n{extra}"
    )
}

/// Runs one feed once; the run must succeed.
fn run_once(id: &str, url: &str, extra: &str) -> Workspace {
    let ws = Workspace::new(&one_feed(id, url, extra));
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    ws
}

fn config(site: &Server, extra: &str) -> String {
    one_feed("gazette", &site.url("/"), extra)
}

fn entry<'a>(f: &'a feed_rs::model::Feed, title: &str) -> &'a feed_rs::model::Entry {
    f.entries
        .iter()
        .find(|e| e.title.as_ref().is_some_and(|t| t.content == title))
        .unwrap_or_else(|| panic!("no entry {title:?} in {:?}", f.entries))
}

fn terms(e: &feed_rs::model::Entry) -> Vec<&str> {
    e.categories.iter().map(|c| c.term.as_str()).collect()
}

/// (url, type, length) of each audio/video file feed-rs reads from an entry: RSS
/// `<enclosure>` (media content), Atom `link rel="enclosure"`, JSON `attachments`.
fn enclosures(e: &feed_rs::model::Entry) -> Vec<(String, String, u64)> {
    let mut out: Vec<(String, String, u64)> = e
        .media
        .iter()
        .flat_map(|m| &m.content)
        .filter_map(|c| {
            let ty = c.content_type.as_ref()?.to_string();
            (ty.starts_with("audio/") || ty.starts_with("video/")).then(|| {
                (
                    c.url.as_ref().map(|u| u.to_string()).unwrap_or_default(),
                    ty,
                    c.size.unwrap_or(0),
                )
            })
        })
        .collect();
    out.extend(
        e.links
            .iter()
            .filter(|l| {
                l.rel.as_deref() == Some("enclosure")
                    || l.media_type
                        .as_deref()
                        .is_some_and(|t| t.starts_with("audio/") || t.starts_with("video/"))
            })
            .map(|l| {
                (
                    l.href.clone(),
                    l.media_type.clone().unwrap_or_default(),
                    l.length.unwrap_or(0),
                )
            }),
    );
    out
}

fn thumbnail(e: &feed_rs::model::Entry) -> Option<&str> {
    e.media
        .iter()
        .flat_map(|m| &m.thumbnails)
        .map(|t| t.image.uri.as_str())
        .next()
}

#[test]
fn images_categories_language_updates_and_enclosures_in_every_format() {
    let site = gazette();
    let ws = Workspace::new(&config(&site, ""));
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let url = |p: &str| site.url(p);
    let ferry_mp3 = || {
        [(
            url("/audio/ferry-announcement.mp3"),
            "audio/mpeg".to_string(),
            48_213,
        )]
    };

    // RSS 2.0: category, one enclosure, Media RSS thumbnail.
    let rss = read_feed(&ws.out("gazette.rss.xml"));
    let ferry = entry(&rss, "The ferry timetable changes in March");
    assert_eq!(terms(ferry), ["Transport", "Ferries", "Timetables"]);
    assert_eq!(enclosures(ferry), ferry_mp3());
    assert_eq!(
        thumbnail(ferry),
        Some("https://cdn.harbour.test/photos/ferry-at-dawn-1200.jpg")
    );
    let lens = entry(&rss, "Restoring the lighthouse lens");
    assert_eq!(
        terms(lens),
        [
            "Heritage",
            "Sea",
            "lighthouse",
            "glass",
            "restoration",
            "Craft"
        ]
    );
    // RSS carries one enclosure: the first.
    assert_eq!(
        enclosures(lens),
        [(
            url("/video/lens-timelapse.webm"),
            "video/webm".into(),
            150_000
        )]
    );
    assert_eq!(
        thumbnail(lens),
        Some("https://cdn.harbour.test/photos/lens-2000x1300.jpg")
    );
    let choir = entry(&rss, "The harbour choir sings again");
    assert_eq!(terms(choir), ["Music", "People"]);
    assert_eq!(
        thumbnail(choir),
        Some(url("/img/choir/rehearsal-wide.jpg").as_str())
    );
    assert_eq!(
        enclosures(choir),
        [(
            url("/media/choir-interview.mp3"),
            "audio/mpeg".into(),
            73_400
        )]
    );
    // The items' languages differ (en-GB, en-IE, en-GB): the channel names none.
    assert_eq!(rss.language, None);
    let raw = std::fs::read_to_string(ws.out("gazette.rss.xml")).unwrap();
    assert!(
        raw.contains("xmlns:media=\"http://search.yahoo.com/mrss/\""),
        "{raw}"
    );
    assert!(
        raw.contains("<media:content medium=\"image\" url=\"https://cdn.harbour.test/photos/ferry-at-dawn-1200.jpg\""),
        "{raw}"
    );

    // Atom: category term, every enclosure as link rel="enclosure", media:thumbnail,
    // updated from the page's modification time.
    let atom = read_feed(&ws.out("gazette.atom.xml"));
    let ferry = entry(&atom, "The ferry timetable changes in March");
    assert_eq!(terms(ferry), ["Transport", "Ferries", "Timetables"]);
    assert_eq!(
        ferry.updated.map(|d| d.to_rfc3339()).as_deref(),
        Some("2026-02-11T16:45:00+00:00")
    );
    assert_eq!(
        ferry.published.map(|d| d.to_rfc3339()).as_deref(),
        Some("2026-02-10T09:30:00+00:00")
    );
    assert_eq!(
        thumbnail(ferry),
        Some("https://cdn.harbour.test/photos/ferry-at-dawn-1200.jpg")
    );
    let lens = entry(&atom, "Restoring the lighthouse lens");
    assert_eq!(
        enclosures(lens),
        [
            (
                url("/video/lens-timelapse.webm"),
                "video/webm".into(),
                150_000
            ),
            // The HEAD request failed: length 0.
            (url("/video/lens-timelapse.mp4"), "video/mp4".into(), 0),
        ]
    );
    assert_eq!(
        lens.updated.map(|d| d.to_rfc3339()).as_deref(),
        Some("2026-02-09T08:15:00+00:00")
    );

    // JSON Feed 1.1: image, tags, attachments, language, date_modified.
    let json = read_feed(&ws.out("gazette.json"));
    let ferry = entry(&json, "The ferry timetable changes in March");
    assert_eq!(terms(ferry), ["Transport", "Ferries", "Timetables"]);
    assert_eq!(enclosures(ferry), ferry_mp3());
    assert_eq!(
        ferry.updated.map(|d| d.to_rfc3339()).as_deref(),
        Some("2026-02-11T16:45:00+00:00")
    );
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(ws.out("gazette.json")).unwrap()).unwrap();
    let item = |title: &str| {
        doc["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["title"] == title)
            .unwrap_or_else(|| panic!("no item {title}"))
            .clone()
    };
    let lens = item("Restoring the lighthouse lens");
    assert_eq!(
        lens["image"],
        "https://cdn.harbour.test/photos/lens-2000x1300.jpg"
    );
    assert_eq!(lens["language"], "en-IE");
    assert_eq!(lens["date_modified"], "2026-02-09T08:15:00+00:00");
    assert_eq!(
        lens["attachments"],
        serde_json::json!([
            {"url": url("/video/lens-timelapse.webm"), "mime_type": "video/webm", "size_in_bytes": 150000},
            {"url": url("/video/lens-timelapse.mp4"), "mime_type": "video/mp4"}
        ])
    );
    assert_eq!(item("The harbour choir sings again")["language"], "en-GB");
    assert_eq!(
        item("The ferry timetable changes in March")["language"],
        "en-GB"
    );
    assert!(doc.get("language").is_none(), "{doc}");
    // One HEAD per enclosure.
    let heads = |p: &str| {
        site.requests()
            .iter()
            .filter(|r| r.method == "HEAD" && r.path == p)
            .count()
    };
    for p in [
        "/audio/ferry-announcement.mp3",
        "/video/lens-timelapse.webm",
        "/video/lens-timelapse.mp4",
        "/media/choir-interview.mp3",
    ] {
        assert_eq!(heads(p), 1, "{p}");
    }
    assert_eq!(
        site.requests()
            .iter()
            .filter(|r| r.method == "GET" && r.path.ends_with(".mp3"))
            .count(),
        0
    );

    // A second run, with every item page extracted again (`refresh_after`), asks no
    // HEAD again, the failed one included, and keeps the lengths.
    std::fs::write(ws.config(), config(&site, "refresh_after = \"30days\"\n")).unwrap();
    let out = ws.run(&["run", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for p in [
        "/audio/ferry-announcement.mp3",
        "/video/lens-timelapse.webm",
        "/video/lens-timelapse.mp4",
    ] {
        assert_eq!(heads(p), 1, "{p} asked again");
    }
    assert_eq!(site.hits("/2026/02/ferry-timetable-changes"), 2);
    let atom = read_feed(&ws.out("gazette.atom.xml"));
    assert_eq!(
        enclosures(entry(&atom, "The ferry timetable changes in March")),
        ferry_mp3()
    );
}

#[test]
fn extract_json_prints_the_new_fields_and_explain_their_candidates() {
    let site = gazette();
    let page = site.url("/2026/02/lighthouse-restoration-video");
    let out = crate::helpers::pagefeed(&["extract", "--json", &page]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(
        v["image"],
        "https://cdn.harbour.test/photos/lens-2000x1300.jpg"
    );
    assert_eq!(
        v["categories"],
        serde_json::json!([
            "Heritage",
            "Sea",
            "lighthouse",
            "glass",
            "restoration",
            "Craft"
        ])
    );
    assert_eq!(v["language"], "en-IE");
    assert_eq!(v["updated"], "2026-02-09T08:15:00+00:00");
    assert_eq!(v["date"], "2026-02-08T14:00:00+00:00");
    assert_eq!(
        v["enclosures"],
        serde_json::json!([
            {"url": site.url("/video/lens-timelapse.webm"), "mime_type": "video/webm", "length": 0},
            {"url": site.url("/video/lens-timelapse.mp4"), "mime_type": "video/mp4", "length": 0}
        ])
    );
    // The fields that were there before are unchanged.
    assert_eq!(v["title"], "Restoring the lighthouse lens");
    assert_eq!(v["author"], "Tom Okafor");

    let out = crate::helpers::pagefeed(&["extract", "--explain", &page]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for line in [
        "image:",
        "→ [0.85 json-ld image] https://cdn.harbour.test/photos/lens-2000x1300.jpg",
        "categories:",
        "→ [0.80 json-ld articleSection] Heritage",
        "→ [0.60 link rel=tag in the article] Craft",
        "language:",
        "→ [0.70 json-ld inLanguage] en-IE",
        "enclosures:",
        "→ [0.80 audio/video element or media link in the article] ",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    // The sidebar's tag is no candidate.
    assert!(!text.contains("Popular"), "{text}");
}

/// A news site whose stories are dated relative to now; the listing names them all.
fn newsroom() -> Server {
    let now = chrono::Utc::now();
    let day = |n: i64| (now - chrono::Duration::days(n)).to_rfc3339();
    let stories: Vec<(&'static str, &'static str, String, &'static str)> = vec![
        (
            "rust-2",
            "Rust 2.0 released | Example News",
            day(2),
            "The new edition is out.",
        ),
        (
            "webinar",
            "Webinar: Rust on boats | Example News",
            day(3),
            "Sign up for our webinar.",
        ),
        (
            "wasm",
            "Harbour maps in the browser - Example News",
            day(4),
            "Built with WebAssembly.",
        ),
        (
            "garden",
            "Gardening tips | Example News",
            day(5),
            "Tomatoes in February.",
        ),
        (
            "rust-1",
            "Rust 1.0, ten years on | Example News",
            day(90),
            "A look back.",
        ),
    ];
    Server::start(move |req| {
        if req.path == "/" {
            let cards: String = stories
                .iter()
                .map(|(slug, title, date, _)| {
                    format!(
                        "<article><h2><a href=\"/news/{slug}\">{title}</a></h2>\
                         <time datetime=\"{date}\">{date}</time></article>"
                    )
                })
                .collect();
            return Reply::html(format!(
                "<html lang=\"en\"><head><title>Example News</title></head><body><main>{cards}</main></body></html>"
            ));
        }
        for (slug, title, date, summary) in &stories {
            if req.path == format!("/news/{slug}") {
                return Reply::html(format!(
                    "<html lang=\"en\"><head><title>{title}</title>\
                     <meta property=\"article:published_time\" content=\"{date}\">\
                     <meta name=\"description\" content=\"{summary}\"></head>\
                     <body><article><h1>{title}</h1><p>{summary}</p></article></body></html>"
                ));
            }
        }
        Reply::status(404)
    })
}

const FILTER: &str = "[feed.filter]\ninclude = [\"(?i)rust|webassembly\"]\n\
    exclude = [\"(?i)webinar|advert\"]\nfields = [\"title\", \"summary\"]\nmax_age = \"30d\"\n\n\
    [[feed.rewrite]]\nfield = \"title\"\npattern = \" [-|] Example News$\"\nreplace = \"\"\n";

fn news_config(site: &Server, filter: &str) -> String {
    one_feed("news", &site.url("/"), filter)
}

fn titles(path: &Path) -> Vec<String> {
    entry_titles(&read_feed(path))
}

#[test]
fn dry_run_shows_what_the_filter_drops_and_why() {
    let site = newsroom();
    let ws = Workspace::new(&news_config(&site, FILTER));
    let out = ws.run(&["run", "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for line in [
        "3 filtered out by [feed.filter]:".to_string(),
        format!(
            "x Webinar: Rust on boats | Example News  {}  (exclude pattern \"(?i)webinar|advert\" matches the title)",
            site.url("/news/webinar")
        ),
        format!(
            "x Gardening tips | Example News  {}  (no include pattern matches)",
            site.url("/news/garden")
        ),
        format!(
            "x Rust 1.0, ten years on | Example News  {}  (older than max_age 30days (dated ",
            site.url("/news/rust-1")
        ),
    ] {
        assert!(text.contains(&line), "missing {line:?} in\n{text}");
    }
    assert!(
        ws.files().is_empty(),
        "a dry run writes nothing: {:?}",
        ws.files()
    );
}

#[test]
fn filters_and_rewrites_shape_the_files_and_a_filter_change_republishes_without_refetching() {
    let site = newsroom();
    let ws = Workspace::new(&news_config(&site, FILTER));
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Rewritten titles; the guid (and link) stays the page's.
    for file in ["news.rss.xml", "news.atom.xml", "news.json"] {
        assert_eq!(
            titles(&ws.out(file)),
            ["Rust 2.0 released", "Harbour maps in the browser"],
            "{file}"
        );
    }
    let atom = read_feed(&ws.out("news.atom.xml"));
    assert_eq!(atom.entries[0].id, site.url("/news/rust-2"));
    // Filtered items stay in the history, marked with the reason.
    let query = "SELECT guid, filtered FROM items WHERE feed = 'news' ORDER BY guid";
    let mut marks: Vec<(String, Option<String>)> = match &ws.db {
        // The same rows in whichever store the workspace runs on.
        Some(pg) => pg
            .client()
            .query(query, &[])
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect(),
        None => rusqlite::Connection::open(ws.out(".pagefeed/state.sqlite"))
            .unwrap()
            .prepare(query)
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect(),
    };
    marks
        .iter_mut()
        .for_each(|m| m.0 = m.0.rsplit('/').next().unwrap().to_string());
    assert_eq!(marks.len(), 5, "{marks:?}");
    assert_eq!(
        marks[0],
        ("garden".into(), Some("no include pattern matches".into()))
    );
    assert!(
        marks[1]
            .1
            .as_deref()
            .unwrap()
            .starts_with("older than max_age 30days"),
        "{marks:?}"
    );
    assert_eq!(marks[2], ("rust-2".into(), None));
    assert_eq!(marks[3], ("wasm".into(), None));
    assert_eq!(
        marks[4],
        (
            "webinar".into(),
            Some("exclude pattern \"(?i)webinar|advert\" matches the title".into())
        )
    );
    let article_gets = || {
        site.requests()
            .iter()
            .filter(|r| r.path.starts_with("/news/"))
            .count()
    };
    assert_eq!(article_gets(), 5);

    // Without the include list, gardening is published too; no article is requested.
    let relaxed = FILTER.replace("include = [\"(?i)rust|webassembly\"]\n", "");
    std::fs::write(ws.config(), news_config(&site, &relaxed)).unwrap();
    let out = ws.run(&["run", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(article_gets(), 5, "a filter change fetched an article");
    assert_eq!(
        titles(&ws.out("news.json")),
        [
            "Rust 2.0 released",
            "Harbour maps in the browser",
            "Gardening tips"
        ]
    );
    // Without any filter or rewrite, every stored item comes back as it was.
    std::fs::write(ws.config(), news_config(&site, "")).unwrap();
    let out = ws.run(&["run", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(article_gets(), 5);
    assert_eq!(titles(&ws.out("news.rss.xml")).len(), 5);
    assert_eq!(
        titles(&ws.out("news.rss.xml"))[0],
        "Rust 2.0 released | Example News"
    );
}

#[test]
fn expect_counts_the_items_after_filtering() {
    let site = newsroom();
    let ws = Workspace::new(&news_config(
        &site,
        &format!("{FILTER}[feed.expect]\nmin_items = 3\n"),
    ));
    let out = ws.run(&["run"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("feed `news`: found 2 items, expected at least 3"),
        "{err}"
    );
    assert!(
        ws.files().iter().all(|f| !f.starts_with("news.")),
        "{:?}",
        ws.files()
    );
}

#[test]
fn a_bad_pattern_is_a_config_error_naming_file_line_feed_and_key() {
    let ws = Workspace::new(
        "[[feed]]\nid = \"news\"\nurl = \"https://news.example/\"\n\n[feed.filter]\n\
         exclude = [\"(?i)sponsored\", \"(unclosed\"]\nfields = [\"body\"]\n\n\
         [[feed.rewrite]]\nfield = \"title\"\npattern = \"[z-a]\"\n\n\
         [[feed.rewrite]]\nfield = \"title\"\npattern = \"x\"\nreplce = \"\"\n",
    );
    let out = ws.run(&["run"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    let file = ws.config().display().to_string();
    for want in [
        format!("{file}:6: feed `news`, key `filter.exclude`: \"(unclosed\" is not a valid regular expression: "),
        format!("{file}:7: feed `news`, key `filter.fields`: unknown field \"body\""),
        format!("{file}:11: feed `news`, key `rewrite.pattern`: \"[z-a]\" is not a valid regular expression: "),
        format!("{file}:16: feed `news`, key `rewrite.replce`: unknown field `replce`"),
    ] {
        assert!(err.contains(&want), "missing {want:?} in\n{err}");
    }
}

#[test]
fn a_podcast_listing_becomes_episodes_with_audio_enclosures_and_lazy_card_images() {
    let site = Server::start(|req| match req.path.as_str() {
        "/episodes/" => Reply::html(fixture("podcast.html")),
        "/audio/netloft-12.mp3" => media("audio/mpeg", 31_000_000),
        "/audio/netloft-11.ogg" => media("audio/ogg", 27_500_000),
        "/audio/netloft-10.m4a" => media("audio/mp4", 29_100_000),
        _ => Reply::status(404),
    });
    let ws = run_once("netloft", &site.url("/episodes/"), "follow = false\n");
    let u = |p: &str| site.url(p);
    let want = [
        (
            "Episode 12: Six knots every sailor knows",
            (u("/audio/netloft-12.mp3"), "audio/mpeg", 31_000_000),
            u("/img/episodes/12-knots.jpg"),
            "Workshop",
        ),
        (
            "Episode 11: Why the fog comes in at four",
            (u("/audio/netloft-11.ogg"), "audio/ogg", 27_500_000),
            u("/img/episodes/11-fog-960.jpg"),
            "Weather",
        ),
        (
            "Episode 10: Mending nets with Aunt Ros",
            (u("/audio/netloft-10.m4a"), "audio/mp4", 29_100_000),
            u("/img/episodes/10-nets.jpg"),
            "People",
        ),
    ];
    for file in ["netloft.rss.xml", "netloft.atom.xml"] {
        let f = read_feed(&ws.out(file));
        assert_eq!(f.entries.len(), 3, "{file}");
        for (title, (url, ty, len), image, category) in &want {
            let e = entry(&f, title);
            assert_eq!(
                enclosures(e),
                [(url.clone(), ty.to_string(), *len)],
                "{file} {title}"
            );
            assert_eq!(thumbnail(e), Some(image.as_str()), "{file} {title}");
            assert_eq!(terms(e), [*category], "{file} {title}");
        }
    }
    // A podcast client's view: newsboat's podcast queue reads the RSS enclosures.
    let raw = std::fs::read_to_string(ws.out("netloft.rss.xml")).unwrap();
    assert!(
        raw.contains(&format!(
            "<enclosure url=\"{}\" length=\"31000000\" type=\"audio/mpeg\"/>",
            u("/audio/netloft-12.mp3")
        )),
        "{raw}"
    );
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(ws.out("netloft.json")).unwrap()).unwrap();
    assert_eq!(doc["items"][0]["image"], u("/img/episodes/12-knots.jpg"));
    assert_eq!(doc["items"][0]["tags"], serde_json::json!(["Workshop"]));
    assert_eq!(
        doc["items"][2]["attachments"],
        serde_json::json!([{"url": u("/audio/netloft-10.m4a"), "mime_type": "audio/mp4", "size_in_bytes": 29100000}])
    );
}

#[test]
fn a_source_feed_keeps_its_enclosures_categories_and_images_and_the_pages_add_to_them() {
    let site = Server::start(|req| {
        let base = format!("http://{}", req.header("host").unwrap_or(""));
        let page = |slug: &str, title: &str| {
            let text = String::from_utf8(fixture("episode.html")).unwrap();
            Reply::html(text.replace("TITLE", title).replace("PAGE", slug))
        };
        match req.path.as_str() {
            "/feed.xml" => Reply::Full {
                status: 200,
                headers: vec![("Content-Type".into(), "application/rss+xml".into())],
                body: String::from_utf8(fixture("upstream.rss"))
                    .unwrap()
                    .replace("LINK", &base)
                    .into_bytes(),
            },
            "/ep/spring-tide" => page("spring-tide", "The spring tide explained"),
            "/ep/neap-tide" => page("neap-tide", "Neap tides, briefly"),
            "/audio/neap-tide.mp3" => media("audio/mpeg", 2_400_000),
            "/audio/spring-tide.mp3" => media("audio/mpeg", 1),
            _ => Reply::status(404),
        }
    });
    let ws = run_once("tides", &site.url("/feed.xml"), "source = \"feed\"\n");
    let rss = read_feed(&ws.out("tides.rss.xml"));
    // Every page says `lang="en"`: the channel does.
    assert_eq!(rss.language.as_deref(), Some("en"));
    let spring = entry(&rss, "The spring tide explained");
    // The upstream enclosure with its own length (no HEAD asked), the upstream image
    // over the page's, the upstream category first and the page's tag added.
    assert_eq!(
        enclosures(spring),
        [(
            site.url("/audio/spring-tide.mp3"),
            "audio/mpeg".into(),
            5_000_123
        )]
    );
    assert_eq!(
        thumbnail(spring),
        Some("https://cdn.tides.test/art/spring-tide.jpg")
    );
    assert_eq!(terms(spring), ["Episodes", "Science"]);
    let neap = entry(&rss, "Neap tides, briefly");
    // No upstream image: the page's. No upstream length: one HEAD.
    assert_eq!(
        thumbnail(neap),
        Some("https://cdn.tides.test/pages/neap-tide.jpg")
    );
    assert_eq!(
        enclosures(neap),
        [(
            site.url("/audio/neap-tide.mp3"),
            "audio/mpeg".into(),
            2_400_000
        )]
    );
    let heads: Vec<String> = site
        .requests()
        .iter()
        .filter(|r| r.method == "HEAD")
        .map(|r| r.path.clone())
        .collect();
    assert_eq!(heads, ["/audio/neap-tide.mp3"]);
    let atom = read_feed(&ws.out("tides.atom.xml"));
    assert_eq!(atom.language.as_deref(), Some("en"));
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(ws.out("tides.json")).unwrap()).unwrap();
    assert_eq!(doc["language"], "en");
}

#[test]
fn check_shows_each_items_image_and_categories() {
    let site = gazette();
    let out = crate::helpers::pagefeed(&["check", &site.url("/")]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}\n{}", stderr(&out));
    let header = text
        .lines()
        .find(|l| l.starts_with("TITLE"))
        .unwrap_or_else(|| panic!("no header: {text}"));
    let cols: Vec<&str> = header
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        cols,
        [
            "TITLE",
            "DATE (UTC)",
            "AUTHOR",
            "IMAGE",
            "CATEGORIES",
            "LINK"
        ]
    );
    let row = |title: &str| {
        text.lines()
            .find(|l| l.starts_with(title))
            .unwrap_or_else(|| panic!("no row {title}: {text}"))
            .to_string()
    };
    let ferry = row("The ferry timetable changes in March");
    assert!(ferry.contains("  ferry-at-dawn-1200.jpg  "), "{ferry}");
    assert!(ferry.contains("  Transport, Ferries,…  "), "{ferry}");
    assert!(
        ferry.ends_with(&site.url("/2026/02/ferry-timetable-changes")),
        "{ferry}"
    );
    let choir = row("The harbour choir sings again");
    assert!(choir.contains("  rehearsal-wide.jpg  "), "{choir}");
    assert!(choir.contains("  Music, People  "), "{choir}");
    // `check` asks no HEAD: it writes no state to keep a length in.
    assert!(site.requests().iter().all(|r| r.method != "HEAD"));
}
