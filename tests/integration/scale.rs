//! Several pagefeed processes sharing one PostgreSQL state (issue 17): feeds leased to
//! one process at a time, a killed process's feeds finished by the others after its
//! leases lapse, and `pagefeed state migrate` from the SQLite file.

use std::collections::{HashMap, HashSet};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::{read_feed, stderr, stdout, Workspace};
use crate::server::{Reply, Server};

/// Articles per listing.
const ARTICLES: usize = 3;

/// A site of listings `/list/N` with [`ARTICLES`] dated articles each; an article
/// answers after `delay`, listing `N` shows `extra[N]` more (newest first).
pub(crate) fn site(
    delay: Duration,
    extra: std::sync::Arc<std::sync::Mutex<HashMap<usize, usize>>>,
) -> Server {
    Server::start(move |req| {
        if let Some(n) = req.path.strip_prefix("/list/") {
            let n: usize = n.parse().unwrap_or(0);
            let more = extra.lock().unwrap().get(&n).copied().unwrap_or(0);
            let etag = format!("\"l{n}-{more}\"");
            if req.header("if-none-match") == Some(etag.as_str()) {
                return Reply::status(304);
            }
            let lis: String = (0..ARTICLES + more)
                .rev()
                .map(|i| format!("<article><h2><a href=\"/a/{n}/{i}\">Story {i} of list {n}</a></h2></article>"))
                .collect();
            return Reply::html(format!(
                "<html><head><title>List {n}</title></head><body><main>{lis}</main></body></html>"
            ))
            .with_header("ETag", &etag);
        }
        if let Some(rest) = req.path.strip_prefix("/a/") {
            std::thread::sleep(delay);
            let (n, i) = rest.split_once('/').unwrap_or(("0", "0"));
            let i: u32 = i.parse().unwrap_or(0);
            return Reply::html(format!(
                "<html><head><title>Story {i} of list {n}</title>\
                 <meta property=\"article:published_time\" content=\"2025-11-{:02}T10:00:00Z\">\
                 <meta name=\"author\" content=\"Writer {n}\"></head>\
                 <body><article><h1>Story {i} of list {n}</h1><p>Text of story {i}.</p></article></body></html>",
                1 + i
            ));
        }
        Reply::status(404)
    })
}

pub(crate) fn config(server: &Server, feeds: usize, timeout: &str) -> String {
    let mut c = format!(
        "[settings]\nper_host_delay = \"0s\"\ninterval = \"1h\"\nconcurrency = 4\n\
         per_host_concurrency = 4\ntimeout = \"{timeout}\"\n"
    );
    for f in 0..feeds {
        c.push_str(&format!(
            "\n[[feed]]\nid = \"f{f}\"\nurl = \"{}\"\n",
            server.url(&format!("/list/{f}"))
        ));
    }
    c
}

/// Requests per exact path.
fn hits(server: &Server) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for r in server.requests() {
        *out.entry(r.path).or_insert(0) += 1;
    }
    out
}

/// A worker process; killed when dropped.
struct Worker(Child, std::path::PathBuf);

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn worker(ws: &Workspace, n: usize, args: &[&str]) -> Worker {
    let log = ws.dir.path().join(format!("worker{n}.log"));
    let file = std::fs::File::create(&log).unwrap();
    let mut all = vec!["-v"];
    all.extend_from_slice(args);
    let child = ws
        .command(&all)
        .stdout(Stdio::null())
        .stderr(file)
        .spawn()
        .expect("spawn pagefeed");
    Worker(child, log)
}

/// Feeds each worker's log says it published ("feed `fN`: 3 items, …").
fn published(log: &std::path::Path) -> Vec<String> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains(" items, "))
        .filter_map(|l| l.split('`').nth(1).map(str::to_string))
        .collect()
}

/// Every feed file of feed `f` holds exactly `n` entries, the titles of list `f`, no
/// guid twice; returns (id, published) per entry of the Atom file.
fn check_feed(ws: &Workspace, f: usize, n: usize) -> Vec<(String, String)> {
    let want: Vec<String> = (0..n)
        .rev()
        .map(|i| format!("Story {i} of list {f}"))
        .collect();
    let titles = crate::hostile::titles_in_all_formats(ws, &format!("f{f}"));
    assert_eq!(titles, vec![want; 3], "f{f}");
    let mut out = Vec::new();
    for ext in ["rss.xml", "atom.xml", "json"] {
        let feed = read_feed(&ws.out(&format!("f{f}.{ext}")));
        let ids: HashSet<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), n, "f{f}.{ext}: a guid twice");
        if ext == "atom.xml" {
            out = feed
                .entries
                .iter()
                .map(|e| (e.id.clone(), format!("{:?}", e.published)))
                .collect();
        }
    }
    out
}

#[test]
fn three_runs_at_once_run_each_feed_once_and_keep_ids_across_processes() {
    const FEEDS: usize = 45;
    let extra = std::sync::Arc::default();
    let server = site(Duration::from_millis(20), std::sync::Arc::clone(&extra));
    let ws = Workspace::with_postgres(&config(&server, FEEDS, "5s"));
    let workers: Vec<Worker> = (0..3).map(|n| worker(&ws, n, &["run"])).collect();
    let mut logs = Vec::new();
    for mut w in workers {
        let status = w.0.wait().unwrap();
        assert!(
            status.success(),
            "{}",
            std::fs::read_to_string(&w.1).unwrap()
        );
        logs.push(published(&w.1));
    }
    // Each feed published by exactly one process; each page requested once.
    let mut all: Vec<String> = logs.concat();
    all.sort();
    let mut want: Vec<String> = (0..FEEDS).map(|f| format!("f{f}")).collect();
    want.sort();
    assert_eq!(all, want, "feeds published per worker: {logs:?}");
    let h = hits(&server);
    for f in 0..FEEDS {
        assert_eq!(h.get(&format!("/list/{f}")), Some(&1), "listing {f}");
        for i in 0..ARTICLES {
            assert_eq!(h.get(&format!("/a/{f}/{i}")), Some(&1), "article {f}/{i}");
        }
    }
    let first: Vec<Vec<(String, String)>> =
        (0..FEEDS).map(|f| check_feed(&ws, f, ARTICLES)).collect();

    // Second cycle, three processes again once every feed is due (interval 5 s): one
    // new story on every third list.
    for f in (0..FEEDS).step_by(3) {
        extra.lock().unwrap().insert(f, 1);
    }
    std::fs::write(
        ws.config(),
        config(&server, FEEDS, "5s").replace("\"1h\"", "\"5s\""),
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(5500));
    let workers: Vec<Worker> = (0..3).map(|n| worker(&ws, n, &["run"])).collect();
    let mut logs = Vec::new();
    for mut w in workers {
        assert!(w.0.wait().unwrap().success());
        logs.push(published(&w.1));
    }
    assert_eq!(
        logs.concat().len(),
        FEEDS,
        "each feed once in the second cycle: {logs:?}"
    );
    let h = hits(&server);
    for (f, first) in first.iter().enumerate() {
        assert_eq!(h.get(&format!("/list/{f}")), Some(&2), "listing {f}");
        for i in 0..ARTICLES {
            assert_eq!(
                h.get(&format!("/a/{f}/{i}")),
                Some(&1),
                "article {f}/{i} once"
            );
        }
        let n = if f % 3 == 0 { ARTICLES + 1 } else { ARTICLES };
        let now = check_feed(&ws, f, n);
        // Guids and dates of the first cycle's items are what they were.
        for old in first {
            assert!(now.contains(old), "f{f}: {old:?} changed: {now:?}");
        }
    }
    // Nothing left leased.
    let out = ws.run(&["status"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stdout(&out).contains("LEASED FEED"), "{}", stdout(&out));
}

#[test]
fn a_killed_daemon_s_feeds_are_finished_by_the_others_after_its_leases_lapse() {
    const FEEDS: usize = 30;
    let server = site(Duration::from_millis(250), std::sync::Arc::default());
    // timeout 1s: a lease lasts 3 s; interval 30s: the daemons' jitter spreads the
    // first runs over 3 s, and the next cycle is far beyond the test's end.
    let ws = Workspace::with_postgres(&config(&server, FEEDS, "1s").replace("\"1h\"", "\"30s\""));
    let db = ws.db.as_ref().unwrap();
    let mut pg = db.client();
    let mut workers: Vec<Worker> = (0..3).map(|n| worker(&ws, n, &["daemon"])).collect();
    let victim = workers[0].0.id();
    // Wait until the first worker holds leases, then kill -9 it.
    let deadline = Instant::now() + Duration::from_secs(20);
    let held: Vec<(String, chrono::DateTime<chrono::Utc>)> = loop {
        // (An error: the workers have not made the tables yet.)
        let rows = pg
            .query(
                "SELECT id, lease_expires FROM feeds WHERE lease_host LIKE $1",
                &[&format!("% pid {victim}")],
            )
            .unwrap_or_default();
        if !rows.is_empty() {
            // `pagefeed status` names the host and process of each lease.
            let status = stdout(&ws.run(&["status"]));
            assert!(status.contains("LEASED FEED"), "{status}");
            assert!(status.contains(&format!("pid {victim}")), "{status}");
            let ok = std::process::Command::new("kill")
                .args(["-9", &victim.to_string()])
                .status()
                .unwrap()
                .success();
            assert!(ok);
            break pg
                .query(
                    "SELECT id, lease_expires FROM feeds WHERE lease_host LIKE $1",
                    &[&format!("% pid {victim}")],
                )
                .unwrap()
                .iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect();
        }
        assert!(Instant::now() < deadline, "worker 0 never took a lease");
        std::thread::sleep(Duration::from_millis(10));
    };
    assert!(!held.is_empty());
    let killed_at = chrono::Utc::now();
    // The others finish every feed, the killed worker's too, and let go of every lease.
    let deadline = Instant::now() + Duration::from_secs(40);
    loop {
        let row = pg
            .query_one(
                "SELECT COUNT(*) FILTER (WHERE last_success IS NOT NULL),
                        COUNT(*) FILTER (WHERE lease_holder IS NOT NULL AND lease_host NOT LIKE $1)
                 FROM feeds",
                &[&format!("% pid {victim}")],
            )
            .unwrap();
        let (done, busy): (i64, i64) = (row.get(0), row.get(1));
        let stale: i64 = pg
            .query_one(
                "SELECT COUNT(*) FROM feeds WHERE lease_host LIKE $1",
                &[&format!("% pid {victim}")],
            )
            .unwrap()
            .get(0);
        if done == FEEDS as i64 && busy == 0 && stale == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{done} of {FEEDS} feeds done, {busy} leased, {stale} still the killed worker's"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    for w in &mut workers[1..] {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &w.0.id().to_string()])
            .status();
        let _ = w.0.wait();
    }
    let held_ids: HashSet<&str> = held.iter().map(|(f, _)| f.as_str()).collect();
    // The killed worker's feeds were taken over only after its leases lapsed.
    for (feed, expires) in &held {
        let last: String = pg
            .query_one("SELECT last_success FROM feeds WHERE id = $1", &[feed])
            .unwrap()
            .get(0);
        let last = chrono::DateTime::parse_from_rfc3339(&last).unwrap();
        assert!(
            last.timestamp() + 1 >= expires.timestamp(),
            "{feed} finished at {last}, before its lease lapsed at {expires}"
        );
        assert!(*expires > killed_at - chrono::Duration::seconds(1));
    }
    let h = hits(&server);
    for f in 0..FEEDS {
        let id = format!("f{f}");
        let listing = h.get(&format!("/list/{f}")).copied().unwrap_or(0);
        if held_ids.contains(id.as_str()) {
            assert!((1..=2).contains(&listing), "listing {f}: {listing}");
        } else {
            assert_eq!(listing, 1, "listing {f}");
            for i in 0..ARTICLES {
                assert_eq!(h.get(&format!("/a/{f}/{i}")), Some(&1), "article {f}/{i}");
            }
        }
        // No guid twice, no item lost, whole files.
        check_feed(&ws, f, ARTICLES);
    }
    let items: i64 = pg
        .query_one("SELECT COUNT(*) FROM items", &[])
        .unwrap()
        .get(0);
    assert_eq!(items, (FEEDS * ARTICLES) as i64);
}

/// `pagefeed status` names the process that holds the site files' lease and since
/// when. The test catches a real `pagefeed run` inside that lease and keeps it there:
/// once the lease's row names the run's pid, the test locks the row (`FOR UPDATE` in a
/// transaction it keeps open), so the run's release waits until the test lets go.
#[test]
fn status_shows_which_process_holds_the_site_files_lease_and_since_when() {
    let server = site(Duration::ZERO, std::sync::Arc::default());
    let ws = Workspace::with_postgres(&config(&server, 3, "5s"));
    let out = ws.run(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = ws.run(&["status"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !stdout(&out).contains("LEASED SITE FILES"),
        "{}",
        stdout(&out)
    );

    let mut pg = ws.db.as_ref().unwrap().client();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        assert!(
            Instant::now() < deadline,
            "no run was caught holding the site files' lease"
        );
        let mut run = Worker(
            ws.command(&["run", "--force"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn pagefeed"),
            ws.dir.path().join("unused.log"),
        );
        let pid = run.0.id();
        let mut tx = pg.transaction().unwrap();
        let held = loop {
            let row = tx
                .query_opt(
                    "SELECT host, since, expires FROM site_lease
                     WHERE name = 'site' AND host LIKE $1 FOR UPDATE",
                    &[&format!("% pid {pid}")],
                )
                .unwrap();
            if row.is_some() || run.0.try_wait().unwrap().is_some() {
                break row;
            }
        };
        let Some(held) = held else {
            continue; // this run was done before the test saw its lease: another one
        };
        let (host, since, expires): (
            String,
            chrono::DateTime<chrono::Utc>,
            chrono::DateTime<chrono::Utc>,
        ) = (held.get(0), held.get(1), held.get(2));
        let out = ws.run(&["status"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let status = stdout(&out);
        let t = |d: chrono::DateTime<chrono::Utc>| d.format("%Y-%m-%d %H:%M:%S UTC").to_string();
        let tail: Vec<&str> = status.lines().rev().take(2).collect();
        assert_eq!(
            tail,
            [
                format!(
                    "{:<20} {:<32}  {:<23}  {}",
                    "index.html, feeds.opml",
                    host,
                    t(since),
                    t(expires)
                )
                .as_str(),
                format!(
                    "{:<20} {:<32}  {:<23}  EXPIRES",
                    "LEASED SITE FILES", "HOST", "SINCE"
                )
                .as_str(),
            ],
            "{status}"
        );
        assert!(host.ends_with(&format!(" pid {pid}")), "{host}");
        let age = chrono::Utc::now() - since;
        assert!(age < chrono::Duration::seconds(30), "since {since}");
        assert_eq!((expires - since).num_seconds(), 30, "the lease lasts 30 s");
        // Let go: the run gives the lease back and ends; no site lease is shown then.
        tx.rollback().unwrap();
        assert!(run.0.wait().unwrap().success());
        let out = ws.run(&["status"]);
        assert!(
            !stdout(&out).contains("LEASED SITE FILES"),
            "{}",
            stdout(&out)
        );
        break;
    }
}

#[test]
fn state_migrate_copies_history_validators_and_status_into_postgres() {
    let extra = std::sync::Arc::default();
    let server = site(Duration::ZERO, extra);
    let mut cfg = config(&server, 2, "5s");
    cfg.push_str(&format!(
        "\n[[feed]]\nid = \"broken\"\nurl = \"{}\"\n",
        server.url("/missing")
    ));
    // First on the SQLite file.
    let sqlite = Workspace::new(&cfg);
    let sqlite = Workspace { db: None, ..sqlite };
    let out = sqlite.run(&["run"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let before = stdout(&sqlite.run(&["status"]));
    let ids: Vec<Vec<(String, String)>> =
        (0..2).map(|f| check_feed(&sqlite, f, ARTICLES)).collect();

    let db = crate::pg::Db::create();
    let out = sqlite.run(&["state", "migrate", "--to", &db.url()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out).lines().next().unwrap_or_default(),
        format!(
            "copied 3 feeds, 6 items and 2 URLs from {} to {}",
            sqlite.out(".pagefeed/state.sqlite").display(),
            db.url()
        )
    );
    // The same config on PostgreSQL: the same status, nothing due, nothing fetched.
    let pg = Workspace {
        dir: sqlite.dir,
        db: Some(db),
    };
    assert_eq!(stdout(&pg.run(&["status"])), before);
    let requests = server.requests().len();
    let out = pg.run(&["run", "f0", "f1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        server.requests().len(),
        requests,
        "feeds not due were fetched"
    );
    // Forced: the validators are there (the listing is asked conditionally and is not
    // modified), so is the history (no article fetched again); ids and dates kept.
    let out = pg.run(&["run", "--force", "f0", "f1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let conditional = server
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/list/") && r.header("if-none-match").is_some())
        .count();
    assert_eq!(conditional, 2);
    let h = hits(&server);
    for (f, ids) in ids.iter().enumerate() {
        assert_eq!(h.get(&format!("/list/{f}")), Some(&2));
        for i in 0..ARTICLES {
            assert_eq!(h.get(&format!("/a/{f}/{i}")), Some(&1), "article {f}/{i}");
        }
        assert_eq!(&check_feed(&pg, f, ARTICLES), ids);
    }
    let status = stdout(&pg.run(&["status"]));
    let broken = status.lines().find(|l| l.starts_with("broken")).unwrap();
    assert!(broken.contains("HTTP 404"), "{status}");
    assert!(broken.split_whitespace().any(|w| w == "1"), "{broken}");
    // A bad target names itself.
    let out = pg.run(&["state", "migrate", "--to", "mysql://x/y"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("--to: must be a postgres:// URL"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_bad_state_url_names_its_key_and_a_password_is_never_printed() {
    let ws = Workspace::new(
        "[settings]\nper_host_delay = \"0s\"\nstate_url = \"mysql://db.example/feeds\"\n\n\
         [[feed]]\nid = \"a\"\nurl = \"http://127.0.0.1:9/\"\n",
    );
    let ws = Workspace { db: None, ..ws };
    let out = ws.run(&["validate"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains(
            "pagefeed.toml:3: key `settings.state_url`: must be a postgres:// URL, not mysql://"
        ),
        "{}",
        stderr(&out)
    );
    // The environment variable: named when wrong; a database that is not there is
    // named without its password.
    std::fs::write(
        ws.config(),
        "[[feed]]\nid = \"a\"\nurl = \"http://127.0.0.1:9/\"\n",
    )
    .unwrap();
    let out = ws
        .command(&["run"])
        .env("PAGEFEED_STATE_URL", "sqlite:x")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out)
            .contains("store: PAGEFEED_STATE_URL: must be a postgres:// URL, not sqlite://"),
        "{}",
        stderr(&out)
    );
    let missing = "postgres://postgres:hunter2@127.0.0.1:5432/pagefeed_no_such_database";
    let out = ws
        .command(&["status"])
        .env("PAGEFEED_STATE_URL", missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("postgres://postgres:***@127.0.0.1:5432/pagefeed_no_such_database"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("does not exist"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("hunter2"), "{}", stderr(&out));
}

/// The test: 3 daemons over 300 feeds, PostgreSQL state, files in a bucket;
/// one is killed with SIGKILL mid-run and the others finish its feeds once its leases
/// lapse. Each listing and article is fetched once (a killed worker's feed: its listing
/// at most twice), every feed is whole and valid in the bucket with every item once.
#[test]
fn three_daemons_over_300_feeds_publish_every_feed_whole_to_a_bucket_despite_a_kill_9() {
    const FEEDS: usize = 300;
    let Some(moto) = crate::bucket::Moto::start() else {
        return;
    };
    moto.create_bucket("feeds");
    let server = site(Duration::from_millis(40), std::sync::Arc::default());
    // timeout 3s: a lease lasts 9 s, so a live worker on a loaded machine (moto, three
    // daemons and PostgreSQL on two cores) does not see its leases lapse mid-run.
    let config = config(&server, FEEDS, "3s")
        .replace("\"1h\"", "\"10m\"")
        .replace("concurrency = 4", "concurrency = 8")
        .replace(
            "[settings]\n",
            "[settings]\noutput_url = \"s3://feeds/out/\"\n",
        );
    let ws = Workspace::with_postgres(&config);
    let db = ws.db.as_ref().unwrap();
    let mut pg = db.client();
    let spawn = |n: usize| {
        let log = ws.dir.path().join(format!("worker{n}.log"));
        let mut cmd = ws.command(&["-v", "daemon"]);
        moto.env(&mut cmd);
        let child = cmd
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("spawn pagefeed");
        Worker(child, log)
    };
    let mut workers: Vec<Worker> = (0..3).map(spawn).collect();
    let victim = workers[0].0.id();
    let mine = format!("% pid {victim}");
    // Kill worker 0 once it has finished a few feeds and holds leases on others.
    let deadline = Instant::now() + Duration::from_secs(60);
    let held: Vec<String> = loop {
        let rows = pg
            .query("SELECT id FROM feeds WHERE lease_host LIKE $1", &[&mine])
            .unwrap_or_default();
        let done: i64 = pg
            .query_one(
                "SELECT COUNT(*) FROM feeds WHERE last_success IS NOT NULL",
                &[],
            )
            .map(|r| r.get(0))
            .unwrap_or(0);
        if !rows.is_empty() && done >= 20 {
            let ok = Command::new("kill")
                .args(["-9", &victim.to_string()])
                .status()
                .unwrap()
                .success();
            assert!(ok);
            break pg
                .query("SELECT id FROM feeds WHERE lease_host LIKE $1", &[&mine])
                .unwrap()
                .iter()
                .map(|r| r.get(0))
                .collect();
        }
        assert!(Instant::now() < deadline, "worker 0 never took a lease");
        std::thread::sleep(Duration::from_millis(10));
    };
    assert!(!held.is_empty());
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let row = pg
            .query_one(
                "SELECT COUNT(*) FILTER (WHERE last_success IS NOT NULL),
                        COUNT(*) FILTER (WHERE lease_holder IS NOT NULL)
                 FROM feeds",
                &[],
            )
            .unwrap();
        let (done, leased): (i64, i64) = (row.get(0), row.get(1));
        if done == FEEDS as i64 && leased == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{done} of {FEEDS} feeds done, {leased} leased"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // Give the last site-file writes a moment, then stop the daemons.
    std::thread::sleep(Duration::from_millis(500));
    for w in &mut workers[1..] {
        let _ = Command::new("kill")
            .args(["-TERM", &w.0.id().to_string()])
            .status();
        let _ = w.0.wait();
    }
    let h = hits(&server);
    for f in 0..FEEDS {
        let listing = h.get(&format!("/list/{f}")).copied().unwrap_or(0);
        if held.contains(&format!("f{f}")) {
            assert!((1..=2).contains(&listing), "listing {f}: {listing}");
        } else {
            let why = || {
                let pat = format!("`f{f}`");
                let logs: Vec<String> = workers
                    .iter()
                    .flat_map(|w| {
                        std::fs::read_to_string(&w.1)
                            .unwrap_or_default()
                            .lines()
                            .filter(|l| l.contains(&pat))
                            .map(str::to_string)
                            .collect::<Vec<_>>()
                    })
                    .collect();
                logs.join("\n")
            };
            assert_eq!(listing, 1, "listing {f}: {}", why());
            for i in 0..ARTICLES {
                assert_eq!(h.get(&format!("/a/{f}/{i}")), Some(&1), "article {f}/{i}");
            }
        }
    }
    let objects = moto.objects("feeds", "out");
    assert_eq!(
        objects.len(),
        FEEDS * 3 + 2,
        "three files per feed, index, OPML"
    );
    for f in 0..FEEDS {
        let want: Vec<String> = (0..ARTICLES)
            .rev()
            .map(|i| format!("Story {i} of list {f}"))
            .collect();
        for ext in ["rss.xml", "atom.xml", "json"] {
            let key = format!("out/f{f}.{ext}");
            let o = objects.get(&key).unwrap_or_else(|| panic!("{key} missing"));
            let feed = crate::bucket::parse(&key, o);
            assert_eq!(crate::helpers::entry_titles(&feed), want, "{key}");
            let ids: HashSet<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
            assert_eq!(ids.len(), ARTICLES, "{key}: a guid twice");
        }
    }
    let index = String::from_utf8_lossy(&objects["out/index.html"].bytes).into_owned();
    assert_eq!(
        index.matches("<link rel=\"alternate\"").count(),
        FEEDS * 3,
        "the index lists every feed file"
    );
    let items: i64 = pg
        .query_one("SELECT COUNT(*) FROM items", &[])
        .unwrap()
        .get(0);
    assert_eq!(items, (FEEDS * ARTICLES) as i64);
}
