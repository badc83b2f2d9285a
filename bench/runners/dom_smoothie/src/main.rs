//! Times dom_smoothie's full `Readability::parse` (parse + metadata + main content) per
//! page, pages loaded up front, same protocol as pagefeed's `extract` bench: one
//! untimed warm-up pass, then the median of `--rounds` timed passes.
//!
//! `--content MANIFEST` (lines `id<TAB>path<TAB>url`) instead prints one JSON line per
//! page, `{"id", "content_html"}` with the article's content HTML (empty when
//! dom_smoothie finds none), for bench/content_peers.py.
use std::hint::black_box;
use std::io::Write;
use std::time::Instant;

fn content_mode(manifest: &str) {
    let list = std::fs::read_to_string(manifest).expect("manifest");
    let mut out = std::io::stdout().lock();
    for line in list.lines().filter(|l| !l.trim().is_empty()) {
        let mut parts = line.splitn(3, '\t');
        let (id, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        let url = parts.next().map(str::trim).filter(|u| !u.is_empty());
        let html = match std::fs::read(path) {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(e) => {
                eprintln!("{id}: {e}");
                String::new()
            }
        };
        let content = match dom_smoothie::Readability::new(html.as_str(), url, None)
            .and_then(|mut r| r.parse())
        {
            Ok(article) => article.content.to_string(),
            Err(e) => {
                eprintln!("{id}: {e}");
                String::new()
            }
        };
        let row = serde_json::json!({"id": id, "content_html": content});
        writeln!(out, "{row}").expect("stdout");
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let manifest = args
        .next()
        .expect("usage: runner MANIFEST [ROUNDS] | --content MANIFEST");
    if manifest == "--content" {
        content_mode(&args.next().expect("usage: runner --content MANIFEST"));
        return;
    }
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let pages: Vec<(String, String)> = std::fs::read_to_string(manifest)
        .expect("manifest")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (p, u) = l.split_once('\t').expect("path<TAB>url");
            let b = std::fs::read(p).expect("page");
            (
                String::from_utf8_lossy(&b).into_owned(),
                u.trim().to_string(),
            )
        })
        .collect();
    let bytes: usize = pages.iter().map(|p| p.0.len()).sum();
    let mut failed = 0;
    let mut pass = |count: bool| {
        let t = Instant::now();
        for (html, url) in &pages {
            let r = dom_smoothie::Readability::new(html.as_str(), Some(url.as_str()), None)
                .and_then(|mut r| r.parse());
            if count && r.is_err() {
                failed += 1;
            }
            let _ = black_box(r);
        }
        t.elapsed().as_secs_f64()
    };
    pass(true);
    let mut times: Vec<f64> = (0..rounds).map(|_| pass(false)).collect();
    times.sort_by(f64::total_cmp);
    let s = times[times.len() / 2];
    println!(
        "{}",
        serde_json::json!({"pages": pages.len(), "bytes": bytes, "seconds": s,
            "pages_per_s": pages.len() as f64 / s, "mb_per_s": bytes as f64 / 1e6 / s,
            "failed": failed})
    );
}
