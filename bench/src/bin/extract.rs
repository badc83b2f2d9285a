//! Extraction against the HTML parser's own limit, on one thread.
//!
//! Reads a manifest (`path<TAB>url` lines), loads and decodes every page up front
//! (outside the clock, as the peers do), then times, in alternating rounds so drift on a
//! shared machine hits every mode alike:
//!
//! - `parse`: `scraper::Html::parse_document` alone (DOM dropped inside the clock);
//! - `extract`: parse + `pagefeed::extract::extract` (every metadata source + summary);
//! - `full` (with the `content` feature): parse + extract + `pagefeed::readability::main_content`.
//!
//! Prints one JSON object: per mode the median seconds of a round, pages/s and MB/s.
//! `--mode M --rounds 1` times one mode only (for callgrind/perf).
//! `--dump DIR` writes each page's extraction (and main content, with the `content`
//! feature) to `DIR/NNNN.txt` and exits: diff two dumps to show that an optimisation
//! changed no output.

use std::hint::black_box;
use std::time::Instant;

use pagefeed::date::DateContext;
use pagefeed::extract;
use scraper::Html;
use url::Url;

struct Page {
    text: String,
    url: Url,
}

fn load(manifest: &str) -> Vec<Page> {
    let list = std::fs::read_to_string(manifest).expect("manifest is readable");
    list.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (path, url) = l.split_once('\t').expect("manifest line is path<TAB>url");
            let bytes = std::fs::read(path).expect("page is readable");
            Page {
                text: pagefeed::fetch::charset::decode(&bytes, None).0,
                url: Url::parse(url.trim()).expect("manifest URL is valid"),
            }
        })
        .collect()
}

fn round(pages: &[Page], mode: &str, ctx: &DateContext) -> f64 {
    let t = Instant::now();
    for p in pages {
        let html = Html::parse_document(&p.text);
        match mode {
            "parse" => {
                black_box(&html);
            }
            "extract" => {
                black_box(extract::extract(&html, &p.url, ctx));
            }
            "full" => {
                black_box(extract::extract(&html, &p.url, ctx));
                #[cfg(feature = "content")]
                black_box(pagefeed::readability::main_content(&html, &p.url));
            }
            _ => panic!("unknown mode {mode}"),
        }
        drop(html);
    }
    t.elapsed().as_secs_f64()
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut manifest = None;
    let mut rounds = 5usize;
    let mut only: Option<String> = None;
    let mut dump: Option<String> = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--rounds" => {
                rounds = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--rounds N")
            }
            "--mode" => only = args.next(),
            "--dump" => dump = args.next(),
            _ => manifest = Some(a),
        }
    }
    let pages = load(&manifest.expect("usage: extract MANIFEST [--rounds N] [--mode M]"));
    let bytes: usize = pages.iter().map(|p| p.text.len()).sum();
    let ctx = DateContext {
        now: chrono::DateTime::parse_from_rfc3339("2026-11-01T00:00:00Z")
            .expect("static date is valid")
            .with_timezone(&chrono::Utc),
        tz: chrono_tz::UTC,
        lang: None,
    };
    if let Some(dir) = dump {
        std::fs::create_dir_all(&dir).expect("dump folder can be made");
        for (i, p) in pages.iter().enumerate() {
            let html = Html::parse_document(&p.text);
            #[allow(unused_mut)]
            let mut text = format!("{:#?}\n", extract::extract(&html, &p.url, &ctx));
            #[cfg(feature = "content")]
            text.push_str(&format!("{:?}\n", pagefeed::readability::main_content(&html, &p.url)));
            std::fs::write(format!("{dir}/{i:04}.txt"), text).expect("dump is writable");
        }
        return;
    }
    let mut modes = vec!["parse", "extract"];
    if cfg!(feature = "content") {
        modes.push("full");
    }
    if let Some(m) = &only {
        modes.retain(|x| x == m);
    }
    // One untimed warm-up pass: page cache, allocator, lazily compiled selectors.
    for m in &modes {
        round(&pages, m, &ctx);
    }
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); modes.len()];
    for _ in 0..rounds {
        for (i, m) in modes.iter().enumerate() {
            times[i].push(round(&pages, m, &ctx));
        }
    }
    let mut out = serde_json::Map::new();
    out.insert("pages".into(), pages.len().into());
    out.insert("bytes".into(), bytes.into());
    out.insert("rounds".into(), rounds.into());
    for (m, t) in modes.iter().zip(times.iter_mut()) {
        let s = median(t);
        out.insert(
            (*m).into(),
            serde_json::json!({
                "seconds": s,
                "pages_per_s": pages.len() as f64 / s,
                "mb_per_s": bytes as f64 / 1e6 / s,
            }),
        );
    }
    println!("{}", serde_json::Value::Object(out));
}
