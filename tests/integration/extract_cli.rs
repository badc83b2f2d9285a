//! `pagefeed extract`: files, URLs, `--json`, `--batch` and `--explain`.

use crate::helpers::{demo_dir, pagefeed, stderr, stdout};
use crate::server::Server;

fn quake() -> String {
    demo_dir()
        .join("articles/quake-north.html")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn json_for_a_file_gives_every_field() {
    let out = pagefeed(&["extract", "--json", &quake()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(
        v["title"],
        "Strong quake shakes northern Japan, no tsunami warning"
    );
    assert_eq!(v["author"], "Aiko Sato and Ken Watanabe");
    assert_eq!(v["date"], "2025-12-22T10:15:00+09:00");
    assert_eq!(
        v["url"],
        "https://www.tokyo-ledger.example/2025/12/22/quake-north/"
    );
    assert_eq!(
        v["summary"],
        "A magnitude 6.1 earthquake struck off Aomori early Monday; trains were halted but no damage was reported."
    );
}

#[test]
fn a_url_is_fetched_and_extracted() {
    let server = Server::files(&demo_dir());
    let out = pagefeed(&[
        "extract",
        "--json",
        &server.url("/articles/winter-lights.html"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(
        v["title"],
        "Winter illuminations draw record crowds to Roppongi"
    );
    assert_eq!(v["author"], "David Brown");
    assert_eq!(v["date"], "2025-12-20T18:30:00+09:00");
}

#[test]
fn batch_prints_one_line_per_manifest_entry_with_its_id() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("manifest.tsv");
    let articles = demo_dir().join("articles");
    std::fs::write(
        &manifest,
        format!(
            "q\t{}\thttps://www.tokyo-ledger.example/2025/12/22/quake-north/\ny\t{}\t\nmissing\t{}\t\n",
            articles.join("quake-north.html").display(),
            articles.join("yen-slides.html").display(),
            articles.join("nope.html").display()
        ),
    )
    .unwrap();
    let out = pagefeed(&["extract", "--batch", manifest.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["id"], "q");
    assert_eq!(lines[0]["date"], "2025-12-22T10:15:00+09:00");
    assert_eq!(lines[1]["id"], "y");
    assert_eq!(lines[1]["author"], "Mariko Tanaka");
    assert_eq!(lines[2]["id"], "missing");
    assert!(lines[2].get("title").is_none());
    assert!(
        stderr(&out).contains("nope.html"),
        "the unreadable page is named"
    );
}

#[test]
fn explain_shows_candidates_and_the_winner_for_a_file_and_a_url() {
    let out = pagefeed(&["extract", "--explain", &quake()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("date:"), "{text}");
    assert!(text.contains("json-ld datePublished"), "{text}");
    assert!(text.contains("→"), "the winner is marked: {text}");
    assert!(text.contains("source(s) agree"), "{text}");
    let server = Server::files(&demo_dir());
    let out = pagefeed(&[
        "extract",
        "--explain",
        &server.url("/articles/yen-slides.html"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("meta article:published_time"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_bad_input_is_named() {
    let out = pagefeed(&["extract", "no-such-file.html"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("\"no-such-file.html\" is not a file or a valid URL"),
        "{}",
        stderr(&out)
    );
}

/// `--content` prints `content_html`, byte for byte what a feed with `content = "full"`
/// publishes for the same page (read back from the JSON Feed it writes).
#[test]
fn content_flag_prints_exactly_what_a_full_content_feed_publishes() {
    let server = Server::files(&demo_dir());
    let ws = crate::helpers::Workspace::new(&format!(
        "[settings]\nper_host_delay = \"0s\"\ninterval = \"0s\"\nbase_url = \"https://feeds.example.org/pub\"\n\n\
         [[feed]]\nid = \"ledger\"\nurl = \"{}\"\ncontent = \"full\"\n",
        server.url("/index.html")
    ));
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let feed: serde_json::Value =
        serde_json::from_slice(&std::fs::read(ws.out("ledger.json")).unwrap()).unwrap();
    let published = feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["url"].as_str().unwrap_or("").ends_with("/quake-north/"))
        .map(|i| i["content_html"].clone())
        .expect("quake item");
    assert!(
        published
            .as_str()
            .unwrap()
            .contains("halting bullet trains for several hours"),
        "{published}"
    );

    let page = server.url("/articles/quake-north.html");
    let out = pagefeed(&["extract", "--json", "--content", &page]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(v["content_html"], published);
    assert_eq!(
        v["title"],
        "Strong quake shakes northern Japan, no tsunami warning"
    );

    // Batch mode: the same content on the page's line; a page without an article body
    // says so with `null`; without `--content` the key is absent.
    let dir = tempfile::tempdir().unwrap();
    let listing = dir.path().join("listing.html");
    std::fs::write(
        &listing,
        "<html><head><title>Links</title></head><body><a href=\"/a\">A</a></body></html>",
    )
    .unwrap();
    let manifest = dir.path().join("manifest.tsv");
    std::fs::write(
        &manifest,
        format!("q\t{}\t{page}\nl\t{}\t\n", quake(), listing.display()),
    )
    .unwrap();
    let out = pagefeed(&[
        "extract",
        "--batch",
        manifest.to_str().unwrap(),
        "--content",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], "q");
    assert_eq!(lines[0]["content_html"], published);
    assert_eq!(lines[1]["id"], "l");
    assert_eq!(lines[1].get("content_html"), Some(&serde_json::Value::Null));
    let out = pagefeed(&["extract", "--batch", manifest.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let first: serde_json::Value =
        serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    assert!(first.get("content_html").is_none(), "{first}");
}
