//! The loopback site for the pipeline bench: listings and article pages on 127.0.0.1.
//!
//! `serve CORPUS_MANIFEST --hosts H --feeds F --per-listing 25 --latency-ms 20
//! --max-seconds S` listens on H ports of 127.0.0.1 (pagefeed's per-host limits key on
//! host:port, so each port is one "host"). Feed `f` lives on port `f % H`:
//!
//! - `/f{f}/`: a listing of `per-listing` teasers, each linking `/f{f}/a{j}.html`;
//! - `/f{f}/a{j}.html`: corpus page `(f * per-listing + j) % pages`, with its canonical
//!   link and `og:url` disabled (same-length rewrite) so every article is its own item;
//! - `/robots.txt`: allows everything.
//!
//! Every response waits `latency-ms` first and carries a strong ETag; a matching
//! `If-None-Match` gets 304. It prints `{"ports":[...]}` once listening, then answers
//! `stats` lines on stdin with the request counts since the last `stats` (and resets
//! them). It exits when stdin closes or after `max-seconds`, whichever comes first.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

#[derive(Default)]
struct Stats {
    listing: AtomicU64,
    article: AtomicU64,
    robots: AtomicU64,
    other: AtomicU64,
    not_modified: AtomicU64,
    bytes: AtomicU64,
}

struct Site {
    pages: Vec<Vec<u8>>,
    per_listing: usize,
    feeds: usize,
    latency: Duration,
    stats: Stats,
}

/// ASCII case-insensitive same-length replacement, so the page's size does not change.
fn disable(mut page: Vec<u8>, needle: &[u8], with: &[u8]) -> Vec<u8> {
    assert_eq!(needle.len(), with.len());
    let mut i = 0;
    while i + needle.len() <= page.len() {
        if page[i..i + needle.len()].eq_ignore_ascii_case(needle) {
            page[i..i + needle.len()].copy_from_slice(with);
            i += needle.len();
        } else {
            i += 1;
        }
    }
    page
}

fn listing(f: usize, n: usize) -> Vec<u8> {
    let mut s = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Section {f} | Loopback News</title>\
         <meta name=\"description\" content=\"The latest stories of section {f}.\">\
         </head><body><header><nav><a href=\"/\">Home</a> <a href=\"/about\">About</a></nav>\
         </header><main><h1>Section {f}</h1>\n"
    );
    for j in 0..n {
        let day = 1 + (j % 28);
        s.push_str(&format!(
            "<article class=\"teaser\"><h2><a href=\"/f{f}/a{j}.html\">Story {j} of section \
             {f}: what happened next</a></h2><time datetime=\"2026-10-{day:02}T08:00:00Z\">\
             October {day}, 2026</time><p>A short teaser for story {j}, which is one of the \
             stories in section {f}.</p></article>\n"
        ));
    }
    s.push_str("</main><footer><p>© Loopback News</p></footer></body></html>\n");
    s.into_bytes()
}

/// `(status line, etag, body)` for a path.
fn route(site: &Site, path: &str) -> (u16, String, Vec<u8>) {
    if path == "/robots.txt" {
        site.stats.robots.fetch_add(1, Relaxed);
        return (
            200,
            "\"robots\"".into(),
            b"User-agent: *\nAllow: /\n".to_vec(),
        );
    }
    let mut parts = path.trim_start_matches('/').splitn(2, '/');
    let f = parts
        .next()
        .and_then(|p| p.strip_prefix('f'))
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|f| *f < site.feeds);
    let rest = parts.next();
    match (f, rest) {
        (Some(f), Some("")) => {
            site.stats.listing.fetch_add(1, Relaxed);
            (200, format!("\"l{f}\""), listing(f, site.per_listing))
        }
        (Some(f), Some(a)) => {
            let j = a
                .strip_prefix('a')
                .and_then(|a| a.strip_suffix(".html"))
                .and_then(|n| n.parse::<usize>().ok())
                .filter(|j| *j < site.per_listing);
            match j {
                Some(j) => {
                    site.stats.article.fetch_add(1, Relaxed);
                    let k = (f * site.per_listing + j) % site.pages.len();
                    (200, format!("\"a{f}-{j}\""), site.pages[k].clone())
                }
                None => {
                    site.stats.other.fetch_add(1, Relaxed);
                    (404, String::new(), b"not found".to_vec())
                }
            }
        }
        _ => {
            site.stats.other.fetch_add(1, Relaxed);
            (404, String::new(), b"not found".to_vec())
        }
    }
}

async fn conn(site: Arc<Site>, stream: TcpStream) {
    let (r, mut w) = stream.into_split();
    let mut r = BufReader::new(r);
    loop {
        let mut path = None;
        let mut inm = None;
        let mut close = false;
        let mut line = String::new();
        loop {
            line.clear();
            match r.read_line(&mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let l = line.trim_end();
            if l.is_empty() {
                if path.is_some() {
                    break;
                }
                continue;
            }
            if path.is_none() {
                path = l.split(' ').nth(1).map(str::to_string);
            } else if let Some((k, v)) = l.split_once(':') {
                let (k, v) = (k.trim(), v.trim());
                if k.eq_ignore_ascii_case("if-none-match") {
                    inm = Some(v.to_string());
                } else if k.eq_ignore_ascii_case("connection") && v.eq_ignore_ascii_case("close") {
                    close = true;
                } else if k.eq_ignore_ascii_case("content-length") {
                    // GETs carry no body; skip one if sent anyway.
                    let n: u64 = v.parse().unwrap_or(0);
                    let _ = (&mut r).take(n).read_to_end(&mut Vec::new()).await;
                }
            }
        }
        let path = path.unwrap_or_default();
        tokio::time::sleep(site.latency).await;
        let (status, etag, body) = route(&site, &path);
        let not_modified = status == 200 && inm.as_deref() == Some(etag.as_str());
        let mut head = if not_modified {
            site.stats.not_modified.fetch_add(1, Relaxed);
            format!("HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nContent-Length: 0\r\n")
        } else {
            let reason = if status == 200 { "OK" } else { "Not Found" };
            let ctype = if path == "/robots.txt" {
                "text/plain"
            } else {
                "text/html"
            };
            format!(
                "HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n{}",
                body.len(),
                if etag.is_empty() {
                    String::new()
                } else {
                    format!("ETag: {etag}\r\n")
                }
            )
        };
        head.push_str("\r\n");
        let mut ok = w.write_all(head.as_bytes()).await.is_ok();
        if !not_modified && ok {
            site.stats.bytes.fetch_add(body.len() as u64, Relaxed);
            ok = w.write_all(&body).await.is_ok();
        }
        if !ok || close {
            return;
        }
    }
}

fn stats_json(s: &Stats) -> String {
    let take = |a: &AtomicU64| a.swap(0, Relaxed);
    format!(
        "{{\"listing\":{},\"article\":{},\"robots\":{},\"other\":{},\"not_modified\":{},\"bytes\":{}}}",
        take(&s.listing),
        take(&s.article),
        take(&s.robots),
        take(&s.other),
        take(&s.not_modified),
        take(&s.bytes)
    )
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (mut manifest, mut hosts, mut feeds, mut per_listing, mut latency, mut max_s) =
        (None, 8usize, 200usize, 25usize, 20u64, 900u64);
    while let Some(a) = args.next() {
        let mut num = || args.next().and_then(|v| v.parse::<u64>().ok()).expect(&a);
        match a.as_str() {
            "--hosts" => hosts = num() as usize,
            "--feeds" => feeds = num() as usize,
            "--per-listing" => per_listing = num() as usize,
            "--latency-ms" => latency = num(),
            "--max-seconds" => max_s = num(),
            _ => manifest = Some(a),
        }
    }
    let manifest = manifest.expect("usage: serve MANIFEST [--hosts H] [--feeds F] ...");
    let pages: Vec<Vec<u8>> = std::fs::read_to_string(&manifest)
        .expect("manifest is readable")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let path = l.split('\t').next().unwrap_or(l);
            let page = std::fs::read(path).expect("page is readable");
            disable(
                disable(page, b"canonical", b"xanonical"),
                b"og:url",
                b"og:xrl",
            )
        })
        .collect();
    let site = Arc::new(Site {
        pages,
        per_listing,
        feeds,
        latency: Duration::from_millis(latency),
        stats: Stats::default(),
    });
    let mut ports = Vec::new();
    for _ in 0..hosts {
        let l = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        ports.push(l.local_addr().expect("bound address").port());
        let site = site.clone();
        tokio::spawn(async move {
            while let Ok((s, _)) = l.accept().await {
                let _ = s.set_nodelay(true);
                tokio::spawn(conn(site.clone(), s));
            }
        });
    }
    println!(
        "{{\"ports\":[{}]}}",
        ports
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(",")
    );
    let control = async {
        let mut stdin = BufReader::new(tokio::io::stdin()).lines();
        while let Ok(Some(l)) = stdin.next_line().await {
            if l.trim() == "stats" {
                println!("{}", stats_json(&site.stats));
            }
        }
    };
    tokio::select! {
        _ = control => {}
        _ = tokio::time::sleep(Duration::from_secs(max_s)) => eprintln!("serve: time limit reached"),
    }
}
