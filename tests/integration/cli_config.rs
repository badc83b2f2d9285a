//! Bad config input: a clear message naming file, feed and key; exit 3; nothing written.

use crate::helpers::{pagefeed, stderr, Workspace};

fn assert_config_error(config: &str, expected: &[&str]) {
    let ws = Workspace::new(config);
    let out = ws.run(&["run"]);
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(3),
        "exit code for a config error; stderr: {err}"
    );
    assert!(err.contains("pagefeed.toml:"), "names the file: {err}");
    for e in expected {
        assert!(err.contains(e), "expected {e:?} in: {err}");
    }
    assert!(ws.files().is_empty(), "nothing written");
    assert!(
        !ws.dir.path().join("feeds").exists(),
        "output folder not even created"
    );
}

#[test]
fn unknown_key_is_named_with_its_line() {
    assert_config_error(
        "[[feed]]\nid = \"a\"\nurl = \"https://example.com/\"\nmax_itmes = 3\n",
        &["pagefeed.toml:4", "unknown field `max_itmes`"],
    );
    assert_config_error(
        "[settings]\noutput = \"x\"\n",
        &["pagefeed.toml:2", "unknown field `output`"],
    );
}

#[test]
fn bad_id_is_refused() {
    assert_config_error(
        "[[feed]]\nid = \"../../etc/passwd\"\nurl = \"https://example.com/\"\n",
        &["pagefeed.toml:2", "feed `#1`, key `id`", "../../etc/passwd"],
    );
    assert_config_error(
        "[[feed]]\nid = \"con\"\nurl = \"https://example.com/\"\n",
        &["key `id`", "\"con\" is not a valid feed id"],
    );
}

#[test]
fn duplicate_id_is_refused() {
    assert_config_error(
        "[[feed]]\nid = \"news\"\nurl = \"https://a.example/\"\n\n[[feed]]\nid = \"news\"\nurl = \"https://b.example/\"\n",
        &["pagefeed.toml:6", "feed `news`, key `id`", "duplicate feed id \"news\""],
    );
}

#[test]
fn bad_url_is_refused() {
    assert_config_error(
        "[[feed]]\nid = \"news\"\nurl = \"http://\"\n",
        &["pagefeed.toml:3", "feed `news`, key `url`"],
    );
    assert_config_error(
        "[[feed]]\nid = \"news\"\nurl = \"ftp://example.com/list\"\n",
        &["feed `news`, key `url`", "unsupported scheme \"ftp\""],
    );
}

#[test]
fn bad_selector_is_refused_before_any_request() {
    assert_config_error(
        "[[feed]]\nid = \"news\"\nurl = \"http://127.0.0.1:9/\"\n[feed.items]\nselector = \"li\"\ndate = \"time[@datetime\"\n",
        &["pagefeed.toml:6", "feed `news`, key `items.date`", "invalid CSS selector"],
    );
    assert_config_error(
        "[[feed]]\nid = \"news\"\nurl = \"http://127.0.0.1:9/\"\n[feed.items]\nselector = \"div >> p\"\n",
        &["pagefeed.toml:5", "key `items.selector`"],
    );
}

#[test]
fn bad_durations_zones_and_formats_are_refused() {
    assert_config_error(
        "[settings]\ntimeout = \"soon\"\n[[feed]]\nid = \"n\"\nurl = \"https://e.example/\"\nformats = [\"rss\", \"html\"]\ntimezone = \"Mars/Olympus\"\n",
        &[
            "pagefeed.toml:2: key `settings.timeout`",
            "pagefeed.toml:6: feed `n`, key `formats`",
            "pagefeed.toml:7: feed `n`, key `timezone`",
        ],
    );
}

#[test]
fn missing_config_file_is_a_config_error() {
    let out = pagefeed(&["--config", "/nonexistent/pagefeed.toml", "run"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("cannot read config file /nonexistent/pagefeed.toml"));
}

#[test]
fn unknown_feed_id_on_the_command_line_is_a_config_error() {
    let ws = Workspace::new("[[feed]]\nid = \"a\"\nurl = \"https://example.com/\"\n");
    let out = ws.run(&["run", "nope"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("no feed with id `nope`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn every_shipped_config_loads() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    let mut n = 0;
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "toml") {
                pagefeed::Config::load(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
                n += 1;
            }
        }
    }
    assert!(n >= 2, "config/pagefeed.toml and config/demo.toml at least");
}
