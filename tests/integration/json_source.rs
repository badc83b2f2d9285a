//! Issue 15, JSON sources: `source = "json"` with `[feed.json]` JSONPath rules against a
//! JSON API of our own (`tests/fixtures/json/posts.json`), served on 127.0.0.1; the
//! feeds are read back in all three formats with feed-rs.

use std::path::Path;

use chrono::{DateTime, Utc};

use crate::helpers::{read_feed, stderr, stdout, Workspace};
use crate::server::{Reply, Request, Server};

fn api() -> Server {
    let posts =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/json/posts.json"))
            .expect("fixture");
    Server::start(move |req: &Request| match req.path.as_str() {
        "/robots.txt" => Reply::status(404),
        "/api/v1/posts.json" => Reply::Full {
            status: 200,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: posts.clone(),
        },
        p if p.starts_with("/blog/") => {
            let slug = &p["/blog/".len()..];
            Reply::html(format!(
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
                 <title>Page title of {slug}</title>\
                 <meta name=\"description\" content=\"The article page says this about {slug}.\">\
                 </head><body><article><h1>Page title of {slug}</h1><p>Body text of the \
                 article, long enough to be a paragraph a reader could want.</p></article>\
                 </body></html>"
            ))
        }
        _ => Reply::status(404),
    })
}

fn utc(s: &str) -> Option<DateTime<Utc>> {
    Some(s.parse().expect("test date"))
}

struct Entry {
    title: String,
    link: String,
    published: Option<DateTime<Utc>>,
    authors: Vec<String>,
    summary: String,
}

fn entries(path: &Path) -> Vec<Entry> {
    read_feed(path)
        .entries
        .into_iter()
        .map(|e| Entry {
            title: e.title.map(|t| t.content).unwrap_or_default(),
            link: e.links.first().map(|l| l.href.clone()).unwrap_or_default(),
            published: e.published,
            authors: e.authors.into_iter().map(|a| a.name).collect(),
            summary: e.summary.map(|s| s.content).unwrap_or_default(),
        })
        .collect()
}

#[test]
fn a_json_api_becomes_a_feed_with_exact_items_in_all_three_formats() {
    let server = api();
    let template = server.url("/blog/{slug}");
    let ws = Workspace::new(&format!(
        "[settings]\nper_host_delay = \"0s\"\n\
         \n[[feed]]\nid = \"api\"\nurl = \"{url}\"\nsource = \"json\"\nfollow = false\n\
         [feed.json]\nitems = \"$.data.posts[*]\"\nlink = \"$.path\"\ntitle = \"$.headline\"\n\
         date = \"$.published_at\"\nauthor = \"$.byline\"\nsummary = \"$.teaser\"\n\
         image = \"$.cover.url\"\nid = \"$.id\"\n\
         \n[[feed]]\nid = \"followed\"\nurl = \"{url}\"\nsource = \"json\"\n\
         [feed.json]\nitems = \"$.data.posts[*]\"\nlink = \"{template}\"\ntitle = \"$.headline\"\n\
         date = \"$.published_at\"\n",
        url = server.url("/api/v1/posts.json"),
    ));
    let run = ws.run(&["run"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    for ext in ["rss.xml", "atom.xml", "json"] {
        let got = entries(&ws.out(&format!("api.{ext}")));
        let rows: Vec<(&str, &str, Option<DateTime<Utc>>)> = got
            .iter()
            .map(|e| (e.title.as_str(), e.link.as_str(), e.published))
            .collect();
        let harbour = server.url("/blog/harbour-lights");
        let market = server.url("/blog/market-day");
        assert_eq!(
            rows,
            [
                (
                    "Harbour lights return after the storm",
                    harbour.as_str(),
                    utc("2026-02-14T08:30:00Z")
                ),
                (
                    "A new ferry timetable for the spring",
                    "https://www.example.test/blog/ferry-timetable",
                    utc("2026-02-11T09:00:00Z")
                ),
                (
                    "Market day moves to the square",
                    market.as_str(),
                    utc("2026-02-01T00:00:00Z")
                ),
            ],
            "api.{ext}"
        );
        assert_eq!(got[0].authors, ["Ines Moreau", "Tomas Berg"], "api.{ext}");
        assert_eq!(got[1].authors, ["Ines Moreau"], "api.{ext}");
        assert_eq!(got[2].authors, ["Lea Park"], "api.{ext}");
        assert_eq!(
            got[0].summary,
            "The old lamps on the north pier are lit again."
        );
        assert_eq!(got[1].summary, "Four crossings a day from March.");
    }
    // The `image` rule's value, relative to the JSON's URL, is the item's image.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(ws.out("api.json")).unwrap()).unwrap();
    assert_eq!(
        json["items"][0]["image"].as_str(),
        Some(server.url("/img/harbour.jpg").as_str())
    );
    // With `follow` (the default), each item's page is read as for HTML: the titles and
    // dates the rules picked win, the page fills the summary the rules did not ask for.
    for ext in ["rss.xml", "atom.xml", "json"] {
        let got = entries(&ws.out(&format!("followed.{ext}")));
        let rows: Vec<(&str, &str, &str)> = got
            .iter()
            .map(|e| (e.title.as_str(), e.link.as_str(), e.summary.as_str()))
            .collect();
        let (h, f, m) = (
            server.url("/blog/harbour-lights"),
            server.url("/blog/ferry-timetable"),
            server.url("/blog/market-day"),
        );
        assert_eq!(
            rows,
            [
                (
                    "Harbour lights return after the storm",
                    h.as_str(),
                    "The article page says this about harbour-lights."
                ),
                (
                    "A new ferry timetable for the spring",
                    f.as_str(),
                    "The article page says this about ferry-timetable."
                ),
                (
                    "Market day moves to the square",
                    m.as_str(),
                    "The article page says this about market-day."
                ),
            ],
            "followed.{ext}"
        );
    }
    assert_eq!(server.hits("/blog/"), 3, "each item page read once");
    let check = ws.run(&["check", "api"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert!(
        stdout(&check).contains("json (3 items)"),
        "{}",
        stdout(&check)
    );
}

#[test]
fn a_bad_jsonpath_is_a_config_error_with_file_line_feed_and_key() {
    let ws = Workspace::new(
        "[[feed]]\nid = \"api\"\nurl = \"https://example.org/api.json\"\nsource = \"json\"\n\
         [feed.json]\nitems = \"$.data.posts[*]\"\nlink = \"https://example.org/p/{slug\"\n\
         title = \"$.title[\"\ndate = \"$..when\"\nsummery = \"$.x\"\n\
         \n[[feed]]\nid = \"no-rules\"\nurl = \"https://example.org/b.json\"\nsource = \"json\"\n\
         \n[[feed]]\nid = \"html\"\nurl = \"https://example.org/\"\n\
         [feed.json]\nitems = \"$[*]\"\nlink = \"$.url\"\n",
    );
    let out = ws.run(&["validate"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    let cfg = ws.config().display().to_string();
    for line in [
        format!(
            "{cfg}:7: feed `api`, key `json.link`: link template \
             \"https://example.org/p/{{slug\": `{{` without a closing `}}`"
        ),
        format!("{cfg}:8: feed `api`, key `json.title`: invalid JSONPath \"$.title[\""),
        format!("{cfg}:10: feed `api`, key `json.summery`: unknown field `summery`"),
        format!(
            "{cfg}:15: feed `no-rules`, key `json`: source = \"json\" needs a [feed.json] \
             table with `items` and `link`"
        ),
        format!(
            "{cfg}:21: feed `html`, key `json`: [feed.json] applies to source = \"json\" \
             only, not to a html source"
        ),
    ] {
        assert!(err.contains(&line), "missing {line:?} in:\n{err}");
    }
    assert!(
        !err.contains("json.date"),
        "`$..when` is a valid path: {err}"
    );
}
