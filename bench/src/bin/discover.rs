//! Automatic discovery against the HTML parser, on one thread.
//!
//! `discover LISTINGS_DIR [--rounds N]`: reads every `NAME/index.html` with its
//! `NAME/expected.json` (`url`: the page's original address) from a folder such as
//! `../shared/listings`, decodes them up front, then times in alternating rounds
//! `parse` (`scraper::Html::parse_document` alone) and `discover` (parse +
//! `pagefeed::discover::discover`, automatic detection). Prints one JSON object with
//! the median seconds per round of each and discovery's own cost as a share of the
//! parse: (discover − parse) / parse, per page and over all pages.

use std::hint::black_box;
use std::time::Instant;

use pagefeed::date::DateContext;
use scraper::Html;
use url::Url;

struct Page {
    name: String,
    text: String,
    url: Url,
}

fn load(dir: &str) -> Vec<Page> {
    let mut dirs: Vec<_> = std::fs::read_dir(dir)
        .expect("listings folder is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("expected.json").is_file())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .map(|d| {
            let spec: serde_json::Value = serde_json::from_slice(
                &std::fs::read(d.join("expected.json")).expect("expected.json is readable"),
            )
            .expect("expected.json is JSON");
            let bytes = std::fs::read(d.join("index.html")).expect("index.html is readable");
            Page {
                name: d.file_name().expect("a name").to_string_lossy().into_owned(),
                text: pagefeed::fetch::charset::decode(&bytes, None).0,
                url: Url::parse(spec["url"].as_str().expect("url")).expect("a valid url"),
            }
        })
        .collect()
}

fn time(p: &Page, discover: bool, ctx: &DateContext) -> f64 {
    let t = Instant::now();
    let html = Html::parse_document(&p.text);
    if discover {
        let _ = black_box(pagefeed::discover::discover(&html, &p.url, None, ctx));
    } else {
        black_box(&html);
    }
    drop(html);
    t.elapsed().as_secs_f64()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args.first().expect("usage: discover LISTINGS_DIR [--rounds N]");
    let rounds: usize = args
        .iter()
        .position(|a| a == "--rounds")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(15);
    let pages = load(dir);
    let ctx = DateContext {
        now: chrono::Utc::now(),
        tz: chrono_tz::UTC,
        lang: None,
    };
    // Per page, per mode: the seconds of each round.
    let mut parse = vec![Vec::new(); pages.len()];
    let mut disc = vec![Vec::new(); pages.len()];
    for _ in 0..rounds {
        for (i, p) in pages.iter().enumerate() {
            parse[i].push(time(p, false, &ctx));
            disc[i].push(time(p, true, &ctx));
        }
    }
    let mut rows = Vec::new();
    let (mut all_parse, mut all_disc) = (0.0, 0.0);
    for (i, p) in pages.iter().enumerate() {
        let (a, b) = (median(parse[i].clone()), median(disc[i].clone()));
        all_parse += a;
        all_disc += b;
        rows.push(serde_json::json!({
            "page": p.name, "bytes": p.text.len(), "parse_s": a, "discover_s": b,
            "discovery_share": (b - a) / a,
        }));
    }
    let out = serde_json::json!({
        "pages": pages.len(), "rounds": rounds, "parse_s": all_parse, "discover_s": all_disc,
        "discovery_share": (all_disc - all_parse) / all_parse, "per_page": rows,
    });
    println!("{out}");
}
