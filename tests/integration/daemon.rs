//! `pagefeed daemon`: intervals, SIGHUP reload, SIGTERM exit. Bounded in time.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::{read_feed, Workspace};
use crate::server::{Reply, Server};

fn site() -> Server {
    Server::start(|req| {
        if let Some(feed) = req.path.strip_prefix("/list/") {
            let lis: String = (0..3)
                .map(|i| format!("<article><h2><a href=\"/a/{feed}/{i}\">Story {i} from {feed}</a></h2><time datetime=\"2025-11-0{}T10:00:00Z\"></time></article>", i + 1))
                .collect();
            return Reply::html(format!(
                "<html><head><title>{feed}</title></head><body><main>{lis}</main></body></html>"
            ));
        }
        Reply::status(404)
    })
}

fn feed(server: &Server, id: &str, interval: &str) -> String {
    format!(
        "\n[[feed]]\nid = \"{id}\"\nurl = \"{}\"\nfollow = false\ninterval = \"{interval}\"\n",
        server.url(&format!("/list/{id}"))
    )
}

/// The daemon process; killed when dropped, so a failing test leaves none behind.
struct Daemon(Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn_daemon(ws: &Workspace) -> Daemon {
    Daemon(
        ws.command(&["daemon"])
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn daemon"),
    )
}

fn signal(child: &Daemon, sig: &str) {
    let ok = Command::new("kill")
        .args([&format!("-{sig}"), &child.0.id().to_string()])
        .status()
        .expect("run kill")
        .success();
    assert!(ok, "kill -{sig}");
}

/// Waits for the child to exit, at most `limit`; kills it if it does not.
fn wait_exit(child: &mut Daemon, limit: Duration) -> Option<std::process::ExitStatus> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Ok(Some(st)) = child.0.try_wait() {
            return Some(st);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

#[test]
fn feeds_fire_on_their_own_intervals_and_sigterm_exits_cleanly() {
    let server = site();
    let cfg = format!(
        "[settings]\nper_host_delay = \"0s\"\n{}{}",
        feed(&server, "fast", "1s"),
        feed(&server, "slow", "2s")
    );
    let ws = Workspace::new(&cfg);
    let mut child = spawn_daemon(&ws);
    std::thread::sleep(Duration::from_millis(5500));
    signal(&child, "TERM");
    let status = wait_exit(&mut child, Duration::from_secs(5)).expect("daemon exits after SIGTERM");
    assert!(status.success(), "{status:?}");
    let fast = server.hits("/list/fast");
    let slow = server.hits("/list/slow");
    // Over ~5.5 s: the 1 s feed runs about 5-6 times, the 2 s feed about 3 times.
    assert!((4..=7).contains(&fast), "fast feed ran {fast} times");
    assert!((2..=4).contains(&slow), "slow feed ran {slow} times");
    assert!(fast > slow);
    for f in [
        "fast.rss.xml",
        "fast.atom.xml",
        "fast.json",
        "slow.atom.xml",
    ] {
        assert_eq!(read_feed(&ws.out(f)).entries.len(), 3, "{f}");
    }
}

#[test]
fn sighup_picks_up_a_new_feed() {
    let server = site();
    // 10 s intervals: at most 1 s of start-up jitter, and no second run in the window.
    let base = format!(
        "[settings]\nper_host_delay = \"0s\"\n{}",
        feed(&server, "one", "10s")
    );
    let ws = Workspace::new(&base);
    let mut child = spawn_daemon(&ws);
    let start = Instant::now();
    while !ws.out("one.atom.xml").exists() && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(ws.out("one.atom.xml").exists(), "first feed written");
    std::fs::write(
        ws.config(),
        format!("{base}{}", feed(&server, "two", "10s")),
    )
    .unwrap();
    signal(&child, "HUP");
    let start = Instant::now();
    while !ws.out("two.atom.xml").exists() && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(50));
    }
    signal(&child, "TERM");
    let status = wait_exit(&mut child, Duration::from_secs(5)).expect("exits");
    assert!(status.success());
    assert_eq!(
        read_feed(&ws.out("two.atom.xml")).entries.len(),
        3,
        "the new feed ran after SIGHUP"
    );
    assert_eq!(server.hits("/list/one"), 1, "the 10 s feed ran once");
}

#[test]
fn sigterm_during_a_run_leaves_every_file_whole() {
    // Slow article pages keep the daemon busy inside a run when SIGTERM arrives.
    let server = Server::start(|req| {
        if let Some(feed) = req.path.strip_prefix("/list/") {
            let lis: String = (0..20)
                .map(|i| {
                    format!("<article><h2><a href=\"/a/{feed}/{i}\">Story {i}</a></h2></article>")
                })
                .collect();
            return Reply::html(format!("<html><body><main>{lis}</main></body></html>"));
        }
        std::thread::sleep(Duration::from_millis(40));
        Reply::html(format!(
            "<html><head><title>Page {}</title></head><body><h1>Page</h1></body></html>",
            req.path
        ))
    });
    let mut cfg = String::from("[settings]\nper_host_delay = \"0s\"\nper_host_concurrency = 4\n");
    for id in ["a", "b", "c"] {
        cfg.push_str(&format!(
            "\n[[feed]]\nid = \"{id}\"\nurl = \"{}\"\ninterval = \"1s\"\n",
            server.url(&format!("/list/{id}"))
        ));
    }
    let ws = Workspace::new(&cfg);
    let mut child = spawn_daemon(&ws);
    std::thread::sleep(Duration::from_millis(1700));
    signal(&child, "TERM");
    let status = wait_exit(&mut child, Duration::from_secs(5)).expect("exits promptly");
    assert!(status.success());
    for f in ws.files() {
        if f.ends_with(".xml") || f.ends_with(".json") {
            read_feed(&ws.out(&f));
        }
    }
    // The next run works from the state left behind.
    let out = ws.run(&["run", "--force"]);
    assert!(out.status.success(), "{}", crate::helpers::stderr(&out));
    assert_eq!(read_feed(&ws.out("a.atom.xml")).entries.len(), 20);
}
