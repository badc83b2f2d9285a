//! Shared test helpers: running the binary, and reading back every feed it writes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the real `pagefeed` binary.
pub fn pagefeed(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pagefeed"))
        .args(args)
        .env_remove("RUST_LOG")
        .output()
        .expect("run pagefeed")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A temp folder holding a config file and the output folder; its state is the SQLite
/// file there, or a PostgreSQL database of its own under the test matrix
/// (`PAGEFEED_TEST_STATE=postgres`, see `pg.rs`).
pub struct Workspace {
    pub dir: tempfile::TempDir,
    pub db: Option<crate::pg::Db>,
}

impl Workspace {
    pub fn new(config: &str) -> Workspace {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("pagefeed.toml"), config).expect("write config");
        let db = crate::pg::matrix().then(crate::pg::Db::create);
        Workspace { dir, db }
    }

    /// The same, with its state in a PostgreSQL database of its own whatever the matrix.
    pub fn with_postgres(config: &str) -> Workspace {
        let mut ws = Workspace::new(config);
        ws.db.get_or_insert_with(crate::pg::Db::create);
        ws
    }

    /// `pagefeed --config <this config> <args>` as a command, with the state URL set.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_pagefeed"));
        cmd.arg("--config")
            .arg(self.config())
            .args(args)
            .env_remove("RUST_LOG");
        match &self.db {
            Some(db) => cmd.env("PAGEFEED_STATE_URL", db.url()),
            None => cmd.env_remove("PAGEFEED_STATE_URL"),
        };
        cmd
    }

    pub fn config(&self) -> PathBuf {
        self.dir.path().join("pagefeed.toml")
    }

    pub fn out(&self, file: &str) -> PathBuf {
        self.dir.path().join("feeds").join(file)
    }

    /// Runs `pagefeed --config <this config> <args>`.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run pagefeed")
    }

    /// Files in the output folder (names), sorted.
    pub fn files(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.dir.path().join("feeds"))
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| !n.starts_with('.'))
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }
}

/// Parses a written feed file with feed-rs; for XML formats first checks that the file
/// is well-formed XML 1.0. Every test reads feeds through this, so none forgets.
pub fn read_feed(path: &Path) -> feed_rs::model::Feed {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    if path.extension().is_some_and(|e| e == "xml") {
        assert_well_formed_xml(&bytes, path);
    } else {
        serde_json::from_slice::<serde_json::Value>(&bytes)
            .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    }
    feed_rs::parser::parse(&bytes[..])
        .unwrap_or_else(|e| panic!("feed-rs cannot parse {}: {e}", path.display()))
}

/// The titles of a feed's entries, in file order ("" for an untitled one).
pub fn entry_titles(f: &feed_rs::model::Feed) -> Vec<String> {
    f.entries
        .iter()
        .map(|e| {
            e.title
                .as_ref()
                .map(|t| t.content.clone())
                .unwrap_or_default()
        })
        .collect()
}

/// Reads every event with quick-xml and checks characters are legal XML 1.0.
pub fn assert_well_formed_xml(bytes: &[u8], path: &Path) {
    let text = std::str::from_utf8(bytes)
        .unwrap_or_else(|e| panic!("{} is not UTF-8: {e}", path.display()));
    for c in text.chars() {
        let ok = matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}');
        assert!(
            ok,
            "{} holds a character illegal in XML 1.0: {:?}",
            path.display(),
            c
        );
    }
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut depth: i64 = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{} is not well-formed XML: {e}", path.display()),
        }
    }
    assert_eq!(depth, 0, "{}: unbalanced elements", path.display());
}

/// The folder of the bundled demo site.
pub fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/demo")
}

/// Every file below `dir` (hidden ones and the state folder included), with its bytes.
pub fn all_files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out
}

pub fn contains_bytes(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Asserts that none of `secrets` appears on the stdout or stderr of any of `outputs`
/// (each named for the message) nor in any file below `dir`, and that each of `must`
/// (file names) is among those files, so the search cannot pass on an empty folder.
pub fn assert_no_secret(
    outputs: &[(String, Output)],
    dir: &Path,
    must: &[&str],
    secrets: &[&[u8]],
) {
    let found = |bytes: &[u8]| {
        secrets
            .iter()
            .find(|s| contains_bytes(bytes, s))
            .map(|s| String::from_utf8_lossy(s).into_owned())
    };
    for (what, o) in outputs {
        for (stream, bytes) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
            if let Some(s) = found(bytes) {
                panic!(
                    "`{what}` printed {s} on {stream}:\n{}",
                    String::from_utf8_lossy(bytes)
                );
            }
        }
    }
    let files = all_files(dir);
    let names: Vec<String> = files
        .iter()
        .filter_map(|(p, _)| Some(p.file_name()?.to_string_lossy().into_owned()))
        .collect();
    for m in must {
        assert!(names.iter().any(|n| n == m), "{m} missing: {names:?}");
    }
    for (path, bytes) in &files {
        if let Some(s) = found(bytes) {
            panic!("{} holds {s}", path.display());
        }
    }
}
