//! Analysis cost on hostile generated pages (issue 18): listings with many links and
//! articles nested very deep. Each page is made in memory, then timed as `pagefeed run`
//! would treat it on a parser thread: parse (`pagefeed::html::parse_document`) and
//! discovery for a listing; parse, extraction and main content for an article.
//!
//! Prints one line per page: its size, the median seconds of `--rounds` runs (default
//! 5), pages/s, MB/s, and the ratio of its time to the smallest page of its family per
//! byte (1.0 = exactly linear in the size). Run from `bench/`:
//! `cargo run --release --bin hostile [-- --rounds N]`.
//!
//! `--status N,M,...` instead times `pagefeed status`'s work (`commands::status` and
//! its table) on state files of N, M, ... feeds of 20 items each, made in a temp folder.

use std::hint::black_box;
use std::time::Instant;

use pagefeed::date::DateContext;
use pagefeed::extract;
use url::Url;

fn listing(links: usize) -> String {
    let mut items = String::with_capacity(links * 100);
    for i in 0..links {
        items.push_str(&format!(
            "<li><a href=\"/news/2024/05/story-number-{i}.html\">Story number {i} is a \
             headline of words</a></li>\n"
        ));
    }
    format!(
        "<!doctype html><html><head><title>Links</title></head><body><main>\
         <ul class=\"stories\">{items}</ul></main></body></html>"
    )
}

fn nested(open: &str, close: &str, depth: usize) -> String {
    let para = "<p>The deepest paragraph of this page, long enough to be read as prose, with \
                commas, and a few more words after them.</p>";
    format!(
        "<!doctype html><html><head><title>Deep</title></head><body><article><h1>Deep</h1>\
         {}<h2>Deep heading</h2>{}{}</article></body></html>",
        open.repeat(depth),
        para.repeat(3),
        close.repeat(depth)
    )
}

/// A kind of page: its name, its pages (label, HTML), and whether it is a listing.
type Family = (String, Vec<(String, String)>, bool);

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Times `commands::status` on a state file of `feeds` feeds with 20 items each.
fn status(feeds: usize, rounds: usize) -> f64 {
    use pagefeed::store::{FeedUpdate, Store, StoredItem};
    let dir = std::env::temp_dir().join(format!(
        "pagefeed-bench-status-{}-{feeds}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("temp folder");
    let mut toml = String::from("[settings]\n");
    for i in 0..feeds {
        toml.push_str(&format!(
            "[[feed]]\nid = \"f{i}\"\nurl = \"https://example.org/f{i}/\"\n"
        ));
    }
    let config = pagefeed::Config::parse(&toml, &dir.join("pagefeed.toml")).expect("config");
    let now = chrono::Utc::now();
    {
        let mut store = Store::open(&pagefeed::store::StateLocation::Sqlite(
            config.settings.state_file.clone(),
        ))
        .expect("state file");
        for i in 0..feeds {
            let items = (0..20)
                .map(|j| {
                    let link =
                        Url::parse(&format!("https://example.org/f{i}/{j}.html")).expect("URL");
                    StoredItem {
                        item: pagefeed::model::Item {
                            guid: link.to_string(),
                            link: link.clone(),
                            title: Some(format!("Story {j}")),
                            authors: if j % 2 == 0 {
                                vec!["A. Writer".into()]
                            } else {
                                Vec::new()
                            },
                            published: None,
                            updated: None,
                            summary: Some("A summary of a few words.".into()),
                            content_html: None,
                            image: None,
                            categories: Vec::new(),
                            language: None,
                            enclosures: Vec::new(),
                        },
                        listed_link: link.to_string(),
                        sources: Default::default(),
                        first_seen: now,
                        last_seen: now,
                        extracted_at: None,
                        changed_at: now,
                        filtered: None,
                    }
                })
                .collect();
            let update = FeedUpdate {
                feed: format!("f{i}"),
                items,
                listing_validators: None,
                content_changed: true,
                keep: 500,
                title: Some(format!("Feed {i}")),
                description: None,
                home_page: None,
            };
            store.commit_feed(&update, now).expect("commit");
        }
    }
    let times: Vec<f64> = (0..rounds)
        .map(|_| {
            let t = Instant::now();
            let rows = pagefeed::commands::status(&config).expect("status");
            black_box(pagefeed::commands::format_status(&rows));
            t.elapsed().as_secs_f64()
        })
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    median(times)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rounds = args
        .iter()
        .position(|a| a == "--rounds")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(5usize);
    if let Some(sizes) = args
        .iter()
        .position(|a| a == "--status")
        .and_then(|i| args.get(i + 1))
    {
        println!("{:>8} {:>10} {:>14}", "feeds", "seconds", "µs per feed");
        for n in sizes.split(',').filter_map(|n| n.parse::<usize>().ok()) {
            let s = status(n, rounds);
            println!("{n:>8} {s:>10.4} {:>14.1}", s * 1e6 / n as f64);
        }
        return;
    }
    let url = Url::parse("https://news.example/section/").expect("static URL");
    let ctx = DateContext {
        now: chrono::Utc::now(),
        tz: chrono_tz::UTC,
        lang: None,
    };
    let mut families: Vec<Family> = vec![(
        "listing".into(),
        [10_000, 50_000, 200_000]
            .iter()
            .map(|&n| (format!("{n} links"), listing(n)))
            .collect(),
        true,
    )];
    for (name, open, close) in [
        ("ul/li", "<ul><li>", "</li></ul>"),
        ("blockquote", "<blockquote>", "</blockquote>"),
        ("section", "<section>", "</section>"),
        ("div", "<div>", "</div>"),
        ("table", "<table><tr><td>", "</td></tr></table>"),
    ] {
        families.push((
            name.into(),
            [10_000, 50_000, 100_000]
                .iter()
                .map(|&n| (format!("{n} nested {name}"), nested(open, close, n)))
                .collect(),
            false,
        ));
    }
    println!(
        "{:<28} {:>9} {:>10} {:>9} {:>8} {:>10}",
        "page", "KB", "seconds", "pages/s", "MB/s", "vs linear"
    );
    for (_, pages, is_listing) in families {
        let mut first_per_byte = None;
        for (label, page) in pages {
            let times: Vec<f64> = (0..rounds)
                .map(|_| {
                    let t = Instant::now();
                    let html = pagefeed::html::parse_document(&page);
                    if is_listing {
                        black_box(pagefeed::discover::discover(&html, &url, None, &ctx).ok());
                    } else {
                        black_box(extract::extract(&html, &url, &ctx));
                        black_box(pagefeed::readability::main_content(&html, &url));
                    }
                    drop(html);
                    t.elapsed().as_secs_f64()
                })
                .collect();
            let s = median(times);
            let per_byte = s / page.len() as f64;
            let first = *first_per_byte.get_or_insert(per_byte);
            println!(
                "{:<28} {:>9} {:>10.4} {:>9.2} {:>8.2} {:>10.2}",
                label,
                page.len() / 1024,
                s,
                1.0 / s,
                page.len() as f64 / s / 1e6,
                per_byte / first
            );
        }
    }
}
