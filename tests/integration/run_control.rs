//! Overlapping runs, kill -9 mid-run, and `pagefeed status`.

use std::process::{Command, Stdio};
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
    let mut c = String::from("[settings]\nper_host_delay = \"0s\"\nper_host_concurrency = 8\n");
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
        let config = ws.config();
        let mut child = Command::new(env!("CARGO_BIN_EXE_pagefeed"))
            .args(["--config", config.to_str().unwrap(), "run"])
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(kill_after_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        // Whatever exists is a whole, valid feed.
        for f in ws.files() {
            read_feed(&ws.out(&f));
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
    assert!(ws.run(&["run"]).status.success());
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

#[test]
fn status_lists_items_successes_and_failures() {
    let server = slow_site(1, 3, Duration::from_millis(1));
    let mut cfg = config(&server, 1);
    cfg.push_str(&format!(
        "\n[[feed]]\nid = \"broken\"\nurl = \"{}\"\n",
        server.url("/nothing")
    ));
    let ws = Workspace::new(&cfg);
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
