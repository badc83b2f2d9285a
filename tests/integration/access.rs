//! Issue 15, requests with credentials: `headers`, `cookies_file`, `cookie` and
//! `basic_auth` per feed, with `${NAME}` from the environment. The listing answers 401
//! or 403 without the right credential; credentials go to the feed's own site only
//! (never to another host, across a redirect there, or to that host's robots.txt); and
//! no secret appears in any output, log, file or state row.

use std::path::Path;
use std::process::{Command, Output};

use crate::helpers::{read_feed, stderr, stdout, Workspace};
use crate::server::{Reply, Request, Server};

const API_KEY: &str = "KeyF00Secret42";
const FILE_COOKIE: &str = "JarCookieSecret77";
const OTHER_COOKIE: &str = "OtherHostCookie55";
const RAW_COOKIE: &str = "RawCookieSecret31";
const PASSWORD: &str = "BasicPassSecret19";
/// `Basic base64("mia:BasicPassSecret19")`.
const BASIC_HEADER: &str = "Basic bWlhOkJhc2ljUGFzc1NlY3JldDE5";
const SECRETS: [&str; 5] = [API_KEY, FILE_COOKIE, OTHER_COOKIE, RAW_COOKIE, PASSWORD];

fn article(title: &str, date: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <meta property=\"article:published_time\" content=\"{date}\"></head>\
         <body><article><h1>{title}</h1><p>Some text about {title}, long enough to be a \
         paragraph that a summary could be taken from.</p></article></body></html>"
    )
}

/// Whether a request carries the credential its path's area asks for.
fn authorised(req: &Request) -> bool {
    let cookie = req.header("cookie").unwrap_or("");
    let has = |c: &str| cookie.split("; ").any(|p| p == c);
    match req.path.split('/').nth(1).unwrap_or("") {
        "h" => req.header("x-api-key") == Some(API_KEY),
        "c" => has(&format!("session={FILE_COOKIE}")),
        "r" => has(&format!("sid={RAW_COOKIE}")),
        "b" => req.header("authorization") == Some(BASIC_HEADER),
        _ => true,
    }
}

/// The site on 127.0.0.1: four areas, each behind one credential; each listing links
/// three articles, one link to another host (`other`) and one that redirects there.
fn site(other: String) -> Server {
    Server::start(move |req: &Request| {
        if req.path == "/robots.txt" {
            return Reply::status(404);
        }
        if !authorised(req) {
            let status = if req.path.starts_with("/b/") {
                401
            } else {
                403
            };
            return Reply::status(status).with_header("WWW-Authenticate", "Basic realm=\"x\"");
        }
        let area = req.path.split('/').nth(1).unwrap_or("").to_string();
        match req.path.rsplit('/').next().unwrap_or("") {
            "news" => Reply::html(format!(
                "<!DOCTYPE html><html><head><title>Members {area}</title></head><body><main>\
                 <article><a href=\"/{area}/one\">Members story one</a></article>\
                 <article><a href=\"/{area}/two\">Members story two</a></article>\
                 <article><a href=\"/{area}/three\">Members story three</a></article>\
                 <article><a href=\"{other}/elsewhere-{area}\">A story elsewhere</a></article>\
                 <article><a href=\"/{area}/moved\">A story that moved</a></article>\
                 </main></body></html>"
            )),
            "one" => Reply::html(article(&format!("{area}: first"), "2026-03-01T10:00:00Z")),
            "two" => Reply::html(article(&format!("{area}: second"), "2026-03-02T10:00:00Z")),
            "three" => Reply::html(article(&format!("{area}: third"), "2026-03-03T10:00:00Z")),
            "moved" => Reply::redirect(302, &format!("{other}/landed-{area}")),
            _ => Reply::status(404),
        }
    })
}

/// Another host: 127.0.0.2 is another site than 127.0.0.1 by the site identity (an IP
/// address is its own registrable domain), so it must see no credential at all.
fn other_host() -> Server {
    Server::start_on("127.0.0.2", |req: &Request| {
        if req.path == "/robots.txt" {
            return Reply::status(404);
        }
        let title = if req.path.starts_with("/landed") {
            "Landed elsewhere"
        } else {
            "Elsewhere"
        };
        Reply::html(article(title, "2026-02-01T10:00:00Z"))
    })
}

const ITEMS: &str = "[feed.items]\nselector = \"article\"\nlink = \"a@href\"\ntitle = \".none\"\n";

/// A config with one feed per credential, the secrets read from the environment, and
/// a cookies.txt beside it (a relative path, resolved against the config's folder).
fn workspace(site: &Server) -> Workspace {
    let config = format!(
        "[settings]\nper_host_delay = \"0s\"\n\
         \n[[feed]]\nid = \"header\"\nurl = \"{h}\"\n\
         headers = {{ \"X-Api-Key\" = \"${{PF_TEST_API_KEY}}\", \"Accept-Language\" = \"de-DE\" }}\n{ITEMS}\
         \n[[feed]]\nid = \"jar\"\nurl = \"{c}\"\ncookies_file = \"secrets/site.cookies.txt\"\n{ITEMS}\
         \n[[feed]]\nid = \"raw\"\nurl = \"{r}\"\ncookie = \"theme=dark; sid=${{PF_TEST_COOKIE}}\"\n{ITEMS}\
         \n[[feed]]\nid = \"basic\"\nurl = \"{b}\"\n\
         basic_auth = {{ user = \"mia\", password = \"${{PF_TEST_PASSWORD}}\" }}\n{ITEMS}\
         \n[[feed]]\nid = \"broken\"\nurl = \"{missing}\"\n\
         headers = {{ \"X-Api-Key\" = \"${{PF_TEST_API_KEY}}\" }}\n",
        h = site.url("/h/news"),
        c = site.url("/c/news"),
        r = site.url("/r/news"),
        b = site.url("/b/news"),
        missing = site.url("/h/missing"),
    );
    let ws = Workspace::new(&config);
    let secrets = ws.dir.path().join("secrets");
    std::fs::create_dir_all(&secrets).unwrap();
    std::fs::write(
        secrets.join("site.cookies.txt"),
        format!(
            "# Netscape HTTP Cookie File\n\
             # written by a browser exporter\n\
             127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\t{FILE_COOKIE}\n\
             #HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t4102444800\tpref\tcompact\n\
             127.0.0.1\tFALSE\t/\tFALSE\t1000\texpired\tgone\n\
             127.0.0.2\tFALSE\t/\tFALSE\t0\tsession\t{OTHER_COOKIE}\n"
        ),
    )
    .unwrap();
    ws
}

/// Runs the binary with the secrets in its environment (and `extra` variables).
fn run_with_env(ws: &Workspace, args: &[&str], extra: &[(&str, &str)]) -> Output {
    let config = ws.config();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pagefeed"));
    cmd.arg("--config")
        .arg(&config)
        .args(args)
        .env_remove("RUST_LOG")
        .env("PF_TEST_API_KEY", API_KEY)
        .env("PF_TEST_COOKIE", RAW_COOKIE)
        .env("PF_TEST_PASSWORD", PASSWORD);
    for (k, v) in extra {
        cmd.env(k, v);
    }
    cmd.output().expect("run pagefeed")
}

fn titles(path: &Path) -> Vec<String> {
    let mut t: Vec<String> = read_feed(path)
        .entries
        .iter()
        .filter_map(|e| e.title.as_ref().map(|t| t.content.clone()))
        .collect();
    t.sort();
    t
}

#[test]
fn each_credential_opens_its_listing_and_goes_to_the_feeds_own_site_only() {
    let other = other_host();
    let site = site(other.url(""));
    let ws = workspace(&site);
    let run = run_with_env(&ws, &["run"], &[]);
    // `broken` fails (its listing is a 404 behind the right header); the others publish.
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(
        stderr(&run).contains(&format!("{}: HTTP 404", site.url("/h/missing"))),
        "{}",
        stderr(&run)
    );
    for (id, area) in [("header", "h"), ("jar", "c"), ("raw", "r"), ("basic", "b")] {
        for ext in ["rss.xml", "atom.xml", "json"] {
            assert_eq!(
                titles(&ws.out(&format!("{id}.{ext}"))),
                [
                    "Elsewhere".to_string(),
                    "Landed elsewhere".to_string(),
                    format!("{area}: first"),
                    format!("{area}: second"),
                    format!("{area}: third"),
                ],
                "{id}.{ext}"
            );
        }
        let feed = read_feed(&ws.out(&format!("{id}.json")));
        assert_eq!(
            feed.entries
                .iter()
                .find(|e| e
                    .title
                    .as_ref()
                    .is_some_and(|t| t.content.ends_with("third")))
                .and_then(|e| e.published)
                .map(|d| d.to_rfc3339()),
            Some("2026-03-03T10:00:00+00:00".to_string()),
            "{id}"
        );
    }
    // Every request to the site carried its area's credential (the 401/403 above
    // would have failed the feed otherwise), and the raw cookie kept its other parts.
    let reqs = site.requests();
    for r in reqs.iter().filter(|r| r.path != "/robots.txt") {
        assert!(authorised(r), "unauthorised request {r:?}");
    }
    let header_req = reqs.iter().find(|r| r.path == "/h/news").unwrap();
    assert_eq!(header_req.header("accept-language"), Some("de-DE"));
    let jar_req = reqs.iter().find(|r| r.path == "/c/news").unwrap();
    assert_eq!(
        jar_req.header("cookie"),
        Some(format!("session={FILE_COOKIE}; pref=compact").as_str()),
        "the expired cookie and the other host's are not sent"
    );
    let raw_req = reqs.iter().find(|r| r.path == "/r/news").unwrap();
    assert_eq!(
        raw_req.header("cookie"),
        Some(format!("theme=dark; sid={RAW_COOKIE}").as_str())
    );
    // The other host was asked (links, redirect targets, its robots.txt) but got none
    // of the credentials: no header, no cookie (not even its own from the file, which
    // lies outside the feed's site), no basic auth.
    let got = other.requests();
    for p in [
        "/robots.txt",
        "/elsewhere-h",
        "/landed-h",
        "/landed-b",
        "/landed-c",
    ] {
        assert!(
            got.iter().any(|r| r.path == p),
            "{p} not requested: {got:?}"
        );
    }
    for r in &got {
        for h in ["x-api-key", "cookie", "authorization", "accept-language"] {
            assert!(r.header(h).is_none(), "{} got {h}: {r:?}", r.path);
        }
    }
}

#[test]
fn without_its_credential_a_listing_answers_401_or_403_and_the_feed_fails() {
    let other = other_host();
    let site = site(other.url(""));
    let ws = workspace(&site);
    // The same config with the variables set to wrong values.
    let run = run_with_env(
        &ws,
        &["run", "header", "raw", "basic"],
        &[
            ("PF_TEST_API_KEY", "wrong-key"),
            ("PF_TEST_COOKIE", "wrong-cookie"),
            ("PF_TEST_PASSWORD", "wrong-password"),
        ],
    );
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    let err = stderr(&run);
    for (id, path, status) in [
        ("header", "/h/news", 403),
        ("raw", "/r/news", 403),
        ("basic", "/b/news", 401),
    ] {
        assert!(
            err.contains(&format!(
                "feed `{id}`: fetch: {}: HTTP {status}",
                site.url(path)
            )),
            "{err}"
        );
        assert!(!ws.out(&format!("{id}.json")).exists());
    }
}

#[test]
fn a_missing_environment_variable_is_a_config_error_naming_it() {
    let ws = Workspace::new(
        "[[feed]]\nid = \"members\"\nurl = \"https://example.org/news\"\n\
         headers = { \"X-Api-Key\" = \"${PF_TEST_NOT_SET_ANYWHERE}\" }\n\
         cookies_file = \"no/such.cookies.txt\"\n\
         basic_auth = { user = \"me\", password = \"${PF_TEST_NOT_SET_EITHER}\", pasword = \"x\" }\n\
         \n[[feed]]\nid = \"bad-header\"\nurl = \"https://example.org/b\"\n\
         headers = { \"X-Token\" = \"line one\\nSecretOnLineTwo\" }\n",
    );
    let out = run_with_env(&ws, &["validate"], &[]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    let cfg = ws.config().display().to_string();
    for line in [
        format!(
            "{cfg}:4: feed `members`, key `headers.X-Api-Key`: environment variable \
             `PF_TEST_NOT_SET_ANYWHERE` is not set"
        ),
        format!("{cfg}:5: feed `members`, key `cookies_file`: cannot read "),
        format!(
            "{cfg}:6: feed `members`, key `basic_auth.password`: environment variable \
             `PF_TEST_NOT_SET_EITHER` is not set"
        ),
        format!("{cfg}:6: feed `members`, key `basic_auth.pasword`: unknown field `pasword`"),
        format!(
            "{cfg}:11: feed `bad-header`, key `headers.X-Token`: the value is not a valid \
             header value"
        ),
    ] {
        assert!(err.contains(&line), "missing {line:?} in:\n{err}");
    }
    assert!(!err.contains("SecretOnLineTwo"), "{err}");
    // Exit 3 for `run` too, before any request.
    assert_eq!(run_with_env(&ws, &["run"], &[]).status.code(), Some(3));
}

#[test]
fn no_secret_appears_in_any_output_log_file_or_state_row() {
    let other = other_host();
    let site = site(other.url(""));
    let ws = workspace(&site);
    let mut outputs: Vec<(String, Output)> = Vec::new();
    let run = run_with_env(&ws, &["-vv", "run"], &[]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    outputs.push(("run -vv".into(), run));
    let json = run_with_env(&ws, &["-vv", "--log-format", "json", "run", "--force"], &[]);
    assert!(stderr(&json).contains("\"level\""), "{}", stderr(&json));
    outputs.push(("run --log-format json".into(), json));
    // Every level of every crate, the HTTP client's included.
    let trace = run_with_env(&ws, &["run", "--force"], &[("RUST_LOG", "trace")]);
    assert!(stderr(&trace).contains("TRACE"), "{}", stderr(&trace));
    outputs.push(("RUST_LOG=trace run".into(), trace));
    let trace_json = run_with_env(
        &ws,
        &["--log-format", "json", "run", "--force", "--dry-run"],
        &[("RUST_LOG", "trace")],
    );
    outputs.push(("RUST_LOG=trace json dry run".into(), trace_json));
    for args in [
        vec!["status"],
        vec!["-vv", "check", "header"],
        vec!["-vv", "check", "jar", "--explain"],
        vec!["check", "raw"],
        vec!["check", "basic", "--explain"],
        vec!["check", "broken"],
        vec!["validate"],
    ] {
        let o = run_with_env(&ws, &args, &[("RUST_LOG", "trace")]);
        outputs.push((args.join(" "), o));
    }
    let checked = &outputs
        .iter()
        .find(|(w, _)| w == "-vv check jar --explain")
        .unwrap()
        .1;
    assert_eq!(checked.status.code(), Some(0), "{}", stderr(checked));
    assert!(stdout(checked).contains("c: third"), "{}", stdout(checked));
    let secrets: Vec<&[u8]> = SECRETS.iter().map(|s| s.as_bytes()).collect();
    crate::helpers::assert_no_secret(
        &outputs,
        &ws.dir.path().join("feeds"),
        &[
            "index.html",
            "feeds.opml",
            "basic.rss.xml",
            "jar.atom.xml",
            "state.sqlite",
        ],
        &secrets,
    );
}
