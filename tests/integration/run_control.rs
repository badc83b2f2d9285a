//! Overlapping runs, kill -9 mid-run, and `pagefeed status`.

use std::process::Stdio;
use std::time::Duration;

use crate::helpers::{read_feed, stderr, stdout, Workspace};
use crate::server::{Reply, Server};

/// A site with `n` articles per listing and `feeds` listings, each article answering
/// after `delay`.
fn slow_site(feeds: usize, n: usize, delay: Duration) -> Server {
    Server::start(move |req| {
        let path = req.path.clone();
        if let Some(rest) = path.strip_prefix("/list/") {
            let lis: String = (0..n)
                .map(|i| format!("<article><h2><a href=\"/a/{rest}/{i}\">Story {i} of list {rest}</a></h2></article>"))
                .collect();
            return Reply::html(format!("<html><body><main>{lis}</main></body></html>"));
        }
        if let Some(rest) = path.strip_prefix("/a/") {
            std::thread::sleep(delay);
            let body = format!(
                "<html><head><title>Story {rest}</title><meta property=\"article:published_time\" content=\"2025-11-{:02}T10:00:00Z\">\
                 <meta name=\"description\" content=\"{}\"></head><body><h1>Story {rest}</h1></body></html>",
                1 + rest.len() % 28,
                "A summary that is long enough to make the feed files a little larger. ".repeat(20)
            );
            return Reply::html(body);
        }
        let _ = feeds;
        Reply::status(404)
    })
}

fn config(server: &Server, feeds: usize) -> String {
    let mut c = String::from(
        "[settings]\nper_host_delay = \"0s\"\ninterval = \"0s\"\nper_host_concurrency = 8\n",
    );
    for f in 0..feeds {
        c.push_str(&format!(
            "\n[[feed]]\nid = \"f{f}\"\nurl = \"{}\"\n",
            server.url(&format!("/list/{f}"))
        ));
    }
    c
}

#[test]
fn kill_9_at_any_point_leaves_whole_files_and_a_usable_state() {
    let server = slow_site(4, 30, Duration::from_millis(3));
    let ws = Workspace::new(&config(&server, 4));
    for kill_after_ms in [30u64, 80, 150, 250, 400, 600] {
        let mut child = ws.command(&["run"]).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(kill_after_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        // Whatever exists is a whole, valid feed.
        for f in ws.files() {
            if f.ends_with(".xml") || f.ends_with(".json") {
                read_feed(&ws.out(&f));
            }
        }
    }
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for f in 0..4 {
        for ext in ["rss.xml", "atom.xml", "json"] {
            assert_eq!(read_feed(&ws.out(&format!("f{f}.{ext}"))).entries.len(), 30);
        }
    }
    let leftovers: Vec<String> = std::fs::read_dir(ws.out(""))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temp files of killed runs are cleaned: {leftovers:?}"
    );
}

#[test]
fn an_overlapping_run_exits_with_a_clear_message_or_waits() {
    let server = slow_site(1, 3, Duration::from_millis(1));
    let ws = Workspace::new(&config(&server, 1));
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lock_path = ws.out(".pagefeed/state.lock");
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(&lock_path)
        .unwrap();
    lock.lock().unwrap();
    let out = ws.run(&["run"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("another pagefeed run holds"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("--wait"), "{}", stderr(&out));

    let releaser = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(800));
        drop(lock);
    });
    let out = ws.run(&["run", "--wait"]);
    assert!(out.status.success(), "{}", stderr(&out));
    releaser.join().unwrap();
}

/// One working feed and one (`broken`) whose listing is a 404.
fn config_with_broken_feed(server: &Server) -> String {
    let mut cfg = config(server, 1);
    cfg.push_str(&format!(
        "\n[[feed]]\nid = \"broken\"\nurl = \"{}\"\n",
        server.url("/nothing")
    ));
    cfg
}

#[test]
fn status_lists_items_successes_and_failures() {
    let server = slow_site(1, 3, Duration::from_millis(1));
    let ws = Workspace::new(&config_with_broken_feed(&server));
    assert_eq!(ws.run(&["run"]).status.code(), Some(2));
    assert_eq!(ws.run(&["run"]).status.code(), Some(2));
    let out = ws.run(&["status"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let f0 = text.lines().find(|l| l.starts_with("f0 ")).expect("f0 row");
    assert!(f0.split_whitespace().nth(1) == Some("3"), "{f0}");
    assert!(f0.contains("100%/0%/100%/100%"), "{f0}");
    let broken = text
        .lines()
        .find(|l| l.starts_with("broken "))
        .expect("broken row");
    assert!(broken.contains("HTTP 404"), "{broken}");
    assert_eq!(broken.split_whitespace().nth(1), Some("0"), "{broken}");
    assert!(broken.contains(" 2 "), "two consecutive failures: {broken}");
}

#[test]
fn feeds_run_when_due_and_force_ignores_the_schedule() {
    let server = slow_site(1, 3, Duration::from_millis(1));
    let cfg = config(&server, 1).replace("interval = \"0s\"\n", "interval = \"1h\"\n");
    let ws = Workspace::new(&cfg);
    assert!(ws.run(&["run"]).status.success());
    let n = server.requests().len();
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).is_empty(),
        "silent on success: {}",
        stderr(&out)
    );
    assert_eq!(
        server.requests().len(),
        n,
        "a feed run within its interval is not due"
    );
    let out = ws.run(&["run", "--force", "f0"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(server.requests().len() > n, "--force runs it anyway");
}

#[test]
fn a_run_that_falls_short_keeps_the_last_good_feed_and_alerts_once() {
    // Listing with three items; later it turns into a block page with none.
    let blocked = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let b = blocked.clone();
    let server = Server::start(move |req| {
        if req.path == "/list" {
            if b.load(std::sync::atomic::Ordering::SeqCst) {
                return Reply::html(
                    "<html><body><h1>Access denied</h1><p>Please enable cookies.</p></body></html>",
                );
            }
            let lis: String = (0..3)
                .map(|i| format!("<article><h2><a href=\"/a/{i}\">Story number {i}</a></h2><time datetime=\"2025-11-0{}T10:00:00Z\"></time></article>", i + 1))
                .collect();
            return Reply::html(format!("<html><body><main>{lis}</main></body></html>"));
        }
        Reply::status(404)
    });
    let ws = Workspace::new(&format!(
        "[settings]\nper_host_delay = \"0s\"\ninterval = \"0s\"\n[[feed]]\nid = \"news\"\nurl = \"{}\"\nfollow = false\n\
         [feed.expect]\nmin_items = 2\nfields = [\"title\", \"date\"]\nalert_after = 2\n",
        server.url("/list")
    ));
    assert!(ws.run(&["run"]).status.success());
    let good = std::fs::read(ws.out("news.atom.xml")).unwrap();
    blocked.store(true, std::sync::atomic::Ordering::SeqCst);

    let out = ws.run(&["run"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no repeated items found"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read(ws.out("news.atom.xml")).unwrap(),
        good,
        "last good feed kept"
    );

    for _ in 0..2 {
        assert_eq!(ws.run(&["run"]).status.code(), Some(2));
    }
    let feed = read_feed(&ws.out("news.atom.xml"));
    let alerts: Vec<_> = feed
        .entries
        .iter()
        .filter(|e| {
            e.title
                .as_ref()
                .unwrap()
                .content
                .contains("stopped updating")
        })
        .collect();
    assert_eq!(alerts.len(), 1, "one de-duplicated warning item");
    assert_eq!(
        feed.entries.len(),
        4,
        "the warning plus the last good items"
    );
    let first_alert_id = alerts[0].id.clone();
    assert_eq!(ws.run(&["run"]).status.code(), Some(2));
    let again = read_feed(&ws.out("news.atom.xml"));
    assert_eq!(
        again
            .entries
            .iter()
            .filter(|e| e.id == first_alert_id)
            .count(),
        1
    );

    // Recovery removes the warning.
    blocked.store(false, std::sync::atomic::Ordering::SeqCst);
    assert!(ws.run(&["run"]).status.success());
    let feed = read_feed(&ws.out("news.atom.xml"));
    assert_eq!(feed.entries.len(), 3);
}

#[test]
fn expected_fields_missing_fail_the_run_with_what_fell_short() {
    let server = slow_site(1, 3, Duration::from_millis(1));
    let cfg = format!(
        "{}follow = false\n[feed.expect]\nfields = [\"author\"]\n",
        config(&server, 1)
    );
    let ws = Workspace::new(&cfg);
    let out = ws.run(&["run"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("author found on 0 of 3 items (0%), expected at least 80%"),
        "{}",
        stderr(&out)
    );
    assert!(
        ws.files().iter().all(|f| !f.starts_with("f0.")),
        "nothing published: {:?}",
        ws.files()
    );
}

#[test]
fn index_and_opml_list_every_feed() {
    let server = slow_site(2, 3, Duration::from_millis(1));
    let cfg = config(&server, 2).replace(
        "[settings]\n",
        "[settings]\nbase_url = \"https://feeds.example.org/\"\nstylesheet = true\n",
    );
    let ws = Workspace::new(&cfg);
    assert!(ws.run(&["run"]).status.success());
    let index = std::fs::read_to_string(ws.out("index.html")).unwrap();
    for f in ["f0", "f1"] {
        let link = format!(
            "type=\"application/atom+xml\" title=\"{} (Atom)\" href=\"{f}.atom.xml\">",
            server.url(&format!("/list/{}", &f[1..]))
        );
        assert!(
            index.contains(&format!("<link rel=\"alternate\" {link}")),
            "{index}"
        );
        assert!(
            index.contains(&format!("<a href=\"{f}.rss.xml\">RSS</a>")),
            "{index}"
        );
    }
    let opml = std::fs::read_to_string(ws.out("feeds.opml")).unwrap();
    assert!(
        opml.contains("xmlUrl=\"https://feeds.example.org/f0.atom.xml\""),
        "{opml}"
    );
    assert!(
        opml.contains("xmlUrl=\"https://feeds.example.org/f1.atom.xml\""),
        "{opml}"
    );
    let rss = std::fs::read_to_string(ws.out("f0.rss.xml")).unwrap();
    assert!(
        rss.contains("<?xml-stylesheet type=\"text/xsl\" href=\"pagefeed.xsl\"?>"),
        "{rss}"
    );
    assert!(ws.out("pagefeed.xsl").exists());
    read_feed(&ws.out("f0.rss.xml"));
    read_feed(&ws.out("f0.atom.xml"));
    let mtime = std::fs::metadata(ws.out("index.html"))
        .unwrap()
        .modified()
        .unwrap();
    std::thread::sleep(Duration::from_millis(50));
    assert!(ws.run(&["run"]).status.success());
    assert_eq!(
        std::fs::metadata(ws.out("index.html"))
            .unwrap()
            .modified()
            .unwrap(),
        mtime,
        "unchanged index not rewritten"
    );
}

#[test]
fn json_logs_are_one_object_a_line_and_cron_output_has_no_progress_or_colour() {
    let server = slow_site(1, 3, Duration::from_millis(1));
    let ws = Workspace::new(&config_with_broken_feed(&server));
    let out = ws.run(&["--log-format", "json", "-v", "run"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    let mut levels = Vec::new();
    for line in err.lines().filter(|l| l.starts_with('{')) {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        levels.push(v["level"].as_str().unwrap().to_string());
    }
    assert!(levels.contains(&"ERROR".to_string()), "{err}");
    assert!(levels.contains(&"INFO".to_string()), "{err}");
    // stderr is a pipe here, as under cron: no escape codes from colours or a bar.
    let text = stderr(&ws.run(&["-v", "run"]));
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(text.contains("run: 1 feeds ok, 1 failed"), "{text}");
}
