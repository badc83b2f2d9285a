//! Issue 15, embedded app state: a Next.js-style and a Nuxt-style listing of our own
//! (`tests/fixtures/state/`) whose markup holds no item links, only the page's state
//! (`__NEXT_DATA__`, a Nuxt 3 `__NUXT_DATA__` devalue payload). Discovery finds the
//! items there, `check` says so, and the Next.js article pages, whose markup carries no
//! metadata at all, get title, author, date and summary from their own state.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::helpers::{pagefeed, read_feed, stderr, stdout, Workspace};
use crate::server::Server;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/state")
        .join(name)
}

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().expect("test date")
}

type Row = (String, String, Option<DateTime<Utc>>, Vec<String>, String);

fn rows(path: &Path) -> Vec<Row> {
    read_feed(path)
        .entries
        .into_iter()
        .map(|e| {
            (
                e.title.map(|t| t.content).unwrap_or_default(),
                e.links.first().map(|l| l.href.clone()).unwrap_or_default(),
                e.published,
                e.authors.into_iter().map(|a| a.name).collect(),
                e.summary.map(|s| s.content).unwrap_or_default(),
            )
        })
        .collect()
}

fn row(title: &str, link: String, date: &str, author: &str, summary: &str) -> Row {
    (
        title.to_string(),
        link,
        Some(utc(date)),
        vec![author.to_string()],
        summary.to_string(),
    )
}

#[test]
fn items_come_from_next_and_nuxt_state_when_the_markup_lists_none() {
    let next = Server::files(&fixture("next"));
    let nuxt = Server::files(&fixture("nuxt"));
    let ws = Workspace::new(&format!(
        "[settings]\nper_host_delay = \"0s\"\n\
         \n[[feed]]\nid = \"next\"\nurl = \"{n}\"\n\
         \n[[feed]]\nid = \"next-listing\"\nurl = \"{n}\"\nfollow = false\n\
         \n[[feed]]\nid = \"nuxt\"\nurl = \"{x}\"\n",
        n = next.url("/"),
        x = nuxt.url("/"),
    ));
    let run = ws.run(&["run"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    for ext in ["rss.xml", "atom.xml", "json"] {
        // Followed: the article pages' own state fills every field.
        assert_eq!(
            rows(&ws.out(&format!("next.{ext}"))),
            [
                row(
                    "First light over the valley",
                    next.url("/posts/first-light"),
                    "2026-03-04T07:15:00Z",
                    "Rosa Lind",
                    "Dawn came early to the valley this week, and the light stayed long."
                ),
                row(
                    "Notes from the night train",
                    next.url("/posts/night-train"),
                    "2026-03-02T21:40:00Z",
                    "Karl Ode",
                    "Six hours north on the night train, one cup of tea."
                ),
                row(
                    "Mending an old lantern",
                    next.url("/posts/old-lantern"),
                    "2026-02-27T12:00:00Z",
                    "Rosa Lind",
                    "Brass, glass and patience bring an old lantern back."
                ),
            ],
            "next.{ext}"
        );
        // Not followed: what the listing's state says.
        let listed = rows(&ws.out(&format!("next-listing.{ext}")));
        assert_eq!(
            listed[0],
            row(
                "First light over the valley",
                next.url("/posts/first-light"),
                "2026-03-04T07:15:00Z",
                "Rosa Lind",
                "Dawn came early to the valley this week."
            ),
            "next-listing.{ext}"
        );
        assert_eq!(listed.len(), 3, "the menu in the state is no item");
        assert_eq!(
            rows(&ws.out(&format!("nuxt.{ext}")))
                .into_iter()
                .map(|(t, l, d, a, _)| (t, l, d, a))
                .collect::<Vec<_>>(),
            [
                (
                    "Tide tables for April".to_string(),
                    nuxt.url("/articles/tide-tables"),
                    Some(utc("2026-04-01T04:00:00Z")),
                    vec!["Ana Ruiz".to_string()]
                ),
                (
                    "The last lighthouse keepers".to_string(),
                    nuxt.url("/articles/lighthouse-keepers"),
                    Some(utc("2026-03-28T17:30:00Z")),
                    vec!["Ben Holt".to_string()]
                ),
                (
                    "Counting the gulls".to_string(),
                    nuxt.url("/articles/gull-census"),
                    Some(utc("2026-03-20T09:00:00Z")),
                    vec!["Ana Ruiz".to_string()]
                ),
            ],
            "nuxt.{ext}"
        );
    }
    for (server, name) in [(&next, "__NEXT_DATA__"), (&nuxt, "__NUXT_DATA__")] {
        let check = pagefeed(&["check", &server.url("/")]);
        assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
        assert!(
            stdout(&check).contains(&format!("embedded app state ({name}, 3 items)")),
            "{}",
            stdout(&check)
        );
    }
}

#[test]
fn an_article_page_without_metadata_is_read_from_its_state() {
    let page = fixture("next/posts/night-train");
    let out = pagefeed(&[
        "extract",
        page.to_str().unwrap(),
        "--url",
        "https://lantern.example/posts/night-train",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(v["title"], "Notes from the night train");
    assert_eq!(v["author"], "Karl Ode");
    assert_eq!(v["date"], "2026-03-02T21:40:00+00:00");
    assert_eq!(
        v["summary"],
        "Six hours north on the night train, one cup of tea."
    );
}
