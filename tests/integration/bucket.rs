//! Output to an S3-compatible bucket (`output_url`, issue 17): a local S3 server (moto
//! in server mode, from PyPI, which `.ci/run` installs) started by the test on
//! 127.0.0.1; the objects read back with an S3 client and parsed with feed-rs.
//!
//! Without moto the tests say so and pass, except under CI (`CI` set), where a missing
//! moto is a failure, as with the other tools the tests use (see `publishing.rs`).

use std::collections::HashMap;
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::{Attribute, ObjectStore, ObjectStoreExt};

use crate::helpers::{assert_well_formed_xml, entry_titles, stderr, Workspace};

/// A moto S3 server on a port of its own; stopped when dropped.
pub struct Moto {
    child: Child,
    pub port: u16,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An object as the bucket holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    pub bytes: Vec<u8>,
    pub content_type: Option<String>,
    pub cache_control: Option<String>,
    pub etag: Option<String>,
    pub last_modified: chrono::DateTime<chrono::Utc>,
}

impl Moto {
    /// Starts moto, or `None` (with a note) when it is not installed, outside CI.
    pub fn start() -> Option<Moto> {
        let installed = Command::new("python3")
            .args(["-c", "import moto.server"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !installed {
            assert!(
                std::env::var_os("CI").is_none(),
                "moto is missing; .ci/run installs it (pip install 'moto[server]')"
            );
            eprintln!("skipping: moto is not installed (pip install 'moto[server]')");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new("python3")
            .args([
                "-m",
                "moto.server",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto");
        let moto = Moto { child, port };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "moto did not start on {port}");
            std::thread::sleep(Duration::from_millis(100));
        }
        Some(moto)
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Makes a bucket (moto takes an unsigned request).
    pub fn create_bucket(&self, name: &str) {
        use std::io::{Read, Write};
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect to moto");
        write!(
            s,
            "PUT /{name} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.port
        )
        .unwrap();
        let mut reply = String::new();
        let _ = s.read_to_string(&mut reply);
        assert!(reply.starts_with("HTTP/1.1 200"), "create bucket: {reply}");
    }

    /// The `AWS_*` variables a pagefeed process needs to reach this server.
    pub fn env(&self, cmd: &mut Command) {
        cmd.env("AWS_ACCESS_KEY_ID", "testing-key-id")
            .env("AWS_SECRET_ACCESS_KEY", SECRET)
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ENDPOINT_URL", self.endpoint())
            .env("AWS_ALLOW_HTTP", "true");
    }

    fn client(&self, bucket: &str) -> AmazonS3 {
        AmazonS3Builder::new()
            .with_endpoint(self.endpoint())
            .with_allow_http(true)
            .with_region("us-east-1")
            .with_access_key_id("testing-key-id")
            .with_secret_access_key(SECRET)
            .with_bucket_name(bucket)
            .build()
            .expect("S3 client")
    }

    /// Every object under `prefix`, by key.
    pub fn objects(&self, bucket: &str, prefix: &str) -> HashMap<String, Object> {
        let client = self.client(bucket);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            use futures_util::TryStreamExt;
            let prefix = object_store::path::Path::from(prefix);
            let metas: Vec<object_store::ObjectMeta> =
                client.list(Some(&prefix)).try_collect().await.unwrap();
            let mut out = HashMap::new();
            for m in metas {
                let got = client.get(&m.location).await.unwrap();
                let attr = |a: &Attribute| got.attributes.get(a).map(|v| v.to_string());
                let (content_type, cache_control) = (
                    attr(&Attribute::ContentType),
                    attr(&Attribute::CacheControl),
                );
                let bytes = got.bytes().await.unwrap().to_vec();
                out.insert(
                    m.location.to_string(),
                    Object {
                        bytes,
                        content_type,
                        cache_control,
                        etag: m.e_tag,
                        last_modified: m.last_modified,
                    },
                );
            }
            out
        })
    }
}

/// The secret key the tests give pagefeed; it must never appear in its output.
pub const SECRET: &str = "s3cret-never-printed-7f3a";

/// An object parsed with feed-rs (XML checked well-formed first).
pub fn parse(key: &str, o: &Object) -> feed_rs::model::Feed {
    if key.ends_with(".xml") {
        assert_well_formed_xml(&o.bytes, std::path::Path::new(key));
    }
    feed_rs::parser::parse(&o.bytes[..]).unwrap_or_else(|e| panic!("{key}: {e}"))
}

/// The content type each file must be served with (the README's nginx section).
pub fn expected_type(key: &str) -> &'static str {
    match key.rsplit_once('.').map(|(_, e)| e) {
        Some("json") => "application/feed+json",
        Some("opml") => "text/x-opml",
        Some("html") => "text/html",
        _ if key.ends_with(".rss.xml") => "application/rss+xml",
        _ => "application/atom+xml",
    }
}

fn run(ws: &Workspace, moto: &Moto, args: &[&str]) -> std::process::Output {
    let mut cmd = ws.command(args);
    moto.env(&mut cmd);
    let out = cmd.output().expect("run pagefeed");
    let text = format!("{}{}", stderr(&out), String::from_utf8_lossy(&out.stdout));
    assert!(!text.contains(SECRET), "the secret key was printed: {text}");
    out
}

#[test]
fn a_run_writes_every_file_as_one_object_and_an_unchanged_run_uploads_nothing() {
    let Some(moto) = Moto::start() else { return };
    moto.create_bucket("feeds-bucket");
    let extra = std::sync::Arc::default();
    let server = crate::scale::site(Duration::ZERO, std::sync::Arc::clone(&extra));
    let config = crate::scale::config(&server, 2, "5s").replace(
        "[settings]\n",
        "[settings]\noutput_url = \"s3://feeds-bucket/pub/\"\nbase_url = \"https://cdn.example.org/pub/\"\n",
    );
    let ws = Workspace::new(&config);
    let out = run(&ws, &moto, &["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let objects = moto.objects("feeds-bucket", "pub");
    let mut keys: Vec<&str> = objects.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "pub/f0.atom.xml",
            "pub/f0.json",
            "pub/f0.rss.xml",
            "pub/f1.atom.xml",
            "pub/f1.json",
            "pub/f1.rss.xml",
            "pub/feeds.opml",
            "pub/index.html",
        ]
    );
    // Nothing went to the local folder instead.
    assert!(ws.files().is_empty(), "{:?}", ws.files());
    for (key, o) in &objects {
        assert_eq!(o.content_type.as_deref(), Some(expected_type(key)), "{key}");
        assert_eq!(
            o.cache_control.as_deref(),
            Some("public, max-age=300"),
            "{key}"
        );
        if key.ends_with(".opml") || key.ends_with(".html") {
            continue;
        }
        let feed = parse(key, o);
        let list = if key.contains("/f0.") { 0 } else { 1 };
        assert_eq!(
            entry_titles(&feed),
            [2, 1, 0].map(|i| format!("Story {i} of list {list}")),
            "{key}"
        );
    }
    let index = String::from_utf8_lossy(&objects["pub/index.html"].bytes).into_owned();
    assert!(index.contains("href=\"f1.atom.xml\""), "{index}");
    let opml = String::from_utf8_lossy(&objects["pub/feeds.opml"].bytes).into_owned();
    assert!(
        opml.contains("xmlUrl=\"https://cdn.example.org/pub/f0.atom.xml\""),
        "{opml}"
    );

    // A second run, every feed forced, nothing changed: no object is written again (S3
    // times are whole seconds: wait for the next one).
    std::thread::sleep(Duration::from_millis(1100));
    let out = run(&ws, &moto, &["run", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let again = moto.objects("feeds-bucket", "pub");
    for (key, o) in &again {
        assert!(o == &objects[key], "{key} written again");
    }
    assert_eq!(again.len(), objects.len());

    // A new story on list 0: its three files (and the index and OPML list, whose dates
    // moved) are written again, list 1's are not.
    extra.lock().unwrap().insert(0, 1);
    std::thread::sleep(Duration::from_millis(1100));
    let out = run(&ws, &moto, &["run", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let after = moto.objects("feeds-bucket", "pub");
    for (key, o) in &after {
        let changed = !key.contains("/f1.");
        if changed {
            assert!(
                o.last_modified > objects[key].last_modified,
                "{key} not rewritten"
            );
        } else {
            assert!(o == &objects[key], "{key} rewritten");
        }
    }
    let f0 = parse("pub/f0.atom.xml", &after["pub/f0.atom.xml"]);
    assert_eq!(entry_titles(&f0)[0], "Story 3 of list 0");
}

#[test]
fn an_unreachable_bucket_is_named_and_the_credentials_are_not_printed() {
    // No moto needed: nothing listens on the endpoint.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let server = crate::scale::site(Duration::ZERO, std::sync::Arc::default());
    let config = crate::scale::config(&server, 1, "5s").replace(
        "[settings]\n",
        "[settings]\noutput_url = \"s3://nowhere-bucket/feeds\"\n",
    );
    let ws = Workspace::new(&config);
    let mut cmd = ws.command(&["run"]);
    cmd.env("AWS_ACCESS_KEY_ID", "testing-key-id")
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL", format!("http://127.0.0.1:{closed}"))
        .env("AWS_ALLOW_HTTP", "true");
    let out = cmd.output().unwrap();
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("s3://nowhere-bucket/feeds/f0."), "{err}");
    assert!(!err.contains(SECRET), "{err}");

    // A bad URL is a config error naming the key.
    std::fs::write(
        ws.config(),
        config.replace("s3://nowhere-bucket/feeds", "https://bucket.example/feeds"),
    )
    .unwrap();
    let out = ws.run(&["run"]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(
        err.contains("output_url") && err.contains("s3://bucket/prefix/"),
        "{err}"
    );
}

/// Issue 17: `pagefeed state migrate` copies the recorded hashes of the objects, both
/// ways (SQLite file → PostgreSQL → SQLite file). Without them the first run on the new
/// store would think no file was written yet: it would ask for every listing
/// unconditionally and upload every object again.
#[test]
fn state_migrate_copies_the_file_hashes_both_ways_so_an_unchanged_run_uploads_nothing() {
    let Some(moto) = Moto::start() else { return };
    moto.create_bucket("moved");
    let server = crate::scale::site(Duration::ZERO, std::sync::Arc::default());
    let config = crate::scale::config(&server, 2, "5s").replace(
        "[settings]\n",
        "[settings]\noutput_url = \"s3://moved/pub/\"\n",
    );
    let sqlite = Workspace {
        db: None,
        ..Workspace::new(&config)
    };
    let out = run(&sqlite, &moto, &["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let objects = moto.objects("moved", "pub");
    assert_eq!(objects.len(), 8, "{:?}", objects.keys());

    // A forced run on the copied state, nothing changed: both listings are asked
    // conditionally (answered 304), no article is fetched, no object is written again.
    let unchanged_run_uploads_nothing = |ws: &Workspace| {
        std::thread::sleep(Duration::from_millis(1100)); // S3 times are whole seconds
        let before = server.requests().len();
        let out = run(ws, &moto, &["run", "--force"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let requests = server.requests();
        let mut paths: Vec<(&str, bool)> = requests[before..]
            .iter()
            .filter(|r| r.path != "/robots.txt")
            .map(|r| (r.path.as_str(), r.header("if-none-match").is_some()))
            .collect();
        paths.sort();
        assert_eq!(paths, [("/list/0", true), ("/list/1", true)]);
        let again = moto.objects("moved", "pub");
        assert_eq!(again.len(), objects.len());
        for (key, o) in &again {
            assert!(o == &objects[key], "{key} written again");
        }
    };

    let copied = |from: &dyn std::fmt::Display, to: &dyn std::fmt::Display| {
        format!("copied 2 feeds, 6 items, 2 URLs and 8 file hashes from {from} to {to}")
    };
    let state_file = sqlite.out(".pagefeed/state.sqlite");
    let db = crate::pg::Db::create();
    let out = run(&sqlite, &moto, &["state", "migrate", "--to", &db.url()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        crate::helpers::stdout(&out).trim_end(),
        copied(&state_file.display(), &db.url())
    );
    let pg = Workspace {
        dir: sqlite.dir,
        db: Some(db),
    };
    unchanged_run_uploads_nothing(&pg);

    // And back into a new SQLite file (the old one removed first).
    std::fs::remove_dir_all(pg.out(".pagefeed")).unwrap();
    let state_arg = state_file.to_string_lossy().into_owned();
    let out = run(&pg, &moto, &["state", "migrate", "--to", &state_arg]);
    assert!(out.status.success(), "{}", stderr(&out));
    let db = pg.db.expect("the database");
    assert_eq!(
        crate::helpers::stdout(&out).trim_end(),
        copied(&db.url(), &state_file.display())
    );
    let back = Workspace {
        dir: pg.dir,
        db: None,
    };
    unchanged_run_uploads_nothing(&back);
}
