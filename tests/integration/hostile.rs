//! Hostile web: faults injected by a local server; pagefeed keeps working, bounds its
//! time and memory, keeps the last good files, and writes only well-formed feeds.
//!
//! Every server here listens on 127.0.0.1 and every fault is bounded in time (a
//! trickle stops after a few seconds, a huge body stops when the client goes away).

use std::io::Write;
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::helpers::{all_files, contains_bytes, entry_titles, read_feed, stderr, Workspace};
use crate::server::{write_head, Reply, Request, Server};

/// Items are picked by these selectors; the listing gives no title, so each item's
/// title is the one extracted from its own page.
const ITEMS: &str =
    "[feed.items]\nselector = \"li.item\"\nlink = \"a@href\"\ntitle = \".no-title-here\"\n";

/// A listing page linking to `links`.
fn listing(links: &[String]) -> String {
    let lis: String = links
        .iter()
        .map(|l| format!("<li class=\"item\"><a href=\"{l}\">read more</a></li>\n"))
        .collect();
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Hostile</title></head>\
         <body><ul>\n{lis}</ul></body></html>"
    )
}

/// A plain UTF-8 article page.
fn article(title: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><article><h1>{title}</h1><p>Some text about {title}, long enough to be a paragraph \
         that a summary could be taken from.</p></article></body></html>"
    )
}

/// A config with global `settings` lines and `(id, url, extra lines)` feeds.
fn config(settings: &str, feeds: &[(&str, String, &str)]) -> String {
    let mut c = format!("[settings]\nper_host_delay = \"0s\"\n{settings}\n");
    for (id, url, extra) in feeds {
        c.push_str(&format!(
            "\n[[feed]]\nid = \"{id}\"\nurl = \"{url}\"\n{extra}\n"
        ));
    }
    c
}

/// Reads every file of a feed back (well-formed, parseable) and returns the titles of
/// the entries of each, in file order.
pub(crate) fn titles_in_all_formats(ws: &Workspace, id: &str) -> Vec<Vec<String>> {
    ["rss.xml", "atom.xml", "json"]
        .iter()
        .map(|ext| entry_titles(&read_feed(&ws.out(&format!("{id}.{ext}")))))
        .collect()
}

/// Serves a small good feed under `/good/`, for runs that must go on past a failure.
fn good_site(req: &Request) -> Option<Reply> {
    match req.path.as_str() {
        "/good/" => Some(Reply::html(listing(&["/good/a.html".into()]))),
        "/good/a.html" => Some(Reply::html(article("A good story"))),
        _ => None,
    }
}

/// Runs the binary with `args`, polling its peak resident set size (VmHWM) until it
/// exits. Returns the output and the largest VmHWM seen, in bytes.
fn run_measuring_rss(ws: &Workspace, args: &[&str]) -> (std::process::Output, u64) {
    let config = ws.config();
    let mut child = Command::new(env!("CARGO_BIN_EXE_pagefeed"))
        .arg("--config")
        .arg(&config)
        .args(args)
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn pagefeed");
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak = 0u64;
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().expect("wait").is_none() {
        if let Ok(s) = std::fs::read_to_string(&status_path) {
            if let Some(kb) = s
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak = peak.max(kb * 1024);
            }
        }
        assert!(Instant::now() < deadline, "pagefeed did not finish in time");
        std::thread::sleep(Duration::from_millis(5));
    }
    let out = child.wait_with_output().expect("collect output");
    (out, peak)
}

const MB: u64 = 1024 * 1024;

// ---------------------------------------------------------------------------------
// Slow, huge, compressed

#[test]
fn a_trickling_server_times_out_and_the_other_feeds_are_published() {
    let server = Server::start(|req| {
        if let Some(r) = good_site(req) {
            return r;
        }
        match req.path.as_str() {
            "/slow/" => Reply::Raw(Box::new(|s: &mut TcpStream| {
                write_head(
                    s,
                    200,
                    &[("Content-Type", "text/html"), ("Content-Length", "100")],
                );
                // One byte a second, for at most 10 s: bounded even if nobody hangs up.
                for b in b"<html><body>".iter().cycle().take(10) {
                    if s.write_all(&[*b]).and_then(|_| s.flush()).is_err() {
                        return;
                    }
                    std::thread::sleep(Duration::from_secs(1));
                }
            })),
            _ => Reply::status(404),
        }
    });
    let ws = Workspace::new(&config(
        "timeout = \"2s\"",
        &[
            ("slow", server.url("/slow/"), ITEMS),
            ("good", server.url("/good/"), ITEMS),
        ],
    ));
    let started = Instant::now();
    let out = ws.run(&["run"]);
    let took = started.elapsed();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("{}: timed out after 2s", server.url("/slow/"))),
        "{err}"
    );
    assert_eq!(
        server.hits("/slow/"),
        1,
        "a timed-out request is not retried"
    );
    assert!(took < Duration::from_secs(8), "the run took {took:?}");
    assert_eq!(titles_in_all_formats(&ws, "good")[0], ["A good story"]);
    assert!(!ws.out("slow.rss.xml").exists());
}

/// Streams `total` bytes of HTML: the listing first, then paragraphs, generated on the
/// fly; stops as soon as the client hangs up.
fn stream_huge(s: &mut TcpStream, head: &str, total: u64) {
    write_head(
        s,
        200,
        &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", &total.to_string()),
        ],
    );
    let mut sent = 0u64;
    if s.write_all(head.as_bytes()).is_err() {
        return;
    }
    sent += head.len() as u64;
    let para = "<p>All work and no play makes a very large page, paragraph after paragraph. </p>\n";
    let chunk: String = para.repeat(64 * 1024 / para.len());
    while sent < total {
        let n = (total - sent).min(chunk.len() as u64) as usize;
        if s.write_all(&chunk.as_bytes()[..n]).is_err() {
            return;
        }
        sent += n as u64;
    }
}

#[test]
fn a_200_mb_page_is_cut_at_max_body_size_in_bounded_memory() {
    let server = Server::start(|req| {
        if let Some(r) = good_site(req) {
            return r;
        }
        match req.path.as_str() {
            "/huge/" => {
                let head = listing(&["/good/a.html".into()]).replace("</body></html>", "");
                Reply::Raw(Box::new(move |s: &mut TcpStream| {
                    stream_huge(s, &head, 200 * MB)
                }))
            }
            _ => Reply::status(404),
        }
    });
    // What stays in memory is the capped body and its parsed DOM, which for markup this
    // dense costs ~6.5 times the body (measured in a debug build: 1 MiB → 33 MiB peak,
    // 5 MiB → 61 MiB, 10 MiB → 95 MiB, 20 MiB → 162 MiB). The cap, not the page, bounds
    // it: a 5 MiB cap keeps a 200 MB page well under 100 MB.
    let ws = Workspace::new(&config(
        "max_body_size = \"5 MiB\"",
        &[("huge", server.url("/huge/"), ITEMS)],
    ));
    let started = Instant::now();
    let (out, peak) = run_measuring_rss(&ws, &["run"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("body larger than max_body_size (5242880 bytes); cut there"),
        "{err}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    assert!(peak > 0, "VmHWM was read");
    assert!(peak < 100 * MB, "peak RSS {} MiB", peak / MB);
    assert_eq!(titles_in_all_formats(&ws, "huge")[0], ["A good story"]);
}

/// A gzip stream whose first bytes inflate to `head` and then to `blocks` MiB of
/// spaces. Built without inflating anything: one MiB of spaces is compressed once, and
/// its sync-flushed deflate block is repeated (its back-references only reach spaces).
/// The trailer is never reached by a client that respects a cap, so it is left out.
fn gzip_bomb(head: &str, blocks: usize) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(head.as_bytes()).unwrap();
    enc.flush().unwrap();
    let start = enc.get_ref().len();
    enc.write_all(&vec![b' '; MB as usize]).unwrap();
    enc.flush().unwrap();
    let bytes = enc.get_ref().clone();
    let block = bytes[start..].to_vec();
    let mut out = bytes[..start].to_vec();
    for _ in 0..blocks {
        out.extend_from_slice(&block);
    }
    out
}

#[test]
fn a_gzip_bomb_is_cut_at_max_body_size() {
    let head = listing(&["/good/a.html".into()]);
    // ~2 MB on the wire, 2 GiB inflated.
    let bomb = Arc::new(gzip_bomb(&head, 2048));
    assert!(bomb.len() < 3 * MB as usize, "{} bytes", bomb.len());
    let server = {
        let bomb = bomb.clone();
        Server::start(move |req| {
            if let Some(r) = good_site(req) {
                return r;
            }
            match req.path.as_str() {
                "/bomb/" => {
                    let bomb = bomb.clone();
                    Reply::Raw(Box::new(move |s: &mut TcpStream| {
                        write_head(
                            s,
                            200,
                            &[
                                ("Content-Type", "text/html; charset=utf-8"),
                                ("Content-Encoding", "gzip"),
                                ("Content-Length", &bomb.len().to_string()),
                            ],
                        );
                        let _ = s.write_all(&bomb);
                    }))
                }
                _ => Reply::status(404),
            }
        })
    };
    let ws = Workspace::new(&config(
        "max_body_size = \"1 MiB\"",
        &[("bomb", server.url("/bomb/"), ITEMS)],
    ));
    let (out, peak) = run_measuring_rss(&ws, &["run"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("body larger than max_body_size (1048576 bytes); cut there"),
        "{err}"
    );
    assert!(peak < 100 * MB, "peak RSS {} MiB", peak / MB);
    assert_eq!(titles_in_all_formats(&ws, "bomb")[0], ["A good story"]);
}

// ---------------------------------------------------------------------------------
// Redirects and the SSRF guard

#[test]
fn redirect_loops_and_non_http_redirects_fail_clearly() {
    let server = Server::start(|req| {
        if let Some(r) = good_site(req) {
            return r;
        }
        match req.path.as_str() {
            "/loop/" => Reply::redirect(302, "/loop/"),
            "/to-file/" => Reply::redirect(301, "file:///etc/passwd"),
            "/to-ftp/" => Reply::redirect(302, "ftp://127.0.0.1/listing"),
            _ => Reply::status(404),
        }
    });
    let ws = Workspace::new(&config(
        "max_redirects = 3",
        &[
            ("loop", server.url("/loop/"), ITEMS),
            ("file", server.url("/to-file/"), ITEMS),
            ("ftp", server.url("/to-ftp/"), ITEMS),
            ("good", server.url("/good/"), ITEMS),
        ],
    ));
    let out = ws.run(&["run"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let lp = server.url("/loop/");
    assert!(
        err.contains(&format!(
            "feed `loop`: fetch: {lp}: too many redirects (more than max_redirects = 3), last to {lp}"
        )),
        "{err}"
    );
    assert_eq!(
        server.hits("/loop/"),
        4,
        "the first request and three redirects"
    );
    assert!(
        err.contains("refused redirect to file:///etc/passwd: not an http(s) URL"),
        "{err}"
    );
    assert!(
        err.contains("refused redirect to ftp://127.0.0.1/listing: not an http(s) URL"),
        "{err}"
    );
    assert_eq!(
        ws.files().iter().filter(|f| f.starts_with("good.")).count(),
        3
    );
    assert_eq!(titles_in_all_formats(&ws, "good")[0], ["A good story"]);
    for failed in ["loop.", "file.", "ftp."] {
        assert!(
            !ws.files().iter().any(|f| f.starts_with(failed)),
            "{:?}",
            ws.files()
        );
    }
}

fn request_settings() -> pagefeed::config::RequestSettings {
    pagefeed::config::RequestSettings {
        per_host_delay: Duration::ZERO,
        respect_robots: false,
        timeout: Duration::from_secs(5),
        ..Default::default()
    }
}

/// The guard, driven through the fetcher. Tests cannot reach a public host, so the
/// "public source" is a public literal address (no request is ever sent to it): the
/// guard decides from the source's address alone, and refuses before connecting. The
/// redirect-hop and resolver halves are unit tests in `src/fetch/guard.rs`, since a
/// redirect *from* a public host cannot be staged on 127.0.0.1.
#[test]
fn links_from_a_public_source_cannot_reach_local_addresses() {
    use pagefeed::fetch::{FetchError, Fetched, Fetcher};
    let server = Server::start(|req| match req.path.as_str() {
        "/secret" => Reply::html(article("Internal admin page")),
        "/hop" => Reply::redirect(302, "/secret"),
        _ => Reply::status(404),
    });
    let rt = tokio::runtime::Runtime::new().unwrap();
    let fetcher = Fetcher::new(&pagefeed::config::Settings::default()).unwrap();
    let req = request_settings();
    let public = url::Url::parse("http://93.184.216.34/news/").unwrap();
    let local = url::Url::parse(&server.url("/")).unwrap();
    let secret = url::Url::parse(&server.url("/secret")).unwrap();
    let by_name =
        url::Url::parse(&server.url("/secret").replace("127.0.0.1", "localhost")).unwrap();
    rt.block_on(async {
        for target in [&secret, &by_name] {
            match fetcher.fetch_linked(target, &public, &req).await {
                Err(e @ FetchError::Refused { .. }) => {
                    let msg = e.to_string();
                    assert!(msg.contains(&format!("refused {target}")), "{msg}");
                    assert!(msg.contains("the feed's source is public"), "{msg}");
                }
                other => panic!("{target} from a public source: {other:?}"),
            }
        }
        // A file:// link on a web page is never read.
        let file = url::Url::parse("file:///etc/passwd").unwrap();
        assert!(matches!(
            fetcher.fetch_linked(&file, &public, &req).await,
            Err(FetchError::Scheme { .. })
        ));
        assert_eq!(server.hits("/"), 0, "nothing reached the local server");
        // The same links from a local source are fetched, redirects included.
        for target in [&secret, &url::Url::parse(&server.url("/hop")).unwrap()] {
            match fetcher.fetch_linked(target, &local, &req).await {
                Ok(Fetched::Page(p)) => assert!(p.text.contains("Internal admin page")),
                other => panic!("{target} from a local source: {other:?}"),
            }
        }
        // A configured listing is its own source: a local one is fetched.
        assert!(fetcher.fetch(&secret, &req, None).await.is_ok());
    });
}

// ---------------------------------------------------------------------------------
// Error statuses: clear log line, old files kept, retries only where they help

#[test]
fn error_statuses_keep_the_last_good_files_and_retry_only_transient_ones() {
    // 0: healthy; 1: connection dropped mid-body; other: that status on the listing.
    let mode = Arc::new(AtomicU16::new(0));
    let server = {
        let mode = mode.clone();
        Server::start(move |req| {
            if let Some(r) = good_site(req) {
                return r;
            }
            match (req.path.as_str(), mode.load(Ordering::SeqCst)) {
                ("/flaky/", 0) => Reply::html(listing(&["/flaky/story.html".into()])),
                ("/flaky/", 1) => Reply::Raw(Box::new(|s: &mut TcpStream| {
                    write_head(
                        s,
                        200,
                        &[("Content-Type", "text/html"), ("Content-Length", "5000")],
                    );
                    let _ = s.write_all(b"<html><body><ul><li class=\"item\">");
                    // Closed here, 4,966 bytes short.
                })),
                ("/flaky/", status) => Reply::status(status),
                ("/flaky/story.html", _) => Reply::html(article("Flaky but true")),
                _ => Reply::status(404),
            }
        })
    };
    let ws = Workspace::new(&config(
        "",
        &[
            ("flaky", server.url("/flaky/"), ITEMS),
            ("good", server.url("/good/"), ITEMS),
        ],
    ));
    let files = ["flaky.rss.xml", "flaky.atom.xml", "flaky.json"];
    let listing_url = server.url("/flaky/");
    // (mode, tries expected, what the log line says after the URL)
    let cases: [(u16, usize, &str); 6] = [
        (404, 1, "HTTP 404 Not Found"),
        (410, 1, "HTTP 410 Gone"),
        (500, 1, "HTTP 500 Internal Server Error"),
        (502, 3, "HTTP 502 Bad Gateway"),
        (503, 3, "HTTP 503 Service Unavailable"),
        (1, 3, ""),
    ];
    for (m, tries, what) in cases {
        // A good run first each time: a feed failing several runs in a row gets an
        // alert item, which is a deliberate change of its files.
        mode.store(0, Ordering::SeqCst);
        let out = ws.run(&["run", "--force"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let before: Vec<String> = files
            .iter()
            .map(|f| std::fs::read_to_string(ws.out(f)).unwrap())
            .collect();
        assert_eq!(titles_in_all_formats(&ws, "flaky")[1], ["Flaky but true"]);
        mode.store(m, Ordering::SeqCst);
        let hits_before = server.hits("/flaky/") - server.hits("/flaky/story");
        let out = ws.run(&["run", "--force"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "mode {m}: {err}");
        let line = format!("feed `flaky`: fetch: {listing_url}: {what}");
        assert!(err.contains(&line), "mode {m}: wants {line:?} in\n{err}");
        let hits = server.hits("/flaky/") - server.hits("/flaky/story") - hits_before;
        assert_eq!(hits, tries, "mode {m}: requests to the listing");
        for (f, old) in files.iter().zip(&before) {
            assert_eq!(
                &std::fs::read_to_string(ws.out(f)).unwrap(),
                old,
                "mode {m}: {f}"
            );
            read_feed(&ws.out(f));
        }
        assert_eq!(titles_in_all_formats(&ws, "good")[0], ["A good story"]);
    }
}

// ---------------------------------------------------------------------------------
// Encodings

/// (encoding, label, title, body text) of the article pages.
fn encoded_articles() -> Vec<(
    &'static encoding_rs::Encoding,
    &'static str,
    &'static str,
    &'static str,
)> {
    vec![
        (
            encoding_rs::SHIFT_JIS,
            "Shift_JIS",
            "東京で桜が満開に、週末は花見客で混雑",
            "気象庁によると、東京都心の桜が満開になりました。今週末は多くの花見客が上野公園や目黒川に集まる見込みです。",
        ),
        (
            encoding_rs::EUC_JP,
            "EUC-JP",
            "大阪の新しい美術館が開館、初日に一万人",
            "大阪市北区に新しい美術館が開館し、初日には約一万人が訪れました。館長は「多くの人に芸術を楽しんでほしい」と話しています。",
        ),
        (
            encoding_rs::GBK,
            "GBK",
            "北京举办国际科技博览会，吸引众多观众",
            "第十届国际科技博览会今天在北京开幕，来自四十多个国家的企业展示了最新的人工智能和新能源技术。",
        ),
        (
            encoding_rs::WINDOWS_1251,
            "windows-1251",
            "Москва готовится к зиме, улицы украсят к Новому году",
            "Городские службы начали подготовку к зимнему сезону. На главных улицах появятся новые праздничные украшения и ледовые катки.",
        ),
        (
            encoding_rs::WINDOWS_1252,
            "windows-1252",
            "Café crème à Zürich, la façade “réouverte”",
            "Le célèbre café de la vieille ville a rouvert ses portes après deux années de travaux. Les habitués étaient ravis de retrouver leur crème brûlée préférée.",
        ),
    ]
}

/// Where the charset is declared: (variant, header charset, meta charset?).
const CHARSET_VARIANTS: [(&str, Option<&str>, bool); 5] = [
    ("header", Some("LABEL"), false),
    ("meta", None, true),
    ("neither", None, false),
    // The commonest lies: a server default of UTF-8 or Latin-1 over legacy bytes.
    ("lie-utf8", Some("utf-8"), false),
    ("lie-latin1", Some("iso-8859-1"), false),
];

#[test]
fn pages_in_legacy_encodings_give_exact_titles_wherever_the_charset_is_declared() {
    // (path, headers, body, title)
    type Page = (String, Vec<(String, String)>, Vec<u8>, &'static str);
    let mut pages: Vec<Page> = Vec::new();
    for (enc, label, title, body) in encoded_articles() {
        for (variant, header, meta) in CHARSET_VARIANTS {
            if variant == "lie-latin1" && enc == encoding_rs::WINDOWS_1252 {
                continue; // Latin-1 is the truth there, not a lie.
            }
            let meta = if meta {
                format!("<meta charset=\"{label}\">")
            } else {
                String::new()
            };
            let html = format!(
                "<!DOCTYPE html><html><head>{meta}<title>{title}</title></head><body>\
                 <article><h1>{title}</h1><p>{body}</p><p>{body}</p></article></body></html>"
            );
            let (bytes, _, unmappable) = enc.encode(&html);
            assert!(!unmappable, "{label}: {title}");
            let ct = match header {
                Some(h) => format!("text/html; charset={}", h.replace("LABEL", label)),
                None => "text/html".to_string(),
            };
            let path = format!("/enc/{}-{variant}.html", label.to_lowercase());
            pages.push((
                path,
                vec![("Content-Type".into(), ct)],
                bytes.into_owned(),
                title,
            ));
        }
    }
    let links: Vec<String> = pages.iter().map(|p| p.0.clone()).collect();
    let served: std::collections::HashMap<String, Page> =
        pages.iter().map(|p| (p.0.clone(), p.clone())).collect();
    let server = Server::start(move |req| {
        if req.path == "/enc/" {
            return Reply::html(listing(&links));
        }
        match served.get(&req.path) {
            Some((_, headers, body, _)) => Reply::Full {
                status: 200,
                headers: headers.clone(),
                body: body.clone(),
            },
            None => Reply::status(404),
        }
    });
    let ws = Workspace::new(&config(
        "",
        &[(
            "enc",
            server.url("/enc/"),
            &format!("max_items = 100\n{ITEMS}"),
        )],
    ));
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    titles_in_all_formats(&ws, "enc");
    let feed = read_feed(&ws.out("enc.json"));
    let mut wrong = Vec::new();
    for (path, _, _, title) in &pages {
        let got = feed
            .entries
            .iter()
            .find(|e| e.links[0].href.ends_with(path.as_str()))
            .and_then(|e| e.title.as_ref().map(|t| t.content.clone()));
        if got.as_deref() != Some(*title) {
            wrong.push(format!("{path}: {got:?}, want {title:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

// ---------------------------------------------------------------------------------
// Markup and text

/// What a title must be.
enum Want {
    Exact(&'static str),
    OneOf(&'static [&'static str]),
    /// Starts with the first, ends with the second.
    Around(&'static str, &'static str),
    /// At most this many characters, starting with the text.
    CutAt(usize, &'static str),
}

fn page(head: &str, body: &str) -> Vec<u8> {
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\">{head}</head><body>{body}</body></html>"
    )
    .into_bytes()
}

fn hostile_pages() -> Vec<(&'static str, Vec<u8>, Want)> {
    let para =
        "<p>An ordinary paragraph of text, long enough to serve as a summary for this page.</p>";
    let mut v = vec![
        (
            "unclosed",
            page(
                "<title>Unclosed tags survive</title>",
                &format!("<div><p>one <b>two <i>three <ul><li>four <table><tr><td>five <h1>Unclosed tags survive</h1>{para}<p>six <span>seven"),
            ),
            Want::Exact("Unclosed tags survive"),
        ),
        (
            "nul",
            page(
                "<title>Nul bytes in the body</title>",
                &format!("<h1>Nul\0 bytes in\0 the body</h1>\0{para}\0"),
            ),
            Want::Exact("Nul bytes in the body"),
        ),
        (
            "deep",
            page(
                "<title>Ten thousand levels deep</title>",
                &format!(
                    "{}<h1>Ten thousand levels deep</h1>{para}{}",
                    "<div>".repeat(10_000),
                    "</div>".repeat(10_000)
                ),
            ),
            Want::Exact("Ten thousand levels deep"),
        ),
        (
            "one-line",
            page(
                "<title>Five megabytes on one line</title>",
                &format!(
                    "<h1>Five megabytes on one line</h1>{para}<p>{}</p>",
                    "word ".repeat(1_000_000)
                ),
            ),
            Want::Exact("Five megabytes on one line"),
        ),
        (
            "fake-json-ld",
            page(
                "<title>Only real JSON-LD counts</title>\
                 <script type=\"application/json\">{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\",\"headline\":\"Fake headline in JSON\"}</script>\
                 <script>var ld = {\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\",\"headline\":\"Fake headline in code\"};</script>",
                &format!("<h1>Only real JSON-LD counts</h1>{para}"),
            ),
            Want::Exact("Only real JSON-LD counts"),
        ),
        (
            "broken-json-ld",
            page(
                "<title>Broken JSON-LD is ignored</title>\
                 <script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\",\"headline\":\"Broken, \u{1}</script>\
                 <script type=\"application/ld+json\">[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[</script>",
                &format!("<h1>Broken JSON-LD is ignored</h1>{para}"),
            ),
            Want::Exact("Broken JSON-LD is ignored"),
        ),
        (
            "conflicting-json-ld",
            page(
                "<title>Conflicting blocks, first</title>\
                 <script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\",\"headline\":\"Conflicting blocks, first\",\"datePublished\":\"2025-12-01T10:00:00Z\"}</script>\
                 <script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\",\"headline\":\"Conflicting blocks, second\",\"datePublished\":\"2025-11-01T10:00:00Z\"}</script>",
                &format!("<h1>Conflicting blocks, first</h1>{para}"),
            ),
            Want::OneOf(&["Conflicting blocks, first", "Conflicting blocks, second"]),
        ),
        (
            "illegal-chars",
            page(
                "<title>Bell&#x7; and&#x1; tab&#xB;&#xC; and&#xFFFE; &#x1F;end</title>",
                &format!("<h1>Bell&#x7; and&#x1; tab&#xB;&#xC; and&#xFFFE; &#x1F;end</h1>{para}"),
            ),
            Want::Exact("Bell and tab and end"),
        ),
        (
            "surrogate",
            page(
                "<title>Surrogate &#xD800; here</title>",
                &format!("<h1>Surrogate &#xD800; here</h1>{para}"),
            ),
            Want::Around("Surrogate", "here"),
        ),
        (
            "cdata-end",
            page(
                "<title>Tricky ]]&gt; &amp; &lt;b&gt; end</title>",
                "<h1>Tricky ]]&gt; &amp; &lt;b&gt; end</h1><p>A summary that holds ]]&gt; and <![CDATA[ and &lt;/description&gt; to break naive writers, and more text.</p>",
            ),
            Want::Exact("Tricky ]]> & <b> end"),
        ),
        (
            "rtl-emoji",
            page(
                "<title>\u{200F}مرحبا بالعالم \u{202E}override\u{202C} 😀 🇯🇵</title>",
                &format!("<h1>\u{200F}مرحبا بالعالم \u{202E}override\u{202C} 😀 🇯🇵</h1>{para}"),
            ),
            Want::Exact("\u{200F}مرحبا بالعالم \u{202E}override\u{202C} 😀 🇯🇵"),
        ),
    ];
    let long = format!("Long {}", "wörd 😀 ".repeat(285));
    v.push((
        "long-title",
        page(
            &format!("<title>{long}</title>"),
            &format!("<h1>{long}</h1>{para}"),
        ),
        Want::CutAt(300, "Long wörd 😀 wörd"),
    ));
    v
}

#[test]
fn hostile_markup_and_text_give_well_formed_feeds_with_sensible_titles() {
    let pages = hostile_pages();
    let mut listed = pages.iter().map(|p| p.0).collect::<Vec<_>>();
    listed.push("invalid-utf8");
    let links: Vec<String> = listed.iter().map(|n| format!("/h/{n}.html")).collect();
    let served: std::collections::HashMap<String, Vec<u8>> = pages
        .iter()
        .map(|(name, body, _)| (format!("/h/{name}.html"), body.clone()))
        .collect();
    let server = Server::start(move |req| {
        if req.path == "/h/" {
            return Reply::html(listing(&links));
        }
        if req.path == "/h/invalid-utf8.html" {
            let mut body = page(
                "<title>Invalid UTF-8 sequences</title>",
                "<h1>Invalid UTF-8 sequences</h1><p>Bytes \u{1}",
            );
            body.extend_from_slice(
                b"\xff\xfe\xc3\x28\xe2\x82 \xf0\x9f\x98 broken \xed\xa0\x80 surrogate in UTF-8.</p>",
            );
            return Reply::html(body);
        }
        match served.get(&req.path) {
            Some(body) => Reply::html(body.clone()),
            None => Reply::status(404),
        }
    });
    let ws = Workspace::new(&config(
        "",
        &[(
            "hostile",
            server.url("/h/"),
            &format!("max_items = 100\n{ITEMS}"),
        )],
    ));
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let per_format = titles_in_all_formats(&ws, "hostile");
    assert_eq!(per_format[0], per_format[1], "RSS and Atom titles agree");
    assert_eq!(per_format[0], per_format[2], "RSS and JSON titles agree");
    let feed = read_feed(&ws.out("hostile.atom.xml"));
    assert_eq!(feed.entries.len(), listed.len());
    let title_of = |name: &str| -> String {
        feed.entries
            .iter()
            .find(|e| e.links[0].href.ends_with(&format!("/h/{name}.html")))
            .and_then(|e| e.title.as_ref().map(|t| t.content.clone()))
            .unwrap_or_default()
    };
    let mut wrong = Vec::new();
    for (name, _, want) in &pages {
        let got = title_of(name);
        let ok = match want {
            Want::Exact(t) => got == *t,
            Want::OneOf(ts) => ts.contains(&got.as_str()),
            Want::Around(a, b) => got.starts_with(a) && got.ends_with(b),
            Want::CutAt(n, start) => got.chars().count() <= *n && got.starts_with(start),
        };
        if !ok {
            wrong.push(format!("{name}: {got:?}"));
        }
    }
    assert_eq!(title_of("invalid-utf8"), "Invalid UTF-8 sequences");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

// ---------------------------------------------------------------------------------
// Dates

#[test]
fn dates_are_right_or_absent_never_wrong() {
    use chrono::{DateTime, FixedOffset};
    use pagefeed::date::{find_date, parse_date, DateContext};
    let now: DateTime<chrono::Utc> = "2025-12-22T03:00:00Z".parse().unwrap(); // 12:00 in Tokyo
    let ctx = DateContext {
        now,
        tz: chrono_tz::Asia::Tokyo,
        lang: None,
    };
    let at = |s: &str| Some(s.parse::<DateTime<FixedOffset>>().unwrap());
    // (text, the instant it means, or None when no date may be claimed)
    let cases: [(&str, Option<DateTime<FixedOffset>>); 12] = [
        ("2099-01-01", None),
        ("Published 1 January 2199", None),
        ("0000-01-01", None),
        ("1 January 0", None),
        ("31 February 2024", None),
        ("2025-02-31", None),
        ("3 hours ago", at("2025-12-22T00:00:00Z")),
        ("Yesterday 10:15", at("2025-12-21T10:15:00+09:00")),
        ("Today 06:42 am JST", at("2025-12-22T06:42:00+09:00")),
        ("3時間前", at("2025-12-22T00:00:00Z")),
        ("昨日", at("2025-12-21T00:00:00+09:00")),
        ("in 3 hours", None),
    ];
    let mut wrong = Vec::new();
    for (text, want) in cases {
        for (how, got) in [
            ("parse_date", parse_date(text, &ctx)),
            ("find_date", find_date(text, &ctx)),
        ] {
            let got = got.map(|d| d.value);
            if let Some(g) = got {
                if g > now + chrono::Duration::hours(2) {
                    wrong.push(format!("{how}({text:?}) = {g}: in the future"));
                    continue;
                }
            }
            // Absent is always allowed; present must be right.
            if got.is_some() && got != want {
                wrong.push(format!("{how}({text:?}) = {got:?}, want {want:?}"));
            }
        }
        if want.is_some() && parse_date(text, &ctx).is_none() {
            wrong.push(format!("parse_date({text:?}) found nothing, want {want:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

// ---------------------------------------------------------------------------------
// Config: output never leaves output_dir

#[test]
fn feed_ids_cannot_lead_output_out_of_output_dir() {
    for id in ["../../etc/passwd", "con", "a/b", "..", "/abs", "x\\\\y"] {
        let ws = Workspace::new(&format!(
            "[settings]\noutput_dir = \"out/feeds\"\n[[feed]]\nid = \"{id}\"\nurl = \"http://127.0.0.1:9/\"\n"
        ));
        let out = ws.run(&["run"]);
        assert_eq!(out.status.code(), Some(3), "{id}: {}", stderr(&out));
        assert!(stderr(&out).contains("key `id`"), "{id}: {}", stderr(&out));
        // Nothing was created but the config.
        let entries: Vec<String> = std::fs::read_dir(ws.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(entries, ["pagefeed.toml"], "{id}");
    }
}

// ---------------------------------------------------------------------------------
// Property tests: the extractor and the date parser on arbitrary input

mod properties {
    use chrono::{DateTime, Datelike, Utc};
    use pagefeed::date::{find_date, parse_date, DateContext};
    use proptest::prelude::*;

    /// Pieces hostile pages are made of; mixed with arbitrary text by the strategy.
    const PIECES: &[&str] = &[
        "<html>",
        "<head>",
        "<body>",
        "<title>",
        "</title>",
        "<h1>",
        "</h1>",
        "<h2>",
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<article>",
        "</article>",
        "<time datetime=\"2025-12-22T10:15:00+09:00\">",
        "</time>",
        "<meta property=\"og:title\" content=\"",
        "<meta name=\"author\" content=\"",
        "<meta property=\"article:published_time\" content=\"",
        "\">",
        "<script type=\"application/ld+json\">",
        "</script>",
        "{\"@type\":\"NewsArticle\",\"headline\":\"",
        "\",\"datePublished\":\"",
        "\"author\":{\"name\":\"",
        "}",
        "]",
        "[",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        "&#xD800;",
        "&#0;",
        "&#x1;",
        "&#xFFFE;",
        "&amp;",
        "&",
        "<",
        ">",
        "\0",
        "\u{FFFE}",
        "\u{B}",
        "\u{200F}",
        "😀",
        "東京",
        "昨日 10:15",
        "3時間前",
        "3 hours ago",
        "Yesterday",
        "31 February 2024",
        "0000-00-00",
        "9999-12-31T23:59:59Z",
        "<a href=\"",
        "\">",
        "</a>",
        "javascript:",
        "http://[::1",
        "<link rel=\"canonical\" href=\"",
        "By ",
        " and ",
        "\n",
        " ",
    ];

    fn hostile_html() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            3 => proptest::sample::select(PIECES).prop_map(str::to_string),
            1 => any::<String>(),
            1 => "[a-zA-Z ]{1,40}",
        ];
        proptest::collection::vec(piece, 0..60).prop_map(|v| v.concat())
    }

    fn date_like() -> impl Strategy<Value = String> {
        prop_oneof![
            "[0-9]{1,5}[-/. ][0-9]{1,3}[-/. ][0-9]{1,5}( [0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)?",
            "[0-9]{1,3} (January|Feb|February|mars|März|décembre|Dec) [0-9]{1,5}",
            "(Yesterday|Today|Tomorrow|昨日|今日|一昨日) ?[0-9]{0,2}:?[0-9]{0,2} ?(am|pm|JST|UTC)?",
            "[0-9]{1,12} ?(seconds?|minutes?|hours?|days?|weeks?|months?|years?|時間|分|日) ?(ago|前)?",
            "[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日( [0-9]{1,2}時[0-9]{1,2}分)?",
            "[0-9]{8,14}",
            any::<String>(),
        ]
    }

    fn now() -> DateTime<Utc> {
        "2025-12-22T03:00:00Z".parse().unwrap()
    }

    proptest! {
        // PROPTEST_CASES=50000 for a longer hunt; 256 keeps `cargo test` quick.
        #![proptest_config(ProptestConfig {
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256),
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn extractor_never_panics_and_titles_are_xml_safe(html in hostile_html()) {
            let url = url::Url::parse("https://news.example/2025/12/22/story.html").unwrap();
            let e = pagefeed::commands::extract_text(&html, &url, chrono_tz::UTC, now());
            if let Some(t) = &e.title {
                prop_assert!(t.chars().all(pagefeed::text::is_xml_char), "{:?}", t);
                prop_assert!(t.chars().count() <= 300, "{} chars", t.chars().count());
            }
            if let Some(d) = e.published {
                prop_assert!(d <= now() + chrono::Duration::hours(2), "{}", d);
                prop_assert!(d.year() >= 1995, "{}", d);
            }
        }

        #[test]
        fn dates_are_never_in_the_future_nor_before_1995(
            text in date_like(),
            tz in proptest::sample::select(vec![chrono_tz::UTC, chrono_tz::Asia::Tokyo, chrono_tz::America::Los_Angeles, chrono_tz::Pacific::Kiritimati]),
        ) {
            let ctx = DateContext { now: now(), tz, lang: None };
            for d in [parse_date(&text, &ctx), find_date(&text, &ctx)].into_iter().flatten() {
                prop_assert!(d.value <= now() + chrono::Duration::hours(2), "{:?} → {}", text, d.value);
                prop_assert!(d.value.year() >= 1995, "{:?} → {}", text, d.value);
            }
        }
    }
}

// ---- issue 18, state, politeness and config (304s, Retry-After, robots.txt, durations, config messages, OS errors, lost state, database waits) ----
mod state_and_config {
    use std::sync::atomic::{AtomicU16, AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};

    use chrono::{NaiveDateTime, Utc};

    use super::{article, config, listing, titles_in_all_formats, ITEMS};
    use crate::helpers::{read_feed, stderr, stdout, Workspace};
    use crate::server::{Reply, Request, Server};

    /// A listing of `n` stories under `/news/` (`/news/s1.html` …), each with its page.
    fn news_site(req: &Request, n: usize) -> Reply {
        if req.path == "/news/" {
            let links: Vec<String> = (1..=n).map(|i| format!("/news/s{i}.html")).collect();
            return Reply::html(listing(&links)).with_header("ETag", "\"v1\"");
        }
        if let Some(i) = req
            .path
            .strip_prefix("/news/s")
            .and_then(|r| r.strip_suffix(".html"))
        {
            return Reply::html(article(&format!("Story {i}")));
        }
        Reply::status(404)
    }

    /// A server with a one-story listing and a workspace whose feed `news` reads it.
    fn one_story_feed() -> (Server, Workspace) {
        let server = Server::start(|req| news_site(req, 1));
        let ws = Workspace::new(&config(
            "interval = \"0s\"",
            &[("news", server.url("/news/"), ITEMS)],
        ));
        (server, ws)
    }

    fn files_of(ws: &Workspace, id: &str) -> Vec<std::path::PathBuf> {
        ["rss.xml", "atom.xml", "json"]
            .iter()
            .map(|ext| ws.out(&format!("{id}.{ext}")))
            .collect()
    }

    // -- item 6: a 304 never publishes what a run did not read --

    #[test]
    fn a_304_to_an_unconditional_request_fails_the_feed_and_writes_nothing() {
        // The server answers 304 to everything, validator or not.
        let server = Server::start(|req| {
            if req.path == "/news/" {
                return Reply::Full {
                    status: 304,
                    headers: vec![],
                    body: vec![],
                };
            }
            Reply::status(404)
        });
        let ws = Workspace::new(&config(
            "interval = \"0s\"",
            &[(
                "news",
                server.url("/news/"),
                "[feed.expect]\nmin_items = 5\n",
            )],
        ));
        let out = ws.run(&["run"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains(&format!(
                "feed `news`: fetch: {}: HTTP 304 Not Modified to a request without a \
                 validator (a server error)",
                server.url("/news/")
            )),
            "{err}"
        );
        let listing_requests = server.requests();
        assert_eq!(listing_requests.len(), 2, "robots.txt and the listing once");
        assert!(listing_requests
            .iter()
            .all(|r| r.header("if-none-match").is_none()));
        for f in files_of(&ws, "news") {
            assert!(!f.exists(), "{} must not be written", f.display());
        }
    }

    #[test]
    fn a_304_to_a_conditional_request_is_held_to_the_expectations_too() {
        let server = Server::start(|req| {
            if req.path == "/news/" && req.header("if-none-match") == Some("\"v1\"") {
                return Reply::Full {
                    status: 304,
                    headers: vec![],
                    body: vec![],
                };
            }
            news_site(req, 3)
        });
        let cfg = |min: usize| {
            config(
                "interval = \"0s\"",
                &[(
                    "news",
                    server.url("/news/"),
                    &format!("{ITEMS}[feed.expect]\nmin_items = {min}\n"),
                )],
            )
        };
        let ws = Workspace::new(&cfg(3));
        let out = ws.run(&["run"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(
            titles_in_all_formats(&ws, "news")[0],
            ["Story 1", "Story 2", "Story 3"]
        );
        // Unchanged listing, same expectations: the 304 keeps the feed.
        let out = ws.run(&["run"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let before: Vec<String> = files_of(&ws, "news")
            .iter()
            .map(|f| std::fs::read_to_string(f).unwrap())
            .collect();
        // The operator now wants at least 5 items; the server still says "not
        // modified" about a listing of 3.
        std::fs::write(ws.config(), cfg(5)).unwrap();
        let out = ws.run(&["run"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains(
                "expect: feed `news`: found 3 items, expected at least 5; keeping the last good feed"
            ),
            "{err}"
        );
        let conditional = server
            .requests()
            .iter()
            .filter(|r| r.path == "/news/" && r.header("if-none-match").is_some())
            .count();
        assert_eq!(conditional, 2, "both later runs asked conditionally");
        for (f, old) in files_of(&ws, "news").iter().zip(&before) {
            assert_eq!(&std::fs::read_to_string(f).unwrap(), old, "{}", f.display());
        }
    }

    // -- item 4: a Retry-After is capped, --force ignores it, status shows it --

    /// The `RETRY NOT BEFORE` column of a feed's `status` row ("-" when none).
    fn retry_column(ws: &Workspace, id: &str) -> String {
        let out = ws.run(&["status"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let text = stdout(&out);
        let header = text.lines().next().expect("header line");
        let col = header
            .find("RETRY NOT BEFORE")
            .expect("a RETRY NOT BEFORE column");
        let row = text
            .lines()
            .find(|l| l.starts_with(&format!("{id} ")))
            .unwrap_or_else(|| panic!("no row for {id} in\n{text}"));
        row[col..]
            .chars()
            .take(20)
            .collect::<String>()
            .trim()
            .to_string()
    }

    #[test]
    fn a_retry_after_of_years_is_stored_as_a_day_and_force_runs_the_feed() {
        let answered = Arc::new(AtomicUsize::new(0));
        let server = {
            let answered = answered.clone();
            Server::start(move |req| {
                if req.path == "/news/" && answered.fetch_add(1, Ordering::SeqCst) == 0 {
                    return Reply::status(503).with_header("Retry-After", "99999999");
                }
                news_site(req, 2)
            })
        };
        let ws = Workspace::new(&config(
            "interval = \"0s\"",
            &[("news", server.url("/news/"), ITEMS)],
        ));
        let before = Utc::now();
        let out = ws.run(&["run"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("retry after 99999999s"), "{err}");
        // Stored: one day from now, not 3 years.
        let shown = retry_column(&ws, "news");
        let until = NaiveDateTime::parse_from_str(&shown, "%Y-%m-%d %H:%M UTC")
            .unwrap_or_else(|e| panic!("{shown:?}: {e}"))
            .and_utc();
        let day = chrono::Duration::days(1);
        assert!(
            until >= before + day - chrono::Duration::minutes(2) && until <= Utc::now() + day,
            "stored retry time {until} is not a day from {before}"
        );
        // A plain run respects it and does not ask the server.
        let out = ws.run(&["run"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains(&format!(
                "server asked not to retry before {}",
                until.format("%Y-%m-%d %H:%M")
            )),
            "{err}"
        );
        assert_eq!(server.hits("/news/"), 1);
        // --force runs it; the healthy server's answer clears the stored time.
        let out = ws.run(&["run", "--force"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let listing_requests = server
            .requests()
            .iter()
            .filter(|r| r.path == "/news/")
            .count();
        assert_eq!(listing_requests, 2);
        assert_eq!(
            titles_in_all_formats(&ws, "news")[2],
            ["Story 1", "Story 2"]
        );
        assert_eq!(retry_column(&ws, "news"), "-");
    }

    #[test]
    fn a_retry_time_years_ahead_left_by_an_older_version_is_ignored() {
        let (server, ws) = one_story_feed();
        let out = ws.run(&["run"]);
        assert!(out.status.success(), "{}", stderr(&out));
        // What an uncapped `Retry-After: 99999999` stored.
        let db =
            rusqlite::Connection::open(ws.dir.path().join("feeds/.pagefeed/state.sqlite")).unwrap();
        let changed = db
            .execute(
                "UPDATE http_cache SET retry_not_before = '2030-02-03T00:00:00Z' WHERE url = ?1",
                [server.url("/news/")],
            )
            .unwrap();
        assert_eq!(changed, 1);
        drop(db);
        assert_eq!(retry_column(&ws, "news"), "-");
        let out = ws.run(&["run"]);
        let err = stderr(&out);
        assert!(out.status.success(), "{err}");
        assert!(
            err.contains(
                "feed `news`: ignoring a stored retry time of 2030-02-03 00:00:00 UTC, more than \
                 1day ahead"
            ),
            "{err}"
        );
        let listing_requests = server
            .requests()
            .iter()
            .filter(|r| r.path == "/news/")
            .count();
        assert_eq!(listing_requests, 2);
    }

    // -- item 15: robots.txt that answers a server error disallows, for this run only --

    #[test]
    fn a_robots_txt_server_error_disallows_the_site_for_that_run_only() {
        // The status robots.txt answers with (200: an empty file).
        let robots = Arc::new(AtomicU16::new(500));
        let server = {
            let robots = robots.clone();
            Server::start(move |req| {
                if req.path == "/robots.txt" {
                    return match robots.load(Ordering::SeqCst) {
                        200 => Reply::Full {
                            status: 200,
                            headers: vec![("Content-Type".into(), "text/plain".into())],
                            body: b"User-agent: *\nDisallow: /private/\n".to_vec(),
                        },
                        s => Reply::status(s),
                    };
                }
                news_site(req, 2)
            })
        };
        let ws = Workspace::new(&config(
            "interval = \"0s\"",
            &[("news", server.url("/news/"), ITEMS)],
        ));
        for status in [500u16, 503] {
            robots.store(status, Ordering::SeqCst);
            let out = ws.run(&["run"]);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "robots.txt {status}: {err}");
            assert!(
                err.contains(&format!(
                    "feed `news`: fetch: {}: not fetched, the site's robots.txt is unavailable",
                    server.url("/news/")
                )) && err.contains("everything is disallowed for this run (RFC 9309)"),
                "robots.txt {status}: {err}"
            );
            assert_eq!(
                server.hits("/news/"),
                0,
                "robots.txt {status}: listing not asked"
            );
            assert!(!ws.out("news.json").exists());
        }
        // A missing robots.txt (4xx) allows everything, and the next run asks again.
        let robots_asked = server.hits("/robots.txt");
        robots.store(404, Ordering::SeqCst);
        let out = ws.run(&["run"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(server.hits("/robots.txt"), robots_asked + 1);
        assert_eq!(
            titles_in_all_formats(&ws, "news")[1],
            ["Story 1", "Story 2"]
        );
        // And a readable one is obeyed as before.
        robots.store(200, Ordering::SeqCst);
        let out = ws.run(&["run", "--force"]);
        assert!(out.status.success(), "{}", stderr(&out));
    }

    // -- item 18: every duration has a range, checked at load --

    #[test]
    fn every_duration_setting_out_of_range_is_a_config_error_naming_key_and_range() {
        let ws = Workspace::new(
            "[settings]\n\
             timeout = \"100000d\"\n\
             per_host_delay = \"100000d\"\n\
             max_retry_wait = \"2h\"\n\
             interval = \"100000d\"\n\
             \n\
             [[feed]]\n\
             id = \"news\"\n\
             url = \"http://127.0.0.1:9/\"\n\
             timeout = \"0s\"\n\
             per_host_delay = \"2m\"\n\
             interval = \"31d\"\n\
             refresh_after = \"100000d\"\n",
        );
        let wanted = [
            "pagefeed.toml:2: key `settings.timeout`: \"100000d\" is out of range: must be between 100ms and 10m",
            "pagefeed.toml:3: key `settings.per_host_delay`: \"100000d\" is out of range: must be between 0s and 1m",
            "pagefeed.toml:4: key `settings.max_retry_wait`: \"2h\" is out of range: must be between 0s and 10m",
            "pagefeed.toml:5: key `settings.interval`: \"100000d\" is out of range: must be between 0s and 30days",
            "pagefeed.toml:10: feed `news`, key `timeout`: \"0s\" is out of range: must be between 100ms and 10m",
            "pagefeed.toml:11: feed `news`, key `per_host_delay`: \"2m\" is out of range: must be between 0s and 1m",
            "pagefeed.toml:12: feed `news`, key `interval`: \"31d\" is out of range: must be between 0s and 30days",
            "pagefeed.toml:13: feed `news`, key `refresh_after`: \"100000d\" is out of range: must be between 0s and 30days",
        ];
        for cmd in ["validate", "run"] {
            let out = ws.run(&[cmd]);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(3), "{cmd}: {err}");
            for w in wanted {
                assert!(err.contains(w), "{cmd}: wants {w:?} in\n{err}");
            }
            assert_eq!(
                err.lines().count(),
                wanted.len(),
                "{cmd}: one line each:\n{err}"
            );
        }
        assert!(!ws.dir.path().join("feeds").exists(), "nothing written");
        // The ends of each range are allowed.
        let ws = Workspace::new(
            "[settings]\ntimeout = \"10m\"\nper_host_delay = \"0s\"\nmax_retry_wait = \"10m\"\n\
             interval = \"30d\"\n[[feed]]\nid = \"news\"\nurl = \"http://127.0.0.1:9/\"\n\
             timeout = \"100ms\"\nper_host_delay = \"1m\"\ninterval = \"0s\"\nrefresh_after = \"30d\"\n",
        );
        let out = ws.run(&["validate"]);
        assert!(out.status.success(), "{}", stderr(&out));
    }

    // -- item 16: config messages say what is wrong, all at once --

    /// Runs `validate` on a config and returns stderr, asserting exit 3.
    fn config_errors(cfg: &str) -> String {
        let ws = Workspace::new(cfg);
        let out = ws.run(&["validate"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(3), "{err}");
        assert!(!err.contains("Please report"), "{err}");
        assert!(!err.contains("Unexpected error"), "{err}");
        err
    }

    #[test]
    fn a_bad_selector_is_explained_in_words_naming_key_and_selector() {
        let cases = [
            (
                "title = \"h2[@class=x]\"",
                "feed `news`, key `items.title`: invalid CSS selector \"h2[@class=x]\": an \
                 attribute selector needs an attribute name after `[`, found `@class` (to read an \
                 attribute, write `selector@attr`, e.g. \"time@datetime\")",
            ),
            (
                "date = \"time[@datetime\"",
                "feed `news`, key `items.date`: invalid CSS selector \"time[\": it ends too \
                 early (an unclosed `[` or `(`, or nothing after a `.`, `#`, `:` or combinator)",
            ),
            (
                "title = \"h2:frobnicate\"",
                "feed `news`, key `items.title`: invalid CSS selector \"h2:frobnicate\": \
                 `:frobnicate` is not a pseudo-class or pseudo-element that can be used",
            ),
            (
                "author = \"span.>p\"",
                "feed `news`, key `items.author`: invalid CSS selector \"span.>p\": a class \
                 selector needs a name after `.`, found `>`",
            ),
            (
                "summary = \"p >\"",
                "feed `news`, key `items.summary`: invalid CSS selector \"p >\": a \
                 combinator (` `, `>`, `+` or `~`) has no selector on one side",
            ),
            (
                "link = \"a[href=1x]\"",
                "feed `news`, key `items.link`: invalid CSS selector \"a[href=1x]\": an \
                 attribute's value must be a word or a quoted string, found `1x`",
            ),
        ];
        let mut missing = Vec::new();
        for (line, want) in cases {
            let err = config_errors(&format!(
                "[[feed]]\nid = \"news\"\nurl = \"http://127.0.0.1:9/\"\n[feed.items]\n\
                 selector = \"li\"\n{line}\n"
            ));
            if !err.contains(&format!("pagefeed.toml:6: {want}")) {
                missing.push(format!("wants {want:?} in\n{err}"));
            }
        }
        assert!(missing.is_empty(), "{}", missing.join("\n"));
    }

    #[test]
    fn unknown_keys_are_listed_with_every_other_problem_of_the_file() {
        let err = config_errors(
            "[settings]\n\
             timeout = \"soon\"\n\
             outptu_dir = \"x\"\n\
             \n\
             [[feed]]\n\
             id = \"news\"\n\
             url = \"ftp://example.com/\"\n\
             max_itmes = 3\n\
             [feed.items]\n\
             selector = \"li\"\n\
             titel = \"h2\"\n\
             date = { selector = \"time\", atr = \"datetime\" }\n\
             [feed.expect]\n\
             min_itms = 2\n\
             \n\
             [[feed]]\n\
             id = \"other\"\n\
             url = \"https://example.com/\"\n\
             timezone = \"Mars/Base\"\n\
             \n\
             [extra]\n\
             x = 1\n",
        );
        let wanted = [
            "pagefeed.toml:2: key `settings.timeout`: not a duration",
            "pagefeed.toml:3: key `settings.outptu_dir`: unknown field `outptu_dir`, expected one of `output_dir`,",
            "pagefeed.toml:7: feed `news`, key `url`: \"ftp://example.com/\": unsupported scheme \"ftp\"",
            "pagefeed.toml:8: feed `news`, key `max_itmes`: unknown field `max_itmes`, expected one of `id`, `url`,",
            "pagefeed.toml:11: feed `news`, key `items.titel`: unknown field `titel`, expected one of `selector`, `title`,",
            "pagefeed.toml:12: feed `news`, key `items.date.atr`: unknown field `atr`, expected one of `selector`, `attr`",
            "pagefeed.toml:14: feed `news`, key `expect.min_itms`: unknown field `min_itms`, expected one of `min_items`,",
            "pagefeed.toml:19: feed `other`, key `timezone`: unknown time zone \"Mars/Base\"",
            "pagefeed.toml:21: unknown top-level key `extra`, expected `settings`, `feed`",
        ];
        for w in wanted {
            assert!(err.contains(w), "wants {w:?} in\n{err}");
        }
        assert_eq!(
            err.lines().count(),
            wanted.len(),
            "one line each, in file order:\n{err}"
        );
        let lines: Vec<usize> = err
            .lines()
            .filter_map(|l| {
                let rest = &l[l.find("pagefeed.toml:")? + "pagefeed.toml:".len()..];
                rest.split(':').next()?.parse().ok()
            })
            .collect();
        assert_eq!(lines.len(), wanted.len(), "{err}");
        assert!(
            lines.windows(2).all(|w| w[0] <= w[1]),
            "in file order: {lines:?}"
        );
    }

    // -- item 11: the operating system's reason stays in every message --

    #[test]
    fn errors_keep_the_operating_system_reason() {
        // Each fault is one that permission bits do not make, so it holds for root too.
        let (server, ws) = one_story_feed();
        // The lock file's place is taken by a folder.
        let lock = ws.dir.path().join("feeds/.pagefeed/state.lock");
        std::fs::create_dir_all(&lock).unwrap();
        let want = format!(
            "pagefeed: store: cannot lock {}: Is a directory (os error 21)",
            lock.display()
        );
        assert_run_says(&ws, 1, &want);
        std::fs::remove_dir(&lock).unwrap();
        // A feed file's place is taken by a folder: the rename over it fails.
        let rss = ws.out("news.rss.xml");
        std::fs::create_dir_all(rss.join("keep")).unwrap();
        let want = format!(
            "feed `news`: write: {}: Is a directory (os error 21)",
            rss.display()
        );
        assert_run_says(&ws, 2, &want);
        let status = stdout(&ws.run(&["status"]));
        let row = status.lines().find(|l| l.starts_with("news ")).unwrap();
        assert!(row.ends_with(&want["feed `news`: ".len()..]), "{row}");
        // The output folder, or the state folder, would sit below a regular file.
        assert_run_below_a_file(
            &server,
            "interval = \"0s\"\noutput_dir = \"blocker/feeds\"\nstate_file = \"state/state.sqlite\"",
            2,
            |dir| format!("feed `news`: write: {}/blocker/feeds: Not a directory (os error 20)", dir.display()),
        );
        assert_run_below_a_file(
            &server,
            "state_file = \"blocker/state/state.sqlite\"",
            1,
            |dir| {
                format!(
                    "pagefeed: store: cannot create {}/blocker/state: Not a directory (os error 20)",
                    dir.display()
                )
            },
        );
    }

    /// Runs the one-story feed with `settings` in a workspace holding a regular file
    /// `blocker`; asserts the exit code and that stderr says `want(workspace folder)`.
    fn assert_run_below_a_file(
        server: &Server,
        settings: &str,
        code: i32,
        want: impl Fn(&std::path::Path) -> String,
    ) {
        let ws = Workspace::new(&config(settings, &[("news", server.url("/news/"), ITEMS)]));
        std::fs::write(ws.dir.path().join("blocker"), "a file, not a folder").unwrap();
        assert_run_says(&ws, code, &want(ws.dir.path()));
    }

    /// `pagefeed run` exits with `code` and its stderr holds `want`.
    fn assert_run_says(ws: &Workspace, code: i32, want: &str) {
        let out = ws.run(&["run"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(code), "{err}");
        assert!(err.contains(want), "wants {want:?} in\n{err}");
    }

    // -- item 13: a lost state file does not lose the published history --

    /// (id, published) of every entry of each of the feed's three files.
    fn ids_and_dates(
        ws: &Workspace,
        id: &str,
    ) -> Vec<Vec<(String, Option<chrono::DateTime<Utc>>)>> {
        files_of(ws, id)
            .iter()
            .map(|f| {
                read_feed(f)
                    .entries
                    .into_iter()
                    .map(|e| (e.id, e.published))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_lost_state_file_is_rebuilt_from_the_feed_files_with_the_same_ids_and_dates() {
        let shown = Arc::new(Mutex::new(vec![1, 2, 3, 4]));
        let server = {
            let shown = shown.clone();
            Server::start(move |req| {
                if req.path == "/news/" {
                    let links: Vec<String> = shown
                        .lock()
                        .unwrap()
                        .iter()
                        .map(|i| format!("/news/s{i}.html"))
                        .collect();
                    return Reply::html(listing(&links));
                }
                news_site(req, 0)
            })
        };
        let ws = Workspace::new(&config(
            "interval = \"0s\"",
            &[("news", server.url("/news/"), ITEMS)],
        ));
        let out = ws.run(&["run"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let state = ws.dir.path().join("feeds/.pagefeed/state.sqlite");
        let mut before = ids_and_dates(&ws, "news");
        assert_eq!(before[0].len(), 4);
        // Emptied to zero bytes, then deleted; each time the site lists fewer of the
        // old stories and a new one.
        for (round, (lost, now_shown)) in [("emptied", vec![3, 4, 5]), ("deleted", vec![6])]
            .into_iter()
            .enumerate()
        {
            for ext in ["sqlite-wal", "sqlite-shm"] {
                let _ = std::fs::remove_file(state.with_extension(ext));
            }
            if lost == "emptied" {
                std::fs::write(&state, b"").unwrap();
            } else {
                std::fs::remove_file(&state).unwrap();
            }
            let newest = *now_shown.last().unwrap();
            *shown.lock().unwrap() = now_shown;
            let out = ws.run(&["run"]);
            let err = stderr(&out);
            assert!(out.status.success(), "{lost}: {err}");
            let want = format!(
                "feed `news`: the state file {} has no history for this feed, but {} exists: \
                 rebuilt {} items from it (ids and dates kept)",
                state.display(),
                ws.out("news.json").display(),
                before[0].len()
            );
            assert!(err.contains(&want), "{lost}: wants {want:?} in\n{err}");
            let after = ids_and_dates(&ws, "news");
            for (format, (old, new)) in before.iter().zip(&after).enumerate() {
                for entry in old {
                    assert!(
                        new.contains(entry),
                        "{lost}: file {format} lost {entry:?}; it has {new:?}"
                    );
                }
                assert_eq!(new.len(), old.len() + 1, "{lost}: file {format}: {new:?}");
                assert!(
                    new.iter()
                        .any(|(id, _)| id == &server.url(&format!("/news/s{newest}.html"))),
                    "{lost}: the new story is there: {new:?}"
                );
            }
            assert_eq!(
                titles_in_all_formats(&ws, "news")[2].len(),
                4 + round + 1,
                "{lost}"
            );
            // The next run has its history back in the state file: nothing to rebuild.
            let out = ws.run(&["run"]);
            assert!(out.status.success(), "{}", stderr(&out));
            assert!(!stderr(&out).contains("rebuilt"), "{}", stderr(&out));
            assert_eq!(ids_and_dates(&ws, "news"), after);
            before = after;
        }
    }
}

// ---- issue 18, publishing and secrets ----

/// The password of the feed URL in the credential tests; must appear nowhere.
const SECRET: &str = "Hunter2Secret";
/// `Basic base64("ann:Hunter2Secret")`.
const AUTH_HEADER: &str = "Basic YW5uOkh1bnRlcjJTZWNyZXQ=";

/// Issue 18, item 2: a feed `url` with `user:password@` sends the password as basic
/// auth to that host only (listing, its robots.txt, item pages on it) and never to
/// another host (an item link there, a redirect there, that host's robots.txt); and
/// the password appears in no output: not in the feed files, index.html, feeds.opml,
/// the state file, the text or JSON logs of a run at every level, `status`, `check`,
/// `check --explain`, `validate` or an error.
#[test]
fn credentials_in_a_feed_url_go_to_its_host_only_and_are_never_published_or_printed() {
    // Another host (another port is another origin) that must never see the secret.
    let other = Server::start(|req: &Request| match req.path.as_str() {
        "/b1" | "/b2" => Reply::html(article("Elsewhere")),
        _ => Reply::status(404),
    });
    let other_base = other.url("");
    let site = Server::start(move |req: &Request| {
        if req.header("authorization") != Some(AUTH_HEADER) {
            return Reply::status(401).with_header("WWW-Authenticate", "Basic realm=\"news\"");
        }
        match req.path.as_str() {
            // No <title>, no description: the feed's title and description fall back
            // to its home page, the URL that carried the password.
            "/news" => Reply::html(format!(
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"></head><body><main>\
                 <article><h2><a href=\"/a1\">First private story of the day</a></h2></article>\
                 <article><h2><a href=\"/a2\">Second private story of the day</a></h2></article>\
                 <article><h2><a href=\"/a3\">Third private story of the day</a></h2></article>\
                 <article><h2><a href=\"{other_base}/b1\">A story on another host</a></h2></article>\
                 <article><h2><a href=\"/r1\">A story that moved to another host</a></h2></article>\
                 </main></body></html>"
            )),
            "/a1" => Reply::html(article("Private one")),
            "/a2" => Reply::html(article("Private two")),
            "/a3" => Reply::html(article("Private three")),
            "/r1" => Reply::redirect(302, &format!("{other_base}/b2")),
            _ => Reply::status(404),
        }
    });
    let with_secret = |path: &str| {
        site.url(path)
            .replace("http://", &format!("http://ann:{SECRET}@"))
    };
    let ws = Workspace::new(&config(
        "",
        &[
            (
                "private",
                with_secret("/news"),
                "[feed.items]\nselector = \"article\"\nlink = \"a@href\"\ntitle = \".none\"\n",
            ),
            // A failing feed: its error goes to the logs, the state and `status`.
            ("broken", with_secret("/missing"), ""),
        ],
    ));
    let mut outputs: Vec<(String, std::process::Output)> = Vec::new();
    let run = ws.run(&["-vv", "run"]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    outputs.push(("run -vv".into(), run));
    let json = ws.run(&["-vv", "--log-format", "json", "run", "--force"]);
    assert_eq!(json.status.code(), Some(2), "{}", stderr(&json));
    assert!(stderr(&json).contains("\"level\""), "{}", stderr(&json));
    outputs.push(("run --log-format json -vv".into(), json));
    for args in [
        vec!["status"],
        vec!["check", "private"],
        vec!["check", "broken"],
        vec!["-vv", "check", "private", "--explain"],
        vec!["validate"],
    ] {
        outputs.push((args.join(" "), ws.run(&args)));
    }
    // A URL given to `check` on the command line, automatic discovery and --explain.
    let url = with_secret("/news");
    let cli = crate::helpers::pagefeed(&["-vv", "check", &url, "--explain"]);
    assert_eq!(cli.status.code(), Some(0), "{}", stderr(&cli));
    assert!(
        crate::helpers::stdout(&cli).contains(&site.url("/a1")),
        "{}",
        crate::helpers::stdout(&cli)
    );
    outputs.push(("check URL --explain".into(), cli));
    let broken_cli = crate::helpers::pagefeed(&["check", &with_secret("/missing")]);
    assert_eq!(broken_cli.status.code(), Some(2));
    assert!(stderr(&broken_cli).contains(&format!("{}: HTTP 404", site.url("/missing"))));
    outputs.push(("check missing URL".into(), broken_cli));
    let bad = Workspace::new(&config(
        "",
        &[("bad", format!("ftp://ann:{SECRET}@127.0.0.1/x"), "")],
    ));
    let validate = bad.run(&["validate"]);
    assert_eq!(validate.status.code(), Some(3));
    assert!(
        stderr(&validate).contains("unsupported scheme"),
        "{}",
        stderr(&validate)
    );
    outputs.push(("validate a bad URL".into(), validate));

    let state: &[&str] = if ws.db.is_some() {
        &[]
    } else {
        &["state.sqlite"]
    };
    let must: Vec<&str> = ["index.html", "feeds.opml", "private.rss.xml"]
        .into_iter()
        .chain(state.iter().copied())
        .collect();
    crate::helpers::assert_no_secret(
        &outputs,
        &ws.dir.path().join("feeds"),
        &must,
        &[SECRET.as_bytes(), b"ann:"],
    );
    if let Some(db) = &ws.db {
        let rows = db.dump();
        assert!(
            rows.contains("/missing"),
            "the failing feed is in the state"
        );
        assert!(
            !rows.contains(SECRET) && !rows.contains("ann:"),
            "a state row holds the credentials"
        );
    }

    // The items were read with the credentials, and are published at clean URLs.
    let home = site.url("/news");
    for ext in ["rss.xml", "atom.xml", "json"] {
        let feed = read_feed(&ws.out(&format!("private.{ext}")));
        let mut titles: Vec<String> = feed
            .entries
            .iter()
            .filter_map(|e| e.title.as_ref().map(|t| t.content.clone()))
            .collect();
        titles.sort();
        assert_eq!(
            titles,
            [
                "Elsewhere",
                "Elsewhere",
                "Private one",
                "Private three",
                "Private two"
            ],
            "{ext}"
        );
        assert!(
            feed.links.iter().any(|l| l.href == home),
            "{ext}: {:?}",
            feed.links
        );
        assert_eq!(
            feed.title.as_ref().map(|t| t.content.as_str()),
            Some(home.as_str())
        );
    }
    let rss = std::fs::read_to_string(ws.out("private.rss.xml")).unwrap();
    assert!(rss.contains(&format!("Items from {home}")), "{rss}");
    let index = std::fs::read_to_string(ws.out("index.html")).unwrap();
    assert!(
        index.contains(&format!("<a href=\"{home}\">127.0.0.1</a>")),
        "{index}"
    );

    // Sent to its own host only, there on every request.
    let site_paths: Vec<String> = site.requests().iter().map(|r| r.path.clone()).collect();
    for p in [
        "/robots.txt",
        "/news",
        "/a1",
        "/a2",
        "/a3",
        "/r1",
        "/missing",
    ] {
        assert!(
            site_paths.iter().any(|x| x == p),
            "{p} not requested: {site_paths:?}"
        );
    }
    let unauthorised: Vec<Request> = site
        .requests()
        .into_iter()
        .filter(|r| r.header("authorization") != Some(AUTH_HEADER))
        .collect();
    assert!(unauthorised.is_empty(), "{unauthorised:?}");
    let other_paths: Vec<String> = other.requests().iter().map(|r| r.path.clone()).collect();
    for p in ["/robots.txt", "/b1", "/b2"] {
        assert!(
            other_paths.iter().any(|x| x == p),
            "{p} not requested: {other_paths:?}"
        );
    }
    let leaked: Vec<Request> = other
        .requests()
        .into_iter()
        .filter(|r| r.header("authorization").is_some())
        .collect();
    assert!(
        leaked.is_empty(),
        "another host got the credentials: {leaked:?}"
    );
}

/// Text that is markup when a reader renders it as HTML.
const HOSTILE_TEXTS: [&str; 2] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
];

/// A tool from a Debian package: its path, or `None` (with a note) outside CI; under
/// CI (`CI` set) a missing tool fails the test, so CI always exercises it.
fn debian_tool(path: &'static str, package: &str) -> Option<&'static str> {
    if std::path::Path::new(path).exists() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{path} is missing; .ci/run installs {package}"
    );
    eprintln!("skipping: {path} is not installed (apt-get install {package})");
    None
}

/// The text a reader shows for an entry's summary: HTML decoded to its text (after
/// checking it holds no element at all), plain text as it is.
fn shown_summary(e: &feed_rs::model::Entry, what: &str) -> String {
    let s = e
        .summary
        .as_ref()
        .unwrap_or_else(|| panic!("{what}: no summary"));
    if s.content_type.essence().to_string() == "text/html" {
        let frag = scraper::Html::parse_fragment(&s.content);
        let elements = frag.root_element().descendent_elements().count();
        assert_eq!(
            elements, 1,
            "{what}: the summary is markup: {:?}",
            s.content
        );
        frag.root_element().text().collect()
    } else {
        s.content.clone()
    }
}

/// Issue 18, item 5: a plain-text summary that reads as markup is published as text in
/// all three formats (RSS descriptions are HTML-escaped, Atom summaries are
/// `type="text"`, JSON `summary` is a string) and through the XSL stylesheet: what a
/// reader or a browser shows is the text itself, and no element is ever created.
#[test]
fn summaries_that_look_like_markup_are_published_as_text_everywhere() {
    let site = Server::start(|req: &Request| {
        let meta = |i: usize| pagefeed::text::escape_html(HOSTILE_TEXTS[i]);
        let page = |title: &str, description: String| {
            format!(
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
                 <meta name=\"description\" content=\"{description}\"></head>\
                 <body><h1>{title}</h1></body></html>"
            )
        };
        match req.path.as_str() {
            "/" => Reply::html(page("Hostile news", meta(1)).replace(
                "</body>",
                "<ul><li class=\"item\"><a href=\"/s0\">x</a></li>\
                     <li class=\"item\"><a href=\"/s1\">y</a></li></ul></body>",
            )),
            "/s0" => Reply::html(page("Story zero", meta(0))),
            "/s1" => Reply::html(page("Story one", meta(1))),
            _ => Reply::status(404),
        }
    });
    let ws = Workspace::new(&config(
        "stylesheet = true",
        &[("news", site.url("/"), ITEMS)],
    ));
    let o = ws.run(&["run"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let want = |title: &str| match title {
        "Story zero" => HOSTILE_TEXTS[0],
        "Story one" => HOSTILE_TEXTS[1],
        other => panic!("unexpected item {other:?}"),
    };
    for ext in ["rss.xml", "atom.xml", "json"] {
        let path = ws.out(&format!("news.{ext}"));
        // JSON Feed's `summary` and `content_text` are plain text by definition; in the
        // XML formats no markup may appear, escaped once at most.
        let raw = std::fs::read_to_string(&path).unwrap();
        for markup in ["<script", "<img"] {
            assert!(
                ext == "json" || !raw.contains(markup),
                "{ext} holds live {markup}: {raw}"
            );
        }
        if ext == "json" {
            assert!(!raw.contains("content_html"), "{raw}");
        }
        let feed = read_feed(&path);
        assert_eq!(feed.entries.len(), 2, "{ext}");
        for e in &feed.entries {
            let title = e.title.as_ref().map(|t| t.content.as_str()).unwrap_or("");
            assert_eq!(shown_summary(e, ext), want(title), "{ext}: {title}");
        }
    }
    // The channel's description, from the listing's meta description.
    let rss = std::fs::read_to_string(ws.out("news.rss.xml")).unwrap();
    assert!(
        rss.contains(
            "<description>&quot;&amp;gt;&amp;lt;img src=x onerror=alert(1)&amp;gt;</description>"
        ),
        "{rss}"
    );

    // A browser opening the feed runs the stylesheet: the page shows the texts, and
    // holds no script, image or event handler.
    let Some(xsltproc) = debian_tool("/usr/bin/xsltproc", "xsltproc") else {
        return;
    };
    for ext in ["rss.xml", "atom.xml"] {
        let out = Command::new(xsltproc)
            .arg(ws.out("pagefeed.xsl"))
            .arg(ws.out(&format!("news.{ext}")))
            .output()
            .expect("run xsltproc");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let html = String::from_utf8(out.stdout).expect("utf-8");
        let doc = scraper::Html::parse_document(&html);
        let count = |css: &str| doc.select(&scraper::Selector::parse(css).unwrap()).count();
        assert_eq!(count("script, img, [onerror]"), 0, "{ext}: {html}");
        let shown: Vec<(String, String)> = doc
            .select(&scraper::Selector::parse("li").unwrap())
            .map(|li| {
                let title: String = li
                    .select(&scraper::Selector::parse("a").unwrap())
                    .flat_map(|a| a.text())
                    .collect();
                let summary: String = li
                    .select(&scraper::Selector::parse("div:not(.meta)").unwrap())
                    .flat_map(|d| d.text())
                    .collect();
                (title, summary)
            })
            .collect();
        assert_eq!(shown.len(), 2, "{ext}: {html}");
        for (title, summary) in shown {
            assert_eq!(summary, want(&title), "{ext}: {html}");
        }
    }
}

/// Issue 18, item 9: an article's `rel=canonical` or `og:url` replaces its link and id
/// only on the same site (registrable domain) or on a host of `allow_hosts`; one
/// pointing at another host is ignored, so the item stays on the site it was listed on.
#[test]
fn a_canonical_url_on_another_site_does_not_replace_the_items_link() {
    let site = Server::start(|req: &Request| {
        let port = req
            .header("host")
            .and_then(|h| h.rsplit(':').next())
            .unwrap_or("0")
            .to_string();
        let page = |title: &str, head: &str| {
            Reply::html(format!(
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
                 {head}</head><body><article><h1>{title}</h1><p>Text of {title}, long enough \
                 to be the summary of this story.</p></article></body></html>"
            ))
        };
        match req.path.as_str() {
            "/" => Reply::html(listing(&["/a1", "/a2", "/a3", "/a4"].map(String::from))),
            "/a1" => page(
                "Canonical elsewhere",
                "<link rel=\"canonical\" href=\"https://other.example/stolen\">",
            ),
            "/a2" => page(
                "Og url elsewhere",
                "<meta property=\"og:url\" content=\"https://evil.example/x\">",
            ),
            "/a3" => page(
                "Canonical on the site",
                &format!("<link rel=\"canonical\" href=\"http://127.0.0.1:{port}/stories/a3\">"),
            ),
            "/a4" => page(
                "Canonical on an allowed host",
                "<link rel=\"canonical\" href=\"https://www.partner.example/a4\">",
            ),
            _ => Reply::status(404),
        }
    });
    let ws = Workspace::new(&config(
        "",
        &[(
            "news",
            site.url("/"),
            &format!("allow_hosts = [\"partner.example\"]\n{ITEMS}"),
        )],
    ));
    let o = ws.run(&["run"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let want: Vec<(String, String)> = vec![
        ("Canonical elsewhere".into(), site.url("/a1")),
        (
            "Canonical on an allowed host".into(),
            "https://www.partner.example/a4".into(),
        ),
        ("Canonical on the site".into(), site.url("/stories/a3")),
        ("Og url elsewhere".into(), site.url("/a2")),
    ];
    for ext in ["rss.xml", "atom.xml", "json"] {
        let feed = read_feed(&ws.out(&format!("news.{ext}")));
        let mut got: Vec<(String, String)> = feed
            .entries
            .iter()
            .map(|e| {
                let link = e.links.first().map(|l| l.href.clone()).unwrap_or_default();
                // The id is the link, in every format.
                assert_eq!(e.id, link, "{ext}");
                (
                    e.title
                        .as_ref()
                        .map(|t| t.content.clone())
                        .unwrap_or_default(),
                    link,
                )
            })
            .collect();
        got.sort();
        assert_eq!(got, want, "{ext}");
    }
}

/// Issue 18, item 10: a saved listing (`url` is a path) follows `file:` item links only
/// below its own folder: an absolute `file:///…` link, a `../` link and a symlink out
/// of the folder are not read, so those files' titles and text never reach the feed.
#[test]
fn a_saved_listing_reads_file_links_only_below_its_own_folder() {
    let ws = Workspace::new("");
    let root = ws.dir.path();
    let site = root.join("site");
    std::fs::create_dir_all(site.join("articles")).unwrap();
    let secret = "<html><head><title>Private notes title</title></head><body><article>\
                  <h1>Private notes title</h1><p>PRIVATE-TEXT that lives outside the saved \
                  site and must never be published in a feed.</p></article></body></html>";
    std::fs::write(root.join("secret.html"), secret).unwrap();
    std::os::unix::fs::symlink(root.join("secret.html"), site.join("articles/link.html")).unwrap();
    std::fs::write(site.join("articles/inside.html"), article("Inside story")).unwrap();
    let absolute = url::Url::from_file_path(root.join("secret.html")).unwrap();
    std::fs::write(
        site.join("index.html"),
        listing(&[
            "articles/inside.html".to_string(),
            absolute.to_string(),
            "../secret.html?copy=2".to_string(),
            "articles/link.html".to_string(),
        ]),
    )
    .unwrap();
    std::fs::write(
        ws.config(),
        config("", &[("saved", "site/index.html".to_string(), ITEMS)]),
    )
    .unwrap();
    let o = ws.run(&["run"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(
        err.matches("outside the listing's folder").count(),
        3,
        "each outside link is refused by name: {err}"
    );
    for (_, bytes) in all_files(&root.join("feeds")) {
        assert!(!contains_bytes(&bytes, b"PRIVATE-TEXT"));
        assert!(!contains_bytes(&bytes, b"Private notes"));
    }
    for ext in ["rss.xml", "atom.xml", "json"] {
        let feed = read_feed(&ws.out(&format!("saved.{ext}")));
        let titled: Vec<String> = feed
            .entries
            .iter()
            .filter_map(|e| e.title.as_ref().map(|t| t.content.clone()))
            .filter(|t| !t.is_empty())
            .collect();
        assert_eq!(titled, ["Inside story"], "{ext}");
    }
}

/// Issue 18, item 8: RFC 4287 wants an author in every Atom entry or in the feed; when
/// an entry has none, the feed names the site (its title) as author.
#[test]
fn an_atom_feed_whose_entries_lack_authors_names_the_site_as_author() {
    let site = Server::start(|req: &Request| match req.path.as_str() {
        "/" => Reply::html(listing(&["/a1".to_string(), "/a2".to_string()]).replace(
            "<title>Hostile</title>",
            "<title>Hostile</title><meta property=\"og:site_name\" content=\"The Quiet Gazette\">",
        )),
        "/a1" => Reply::html(article("No byline here")),
        "/a2" => Reply::html(article("No byline either")),
        _ => Reply::status(404),
    });
    let ws = Workspace::new(&config("", &[("news", site.url("/"), ITEMS)]));
    let o = ws.run(&["run"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let feed = read_feed(&ws.out("news.atom.xml"));
    assert_eq!(feed.entries.len(), 2);
    assert!(feed.entries.iter().all(|e| e.authors.is_empty()));
    let names: Vec<&str> = feed.authors.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["The Quiet Gazette"]);
    let xml = std::fs::read_to_string(ws.out("news.atom.xml")).unwrap();
    let head = &xml[..xml.find("<entry>").expect("an entry")];
    assert!(
        head.contains("<author><name>The Quiet Gazette</name></author>"),
        "{head}"
    );
}

/// Issue 18, item 7: every published string is capped as the README's table says
/// (titles 300 characters, descriptions and summaries 1,000), wherever it comes from:
/// a listing's `og:site_name`, `<title>` and meta description, a source feed's channel,
/// selector and source-feed item titles; and an item link over 8 KiB is refused.
#[test]
fn megabyte_titles_and_descriptions_are_capped_and_huge_urls_refused() {
    const MB: usize = 1 << 20;
    let word = |w: &str| format!("{w} ").repeat(MB / (w.len() + 1));
    let long_path = format!("/{}", "x".repeat(100 * 1024));
    let site_name = word("site");
    let description = word("desc");
    let item_title = word("headline");
    let lp = long_path.clone();
    let site = Server::start(move |req: &Request| {
        let p = req.path.as_str();
        if p == "/" {
            Reply::html(format!(
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{site_name}</title>\
                 <meta property=\"og:site_name\" content=\"{site_name}\">\
                 <meta name=\"description\" content=\"{description}\"></head><body><ul>\
                 <li class=\"item\"><a href=\"/a1\"><span class=\"t\">{item_title}</span></a></li>\
                 <li class=\"item\"><a href=\"{lp}\"><span class=\"t\">Too long a link</span></a></li>\
                 <li class=\"item\"><a href=\"/a2\"><span class=\"t\">A short title</span></a></li>\
                 </ul></body></html>"
            ))
        } else if p == "/feed.xml" {
            Reply::Full {
                status: 200,
                headers: vec![("Content-Type".into(), "application/rss+xml".into())],
                body: format!(
                    "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{site_name}</title>\
                     <link>http://127.0.0.1/</link><description>{description}</description>\
                     <item><title>{item_title}</title><link>/a1</link></item>\
                     <item><title>Too long a link</title><link>{lp}</link></item>\
                     <item><title>A short title</title><link>/a2</link></item>\
                     </channel></rss>"
                )
                .into_bytes(),
            }
        } else if p == "/a1" || p == "/a2" {
            Reply::html(article("Page title"))
        } else {
            Reply::status(404)
        }
    });
    let ws = Workspace::new(&config(
        "",
        &[
            (
                "html",
                site.url("/"),
                "follow = false\n[feed.items]\nselector = \"li.item\"\nlink = \"a@href\"\ntitle = \".t\"\n",
            ),
            ("feed", site.url("/feed.xml"), "source = \"feed\"\nfollow = false\n"),
        ],
    ));
    let o = ws.run(&["run"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let chars = |s: &str| s.chars().count();
    for id in ["html", "feed"] {
        for ext in ["rss.xml", "atom.xml", "json"] {
            let what = format!("{id}.{ext}");
            let feed = read_feed(&ws.out(&what));
            let title = feed
                .title
                .as_ref()
                .map(|t| t.content.clone())
                .unwrap_or_default();
            assert!(title.starts_with("site site"), "{what}");
            assert!(
                chars(&title) <= 300,
                "{what}: title of {} chars",
                chars(&title)
            );
            let desc = feed
                .description
                .as_ref()
                .map(|t| t.content.clone())
                .unwrap_or_default();
            assert!(desc.starts_with("desc desc"), "{what}");
            assert!(
                chars(&desc) <= 1000,
                "{what}: description of {} chars",
                chars(&desc)
            );
            let mut links: Vec<String> = feed
                .entries
                .iter()
                .map(|e| e.links[0].href.clone())
                .collect();
            links.sort();
            assert_eq!(links, [site.url("/a1"), site.url("/a2")], "{what}");
            for e in &feed.entries {
                let t = e
                    .title
                    .as_ref()
                    .map(|t| t.content.clone())
                    .unwrap_or_default();
                assert!(
                    chars(&t) <= 300,
                    "{what}: item title of {} chars",
                    chars(&t)
                );
                if e.links[0].href.ends_with("/a1") {
                    assert!(
                        t.starts_with("headline headline") && t.ends_with('…'),
                        "{what}"
                    );
                }
            }
        }
    }
    let index = std::fs::metadata(ws.out("index.html")).unwrap().len();
    assert!(index < 16 * 1024, "index.html is {index} bytes");
    for (path, bytes) in all_files(&ws.dir.path().join("feeds")) {
        assert!(
            bytes.len() < 64 * 1024,
            "{} is {} bytes",
            path.display(),
            bytes.len()
        );
    }
}

/// The index row of a feed: (items, last update's `datetime`).
fn index_row(ws: &Workspace, id: &str) -> (String, Option<String>) {
    let html = std::fs::read_to_string(ws.out("index.html")).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let sel = |css: &str| scraper::Selector::parse(css).unwrap();
    let row = doc
        .select(&sel(&format!("tr#{id}")))
        .next()
        .unwrap_or_else(|| panic!("no row for {id}: {html}"));
    let items = row.select(&sel("td.n")).flat_map(|t| t.text()).collect();
    let time = row
        .select(&sel("time"))
        .next()
        .and_then(|t| t.value().attr("datetime"))
        .map(str::to_string);
    (items, time)
}

/// Issue 18, item 14: when a feed's files cannot be written after its state was
/// committed, index.html says what the files hold (their items and update time), not
/// what the state holds; the other feeds of the run are listed as written.
#[test]
fn after_a_failed_write_the_index_says_what_the_files_hold() {
    let count = Arc::new(AtomicU16::new(3));
    let n = count.clone();
    let site = Server::start(move |req: &Request| {
        let links: Vec<String> = (0..n.load(Ordering::SeqCst))
            .map(|i| format!("/a{i}"))
            .collect();
        match req.path.as_str() {
            "/" => Reply::html(listing(&links)),
            "/other" => Reply::html(listing(&["/a0".to_string(), "/a1".to_string()])),
            p => Reply::html(article(&format!("Story {}", &p[2..]))),
        }
    });
    let ws = Workspace::new(&config(
        "interval = \"0s\"",
        &[
            ("news", site.url("/"), ITEMS),
            ("other", site.url("/other"), ITEMS),
        ],
    ));
    let o = ws.run(&["run"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (items, first_time) = index_row(&ws, "news");
    assert_eq!(items, "3");
    // The RSS file cannot be replaced: a non-empty folder stands in its place, so the
    // write of the next run fails before the Atom and JSON files are touched.
    let rss = ws.out("news.rss.xml");
    std::fs::remove_file(&rss).unwrap();
    std::fs::create_dir_all(rss.join("blocker")).unwrap();
    count.store(6, Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(1100));
    let o = ws.run(&["run"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("write: {}", rss.display())),
        "{}",
        stderr(&o)
    );
    let atom = read_feed(&ws.out("news.atom.xml"));
    assert_eq!(
        atom.entries.len(),
        3,
        "the files still hold the first run's items"
    );
    let (items, time) = index_row(&ws, "news");
    assert_eq!(items, "3", "index.html says what the files hold");
    assert_eq!(time, first_time);
    assert_eq!(index_row(&ws, "other").0, "2");
    let status = ws.run(&["status"]);
    assert!(
        crate::helpers::stdout(&status).contains("write:"),
        "{}",
        crate::helpers::stdout(&status)
    );
}

// ---- issue 18, deep nesting and CPU time ----

/// The nesting shapes of the deep-page tests: (name, opening, closing).
const DEEP_SHAPES: [(&str, &str, &str); 5] = [
    ("div", "<div>", "</div>"),
    ("ul", "<ul><li>", "</li></ul>"),
    ("blockquote", "<blockquote>", "</blockquote>"),
    ("section", "<section>", "</section>"),
    ("table", "<table><tr><td>", "</td></tr></table>"),
];

/// Nesting depth of the deep-page tests: far past any stack a recursive walker has.
const DEEP: usize = 100_000;

const DEEP_PROSE: &str = "The deepest paragraph of this page, long enough to be read as prose, \
                          with commas, and a few more words after them.";

/// `cargo test` runs the debug binary, 10 to 30 times slower than a release build (which
/// reads each of these pages in under half a second, well within the default 2 s).
const DEBUG_WORK_LIMIT: &str = "page_work_limit = \"5m\"";

/// An article whose whole body sits `DEEP` levels down in `shape`.
fn deep_article(shape: &str, open: &str, close: &str) -> String {
    let para = format!("<p>{DEEP_PROSE}</p>");
    format!(
        "<!DOCTYPE html><html><head><title>Deep {shape} page</title></head><body><article>\
         <h1>Deep {shape} page</h1>{}<h2>Deep heading</h2>{}{}</article></body></html>",
        open.repeat(DEEP),
        para.repeat(3),
        close.repeat(DEEP)
    )
}

/// A listing whose five stories sit `DEEP` levels down in `shape`.
fn deep_listing(shape: &str, open: &str, close: &str) -> String {
    let items: String = (1..=5)
        .map(|i| {
            format!(
                "<li class=\"story\"><h3><a href=\"/{shape}/2024/story-{i}.html\">Story {i} \
                 from under the deep {shape} pile</a></h3><time datetime=\"2024-05-0{i}\">\
                 May {i}</time></li>"
            )
        })
        .collect();
    format!(
        "<!DOCTYPE html><html><head><title>Deep {shape} listing</title></head><body><main>\
         {}<ul class=\"stories\">{items}</ul>{}</main></body></html>",
        open.repeat(DEEP),
        close.repeat(DEEP)
    )
}

#[test]
fn deep_nesting_pagefeed_extract_reads_every_shape() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (shape, open, close) in DEEP_SHAPES {
        let path = dir.path().join(format!("{shape}.html"));
        std::fs::write(&path, deep_article(shape, open, close)).expect("write page");
        let out =
            crate::helpers::pagefeed(&["extract", "--json", path.to_str().expect("utf-8 path")]);
        assert_eq!(out.status.code(), Some(0), "{shape}: {}", stderr(&out));
        let line: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON line");
        assert_eq!(line["title"], format!("Deep {shape} page"), "{shape}");
        assert_eq!(line["summary"], DEEP_PROSE, "{shape}");
    }
}

#[test]
fn deep_nesting_full_content_feed_publishes_every_deep_article() {
    let server = Server::start(|req| {
        let path = req.path.trim_start_matches('/');
        if path.is_empty() {
            let links: Vec<String> = DEEP_SHAPES
                .iter()
                .map(|(s, _, _)| format!("/{s}.html"))
                .collect();
            return Reply::html(listing(&links));
        }
        match DEEP_SHAPES
            .iter()
            .find(|(s, _, _)| path == format!("{s}.html"))
        {
            Some((s, o, c)) => Reply::html(deep_article(s, o, c)),
            None => Reply::status(404),
        }
    });
    let extra = format!("content = \"full\"\n{ITEMS}");
    let ws = Workspace::new(&config(
        DEBUG_WORK_LIMIT,
        &[("deep", server.url("/"), &extra)],
    ));
    let out = ws.run(&["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let feed = read_feed(&ws.out("deep.json"));
    let mut titles: Vec<String> = Vec::new();
    for e in &feed.entries {
        let title = e
            .title
            .as_ref()
            .map(|t| t.content.clone())
            .unwrap_or_default();
        let content = e
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .unwrap_or_default();
        assert!(content.contains(DEEP_PROSE), "{title}: {content}");
        assert!(
            content.contains("<h2>Deep heading</h2>"),
            "{title}: {content}"
        );
        titles.push(title);
    }
    titles.sort();
    let mut want: Vec<String> = DEEP_SHAPES
        .iter()
        .map(|(s, _, _)| format!("Deep {s} page"))
        .collect();
    want.sort();
    assert_eq!(titles, want);
}

#[test]
fn deep_nesting_listing_items_are_discovered() {
    let server = Server::start(|req| {
        let shape = req.path.trim_matches('/');
        match DEEP_SHAPES.iter().find(|(s, _, _)| *s == shape) {
            Some((s, o, c)) => Reply::html(deep_listing(s, o, c)),
            None => Reply::status(404),
        }
    });
    let feeds: Vec<(&str, String, &str)> = DEEP_SHAPES
        .iter()
        .map(|(s, _, _)| (*s, server.url(&format!("/{s}/")), "follow = false"))
        .collect();
    let ws = Workspace::new(&config(DEBUG_WORK_LIMIT, &feeds));
    let out = ws.run(&["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for (shape, _, _) in DEEP_SHAPES {
        let want: Vec<String> = (1..=5)
            .rev()
            .map(|i| format!("Story {i} from under the deep {shape} pile"))
            .collect();
        for titles in titles_in_all_formats(&ws, shape) {
            assert_eq!(titles, want, "{shape}");
        }
    }
}

#[test]
fn a_page_past_page_work_limit_fails_that_page_and_the_run_goes_on() {
    // A page far too slow to analyse within 300 ms even where CPU is plenty: 100,000
    // levels of nesting cost seconds in a debug build. The small pages take a few
    // milliseconds.
    let server = Server::start(|req| {
        if let Some(r) = good_site(req) {
            return r;
        }
        let (_, open, close) = DEEP_SHAPES[1];
        match req.path.as_str() {
            "/heavy/" => Reply::html(deep_listing("ul", open, close)),
            "/items/" => Reply::html(
                "<html><body><ul>\
                 <li class=\"item\"><a href=\"/items/heavy.html\">Heavy story</a></li>\
                 <li class=\"item\"><a href=\"/items/light.html\">Light story</a></li>\
                 </ul></body></html>",
            ),
            "/items/heavy.html" => Reply::html(deep_article("ul", open, close)),
            "/items/light.html" => Reply::html(article("Light story")),
            _ => Reply::status(404),
        }
    });
    let items = "[feed.items]\nselector = \"li.item\"\nlink = \"a@href\"\ntitle = \"a\"\n";
    let ws = Workspace::new(&config(
        "page_work_limit = \"300ms\"",
        &[
            ("heavy", server.url("/heavy/"), ""),
            ("items", server.url("/items/"), items),
            ("good", server.url("/good/"), ITEMS),
        ],
    ));
    let out = ws.run(&["run"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "feed `heavy`: {}: analysing the page took longer than page_work_limit (300ms), \
             so it was stopped",
            server.url("/heavy/")
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "feed `items`: item page {}: analysing the page took longer than \
             page_work_limit (300ms), so it was stopped; publishing the listing's data",
            server.url("/items/heavy.html")
        )),
        "{err}"
    );
    assert!(!ws.out("heavy.rss.xml").exists());
    assert_eq!(titles_in_all_formats(&ws, "good")[0], ["A good story"]);
    // The slow item is published from the listing; the other one from its page.
    let feed = read_feed(&ws.out("items.json"));
    let mut got: Vec<(String, bool)> = feed
        .entries
        .iter()
        .map(|e| {
            let title = e
                .title
                .as_ref()
                .map(|t| t.content.clone())
                .unwrap_or_default();
            (title, e.summary.is_some())
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("Heavy story".to_string(), false),
            ("Light story".to_string(), true)
        ]
    );
}

#[test]
fn status_shows_each_of_many_feeds_with_its_own_counts_and_errors() {
    const FEEDS: usize = 240;
    // Feed i lists i % 4 + 1 items, every other one dated; every tenth feed is gone.
    let server = Server::start(|req| {
        let Some(i) = req
            .path
            .strip_prefix("/f")
            .and_then(|p| p.trim_end_matches('/').parse::<usize>().ok())
        else {
            return Reply::status(404);
        };
        if i % 10 == 0 {
            return Reply::status(404);
        }
        let items: String = (0..i % 4 + 1)
            .map(|j| {
                let date = if j % 2 == 0 {
                    format!(
                        "<time datetime=\"2024-05-{:02}T10:00:00Z\">May</time>",
                        j + 1
                    )
                } else {
                    String::new()
                };
                format!("<li class=\"item\"><a href=\"/f{i}/{j}.html\">Story {j}</a>{date}</li>")
            })
            .collect();
        Reply::html(format!("<html><body><ul>{items}</ul></body></html>"))
    });
    let items = "follow = false\n[feed.items]\nselector = \"li.item\"\nlink = \"a@href\"\n\
                 title = \"a\"\ndate = \"time@datetime\"\n";
    let ids: Vec<String> = (0..FEEDS).map(|i| format!("f{i:03}")).collect();
    let feeds: Vec<(&str, String, &str)> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), server.url(&format!("/f{i}/")), items))
        .collect();
    let ws = Workspace::new(&config("", &feeds));
    let run = ws.run(&["run"]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    let out = ws.run(&["status"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = crate::helpers::stdout(&out);
    let lines: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(lines.len(), FEEDS, "{text}");
    for (i, line) in lines.iter().enumerate() {
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(cols[0], format!("f{i:03}"), "{line}");
        if i % 10 == 0 {
            assert_eq!(cols[1], "0", "{line}");
            assert!(
                line.contains(&format!("{}: HTTP 404", server.url(&format!("/f{i}/")))),
                "{line}"
            );
        } else {
            let n = i % 4 + 1;
            let dated = n.div_ceil(2);
            assert_eq!(cols[1], n.to_string(), "{line}");
            let coverage = format!("100%/0%/{:.0}%/0%", dated as f32 * 100.0 / n as f32);
            assert!(cols.contains(&coverage.as_str()), "{coverage}: {line}");
            assert!(line.ends_with(" -"), "no error: {line}");
        }
    }
}
